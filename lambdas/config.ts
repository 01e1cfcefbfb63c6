import { readFileSync } from "node:fs";
import { z } from "zod";
import { InvalidInput } from "../core/errors.js";
import { type Policy, parsePolicy } from "../core/policy.js";
import { firstIssue } from "../core/zod-issues.js";
import { ENV } from "./config-names.js";

const schema = z.object({
  [ENV.tableName]: z.string().min(3, "expected the approvals table name"),
  [ENV.policyFile]: z.string().default("greenlight.yml"),
  [ENV.publicUrl]: z.url("expected the public https URL of the Greenlight function").optional(),
  [ENV.fromEmail]: z
    .string()
    .min(3, "expected the verified SES sender, e.g. Greenlight <greenlight@acme.io>")
    .optional(),
  [ENV.retentionDays]: z.coerce.number().int().min(1).max(3650).default(90),
  [ENV.logLevel]: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export interface Config {
  tableName: string;
  policyFile: string;
  publicUrl?: string;
  fromEmail?: string;
  retentionDays: number;
  logLevel: string;
}

/** Read the environment once, at the edge. Errors say which variable to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const { field, expected } = firstIssue(parsed.error);
    throw new InvalidInput("environment", field, expected);
  }
  const c = parsed.data;
  const publicUrl = c[ENV.publicUrl];
  const fromEmail = c[ENV.fromEmail];
  return {
    tableName: c[ENV.tableName],
    policyFile: c[ENV.policyFile],
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, "") } : {}),
    ...(fromEmail ? { fromEmail } : {}),
    retentionDays: c[ENV.retentionDays],
    logLevel: c[ENV.logLevel],
  };
}

/** The policy file, validated; a broken file fails loudly with the line and field to fix. */
export function loadPolicy(path: string): Policy {
  return parsePolicy(readFileSync(path, "utf8"), path);
}

/** A setting an entry point cannot run without; the message names the variable. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new InvalidInput("environment", name, "is required by this function");
  return value;
}
