import { Hono } from "hono";
import { z } from "zod";
import { html, type SafeHtml, safeHref } from "../../bot/email/html.js";
import type { CodePipelineSimulator, RunView } from "../codepipeline/simulator.js";
import type { PipelineRunner } from "../pipeline/runner.js";
import { badge, clock, commitMessage, jsonBody, problem, shortId } from "./format.js";
import type { DashboardPanel } from "./panel.js";

export interface PipelinesPanelDeps {
  simulator: CodePipelineSimulator;
  /** Absent when the stack runs no pipelines of its own (then runs cannot be started here). */
  runner?: PipelineRunner;
}

const startBody = z.object({ failAt: z.string().max(100).optional() });

function runRow(run: RunView): SafeHtml {
  const commit = run.revision;
  const href = safeHref(commit?.url);
  return html`<tr data-execution="${run.executionId}" data-status="${run.status}">
<td><code>${shortId(run.executionId)}</code> ${badge(run.status)}<br>
${commit ? html`<a href="${href ?? ""}" rel="noreferrer"><code>${commit.commit.slice(0, 7)}</code></a> ` : ""}${commitMessage(commit?.summary)}
<small class="muted">${clock(run.startTime)}${run.statusSummary ? ` · ${run.statusSummary}` : ""}</small></td>
${run.stages.map(
  (s) => html`<td class="stage" data-stage="${s.name}">${badge(s.status)}<small>${clock(s.at)}</small></td>`,
)}
</tr>`;
}

function startForm(name: string, stages: string[], canStart: boolean): SafeHtml {
  if (!canStart) return html`<p class="hint">Runs are started by the tests here.</p>`;
  return html`<form data-post action="/local/pipelines/${encodeURIComponent(name)}/runs">
<button type="submit">Start a run</button>
<label class="hint">then <select name="failAt" aria-label="Make a stage fail">
<option value="">every stage succeeds</option>
${stages.map((s) => html`<option value="${s}">${s} fails</option>`)}
</select></label></form>`;
}

/** Pipeline runs and their stages, live, with "Start a run"; `/local/pipelines` is their JSON. */
export function pipelinesPanel(deps: PipelinesPanelDeps): DashboardPanel {
  const routes = new Hono();
  routes.get("/", (c) => c.json({ pipelines: deps.simulator.pipelines().map((p) => p.name) }));
  routes.get("/:name", (c) => {
    const p = deps.simulator.pipelines().find((x) => x.name === c.req.param("name"));
    if (!p) return c.json(problem("no such pipeline"), 404);
    return c.json({ name: p.name, stages: p.stages.map((s) => s.name), runs: deps.simulator.runs(p.name) });
  });
  routes.post("/:name/runs", async (c) => {
    const name = c.req.param("name");
    if (!deps.runner) return c.json(problem("this stack runs no pipelines"), 409);
    if (!deps.simulator.pipelines().some((p) => p.name === name)) {
      return c.json(problem("no such pipeline"), 404);
    }
    const parsed = startBody.safeParse(await jsonBody(c.req));
    if (!parsed.success) return c.json(problem("expected { failAt?: stage name }"), 400);
    const failAt = parsed.data.failAt || undefined;
    const { executionId } = deps.runner.start(name, failAt ? { failAt } : {});
    return c.json({ executionId, message: `Started run ${shortId(executionId)} of ${name}` }, 201);
  });

  return {
    id: "pipelines",
    title: "Pipeline runs",
    column: "main",
    routes,
    async render() {
      return html`${deps.simulator.pipelines().map((p) => {
        const runs = deps.simulator.runs(p.name, 8);
        const failable = p.stages.filter((s) => s.actions.every((a) => a.category !== "Approval"));
        return html`<h3>${p.name}</h3>${startForm(
          p.name,
          failable.map((s) => s.name),
          deps.runner !== undefined,
        )}
<table><thead><tr><th>Run</th>${p.stages.map((s) => html`<th>${s.name}</th>`)}</tr></thead>
<tbody>${runs.length ? runs.map(runRow) : html`<tr><td colspan="${p.stages.length + 1}" class="muted">No runs yet: start one.</td></tr>`}</tbody></table>`;
      })}`;
    },
  };
}
