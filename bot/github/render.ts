import { createHash } from "node:crypto";
import type { Approval } from "../../core/approval.js";
import { confirmationPhrase } from "../../core/authorize.js";
import { firstLine, RELEASE_PULLS_SHOWN, releaseView, shortSha } from "../shared/describe.js";
import { approveSyntax } from "./commands.js";
import {
  approversLine,
  CHECK_NAME,
  code,
  deploymentLine,
  escapeText,
  markerFor,
  stateLine,
  who,
} from "./markdown.js";

/** The check run as GitHub's create/update endpoints take it. */
export interface CheckRunView {
  name: string;
  external_id: string;
  details_url?: string;
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure" | "timed_out" | "cancelled" | "neutral";
  completed_at?: string;
  output: { title: string; summary: string };
  actions: { label: string; description: string; identifier: "approve" | "reject" }[];
}

const DEPLOYMENT_TITLE = {
  deploying: "deploying to production",
  succeeded: "deployed to production",
  failed: "production deploy failed",
} as const;

const approvalsOf = (a: Approval) => Object.values(a.votes).filter((v) => v.verdict === "approve");

function facts(approval: Approval): string[] {
  const { request, context } = approval;
  const rows: [string, string][] = [
    ["Pipeline", `${code(request.pipeline)} · stage ${code(request.stage)} · action ${code(request.action)}`],
  ];
  const commit = context.commit;
  if (commit) {
    const sha = commit.url ? `[${code(shortSha(commit.sha))}](${commit.url})` : code(shortSha(commit.sha));
    rows.push([
      "Commit",
      `${sha} ${commit.message ? escapeText(firstLine(commit.message), 120) : ""}`.trim(),
    ]);
  }
  if (request.externalLink) {
    // CodePipeline does not require ExternalEntityLink to be a URL: anything but http(s) is text.
    const linkable = !request.externalLinkIsText && /^https?:\/\//i.test(request.externalLink);
    rows.push([
      "Staging",
      linkable ? `<${request.externalLink.replace(/[<>\s]/g, "")}>` : escapeText(request.externalLink, 300),
    ]);
  }
  rows.push(["Who can approve", approversLine(approval)]);
  const votes = approvalsOf(approval);
  const names = votes.map((v) => who(v.actor));
  rows.push([
    "Approvals",
    `${votes.length} of ${approval.rule.quorum}${names.length ? `: ${names.join(", ")}` : ""}`,
  ]);
  return ["| | |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`)];
}

/**
 * What the approval lets through: every pull request since production's commit (GitHub turns
 * `#N` into links; authors are shown as code, so listing them pings nobody).
 */
function releaseLines(approval: Approval): string[] {
  const release = releaseView(approval.context.release, RELEASE_PULLS_SHOWN);
  const problem = approval.context.authorsProblem;
  const lines: string[] = [];
  if (release) {
    lines.push("", `**This release**: ${escapeText(release.summary, 200)}`);
    if (release.note) lines.push("", `<sub>${escapeText(release.note, 200)}</sub>`);
    for (const p of release.pulls)
      lines.push(`- #${p.number} ${escapeText(p.title, 100)}${p.author ? ` by ${code(p.author)}` : ""}`);
    if (release.more > 0) lines.push(`- and ${release.more} more`);
  }
  if (problem && !approval.rule.selfApproval)
    lines.push(
      "",
      `> Greenlight could not read who wrote this change (${escapeText(problem, 200)}): approving is refused, rejecting works.`,
    );
  return lines;
}

/**
 * How to act, in words. A high-risk rule wants the commit's first characters typed to approve
 * (docs/security.md#3-typed-confirmation-on-high-risk-rules, docs/security.md#31-no-implicit-decision): a check-run button cannot carry them, so the only way to approve on GitHub
 * is the comment, and the check run offers Reject alone.
 */
function howToAct(approval: Approval, where: "comment" | "check-run"): string {
  const phrase = confirmationPhrase(approval);
  if (!phrase) {
    return `Comment \`/approve [comment]\` or \`/reject <reason>\` on this pull request, or use the buttons on the **${CHECK_NAME}** check.`;
  }
  const approve = `\`${approveSyntax(approval, phrase)}\``;
  return where === "comment"
    ? `This deploy is high-risk: to approve it, comment ${approve} on this pull request. To stop it, comment \`/reject <reason>\` or press Reject on the **${CHECK_NAME}** check.`
    : `This deploy is high-risk: to approve it, comment ${approve} on the pull request (a button cannot carry the typed confirmation). Reject works here.`;
}

type CheckRunAction = CheckRunView["actions"][number];
const APPROVE_ACTION: CheckRunAction = {
  label: "Approve",
  description: "Let this deploy go to production",
  identifier: "approve",
};
const REJECT_ACTION: CheckRunAction = {
  label: "Reject",
  description: "Stop this deploy",
  identifier: "reject",
};

/** Only buttons that can work: no Approve where approving needs a typed confirmation. */
function actionsOf(approval: Approval): CheckRunAction[] {
  if (approval.state !== "pending") return [];
  return confirmationPhrase(approval) ? [REJECT_ACTION] : [APPROVE_ACTION, REJECT_ACTION];
}

/** The one status comment on each pull request; pure, so an unchanged approval renders the same text. */
export function renderComment(approval: Approval): string {
  const { headline, detail } = stateLine(approval);
  const deployment = deploymentLine(approval.deployment);
  const open = approval.state === "pending";
  return [
    markerFor(approval.id),
    `### ${headline}: production deploy of ${code(approval.request.pipeline)}`,
    "",
    detail,
    ...(deployment ? ["", deployment] : []),
    "",
    ...facts(approval),
    ...releaseLines(approval),
    ...(open
      ? [
          "",
          howToAct(approval, "comment"),
          approval.rule.selfApproval
            ? ""
            : "<sub>Authors of this change can reject it but not approve it.</sub>",
        ]
      : []),
  ]
    .join("\n")
    .trimEnd();
}

function conclusionOf(approval: Approval): CheckRunView["conclusion"] {
  switch (approval.state) {
    case "approved":
      return "success";
    case "rejected":
      return "failure";
    case "expired":
      return "timed_out";
    case "closed-elsewhere":
      return approval.closedReason === "console" || approval.closedReason === "already-completed"
        ? "neutral"
        : "cancelled";
    default:
      return undefined;
  }
}

/** The check run on the commit: in progress with Approve / Reject while pending, completed after. */
export function renderCheckRun(approval: Approval): CheckRunView {
  const { headline, detail } = stateLine(approval);
  const conclusion = conclusionOf(approval);
  const deployment = deploymentLine(approval.deployment);
  const progress = `${approvalsOf(approval).length} of ${approval.rule.quorum} approvals`;
  const title = approval.state === "pending" ? `${headline} (${progress})` : headline;
  const ended = approval.decision?.deliveredAt ?? approval.updatedAt;
  return {
    name: CHECK_NAME,
    external_id: approval.id,
    ...(approval.request.consoleLink ? { details_url: approval.request.consoleLink } : {}),
    status: conclusion ? "completed" : "in_progress",
    ...(conclusion ? { conclusion, completed_at: ended } : {}),
    output: {
      title: approval.deployment ? `${title} · ${DEPLOYMENT_TITLE[approval.deployment.state]}` : title,
      summary: [
        detail,
        ...(deployment ? ["", deployment] : []),
        "",
        ...facts(approval),
        ...releaseLines(approval),
        ...(approval.state === "pending" && confirmationPhrase(approval)
          ? ["", howToAct(approval, "check-run")]
          : []),
      ].join("\n"),
    },
    actions: actionsOf(approval),
  };
}

/** A short fingerprint of what a view would write. */
export const fingerprint = (view: unknown) =>
  createHash("sha256").update(JSON.stringify(view)).digest("base64url").slice(0, 16);
