import { loadCoreConfig } from "./config.js";
import { coreDeps } from "./core-deps.js";
import { makeEventsHandler } from "./handlers/events.js";
import { createLogger } from "./log.js";

const config = loadCoreConfig();

export const handler = makeEventsHandler({
  ...coreDeps(config),
  log: createLogger({ level: config.logLevel, name: "events" }),
});
