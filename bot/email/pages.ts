import { createHash } from "node:crypto";
import type { Approval } from "../../core/approval.js";
import { type ApprovalView, type ReleaseView, viewOf } from "../shared/describe.js";
import { html, SafeHtml, safeHref } from "./html.js";

// One stylesheet, allowed by its hash in the CSP: no external assets, no inline script anywhere.
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:36rem;margin:0 auto;padding:1rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:1.25rem}
h1{font-size:1.35rem;line-height:1.3;margin:.25rem 0 .75rem}
.brand{color:#57606a;font-size:.85rem;margin:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem .9rem;margin:1rem 0}
dt{color:#57606a}dd{margin:0;overflow-wrap:anywhere}
a{color:#0969da}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
textarea,input[type=text]{width:100%;font:inherit;padding:.6rem;border:1px solid #8c959f;border-radius:.375rem}
textarea{min-height:5.5rem}
.hint{color:#57606a;font-size:.9rem;margin:.25rem 0 0}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.25rem}
button{flex:1 1 10rem;min-height:3rem;font:inherit;font-weight:600;border-radius:.375rem;border:1px solid transparent;cursor:pointer}
.approve{background:#1f883d;color:#fff}.reject{background:#fff;color:#cf222e;border-color:#cf222e}
button:focus-visible,a:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.error{background:#ffebe9;border:1px solid #ff8182;border-radius:.375rem;padding:.6rem .8rem;margin:.5rem 0}
.notice{background:#fff8c5;border:1px solid #d4a72c;border-radius:.375rem;padding:.6rem .8rem;margin:1rem 0 0}
.outcome{font-size:1.1rem}
.ok{border-left:.35rem solid #1f883d}.stop{border-left:.35rem solid #cf222e}.info{border-left:.35rem solid #8c959f}
@media (max-width:360px){main{padding:.5rem}.card{padding:1rem}dl{grid-template-columns:1fr;gap:0}dd{margin-bottom:.5rem}}
`;

export const PAGE_STYLE_HASH = `sha256-${createHash("sha256").update(STYLE).digest("base64")}`;

const STYLE_TAG = new SafeHtml(`<style>${STYLE}</style>`);

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${title} · Greenlight</title>${STYLE_TAG}</head>
<body><main>${body}</main></body></html>`.value;
}

/** What the release holds: its size, then its pull requests (each by its author). */
export function releaseHtml(
  release: ReleaseView,
  link: (url: string | undefined, text: string) => SafeHtml | string,
): SafeHtml {
  const items = release.pulls.map(
    (p) => html`<li>${link(p.url, `#${p.number}`)} ${p.title}${p.author ? ` (@${p.author})` : ""}</li>`,
  );
  return html`${release.summary}${release.note ? html`<br>${release.note}` : ""}${
    items.length > 0
      ? html`<ul>${items}${release.more > 0 ? html`<li>and ${release.more} more</li>` : ""}</ul>`
      : ""
  }`;
}

function details(v: ApprovalView): SafeHtml {
  const link = (url: string | undefined, text: string) => {
    const href = safeHref(url);
    return href ? html`<a href="${href}" rel="noreferrer noopener">${text}</a>` : text;
  };
  return html`<dl>
<dt>Pipeline</dt><dd>${v.pipeline} · ${v.stage}</dd>
${v.commit ? html`<dt>Commit</dt><dd>${link(v.commit.url, v.commit.short)} ${v.commit.message ?? ""}</dd>` : ""}
${v.pullRequest ? html`<dt>Pull request</dt><dd>${link(v.pullRequest.url, `#${v.pullRequest.number}`)}${v.pullRequest.author ? ` by @${v.pullRequest.author}` : ""}</dd>` : ""}
${v.release ? html`<dt>Release</dt><dd>${releaseHtml(v.release, link)}</dd>` : ""}
${v.stagingUrl ? html`<dt>Staging</dt><dd>${link(v.stagingUrl, v.stagingUrl)}</dd>` : ""}
${v.customData ? html`<dt>Notes</dt><dd>${v.customData}</dd>` : ""}
<dt>Expires</dt><dd>${v.expiresUtc} (${v.expiresIn})</dd>
${v.quorum > 1 ? html`<dt>Approvals</dt><dd>${v.approvals} of ${v.quorum} needed</dd>` : ""}
</dl>`;
}

export interface FormState {
  comment?: string;
  error?: string;
  /** The field the error is about: it is shown next to that field, which gets the focus. */
  errorField?: "comment" | "confirmation";
  /** Who the link decides as: "Ana Lima (ana@acme.io)". */
  decidingAs?: string;
  /** Why this person cannot approve (an author under `selfApproval: false` …): no Approve button then. */
  cannotApprove?: string;
  /** Characters to type to approve under a high-risk rule (rejecting needs none: docs/security.md#31-no-implicit-decision). */
  confirmLength?: number;
}

/**
 * Pressing Enter in a single-line field submits a form implicitly, by a click on its *default
 * button*: "the first submit button in tree order whose form owner is that form element" (HTML,
 * § 4.10.21.2 Implicit submission). Approve used to be that button, so a comment, the typed
 * characters and Enter approved. This one comes first, is hidden (out of view, of the tab order
 * and of the accessibility tree) and carries no verdict: the server answers "choose Approve or
 * Reject" (docs/security.md#31-no-implicit-decision). `formnovalidate`, so even an incomplete form gets that answer.
 */
const NO_VERDICT_DEFAULT = new SafeHtml(
  '<button type="submit" hidden tabindex="-1" formnovalidate></button>',
);

/** GET: what is waiting, and the form. Rendering it changes nothing. */
export function confirmationPage(
  approval: Approval,
  token: string,
  now: Date,
  state: FormState = {},
): string {
  const v = viewOf(approval, now);
  const at = (field: FormState["errorField"]) =>
    state.error && state.errorField === field ? state.error : undefined;
  const general = state.error && !state.errorField ? state.error : undefined;
  // An error about a field sits next to it; the field says so (aria) and has the focus.
  const fieldError = (field: "comment" | "confirmation") =>
    at(field) ? html`<p class="error" id="${field}-error" role="alert">${at(field)}</p>` : "";
  const fieldAttrs = (field: "comment" | "confirmation") =>
    at(field) ? html` aria-describedby="${field}-error" aria-invalid="true" autofocus` : "";
  const approve = state.cannotApprove
    ? ""
    : html`<button class="approve" type="submit" name="verdict" value="approve">Approve</button>`;
  return page(
    v.title,
    html`<div class="card">
<p class="brand">Greenlight</p>
<h1>${v.title}</h1>
<p>This change is on staging and waits for a decision before it goes to production.</p>
${details(v)}
${state.decidingAs ? html`<p class="hint" id="deciding-as">You are deciding as <strong>${state.decidingAs}</strong>.</p>` : ""}
${state.cannotApprove ? html`<p class="notice" id="cannot-approve" role="note">${state.cannotApprove}</p>` : ""}
<form method="post" action="/a/${approval.id}">
<input type="hidden" name="t" value="${token}">
${NO_VERDICT_DEFAULT}
${general ? html`<p class="error" id="form-error" role="alert">${general}</p>` : ""}
<label for="comment">Comment <span class="hint">(${state.cannotApprove ? "required to reject" : "optional to approve, required to reject"})</span></label>
${fieldError("comment")}
<textarea id="comment" name="comment" maxlength="1000"${fieldAttrs("comment")}>${state.comment ?? ""}</textarea>
${
  state.confirmLength && !state.cannotApprove
    ? html`<label for="confirmation">To approve, type the first ${state.confirmLength} characters of the commit${v.commit ? "" : " (the pipeline name)"} <span class="hint">(not needed to reject)</span></label>
${fieldError("confirmation")}
<input type="text" id="confirmation" name="confirmation" autocomplete="off" autocapitalize="off" spellcheck="false"${fieldAttrs("confirmation")}>`
    : ""
}
<div class="actions">
${approve}
<button class="reject" type="submit" name="verdict" value="reject">Reject</button>
</div>
</form></div>`,
  );
}

export type Tone = "ok" | "stop" | "info";

/** After a POST, or for a link that can no longer decide. */
export function outcomePage(
  title: string,
  message: string,
  tone: Tone,
  approval?: Approval,
  now?: Date,
): string {
  return page(
    title,
    html`<div class="card ${tone}" role="status">
<p class="brand">Greenlight</p>
<h1>${title}</h1>
<p class="outcome">${message}</p>
${approval && now ? details(viewOf(approval, now)) : ""}
</div>`,
  );
}
