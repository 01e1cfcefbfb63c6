import { Hono } from "hono";
import { html } from "../../bot/email/html.js";
import type { CallRecord, CodePipelineSimulator } from "../codepipeline/simulator.js";
import { badge, clock } from "./format.js";
import type { DashboardPanel } from "./panel.js";

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && key in value ? Reflect.get(value, key) : undefined;

/** What Greenlight told CodePipeline: the audit trail on CodePipeline's side. */
function putCalls(simulator: CodePipelineSimulator): CallRecord[] {
  return simulator.calls.filter((c) => c.operation === "PutApprovalResult");
}

/** PutApprovalResult calls the simulator received (tokens redacted); `/local/codepipeline/calls`. */
export function callsPanel(deps: { simulator: CodePipelineSimulator }): DashboardPanel {
  const routes = new Hono();
  routes.get("/calls", (c) => c.json({ calls: putCalls(deps.simulator) }));

  return {
    id: "codepipeline",
    title: "CodePipeline: PutApprovalResult calls",
    column: "side",
    routes,
    async render() {
      const calls = putCalls(deps.simulator).slice(-10).reverse();
      if (calls.length === 0) return html`<p class="muted">None yet.</p>`;
      return html`<table><thead><tr><th>At</th><th>Result</th><th>Summary</th><th>Answer</th></tr></thead><tbody>
${calls.map((call) => {
  const result = field(call.params, "result");
  const status = String(field(result, "status") ?? "");
  return html`<tr><td><code>${clock(call.at)}</code></td><td>${badge(status === "Approved" ? "approved" : "rejected")}</td>
<td>${String(field(result, "summary") ?? "")}</td><td>${call.status} ${call.outcome}</td></tr>`;
})}</tbody></table>`;
    },
  };
}
