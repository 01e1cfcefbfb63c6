import type { Approval } from "../../core/approval.js";
import { truncate } from "../../core/summary.js";
import { neutral, neutralLine } from "../../core/untrusted.js";
import { type ApprovalView, viewOf } from "../shared/describe.js";
import { html, type SafeHtml, safeHref } from "./html.js";
import { releaseHtml } from "./pages.js";

/** Long enough for pipeline, stage and a commit's first line; mail clients cut far sooner. */
export const SUBJECT_LIMIT = 200;

export interface EmailMessage {
  subject: string;
  html: string;
  text: string;
}

// Mail clients ignore <style> blocks and external CSS unevenly: tables and inline styles only.
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
// Long values (a staging URL, a commit message) wrap, so the message reads on a 320 px screen.
const CELL = `${FONT}font-size:15px;line-height:22px;color:#1f2328;overflow-wrap:anywhere;word-break:break-word;`;
const LABEL = `${FONT}font-size:13px;line-height:20px;color:#57606a;padding:6px 12px 6px 0;vertical-align:top;white-space:nowrap;`;

function row(label: string, value: SafeHtml | string | undefined): SafeHtml | undefined {
  if (value === undefined || value === "") return undefined;
  return html`<tr><td style="${LABEL}">${label}</td><td style="${CELL}padding:6px 0;">${value}</td></tr>`;
}

function link(url: string | undefined, text: string): SafeHtml | string {
  const href = safeHref(url);
  return href ? html`<a href="${href}" style="color:#0969da;">${text}</a>` : text;
}

function detailRows(v: ApprovalView): (SafeHtml | undefined)[] {
  return [
    row("Pipeline", `${v.pipeline} · ${v.stage}`),
    row(
      "Commit",
      v.commit ? html`${link(v.commit.url, v.commit.short)} ${v.commit.message ?? ""}` : undefined,
    ),
    row(
      "Pull request",
      v.pullRequest
        ? html`${link(v.pullRequest.url, `#${v.pullRequest.number}`)}${v.pullRequest.author ? ` by @${v.pullRequest.author}` : ""}`
        : undefined,
    ),
    row("Release", v.release ? releaseHtml(v.release, link) : undefined),
    row("Staging", v.stagingUrl ? link(v.stagingUrl, v.stagingUrl) : undefined),
    row("Notes", v.customData),
    row("Expires", `${v.expiresUtc} (${v.expiresIn})`),
    row("Approvals", v.quorum > 1 ? `${v.approvals} of ${v.quorum} needed` : undefined),
  ];
}

/** The approval request e-mail for one recipient: their own link, HTML and plain text. */
export function approvalEmail(approval: Approval, link: string, now: Date, reminder = 0): EmailMessage {
  const v = viewOf(approval, now);
  const what = `${v.pipeline} → ${v.stage}${v.commit?.message ? ` (${v.commit.message})` : ""}`;
  // A header: one line whatever the commit message holds (CR/LF here would start a new header).
  const subject = truncate(
    neutralLine(reminder > 0 ? `Reminder: approval still needed: ${what}` : `Approval needed: ${what}`),
    SUBJECT_LIMIT,
  );
  const lead =
    reminder > 0
      ? `Still waiting for your decision: this approval expires ${v.expiresIn}.`
      : "A change is on staging and waits for your decision before it goes to production.";
  // Each recipient keeps two live links (see channel.ts): say which ones.
  const replaces =
    reminder > 0
      ? " This link replaces the one in earlier reminders; the first e-mail's link still works."
      : "";
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light only"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f6f8fa;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f6f8fa;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;">
<tr><td style="${CELL}padding:24px 24px 8px;"><p style="margin:0;font-size:13px;color:#57606a;">Greenlight</p>
<h1 style="margin:4px 0 0;font-size:20px;line-height:28px;">${v.title}</h1>
<p style="margin:8px 0 0;">${lead}</p></td></tr>
<tr><td style="padding:8px 24px;"><table role="presentation" cellpadding="0" cellspacing="0" border="0">${detailRows(v)}</table></td></tr>
<tr><td align="left" style="padding:16px 24px 24px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td style="border-radius:6px;background:#1f883d;">
<a href="${link}" style="${FONT}display:inline-block;padding:12px 20px;font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">Review and decide</a>
</td></tr></table>
<p style="${FONT}margin:16px 0 0;font-size:13px;line-height:20px;color:#57606a;">Opening the link changes nothing: you approve or reject on the page. The link is yours alone; do not forward it.${replaces}</p>
</td></tr></table></td></tr></table></body></html>`;

  const lines = [
    v.title,
    "",
    lead,
    "",
    `Pipeline: ${v.pipeline} · ${v.stage}`,
    v.commit ? `Commit: ${v.commit.short} ${v.commit.message ?? ""}`.trimEnd() : undefined,
    v.pullRequest ? `Pull request: ${v.pullRequest.url ?? `#${v.pullRequest.number}`}` : undefined,
    ...(v.release
      ? [
          `Release: ${v.release.summary}`,
          ...(v.release.note ? [`  ${v.release.note}`] : []),
          ...v.release.pulls.map((p) => `  #${p.number} ${p.title}${p.author ? ` (@${p.author})` : ""}`),
          ...(v.release.more > 0 ? [`  and ${v.release.more} more`] : []),
        ]
      : []),
    v.stagingUrl ? `Staging: ${v.stagingUrl}` : undefined,
    v.customData ? `Notes: ${v.customData}` : undefined,
    `Expires: ${v.expiresUtc} (${v.expiresIn})`,
    v.quorum > 1 ? `Approvals: ${v.approvals} of ${v.quorum} needed` : undefined,
    "",
    `Review and decide: ${link}`,
    "",
    `Opening the link changes nothing: you approve or reject on the page. The link is yours alone.${replaces}`,
  ];
  const text = lines.filter((l) => l !== undefined).join("\n");
  return { subject, html: body.value, text: neutral(text) };
}
