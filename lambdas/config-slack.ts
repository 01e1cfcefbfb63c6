import { InvalidInput } from "../core/errors.js";
import * as z from "../core/zod.js";
import { firstIssue } from "../core/zod-issues.js";
import { memo, readSecretString, type SecretReader } from "./aws/secrets.js";
import { ENV } from "./config-names.js";

/** Everything the Slack channel needs from outside: secrets, ids and (locally) the API's address. */
export interface SlackSettings {
  signingSecret: string;
  botToken: string;
  appId: string;
  teamId: string;
  /** `GREENLIGHT_SLACK_API_URL`: the local stand-in; Slack's own API when absent. */
  apiUrl?: string;
}

export interface SlackConfig {
  /** Read once, on first call (Secrets Manager on AWS), then memoised; a failure is retried next call. */
  settings: () => Promise<SlackSettings>;
}

/** Reads a secret's string value (Secrets Manager on AWS; anything in tests). */

const fields = {
  signingSecret: z
    .string()
    .check(z.minLength(16, "expected the Signing Secret from the app's Basic Information page")),
  botToken: z
    .string()
    .check(z.regex(/^xoxb-/, "expected the Bot User OAuth Token (xoxb-…) from OAuth & Permissions")),
  appId: z
    .string()
    .check(z.regex(/^A[A-Z0-9]{2,}$/, "expected the App ID (A…) from the app's Basic Information page")),
  teamId: z.string().check(z.regex(/^T[A-Z0-9]{2,}$/, "expected the workspace (team) id, T…")),
};
const secretSchema = z.object(fields);
const ENV_NAMES = {
  signingSecret: ENV.slackSigningSecret,
  botToken: ENV.slackBotToken,
  appId: ENV.slackAppId,
  teamId: ENV.slackTeamId,
} as const;

/**
 * The Slack app's configuration, or undefined when Slack is not configured. On AWS
 * `GREENLIGHT_SLACK_SECRET_ARN` names one JSON secret `{"signingSecret","botToken","appId","teamId"}`;
 * locally the four come from `SLACK_SIGNING_SECRET`, `SLACK_BOT_TOKEN`, `SLACK_APP_ID` and
 * `SLACK_TEAM_ID`. Errors name the variable or key to fix, never a value.
 */
export function loadSlackConfig(
  env: NodeJS.ProcessEnv,
  readSecret: SecretReader = readSecretString,
): SlackConfig | undefined {
  const apiUrl = env[ENV.slackApiUrl] ? { apiUrl: env[ENV.slackApiUrl] } : {};
  const arn = env[ENV.slackSecretArn];
  if (arn) {
    return {
      settings: memo(async () => {
        let json: unknown;
        try {
          json = JSON.parse(await readSecret(arn));
        } catch (e: unknown) {
          if (e instanceof SyntaxError)
            throw new InvalidInput(ENV.slackSecretArn, "", "expected a JSON secret");
          throw e;
        }
        const parsed = secretSchema.safeParse(json);
        if (!parsed.success) {
          const { field, expected } = firstIssue(parsed.error);
          throw new InvalidInput(ENV.slackSecretArn, `secret key ${field}`, expected);
        }
        return { ...parsed.data, ...apiUrl };
      }),
    };
  }
  const given = Object.values(ENV_NAMES).filter((name) => env[name]);
  if (given.length === 0) return undefined;
  const read = (key: keyof typeof fields): string => {
    const parsed = fields[key].safeParse(env[ENV_NAMES[key]] ?? "");
    if (!parsed.success)
      throw new InvalidInput("environment", ENV_NAMES[key], firstIssue(parsed.error).expected);
    return parsed.data;
  };
  const settings = {
    signingSecret: read("signingSecret"),
    botToken: read("botToken"),
    appId: read("appId"),
    teamId: read("teamId"),
  };
  return { settings: async () => ({ ...settings, ...apiUrl }) };
}

/** `npm start` against a real workspace over Socket Mode: set when `SLACK_APP_TOKEN` is. */
export interface SocketModeSettings {
  appToken: string;
  botToken: string;
  appId?: string;
  teamId?: string;
}

export function loadSocketModeSettings(env: NodeJS.ProcessEnv): SocketModeSettings | undefined {
  const appToken = env[ENV.slackAppToken];
  if (!appToken) return undefined;
  if (!appToken.startsWith("xapp-"))
    throw new InvalidInput("environment", ENV.slackAppToken, "expected an app-level token (xapp-…)");
  const botToken = fields.botToken.safeParse(env[ENV.slackBotToken] ?? "");
  if (!botToken.success)
    throw new InvalidInput("environment", ENV.slackBotToken, "is required with SLACK_APP_TOKEN (xoxb-…)");
  const { [ENV.slackAppId]: appId, [ENV.slackTeamId]: teamId } = env;
  return { appToken, botToken: botToken.data, ...(appId ? { appId } : {}), ...(teamId ? { teamId } : {}) };
}
