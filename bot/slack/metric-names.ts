/**
 * The CloudWatch metric the Slack channel emits (embedded metric format, in its own log line) when
 * Slack refuses a call for good, and the alarm in infra/service/alarms.ts watches. Shared so the
 * two cannot drift apart.
 */
export const SLACK_METRIC_NAMESPACE = "Greenlight";
export const SLACK_PERMANENT_ERRORS_METRIC = "SlackPermanentErrors";
