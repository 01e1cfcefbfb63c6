import type { App, ViewSubmitAction } from "@slack/bolt";
import { VIEW } from "../ids.js";
import type { VoteDeps } from "../vote.js";
import { submitDecision } from "./submit.js";

/** The reject modal, submitted: no reason, no rejection. */
export function rejectSubmittedListener(app: App, deps: VoteDeps): void {
  app.view<ViewSubmitAction>(VIEW.reject, async ({ ack, body, client }) => {
    await submitDecision(deps, client, body, "reject", ack);
  });
}
