import { handle } from "hono/aws-lambda";
import { createApp } from "./app.js";
import { buildChannels } from "./channels.js";
import { loadConfig } from "./config.js";
import { coreDeps } from "./core-deps.js";
import { createLogger } from "./log.js";
import { originCheckFor } from "./origin-check.js";

const config = loadConfig();
const log = createLogger({ level: config.logLevel, name: "http" });

const guard = originCheckFor(config.edgeSecretArn, log);

export const handler = handle(
  createApp({
    log,
    mounts: buildChannels(config, coreDeps(config), log).mounts,
    ...(guard ? { guard } : {}),
  }),
);
