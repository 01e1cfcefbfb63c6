import { Hono } from "hono";
import { html, type SafeHtml } from "../../bot/email/html.js";
import { auditTrail, CLOSED_WORDS } from "../../bot/shared/audit-trail.js";
import { decisionLine, relativeTime } from "../../bot/shared/describe.js";
import type { Approval } from "../../core/approval.js";
import type { Clock } from "../../core/ports.js";
import { badge, clock, shortId } from "./format.js";
import type { DashboardPanel } from "./panel.js";

export interface ApprovalsPanelDeps {
  /** Every approval, final ones included (a Scan: fine for a local table). */
  listAll(): Promise<Approval[]>;
  /** The change feed's last error per approval, once its retries ran out. */
  failures: ReadonlyMap<string, string>;
  clock: Clock;
}

/**
 * What the dashboard may show of an approval: never the CodePipeline token, link hashes or
 * channel internals, which the record also holds.
 */
export function approvalSummary(a: Approval, failure?: string) {
  return {
    id: a.id,
    state: a.state,
    pipeline: a.request.pipeline,
    stage: a.request.stage,
    action: a.request.action,
    executionId: a.context.executionId,
    expiresAt: a.request.expiresAt,
    commit: a.context.commit,
    pullRequest: a.context.pullRequest,
    ...(a.decision ? { decision: decisionLine(a.decision), decidedAt: a.decision.at } : {}),
    ...(a.closedReason ? { closedReason: a.closedReason } : {}),
    ...(a.deployment ? { deployment: a.deployment } : {}),
    history: a.history,
    /** The same events in words (bot/shared/audit-trail.ts). */
    trail: auditTrail(a),
    createdAt: a.createdAt,
    ...(failure ? { channelFailure: failure } : {}),
  };
}

type Summary = ReturnType<typeof approvalSummary>;

/** The non-empty parts with " · " between them: no separator before or after nothing. */
function joinParts(parts: (SafeHtml | string)[]): SafeHtml {
  const kept = parts.filter((p) => (typeof p === "string" ? p.trim() !== "" : p.value !== ""));
  return html`${kept.map((p, i) => (i === 0 ? html`${p}` : html` · ${p}`))}`;
}

function card(a: Summary, now: Date): SafeHtml {
  const when = a.state === "pending" ? `expires ${relativeTime(a.expiresAt, now)}` : "";
  return html`<div class="card" data-approval="${a.id}" data-state="${a.state}">
<header>${badge(a.state)} <strong>${a.pipeline} · ${a.stage}</strong>
<span class="muted">${joinParts([
    a.executionId ? html`run <code>${shortId(a.executionId)}</code>` : "",
    a.commit?.message ?? "",
    when,
  ])}</span></header>
${a.decision ? html`<p>${a.decision}</p>` : ""}
${a.closedReason ? html`<p class="muted">${CLOSED_WORDS[a.closedReason]}</p>` : ""}
${a.deployment ? html`<p>Production: ${badge(a.deployment.state)}</p>` : ""}
${a.channelFailure ? html`<p class="badge bad">Channel update failed: ${a.channelFailure}</p>` : ""}
<ol class="history">${a.trail.map((h) => html`<li><code>${clock(h.at)}</code> ${h.text}</li>`)}</ol></div>`;
}

/** Pending approvals first, then past ones, each with its audit trail; `/local/approvals` is the JSON. */
export function approvalsPanel(deps: ApprovalsPanelDeps): DashboardPanel {
  const summaries = async () => {
    const all = await deps.listAll();
    const open = (a: Approval) => (a.state === "pending" || a.state === "deciding" ? 0 : 1);
    return all
      .sort((x, y) => open(x) - open(y) || y.createdAt.localeCompare(x.createdAt))
      .map((a) => approvalSummary(a, deps.failures.get(a.id)));
  };
  const routes = new Hono();
  routes.get("/", async (c) => c.json({ approvals: await summaries() }));

  return {
    id: "approvals",
    title: "Approvals",
    column: "main",
    routes,
    async render() {
      const list = (await summaries()).slice(0, 15);
      const now = deps.clock.now();
      if (list.length === 0)
        return html`<p class="muted">None yet: a run opens one when it reaches Approval.</p>`;
      return html`${list.map((a) => card(a, now))}`;
    },
  };
}
