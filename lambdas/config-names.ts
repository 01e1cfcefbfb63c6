/**
 * Environment variable names, shared by the CDK stack that sets them and `config.ts` that reads
 * them, so the two cannot drift.
 */
export const ENV = {
  tableName: "GREENLIGHT_TABLE",
  policyFile: "GREENLIGHT_POLICY_FILE",
  publicUrl: "GREENLIGHT_PUBLIC_URL",
  fromEmail: "GREENLIGHT_FROM_EMAIL",
  retentionDays: "GREENLIGHT_RETENTION_DAYS",
  logLevel: "LOG_LEVEL",
} as const;
