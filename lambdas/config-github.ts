import type { GitHubAppSettings } from "../bot/github/probot.js";
import { InvalidInput } from "../core/errors.js";
import * as z from "../core/zod.js";
import { firstIssue } from "../core/zod-issues.js";
import { memo, readSecretString, type SecretReader } from "./aws/secrets.js";
import { ENV } from "./config-names.js";

/** Reads a secret's string value (Secrets Manager on AWS; anything in tests). */

export interface GitHubConfig {
  /** The App's id, private key and webhook secret: read once, on first call, then memoised. */
  settings: () => Promise<GitHubAppSettings>;
}

const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/;

/** Keys pasted into env files arrive with literal `\n`, or base64-encoded to fit on one line. */
function normaliseKey(raw: string): string {
  const key = raw.includes("\\n") ? raw.replace(/\\n/g, "\n") : raw;
  if (PEM.test(key)) return key.trim();
  const decoded = Buffer.from(key, "base64").toString("utf8");
  return PEM.test(decoded) ? decoded.trim() : key;
}

const appId = z.coerce
  .number()
  .check(z.int("expected the numeric App ID from the app's settings page"), z.positive());
const privateKey = z.pipe(
  z.string(),
  z
    .transform(normaliseKey)
    .check(
      z.refine((k) => PEM.test(k), "expected the PEM private key (.pem) generated in the app's settings"),
    ),
);
const webhookSecret = z
  .string()
  .check(z.minLength(16, "expected the webhook secret set in the app's settings (16+ characters)"));

const fromSecret = z.object({ appId: z.optional(appId), privateKey, webhookSecret });

function parse<T>(schema: z.ZodMiniType<T>, value: unknown, source: string, prefix = ""): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { field, expected } = firstIssue(parsed.error);
  throw new InvalidInput(source, `${prefix}${field}`, expected);
}

/**
 * The GitHub App's configuration, or undefined when GitHub is not configured. On AWS
 * `GREENLIGHT_GITHUB_SECRET_ARN` names one secret `{"appId","privateKey","webhookSecret"}`
 * (`GREENLIGHT_GITHUB_APP_ID` may give the id instead); locally the three values come from the
 * environment. Errors name the variable or key to fix, never a value.
 */
export function loadGitHubConfig(
  env: NodeJS.ProcessEnv,
  readSecret: SecretReader = readSecretString,
): GitHubConfig | undefined {
  const arn = env[ENV.githubSecretArn];
  const apiUrl = env[ENV.githubApiUrl];
  const baseUrl = apiUrl ? { baseUrl: apiUrl.replace(/\/+$/, "") } : {};
  const envId = env[ENV.githubAppId];
  if (arn) {
    return {
      settings: memo(async () => {
        const json: unknown = JSON.parse(await readSecret(arn));
        const secret = parse(fromSecret, json, ENV.githubSecretArn, "secret key ");
        const id = envId ? parse(appId, envId, "environment", ENV.githubAppId) : secret.appId;
        if (id === undefined) throw new InvalidInput(ENV.githubSecretArn, "secret key appId", "is required");
        return { appId: id, privateKey: secret.privateKey, webhookSecret: secret.webhookSecret, ...baseUrl };
      }),
    };
  }
  const names = [ENV.githubAppId, ENV.githubPrivateKey, ENV.githubWebhookSecret];
  const given = names.filter((n) => env[n]);
  if (given.length === 0) return undefined;
  const missing = names.find((n) => !env[n]);
  if (missing)
    throw new InvalidInput("environment", missing, "is required when the GitHub App is configured");
  const settings: GitHubAppSettings = {
    appId: parse(appId, envId, "environment", ENV.githubAppId),
    privateKey: parse(privateKey, env[ENV.githubPrivateKey], "environment", ENV.githubPrivateKey),
    webhookSecret: parse(webhookSecret, env[ENV.githubWebhookSecret], "environment", ENV.githubWebhookSecret),
    ...baseUrl,
  };
  return { settings: async () => settings };
}
