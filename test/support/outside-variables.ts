// The variables test/support/hermetic.ts removes before each test file (kept apart so a test can
// read the list without running the removal).
/** What would connect a test to a real service, or change how Greenlight behaves under test. */
export const OUTSIDE_VARIABLES = [
  // Slack (lambdas/config-names.ts) and the app configuration token of `greenlight slack-app create`
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_ID",
  "SLACK_TEAM_ID",
  "SLACK_CONFIG_TOKEN",
  "GREENLIGHT_SLACK_API_URL",
  "GREENLIGHT_SLACK_SECRET_ARN",
  // GitHub
  "GREENLIGHT_GITHUB_APP_ID",
  "GREENLIGHT_GITHUB_PRIVATE_KEY",
  "GREENLIGHT_GITHUB_WEBHOOK_SECRET",
  "GREENLIGHT_GITHUB_API_URL",
  "GREENLIGHT_GITHUB_SECRET_ARN",
  "WEBHOOK_PROXY_URL",
  "GITHUB_TOKEN",
  // Greenlight's own settings: a test sets what it needs
  "GREENLIGHT_TABLE",
  "GREENLIGHT_POLICY_FILE",
  "GREENLIGHT_PUBLIC_URL",
  "GREENLIGHT_FROM_EMAIL",
  "GREENLIGHT_EDGE_SECRET_ARN",
  "LOG_LEVEL",
  "PORT",
  // AWS: credentials, profile, region and endpoints
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_ENDPOINT_URL",
] as const;
