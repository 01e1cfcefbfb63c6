import type { Approval } from "../../core/approval.js";
import type { DecideResult } from "../../core/decide.js";
import { AlreadyDecided, ClosedElsewhere, Expired, NotAllowed, NotFound } from "../../core/errors.js";
import { approversText } from "./message.js";
import { listOf, slackTime, who } from "./mrkdwn.js";

/** What to tell the person after their vote counted; undefined when the message update says it all. */
export function resultText(result: DecideResult): string | undefined {
  switch (result.outcome) {
    case "vote-recorded": {
      const missing = result.quorum - result.approvals;
      return `Your approval counts: ${result.approvals} of ${result.quorum}. Waiting for ${missing} more.`;
    }
    case "already-voted":
      return "You already voted on this deploy; your earlier answer stands.";
    case "delivery-pending":
      return "Your decision is recorded and reaches CodePipeline in a moment.";
    case "approved":
    case "rejected":
      return undefined;
  }
}

export interface Refusal {
  text: string;
  /** The modal input the refusal is about, when there is one. */
  field?: "confirmation";
}

const CLOSED = {
  console: "This approval was answered in the AWS console.",
  "already-completed": "This approval was answered in the AWS console.",
  superseded: "A newer run replaced this approval: decide on the newer message.",
  "invalid-token": "A newer run replaced this approval, or it timed out in CodePipeline.",
  "pipeline-not-found": "The pipeline no longer exists, so there is nothing to decide.",
} as const;

/** Why a decision did not happen, in words for the person who tried. Nothing was written. */
export function refusalText(error: unknown, approval?: Approval): Refusal {
  if (error instanceof NotAllowed) {
    switch (error.reason) {
      case "not-an-approver":
        return {
          text: approval
            ? `Only ${approversText(approval, 2500)} can decide on this deploy. Nothing was recorded.`
            : "You are not an approver for this deploy. Nothing was recorded.",
        };
      case "self-approval":
        return { text: "You can't approve a deploy of your own change. You can still reject it." };
      case "confirmation-required":
        return { text: `${error.message}.`, field: "confirmation" };
      case "invalid-link":
        return { text: "This request is not valid. Nothing was recorded." };
    }
  }
  if (error instanceof AlreadyDecided) {
    const d = error.decision;
    const voters = d.verdict === "approve" && d.approvals.length > 0 ? d.approvals : [d.by];
    const verb = d.verdict === "approve" ? "approved" : "rejected";
    return {
      text: `Already ${verb} by ${listOf(
        voters.map((v) => who(v.actor)),
        "and",
        2000,
      )} at ${slackTime(d.at, "time")}.`,
    };
  }
  if (error instanceof Expired) {
    return {
      text: `This approval expired at ${slackTime(error.expiresAt, "full")}; the release did not go ahead.`,
    };
  }
  if (error instanceof ClosedElsewhere) return { text: CLOSED[error.reason] };
  if (error instanceof NotFound)
    return { text: "This approval is no longer in Greenlight. Nothing was recorded." };
  return { text: "Something went wrong and nothing was decided. Please try again in a minute." };
}
