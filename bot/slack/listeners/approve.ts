import type { App } from "@slack/bolt";
import { ACTION } from "../ids.js";
import { readClick } from "../payloads.js";
import { type VoteDeps, vote } from "../vote.js";
import { tell, UNREADABLE } from "./tell.js";

/**
 * "Approve" (after Slack's confirm dialog): the vote counts at once. The message itself shows the
 * outcome once the projector updates it; the clicker only hears back when there is more to say
 * (quorum progress, or why not).
 */
export function approveListener(app: App, deps: VoteDeps): void {
  app.action(ACTION.approve, async ({ ack, body, client }) => {
    await ack();
    const click = readClick(body);
    if (!click?.approvalId) {
      if (click) await tell(client, deps.log, { channel: click.channel, user: click.user.id }, UNREADABLE);
      return;
    }
    const outcome = await vote(deps, client, {
      approvalId: click.approvalId,
      user: click.user,
      verdict: "approve",
    });
    const text = outcome.ok ? outcome.text : outcome.refusal.text;
    await tell(client, deps.log, { channel: click.channel, user: click.user.id }, text);
  });
}
