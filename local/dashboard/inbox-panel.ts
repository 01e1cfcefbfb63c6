import { Hono } from "hono";
import { html, type SafeHtml, safeHref } from "../../bot/email/html.js";
import type { InboxEmail, LocalSes } from "../ses/server.js";
import { clock, problem } from "./format.js";
import type { DashboardPanel } from "./panel.js";

const LINK = /https?:\/\/[^\s<>"]+/g;

/** The inbox as the JSON API gives it: newest first, with the links found in the plain text. */
export function inboxEntries(emails: InboxEmail[]) {
  return [...emails].reverse().map((e) => ({
    messageId: e.messageId,
    to: e.destination.to,
    subject: e.subject,
    text: e.body.text ?? "",
    links: [...new Set((e.body.text ?? "").match(LINK) ?? [])],
    at: new Date(e.at * 1000).toISOString(),
  }));
}

// The e-mail's own HTML runs in a sandboxed frame with no script; its links open a new tab,
// because the approval page refuses to be framed (X-Frame-Options: DENY). `allow-same-origin`
// (never with `allow-scripts`) lets the dashboard's script read the message's height and size the
// frame to it, so the whole e-mail, its button included, shows without a scroll inside the frame.
const SANDBOX = "allow-same-origin allow-popups allow-popups-to-escape-sandbox";
const EMAIL_CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox ${SANDBOX}`;
const EMAIL_HEAD = '<base target="_blank"><meta name="referrer" content="no-referrer">';

function withNewTabLinks(body: string): string {
  return /<head[^>]*>/i.test(body)
    ? body.replace(/<head[^>]*>/i, (head) => head + EMAIL_HEAD)
    : EMAIL_HEAD + body;
}

function entry(e: ReturnType<typeof inboxEntries>[number]): SafeHtml {
  const src = `/local/inbox/${encodeURIComponent(e.messageId)}/html`;
  return html`<div class="card" data-email="${e.messageId}">
<header><strong>${e.subject}</strong><span class="muted">to ${e.to.join(", ")} · ${clock(e.at)}</span></header>
<iframe src="${src}" title="E-mail to ${e.to.join(", ")}: ${e.subject}" sandbox="${SANDBOX}" data-fit></iframe>
<p class="hint">Links: ${e.links.map((l) => {
    const href = safeHref(l);
    return href
      ? html`<a href="${href}" target="_blank" rel="noreferrer noopener">${l.length > 70 ? `${l.slice(0, 70)}…` : l}</a> `
      : "";
  })}</p></div>`;
}

/** Every e-mail the SES emulator received, rendered as a mail client would; `/local/inbox` is the JSON. */
export function inboxPanel(deps: { ses: LocalSes }): DashboardPanel {
  const routes = new Hono();
  routes.get("/", async (c) => c.json({ emails: inboxEntries(await deps.ses.emails()) }));
  routes.get("/:messageId/html", async (c) => {
    const email = (await deps.ses.emails()).find((e) => e.messageId === c.req.param("messageId"));
    if (!email) return c.json(problem("no such e-mail"), 404);
    const body = email.body.html ?? html`<pre>${email.body.text ?? ""}</pre>`.value;
    c.header("Content-Security-Policy", EMAIL_CSP);
    c.header("X-Frame-Options", "SAMEORIGIN");
    c.header("Cache-Control", "no-store");
    return c.html(withNewTabLinks(body));
  });

  return {
    id: "inbox",
    title: "Inbox (SES emulator)",
    column: "side",
    routes,
    async render() {
      const emails = inboxEntries(await deps.ses.emails()).slice(0, 10);
      if (emails.length === 0) return html`<p class="muted">No e-mail yet.</p>`;
      return html`${emails.map(entry)}`;
    },
  };
}
