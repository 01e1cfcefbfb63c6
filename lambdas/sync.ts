import { buildChannels } from "./channels.js";
import { loadConfig } from "./config.js";
import { coreDeps } from "./core-deps.js";
import { makeSyncHandler } from "./handlers/sync.js";
import { createLogger } from "./log.js";

const config = loadConfig();
const log = createLogger({ level: config.logLevel, name: "sync" });

export const handler = makeSyncHandler({
  project: buildChannels(config, coreDeps(config), log).projector,
  log,
});
