/**
 * Environment variable names, shared by the CDK stack that sets them and `config.ts` that reads
 * them, so the two cannot drift.
 */
export const ENV = {
  tableName: "GREENLIGHT_TABLE",
  policyFile: "GREENLIGHT_POLICY_FILE",
  /** The bundled policy's SHA-256 (policyDigest): read by `greenlight doctor`, not by the functions. */
  policyDigest: "GREENLIGHT_POLICY_SHA256",
  publicUrl: "GREENLIGHT_PUBLIC_URL",
  fromEmail: "GREENLIGHT_FROM_EMAIL",
  retentionDays: "GREENLIGHT_RETENTION_DAYS",
  logLevel: "LOG_LEVEL",
  /** GitHub App (lambdas/config-github.ts): on AWS one Secrets Manager secret, locally three variables. */
  githubSecretArn: "GREENLIGHT_GITHUB_SECRET_ARN",
  githubAppId: "GREENLIGHT_GITHUB_APP_ID",
  githubPrivateKey: "GREENLIGHT_GITHUB_PRIVATE_KEY",
  githubWebhookSecret: "GREENLIGHT_GITHUB_WEBHOOK_SECRET",
  /** GitHub Enterprise or the local stand-in; api.github.com when unset. */
  githubApiUrl: "GREENLIGHT_GITHUB_API_URL",
  /** Slack app: on AWS one Secrets Manager secret (JSON), set by the CDK stack. */
  slackSecretArn: "GREENLIGHT_SLACK_SECRET_ARN",
  /** Slack app locally (lambdas/config-slack.ts): Slack's own names, as its docs and Bolt use them. */
  slackSigningSecret: "SLACK_SIGNING_SECRET",
  slackBotToken: "SLACK_BOT_TOKEN",
  slackAppId: "SLACK_APP_ID",
  slackTeamId: "SLACK_TEAM_ID",
  /** An app-level token (`xapp-…`): `npm start` then talks to a real workspace over Socket Mode. */
  slackAppToken: "SLACK_APP_TOKEN",
  /** The local Slack stand-in; https://slack.com/api/ when unset. */
  slackApiUrl: "GREENLIGHT_SLACK_API_URL",
  /** With the optional edge (CloudFront): the secret holding the origin header's accepted values. */
  edgeSecretArn: "GREENLIGHT_EDGE_SECRET_ARN",
} as const;

/** The header CloudFront adds to every origin request when the edge is on (lambdas/origin-check.ts). */
export const EDGE_HEADER = "x-greenlight-edge";
