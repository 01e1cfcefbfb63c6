import type { App } from "@slack/bolt";
import { ACTION } from "../ids.js";
import type { VoteDeps } from "../vote.js";
import { openDecisionModal } from "./open-modal.js";

/** "Reject" (after Slack's confirm dialog): a rejection always carries a reason, asked for in a modal. */
export function rejectListener(app: App, deps: VoteDeps): void {
  app.action(ACTION.reject, async ({ ack, body, client }) => {
    await ack();
    await openDecisionModal(deps, client, body, "reject");
  });
}
