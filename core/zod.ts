/**
 * zod for everything that ships in a Lambda: `zod/mini`, whose functions tree-shake. zod's
 * classic API is one object of ~440 KB that every bundle carried and every cold start parsed
 * (bench/: about 20 ms); with mini the schemas here cost ~20 KB. Schemas import `z` from this
 * module (`import * as z from "./zod.js"`), so zod's English messages are set up once, before any
 * schema parses: mini leaves them out unless asked. The local stack's own code keeps classic zod.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());

export * from "zod/mini";
