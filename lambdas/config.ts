import { readFileSync } from "node:fs";
import { InvalidInput } from "../core/errors.js";
import { type Policy, parsePolicyObject } from "../core/policy.js";
import * as z from "../core/zod.js";
import { firstIssue } from "../core/zod-issues.js";
import type { SecretReader } from "./aws/secrets.js";
import { type GitHubConfig, loadGitHubConfig } from "./config-github.js";
import { ENV } from "./config-names.js";
import { loadSlackConfig, type SlackConfig } from "./config-slack.js";

const schema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(3, "expected the approvals table name")),
  [ENV.policyFile]: z._default(z.string(), "greenlight.json"),
  [ENV.publicUrl]: z.optional(z.url("expected the public https URL of the Greenlight function")),
  [ENV.fromEmail]: z.optional(
    z
      .string()
      .check(z.minLength(3, "expected the verified SES sender, e.g. Greenlight <greenlight@acme.io>")),
  ),
  [ENV.retentionDays]: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(3650)), 90),
  [ENV.edgeSecretArn]: z.optional(
    z.string().check(z.regex(/^arn:aws[a-z-]*:secretsmanager:/, "expected the edge secret's ARN")),
  ),
  [ENV.logLevel]: z._default(z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]), "info"),
});

export interface CoreConfig {
  tableName: string;
  policyFile: string;
  publicUrl?: string;
  fromEmail?: string;
  retentionDays: number;
  logLevel: string;
  /** Set with the optional edge: every request must carry the edge's origin header. */
  edgeSecretArn?: string;
}

/** Everything the functions need, channels included; `lambdas/channels.ts` builds from it. */
export interface Config extends CoreConfig {
  /** Undefined when Slack is not configured. */
  slack?: SlackConfig;
  /** Undefined when the GitHub App is not configured. */
  github?: GitHubConfig;
}

/**
 * Read the environment once, at the edge: the only place in core, bot and lambdas that reads
 * `process.env`. Errors say which variable to fix. Secrets are read later, on first use.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, readSecret?: SecretReader): Config {
  const slack = loadSlackConfig(env, readSecret);
  const github = loadGitHubConfig(env, readSecret);
  return { ...loadCoreConfig(env), ...(slack ? { slack } : {}), ...(github ? { github } : {}) };
}

/**
 * The settings without the channels, for `intake` and `events`: they post nothing, and leaving
 * the channel settings out keeps Secrets Manager's client out of their bundles.
 */
export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const { field, expected } = firstIssue(parsed.error);
    throw new InvalidInput("environment", field, expected);
  }
  const c = parsed.data;
  const publicUrl = c[ENV.publicUrl];
  const fromEmail = c[ENV.fromEmail];
  const edgeSecretArn = c[ENV.edgeSecretArn];
  return {
    tableName: c[ENV.tableName],
    policyFile: c[ENV.policyFile],
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, "") } : {}),
    ...(fromEmail ? { fromEmail } : {}),
    retentionDays: c[ENV.retentionDays],
    logLevel: c[ENV.logLevel],
    ...(edgeSecretArn ? { edgeSecretArn } : {}),
  };
}

/**
 * The policy as `cdk synth` ships it (greenlight.yml, validated, written as JSON), validated again;
 * a broken file fails loudly with the field to fix. JSON, so the functions bundle no YAML parser.
 */
export function loadPolicy(path: string): Policy {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e: unknown) {
    if (e instanceof SyntaxError)
      throw new InvalidInput(
        path,
        "",
        "expected the policy as JSON (cdk synth writes greenlight.yml as JSON)",
      );
    throw e;
  }
  return parsePolicyObject(data, path);
}

/** A setting an entry point cannot run without; the message names the variable. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new InvalidInput("environment", name, "is required by this function");
  return value;
}
