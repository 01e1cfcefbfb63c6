import { loadConfig } from "./config.js";
import { makeEventsHandler } from "./handlers/events.js";
import { createLogger } from "./log.js";
import { coreDeps } from "./wiring.js";

const config = loadConfig();

export const handler = makeEventsHandler({
  ...coreDeps(config),
  log: createLogger({ level: config.logLevel, name: "events" }),
});
