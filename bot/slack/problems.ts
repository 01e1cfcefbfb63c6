import { createHash } from "node:crypto";
import { WebAPIPlatformError } from "@slack/web-api";
import type { Log } from "../shared/log.js";
import { SLACK_METRIC_NAMESPACE, SLACK_PERMANENT_ERRORS_METRIC } from "./metric-names.js";

/**
 * What a permanent error is about, which decides what could make a retry succeed: a channel
 * problem (membership, archived) or a credentials problem is fixed by an operator, not by a new
 * version of the message; a content problem only by different content; a message problem (deleted,
 * too old to edit) never.
 */
export type ProblemKind = "channel" | "content" | "credentials" | "message";

interface Permanent {
  kind: ProblemKind;
  /** One sentence for the operator: what to change so Slack accepts the call. */
  fix: (where: { slackChannel?: string | undefined }) => string;
}

const inChannel = (c?: string) => (c ? `channel ${c}` : "the channel");
const reinstall =
  "reinstall the Slack app (bot/slack/manifest.yml) and put its new Bot User OAuth Token in the Slack secret";

/**
 * Errors Slack documents for chat.postMessage, chat.update, chat.postEphemeral, views.open and
 * users.info that no retry can fix (docs.slack.dev/reference/methods/<method>, "Errors"). Anything
 * else — `ratelimited`, `internal_error`, `fatal_error`, `service_unavailable`, HTTP 5xx, network
 * failures — is transient and still throws, so the stream retries it.
 */
const PERMANENT: Record<string, Permanent> = {
  not_in_channel: {
    kind: "channel",
    fix: (w) => `invite the app to ${inChannel(w.slackChannel)}: in that channel, type /invite @Greenlight`,
  },
  channel_not_found: {
    kind: "channel",
    fix: (w) =>
      `check slack.channel in greenlight.yml (${w.slackChannel ?? "?"}: a channel id such as C0123ABCD); for a private channel, invite the app first`,
  },
  is_archived: {
    kind: "channel",
    fix: (w) =>
      `${inChannel(w.slackChannel)} is archived: unarchive it or point slack.channel in greenlight.yml at another channel`,
  },
  restricted_action: {
    kind: "channel",
    fix: () => "a workspace setting stops the app posting: ask a Slack admin to allow it",
  },
  restricted_action_read_only_channel: {
    kind: "channel",
    fix: (w) =>
      `${inChannel(w.slackChannel)} is read-only for apps: let the app post, or use another channel`,
  },
  ekm_access_denied: { kind: "channel", fix: () => "Slack administrators suspended posting (EKM)" },
  invalid_blocks: {
    kind: "content",
    fix: () => "Slack refused the message's blocks: a Greenlight bug, report it with the approval id",
  },
  invalid_blocks_format: {
    kind: "content",
    fix: () => "Slack refused the message's blocks: a Greenlight bug, report it with the approval id",
  },
  msg_too_long: {
    kind: "content",
    fix: () => "Slack refused the message as too long: a Greenlight bug, report it with the approval id",
  },
  no_text: { kind: "content", fix: () => "the message had no text: a Greenlight bug, report it" },
  invalid_arguments: { kind: "content", fix: () => "Slack refused the call's arguments: a Greenlight bug" },
  not_authed: { kind: "credentials", fix: () => `no bot token was sent: ${reinstall}` },
  invalid_auth: { kind: "credentials", fix: () => `Slack does not accept the bot token: ${reinstall}` },
  account_inactive: {
    kind: "credentials",
    fix: () => `the bot token belongs to a deleted app or workspace: ${reinstall}`,
  },
  token_revoked: { kind: "credentials", fix: () => `the bot token was revoked: ${reinstall}` },
  no_permission: { kind: "credentials", fix: () => `the token lacks a permission: ${reinstall}` },
  missing_scope: {
    kind: "credentials",
    fix: () => `the app lacks a scope it needs: ${reinstall} (it lists every scope Greenlight calls for)`,
  },
  message_not_found: {
    kind: "message",
    fix: () => "someone deleted the approval message; the approval goes on in the other channels",
  },
  cant_update_message: { kind: "message", fix: () => "the message is not the app's own: nothing to fix" },
  edit_window_closed: {
    kind: "message",
    fix: () => "the workspace's edit window has closed for the message: nothing to fix",
  },
  is_inactive: { kind: "message", fix: () => "the conversation is inactive: nothing to fix" },
};

export interface PermanentError {
  code: string;
  kind: ProblemKind;
  fix: string;
}

/** The permanent Slack error behind `e`, or undefined for a transient one (which the caller rethrows). */
export function permanentError(e: unknown, slackChannel?: string): PermanentError | undefined {
  if (!(e instanceof WebAPIPlatformError)) return undefined;
  const code = e.data.error;
  const known = PERMANENT[code];
  return known ? { code, kind: known.kind, fix: known.fix({ slackChannel }) } : undefined;
}

/** The kind of a recorded permanent error code, or undefined when it is not one. */
export function kindOf(code: string): ProblemKind | undefined {
  return PERMANENT[code]?.kind;
}

const short = (parts: (string | undefined)[]) =>
  createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 16);

/**
 * What the failed call depended on, for its kind: a retry is worth it only once this changes. A
 * channel problem depends on the channel and the credentials, a content problem on the channel and
 * the message, a credentials problem on the token only. The token enters as a hash, never itself.
 */
export function problemKey(
  kind: ProblemKind,
  attempt: { method: string; slackChannel: string; message: string; token: string | undefined },
): string {
  const credential = short([attempt.token ?? ""]);
  switch (kind) {
    case "channel":
      return short([kind, attempt.slackChannel, credential]);
    case "content":
      return short([kind, attempt.method, attempt.slackChannel, attempt.message]);
    case "credentials":
      return short([kind, credential]);
    case "message":
      return short([kind, attempt.slackChannel]);
  }
}

/**
 * One log line an operator can act on, which is also the metric: CloudWatch reads the embedded
 * metric format (`_aws`) in a Lambda's log line and counts it as `Greenlight/SlackPermanentErrors`,
 * the metric the alarm watches (docs.aws.amazon.com, "Embedded metric format specification").
 */
export function reportPermanent(
  log: Log,
  problem: PermanentError,
  fields: { method: string; approvalId?: string; slackChannel?: string },
  at: Date,
): void {
  log.error(
    {
      channel: "slack",
      ...fields,
      error: problem.code,
      kind: problem.kind,
      fix: problem.fix,
      _aws: {
        Timestamp: at.getTime(),
        CloudWatchMetrics: [
          {
            Namespace: SLACK_METRIC_NAMESPACE,
            Dimensions: [[]],
            Metrics: [{ Name: SLACK_PERMANENT_ERRORS_METRIC, Unit: "Count" }],
          },
        ],
      },
      [SLACK_PERMANENT_ERRORS_METRIC]: 1,
    },
    `slack: ${fields.method} refused (${problem.code}), not retried: ${problem.fix}`,
  );
}
