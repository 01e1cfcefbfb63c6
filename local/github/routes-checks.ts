import { Hono } from "hono";
import { body, fail, page, repoOf, type StandInDeps, type StandInEnv } from "./context.js";
import type { CheckRun, CheckRunAction } from "./state.js";

const STATUSES = new Set(["queued", "in_progress", "completed"]);
const CONCLUSIONS = new Set([
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
]);

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** GitHub's limits: 3 actions; label and identifier ≤ 20 characters, description ≤ 40. */
function actionsOf(value: unknown): CheckRunAction[] | undefined | "invalid" {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 3) return "invalid";
  const out: CheckRunAction[] = [];
  for (const a of value) {
    const label = str(Reflect.get(Object(a), "label"));
    const description = str(Reflect.get(Object(a), "description"));
    const identifier = str(Reflect.get(Object(a), "identifier"));
    if (!label || label.length > 20 || !description || description.length > 40) return "invalid";
    if (!identifier || identifier.length > 20) return "invalid";
    out.push({ label, description, identifier });
  }
  return out;
}

/** Apply a create/update body; returns an error message or undefined. */
function apply(run: CheckRun, input: Record<string, unknown>): string | undefined {
  const actions = actionsOf(input.actions);
  if (actions === "invalid") return "actions: at most 3, label ≤ 20, description ≤ 40, identifier ≤ 20";
  const status = str(input.status);
  const conclusion = str(input.conclusion);
  if (status && !STATUSES.has(status)) return "status is not valid";
  if (conclusion && !CONCLUSIONS.has(conclusion)) return "conclusion is not valid";
  if (status === "completed" && !conclusion && !run.conclusion)
    return "conclusion is required when completed";
  if (actions) run.actions = actions;
  if (conclusion) {
    run.conclusion = conclusion;
    run.status = "completed";
    run.completedAt = str(input.completed_at) ?? new Date().toISOString().replace(/\.\d+Z$/, "Z");
  } else if (status) run.status = status;
  const output = input.output;
  if (typeof output === "object" && output !== null) {
    run.output = {
      title: str(Reflect.get(output, "title")) ?? null,
      summary: str(Reflect.get(output, "summary")) ?? null,
    };
  }
  if (str(input.external_id) !== undefined) run.externalId = str(input.external_id) ?? "";
  if (str(input.details_url)) run.detailsUrl = str(input.details_url) ?? null;
  if (str(input.name)) run.name = str(input.name) ?? run.name;
  return undefined;
}

/** Check runs: created and updated by the app that owns them, listed per commit. */
export function checkRoutes(deps: StandInDeps) {
  const { state, json } = deps;
  const app = new Hono<StandInEnv>();
  const shape = (r: CheckRun) => json.checkRun(r, state.apps.get(r.appId));

  app.post("/repos/:owner/:repo/check-runs", async (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const input = await body(c);
    const name = str(input.name);
    const headSha = str(input.head_sha);
    if (!name || !headSha) return fail(c, 422, "Validation Failed: name and head_sha are required");
    if (!state.knowsCommit(found.repo, headSha)) return fail(c, 422, `No commit found for SHA: ${headSha}`);
    const run: CheckRun = {
      id: state.id(),
      repo: found.repo,
      headSha,
      name,
      externalId: "",
      appId: found.caller.appId,
      status: "queued",
      conclusion: null,
      detailsUrl: null,
      output: { title: null, summary: null },
      actions: [],
      startedAt: state.timestamp(),
      completedAt: null,
      updates: 0,
    };
    const problem = apply(run, input);
    if (problem) return fail(c, 422, `Validation Failed: ${problem}`);
    state.checkRuns.push(run);
    return c.json(shape(run), 201);
  });

  app.patch("/repos/:owner/:repo/check-runs/:id", async (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const run = state.checkRuns.find((r) => r.id === Number(c.req.param("id")) && r.repo === found.repo);
    if (!run) return fail(c, 404, "Not Found");
    if (run.appId !== found.caller.appId) return fail(c, 403, "Resource not accessible by integration");
    const problem = apply(run, await body(c));
    if (problem) return fail(c, 422, `Validation Failed: ${problem}`);
    run.updates++;
    return c.json(shape(run));
  });

  app.get("/repos/:owner/:repo/commits/:ref/check-runs", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const name = c.req.query("check_name");
    const appId = c.req.query("app_id");
    const runs = state
      .checkRunsFor(found.repo, c.req.param("ref"))
      .filter((r) => (!name || r.name === name) && (!appId || r.appId === Number(appId)));
    return c.json({ total_count: runs.length, check_runs: page(c, runs).map(shape) });
  });

  return app;
}
