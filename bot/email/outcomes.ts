import type { Approval } from "../../core/approval.js";
import type { DecideResult } from "../../core/decide.js";
import { decisionLine, formatTime } from "../shared/describe.js";
import { outcomePage } from "./pages.js";

/**
 * "This link is not valid": the same page for an unknown id, a wrong token, no token and an older
 * reminder's link (each recipient keeps the first e-mail's link and the latest reminder's only).
 */
export const NOT_VALID = () =>
  outcomePage(
    "This link is not valid",
    "If it came from a reminder, a newer reminder replaced this link: use the latest reminder or the first e-mail. Otherwise ask for a new link, or decide in Slack or GitHub.",
    "stop",
  );

/** What a link shows once the approval can no longer be decided from it. */
export function endedPage(approval: Approval, principal: string | undefined, now: Date): string {
  const d = approval.decision;
  if (d && approval.state !== "expired" && approval.state !== "closed-elsewhere") {
    const byYou = d.by.principal === principal ? " (by you)" : "";
    const when = formatTime(d.deliveredAt ?? d.at);
    const title = d.verdict === "approve" ? `Already approved${byYou}` : `Already rejected${byYou}`;
    return outcomePage(
      title,
      `${decisionLine(d)} at ${when}.`,
      d.verdict === "approve" ? "ok" : "stop",
      approval,
      now,
    );
  }
  if (approval.state === "expired") {
    return outcomePage(
      "This link has expired",
      "The approval window closed; the release did not go ahead.",
      "info",
    );
  }
  if (approval.closedReason === "superseded") {
    return outcomePage(
      "Replaced by a newer run",
      "A newer change reached this approval; look for the newer e-mail.",
      "info",
    );
  }
  const why =
    approval.closedReason === "invalid-token"
      ? "A newer run replaced this one, or it timed out."
      : "Someone answered it in the AWS console.";
  return outcomePage("This approval was closed elsewhere", why, "info", approval, now);
}

export function resultPage(result: DecideResult, now: Date): string {
  const a = result.approval;
  switch (result.outcome) {
    case "approved":
      return outcomePage("Approved", "Production deploy continues. Thank you.", "ok", a, now);
    case "rejected":
      return outcomePage("Rejected", "The release stops here. Your reason was recorded.", "stop", a, now);
    case "vote-recorded":
      return outcomePage(
        "Approval recorded",
        `${result.approvals} of ${result.quorum} approvals so far.`,
        "info",
        a,
        now,
      );
    case "already-voted":
      return outcomePage("You already voted", "Your earlier answer stands; nothing changed.", "info", a, now);
    case "delivery-pending":
      return outcomePage(
        "Decision recorded",
        "It is being sent to the pipeline and will go through shortly.",
        "info",
        a,
        now,
      );
  }
}
