// The approval's audit trail in words a person reads ("Ana Lima approved by e-mail: ship it",
// "Delivered to CodePipeline", "Closed in the AWS console"), for every place that shows it. The
// record keeps the codes (core/state-machine.ts); this is their one wording.
import type { Approval, AuditEvent, Channel, ClosedReason } from "../../core/approval.js";
import { HISTORY_TRIMMED } from "../../core/state-machine.js";
import { describeActor } from "../../core/summary.js";
import { neutralLine } from "../../core/untrusted.js";

const BY: Record<Channel, string> = { email: "by e-mail", slack: "in Slack", github: "on GitHub" };

/** Why an approval closed without our answer; the compiler checks every reason has words. */
export const CLOSED_WORDS: Record<ClosedReason, string> = {
  console: "Closed in the AWS console",
  "already-completed": "Closed: answered in the AWS console first",
  "invalid-token": "Closed: CodePipeline no longer accepts this approval (timed out or stopped)",
  "pipeline-not-found": "Closed: the pipeline or its approval action no longer exists",
  superseded: "Closed: a newer run replaced this one",
};

const DEPLOY_WORDS: Record<string, string> = {
  "deploy-deploying": "Production deploy started",
  "deploy-succeeded": "Production deploy succeeded",
  "deploy-failed": "Production deploy failed",
};

/** The name of whoever cast a vote: the vote's actor as every channel names them, else the principal. */
function voter(approval: Pick<Approval, "votes">, event: AuditEvent): string {
  const vote = event.who ? approval.votes[event.who] : undefined;
  return vote ? describeActor(vote.actor) : (event.who ?? "someone");
}

const withDetail = (text: string, detail?: string) => {
  const d = detail ? neutralLine(detail) : "";
  return d ? `${text}: ${d}` : text;
};

/** One audit event as one line. */
export function auditLine(approval: Pick<Approval, "votes">, event: AuditEvent): string {
  switch (event.event) {
    case "opened":
      return withDetail("Opened", event.detail);
    case "approved-vote":
    case "rejected-vote": {
      const verb = event.event === "approved-vote" ? "approved" : "rejected";
      const how = event.channel ? ` ${BY[event.channel]}` : "";
      return withDetail(`${voter(approval, event)} ${verb}${how}`, event.detail);
    }
    case "delivered-approved":
      return "Delivered to CodePipeline: approved";
    case "delivered-rejected":
      return "Delivered to CodePipeline: rejected";
    case "closed-elsewhere":
      return CLOSED_WORDS[event.detail as ClosedReason] ?? withDetail("Closed elsewhere", event.detail);
    case "expired":
      return "Expired without a decision";
    case "reminder":
      return `Reminder ${event.detail ?? ""} sent`.replace(/\s+/g, " ");
    case "context-incomplete":
      return withDetail("Opened without everything about the change", event.detail);
    case HISTORY_TRIMMED:
      return withDetail("Earlier events left out", event.detail);
    default: {
      const deploy = DEPLOY_WORDS[event.event];
      if (deploy) return withDetail(deploy, event.detail);
      return withDetail(event.event, event.detail);
    }
  }
}

/** The whole trail, oldest first. */
export function auditTrail(approval: Pick<Approval, "votes" | "history">): { at: string; text: string }[] {
  return approval.history.map((event) => ({ at: event.at, text: auditLine(approval, event) }));
}
