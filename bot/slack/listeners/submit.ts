import type { AckFn, ViewResponseAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Verdict } from "../../../core/approval.js";
import { INPUT } from "../ids.js";
import { noticeModal } from "../modals.js";
import { readSubmission } from "../payloads.js";
import { type VoteDeps, vote } from "../vote.js";

/**
 * A submitted decision modal. The answer to Slack *is* the feedback here: an inline error on the
 * field, an updated modal saying why not, or an empty ack that closes the modal (the channel
 * message then shows the outcome). So the vote runs before the ack, well inside Slack's 3 s.
 */
export async function submitDecision(
  deps: VoteDeps,
  client: WebClient,
  body: unknown,
  verdict: Verdict,
  ack: AckFn<ViewResponseAction>,
): Promise<void> {
  const submission = readSubmission(body);
  if (!submission) {
    await ack({
      response_action: "update",
      view: noticeModal("Not decided", "Greenlight could not read this form. Nothing was recorded."),
    });
    return;
  }
  const comment = submission.comment?.trim();
  if (verdict === "reject" && !comment) {
    await ack({
      response_action: "errors",
      errors: { [INPUT.reason]: "Please say why you are rejecting this deploy." },
    });
    return;
  }

  const { confirmation } = submission;
  const outcome = await vote(deps, client, {
    approvalId: submission.context.approvalId,
    user: submission.user,
    verdict,
    ...(comment ? { comment } : {}),
    ...(confirmation ? { confirmation } : {}),
  });
  if (outcome.ok) {
    await ack(
      outcome.text ? { response_action: "update", view: noticeModal("Recorded", outcome.text) } : undefined,
    );
    return;
  }
  const { refusal } = outcome;
  if (refusal.field) {
    await ack({ response_action: "errors", errors: { [INPUT.confirmation]: refusal.text } });
    return;
  }
  await ack({ response_action: "update", view: noticeModal("Not decided", refusal.text) });
}
