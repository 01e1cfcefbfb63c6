import type { App } from "@slack/bolt";
import { ACTION } from "../ids.js";
import type { VoteDeps } from "../vote.js";
import { openDecisionModal } from "./open-modal.js";

/** "Approve with comment…" (and "Approve…" on high-risk rules): the approve modal. */
export function approveWithCommentListener(app: App, deps: VoteDeps): void {
  app.action(ACTION.approveWithComment, async ({ ack, body, client }) => {
    await ack();
    await openDecisionModal(deps, client, body, "approve");
  });
}
