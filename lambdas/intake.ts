import { loadConfig, loadPolicy } from "./config.js";
import { makeIntakeHandler } from "./handlers/intake.js";
import { createLogger } from "./log.js";
import { coreDeps } from "./wiring.js";

const config = loadConfig();

export const handler = makeIntakeHandler({
  ...coreDeps(config),
  policy: loadPolicy(config.policyFile),
  log: createLogger({ level: config.logLevel, name: "intake" }),
});
