import type { Approval, Deployment, Vote } from "../../core/approval.js";
import { escapeCut, link, listOf, oneLine, slackTime, who } from "./mrkdwn.js";

const COMMENT_LIMIT = 300;

function comment(vote: Vote): string {
  return vote.comment ? `: ${escapeCut(oneLine(vote.comment, COMMENT_LIMIT), 2 * COMMENT_LIMIT)}` : "";
}

/** Room for the names in one line (a text object holds 3000; the comment and words need the rest). */
const NAMES_LIMIT = 2000;

/** Everyone whose approval counted, or the one who rejected; a long list ends "and N more". */
function deciders(approval: Approval): string {
  const d = approval.decision;
  if (!d) return "";
  const votes = d.verdict === "approve" && d.approvals.length > 0 ? d.approvals : [d.by];
  return listOf(
    votes.map((v) => who(v.actor)),
    "and",
    NAMES_LIMIT,
  );
}

const CLOSED: Record<string, string> = {
  console: ":information_source: *Answered in the AWS console*: Greenlight did not decide this one.",
  "already-completed":
    ":information_source: *Answered in the AWS console*: Greenlight did not decide this one.",
  superseded: ":information_source: *Replaced by a newer run*: decide on the newer message instead.",
  "invalid-token": ":information_source: *Replaced by a newer run, or timed out* in CodePipeline.",
  "pipeline-not-found": ":information_source: *The pipeline no longer exists*: nothing to decide.",
};

/** How the approval ended (or is ending), in place of the buttons; undefined while it is open. */
export function outcomeLine(approval: Approval): string | undefined {
  const d = approval.decision;
  switch (approval.state) {
    case "pending":
      return undefined;
    case "deciding": {
      const verb = d?.verdict === "reject" ? "Rejected" : "Approved";
      return `:hourglass_flowing_sand: *${verb} by ${deciders(approval)}*${d ? comment(d.by) : ""}. Sending it to CodePipeline…`;
    }
    case "approved":
    case "rejected": {
      if (!d) return undefined;
      const at = slackTime(d.deliveredAt ?? d.at, "time");
      const [icon, verb] =
        d.verdict === "approve" ? [":white_check_mark:", "Approved"] : [":no_entry:", "Rejected"];
      return `${icon} *${verb} by ${deciders(approval)} at ${at}*${comment(d.by)}`;
    }
    case "expired":
      return `:hourglass: *Expired* at ${slackTime(approval.request.expiresAt, "full")}: nobody decided in time, so the release did not go ahead.`;
    case "closed-elsewhere":
      return CLOSED[approval.closedReason ?? "console"] ?? CLOSED.console;
  }
}

/** "1 of 2 approvals so far: @maria", while more approvals are needed. */
export function progressLine(approval: Approval): string | undefined {
  const approvals = Object.values(approval.votes).filter((v) => v.verdict === "approve");
  if (approval.state !== "pending" || approval.rule.quorum <= 1) return undefined;
  const names = listOf(
    approvals.map((v) => who(v.actor)),
    "and",
    NAMES_LIMIT,
  );
  const needed = `*${approvals.length} of ${approval.rule.quorum}* approvals`;
  return names ? `${needed} so far: ${names}` : `Needs ${approval.rule.quorum} approvals`;
}

/** The production deploy after the approval, for the message's footer. */
export function deploymentLine(deployment: Deployment): string {
  const run = deployment.url ? ` ${link(deployment.url, "View the run")}` : "";
  const at = slackTime(deployment.at, "time");
  switch (deployment.state) {
    case "deploying":
      return `:rocket: Deploying to production since ${at}…${run}`;
    case "succeeded":
      return `:white_check_mark: Deployed to production at ${at}.${run}`;
    case "failed":
      return `:x: The production deploy failed at ${at}.${run}`;
  }
}

/** The thread reply once the deploy has an outcome: the people who approved want to know. */
export function deploymentReply(approval: Approval, deployment: Deployment): string {
  const people = approval.decision ? ` ${deciders(approval)}` : "";
  return deployment.state === "succeeded"
    ? `${deploymentLine(deployment)}${people ? ` Thanks,${people}.` : ""}`
    : `${deploymentLine(deployment)} The release is not live; check the run for what broke.`;
}
