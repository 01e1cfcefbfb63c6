import type { Approval } from "../../core/approval.js";

/** What the Slack channel keeps on the approval record (`channels.slack`). */
export interface SlackRef {
  /** Where the approval message lives, once posted. */
  channel?: string;
  ts?: string;
  /** A post in progress: whoever set it posts; a stale claim (a crash mid-post) may be taken over. */
  claimedAt?: string;
  postedAt?: string;
  /** Hash of the blocks last sent, so an unchanged message is not sent again. */
  rendered?: string;
  /** The deploy outcome already announced in the thread. */
  deployReplied?: string;
  /** Slack said the message can no longer be updated (deleted, archived channel): stop trying. */
  gone?: string;
  /**
   * The last permanent error Slack answered (`not_in_channel`, `invalid_blocks`, …), when, and the
   * key of what the failed call depended on: the call is tried again only once that key changes.
   */
  problem?: string;
  problemAt?: string;
  problemKey?: string;
}

const KEYS = [
  "channel",
  "ts",
  "claimedAt",
  "postedAt",
  "rendered",
  "deployReplied",
  "gone",
  "problem",
  "problemAt",
  "problemKey",
] as const;

export function slackRef(approval: Approval): SlackRef {
  const raw = approval.channels.slack ?? {};
  const ref: SlackRef = {};
  for (const key of KEYS) {
    const value = raw[key];
    if (typeof value === "string") ref[key] = value;
  }
  return ref;
}

/** The approval with `channels.slack` patched; `undefined` in the patch removes a key. */
export function withSlackRef(
  approval: Approval,
  patch: { [K in keyof SlackRef]?: string | undefined },
): Approval {
  const next: Record<string, string | number> = { ...(approval.channels.slack ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return { ...approval, channels: { ...approval.channels, slack: next } };
}
