import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { acknowledge } from "../nag.js";

/** What each channel's secret holds (lambdas/config-slack.ts and config-github.ts read it). */
export const CHANNEL_SECRETS = {
  slack: {
    description:
      "Greenlight Slack app: signing secret, bot token, app and workspace ids (README: Deploy to AWS)",
    keys: ["signingSecret", "botToken", "appId", "teamId"],
  },
  github: {
    description:
      "Greenlight GitHub App: App ID, private key (PEM) and webhook secret (README: Deploy to AWS)",
    keys: ["appId", "privateKey", "webhookSecret"],
  },
} as const;

/**
 * A secret holding the channel's JSON keys with empty values: the template carries no secret, and
 * until the operator fills it in, the channel reports the key to set ("expected …").
 */
export function channelSecret(scope: Construct, id: string, channel: keyof typeof CHANNEL_SECRETS) {
  const shape = CHANNEL_SECRETS[channel];
  const secret = new secretsmanager.Secret(scope, id, {
    description: shape.description,
    generateSecretString: {
      secretStringTemplate: JSON.stringify(Object.fromEntries(shape.keys.map((k) => [k, ""]))),
      // Secrets Manager must generate one key; the channels ignore it.
      generateStringKey: "unused",
    },
  });
  acknowledge(
    secret,
    "AwsSolutions-SMG4",
    "Slack and GitHub issue these credentials; rotating them means regenerating them in Slack's or " +
      "GitHub's settings and putting the new value here (README), which no rotation Lambda can do.",
  );
  return secret;
}
