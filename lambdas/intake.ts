import { loadCoreConfig, loadPolicy } from "./config.js";
import { coreDeps } from "./core-deps.js";
import { makeIntakeHandler } from "./handlers/intake.js";
import { createLogger } from "./log.js";

const config = loadCoreConfig();

export const handler = makeIntakeHandler({
  ...coreDeps(config),
  policy: loadPolicy(config.policyFile),
  log: createLogger({ level: config.logLevel, name: "intake" }),
  pause: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
});
