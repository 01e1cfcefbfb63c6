import type { App, ViewSubmitAction } from "@slack/bolt";
import { VIEW } from "../ids.js";
import type { VoteDeps } from "../vote.js";
import { submitDecision } from "./submit.js";

/** The approve modal, submitted: the comment is optional. */
export function approveSubmittedListener(app: App, deps: VoteDeps): void {
  app.view<ViewSubmitAction>(VIEW.approve, async ({ ack, body, client }) => {
    await submitDecision(deps, client, body, "approve", ack);
  });
}
