#!/usr/bin/env node
// `npx greenlight …` in a checkout: run the TypeScript command through tsx (a devDependency).
import { register } from "tsx/esm/api";

register();
await import("./bin.ts");
