import { handle } from "hono/aws-lambda";
import { createApp } from "./app.js";
import { buildChannels } from "./channels.js";
import { loadConfig } from "./config.js";
import { coreDeps } from "./core-deps.js";
import { createLogger } from "./log.js";

const config = loadConfig();
const log = createLogger({ level: config.logLevel, name: "http" });

export const handler = handle(
  createApp({ log, mounts: buildChannels(config, coreDeps(config), log).mounts }),
);
