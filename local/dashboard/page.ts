import { html, type SafeHtml } from "../../bot/email/html.js";
import type { RunView } from "../codepipeline/simulator.js";
import { badge, commitMessage } from "./format.js";
import type { DashboardPanel } from "./panel.js";

function shell(title: string, body: SafeHtml, script = false): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/local/assets/dashboard.css">
${script ? html`<script src="/local/assets/dashboard.js" defer></script>` : ""}</head>
<body>${body}</body></html>`.value;
}

/** The dashboard: every panel in its column, filled and kept live by the script. */
export function dashboardPage(panels: DashboardPanel[], initial: Map<string, SafeHtml>): string {
  const column = (which: DashboardPanel["column"]) =>
    panels
      .filter((p) => p.column === which)
      .map(
        (p) =>
          html`<section class="panel" data-panel="${p.id}" aria-labelledby="panel-${p.id}">
<h2 id="panel-${p.id}">${p.title}</h2><div class="body">${initial.get(p.id) ?? ""}</div></section>`,
      );
  return shell(
    "Greenlight · local",
    html`<header><h1>Greenlight · local</h1>
<p>Start a run, open the e-mail in the inbox, approve, watch it reach production.</p>
<p id="status" role="status" aria-live="polite"></p></header>
<div class="grid"><div class="column">${column("main")}</div><div class="column">${column("side")}</div></div>`,
    true,
  );
}

/** The staging site the approval's link points at: what the reviewer is asked to look at. */
export function stagingPage(pipeline: string, run: RunView | undefined): string {
  const revision = run?.revision;
  return shell(
    `${pipeline} · staging`,
    html`<main class="staging"><p class="muted">Staging environment</p><h1>${pipeline}</h1>
${
  run
    ? html`<p>Run <code>${run.executionId}</code> ${badge(run.status)}</p>
<p>Commit <code>${revision?.commit.slice(0, 7) ?? "?"}</code>: ${commitMessage(revision?.summary)}</p>
<p class="hint">A real pipeline would link to the deployed site; locally this page stands in for it.</p>`
    : html`<p>No such run.</p>`
}</main>`,
  );
}
