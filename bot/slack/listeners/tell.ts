import type { WebClient } from "@slack/web-api";
import type { Log } from "../../shared/log.js";
import { cutMrkdwn, LIMIT } from "../mrkdwn.js";
import { permanentError, reportPermanent } from "../problems.js";

/**
 * An ephemeral reply, seen only by the person who clicked. It is feedback, not state: when Slack
 * refuses it, the log says so and the interaction still counts as handled.
 */
export async function tell(
  client: WebClient,
  log: Log,
  to: { channel?: string | undefined; user: string },
  text: string | undefined,
): Promise<void> {
  if (!text || !to.channel) return;
  try {
    await client.chat.postEphemeral({
      channel: to.channel,
      user: to.user,
      text: cutMrkdwn(text, LIMIT.messageText),
    });
  } catch (e: unknown) {
    log.warn(
      { channel: "slack", error: e instanceof Error ? e.message : String(e) },
      "slack: ephemeral reply failed",
    );
    // The app removed from the channel, a revoked token…: the operator hears it, with the fix.
    const problem = permanentError(e, to.channel);
    if (problem)
      reportPermanent(log, problem, { method: "chat.postEphemeral", slackChannel: to.channel }, new Date());
  }
}

export const UNREADABLE =
  "Greenlight could not read this button (the message may be from an older version). Nothing was recorded.";
