import type { Actor, Approval, Deployment } from "../../core/approval.js";
import { truncate } from "../../core/summary.js";
import { neutralLine } from "../../core/untrusted.js";
import { formatTime, formatUtc } from "../shared/describe.js";

/** The hidden line that finds an approval's status comment again (and the approval from it). */
export const markerFor = (approvalId: string) => `<!-- greenlight:approval=${approvalId} -->`;
export const MARKER = /<!-- greenlight:approval=([A-Za-z0-9_-]{22}) -->/g;

export const CHECK_NAME = "Greenlight · production approval";

/**
 * A URL or host in untrusted text. GFM's autolinks extension links `http://`, `https://` and
 * `www.` followed by a valid domain, and also `mailto:`/`xmpp:` and bare e-mail addresses
 * (https://github.github.com/gfm/#autolinks-extension-). Backslash escapes are not enough on
 * github.com: it autolinks a second time on the parsed text, where "character references and
 * escapes are handled differently" (micromark-extension-gfm-autolink-literal's README). Code
 * spans are never autolinked, and show the URL as typed, copyable but not clickable.
 */
const URLISH = /((?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:|xmpp:)[^\s`]*)/i;

/**
 * Text from outside (commit messages, comments, pipeline names) as inert Markdown on one line,
 * neutral first (no bidi or invisible characters, see core/untrusted.ts):
 * - no links: URL-like words become code spans (readable, copyable, not clickable);
 * - no HTML (so no fake marker) and no Markdown syntax: punctuation is backslash-escaped;
 * - no entities: `&` is `&amp;`, so `&#64;everyone` shows as typed instead of becoming `@everyone`;
 * - no mentions, team pings or e-mail autolinks: `@` becomes the fullwidth `＠` (U+FF20). A visible
 *   character rather than the zero-width space we used before, which neutralising removes and a
 *   copy-paste would carry invisibly.
 */
export function escapeText(text: string, max = 200): string {
  const cut = truncate(neutralLine(text), max);
  return cut
    .split(URLISH)
    .map((part, i) => (i % 2 === 1 ? code(part) : escapeInline(part)))
    .join("");
}

function escapeInline(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`)
    .replace(/@/g, "＠");
}

/** `code` that cannot break out of its backticks, on one line and neutral. */
export const code = (text: string) => `\`${neutralLine(text).replace(/`/g, "'")}\``;

/** GitHub people by @login (they acted, a mention is fine); others by name, never by e-mail address. */
export function who(actor: Actor): string {
  if (actor.channel === "github") return `@${actor.id}`;
  const where = actor.channel === "email" ? "e-mail" : "Slack";
  return `${escapeText(actor.name ?? actor.id.split("@")[0] ?? actor.id, 60)} (via ${where})`;
}

/** Who may approve here, without pinging anyone: logins and teams as code. */
export function approversLine(approval: Approval): string {
  const rule = approval.rule;
  const parts: string[] = [];
  const gh = rule.github?.approvers;
  if (gh?.logins.length) parts.push(gh.logins.map((l) => code(`@${l}`)).join(", "));
  if (gh?.team) parts.push(`members of ${code(`@${gh.team}`)}`);
  if (gh?.minPermission) parts.push(`anyone with ${code(gh.minPermission)} access or more`);
  const elsewhere = [rule.email ? "e-mail" : "", rule.slack ? "Slack" : ""].filter(Boolean);
  const here = parts.length > 0 ? parts.join(", ") : "nobody on GitHub";
  return elsewhere.length > 0 ? `${here}; also by ${elsewhere.join(" and ")}` : here;
}

/** One line on what happened in production after the approval, or undefined. */
export function deploymentLine(deployment: Deployment | undefined): string | undefined {
  if (!deployment) return undefined;
  const link = (text: string) => (deployment.url ? `[${text}](${deployment.url})` : text);
  const at = formatTime(deployment.at);
  if (deployment.state === "deploying") return `🚀 ${link("Deploying to production")} (since ${at})`;
  if (deployment.state === "succeeded") return `🚀 ${link("Deployed to production")} at ${at}`;
  return `💥 ${link("Production deploy failed")} at ${at}`;
}

/** Headline (emoji + words) and a one-line explanation of the approval's state. */
export function stateLine(approval: Approval): { headline: string; detail: string } {
  const d = approval.decision;
  const voters = (d?.verdict === "approve" && d.approvals.length > 0 ? d.approvals : d ? [d.by] : []).map(
    (v) => who(v.actor),
  );
  const why = d?.by.comment ? `: ${escapeText(d.by.comment, 300)}` : "";
  switch (approval.state) {
    case "pending":
      return {
        headline: "⏳ Waiting for approval",
        detail: `Expires ${formatUtc(approval.request.expiresAt)}.`,
      };
    case "deciding":
      return {
        headline: d?.verdict === "reject" ? "⛔ Rejecting" : "✅ Approving",
        detail: `${d?.verdict === "reject" ? "Rejected" : "Approved"} by ${voters.join(", ")}${why}; sending it to CodePipeline.`,
      };
    case "approved":
      return {
        headline: "✅ Approved",
        detail: `Approved by ${voters.join(", ")} at ${formatTime(d?.at ?? "")}${why}.`,
      };
    case "rejected":
      return {
        headline: "⛔ Rejected",
        detail: `Rejected by ${voters.join(", ")} at ${formatTime(d?.at ?? "")}${why}.`,
      };
    case "expired":
      return { headline: "⌛ Expired", detail: "Nobody decided in time; the release did not go ahead." };
    case "closed-elsewhere":
      return { headline: "⏹️ Closed elsewhere", detail: closedDetail(approval.closedReason) };
  }
}

function closedDetail(reason: Approval["closedReason"]): string {
  switch (reason) {
    case "superseded":
      return "A newer run reached this approval; see the newer status.";
    case "invalid-token":
      return "CodePipeline no longer accepts this approval (a newer run replaced it, or it timed out).";
    case "pipeline-not-found":
      return "The pipeline, stage or action no longer exists.";
    default:
      return "Someone answered it in the AWS console.";
  }
}
