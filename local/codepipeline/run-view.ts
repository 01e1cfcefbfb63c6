import type {
  ActionCategory,
  ActionRun,
  ActionStatus,
  PipelineRecord,
  Revision,
  StageSlot,
} from "./types.js";

/** One run as the local dashboard and its JSON API show it: every stage's state for this run. */
export interface RunView {
  executionId: string;
  status: string;
  statusSummary?: string;
  startTime: string;
  lastUpdateTime: string;
  revision?: Revision;
  stages: StageView[];
}

export interface StageView {
  name: string;
  /** Not reached yet when absent. */
  status?: string;
  /** When the stage last changed for this run. */
  at?: string;
  actions: {
    name: string;
    category: ActionCategory;
    status?: ActionStatus;
    summary?: string;
    error?: string;
    /** When a waiting approval times out. */
    expiresAt?: string;
    at?: string;
  }[];
}

function runOf(runs: ActionRun[], executionId: string): ActionRun | undefined {
  return runs.findLast((r) => r.executionId === executionId);
}

/**
 * CodePipeline keeps only each stage's latest run; older runs' stage states follow from their
 * actions' runs, which the model keeps per run.
 */
function stageView(stage: StageSlot, executionId: string): StageView {
  const actions = stage.actions.map((a) => {
    const run = runOf(a.runs, executionId);
    return {
      name: a.name,
      category: a.category,
      ...(run ? { status: run.status, at: run.lastStatusChange.toISOString() } : {}),
      ...(run?.summary ? { summary: run.summary } : {}),
      ...(run?.errorDetails ? { error: run.errorDetails.message } : {}),
      ...(run?.expiresAt ? { expiresAt: run.expiresAt.toISOString() } : {}),
    };
  });
  const statuses = actions.flatMap((a) => (a.status ? [a.status] : []));
  const derived = statuses.includes("Failed")
    ? "Failed"
    : statuses.includes("Abandoned")
      ? "Abandoned"
      : statuses.includes("InProgress")
        ? "InProgress"
        : statuses.length === actions.length && statuses.length > 0
          ? "Succeeded"
          : statuses.length > 0
            ? "InProgress"
            : undefined;
  const latest = stage.latest?.executionId === executionId ? stage.latest.status : undefined;
  const status = latest ?? derived;
  const at = actions
    .flatMap((a) => (a.at ? [a.at] : []))
    .sort()
    .at(-1);
  return { name: stage.name, ...(status ? { status } : {}), ...(at ? { at } : {}), actions };
}

/** Runs of a pipeline, newest first, at most `limit`. */
export function runViews(pipeline: PipelineRecord, limit = 20): RunView[] {
  return [...pipeline.executions]
    .reverse()
    .slice(0, limit)
    .map((e) => ({
      executionId: e.id,
      status: e.status,
      ...(e.statusSummary ? { statusSummary: e.statusSummary } : {}),
      startTime: e.startTime.toISOString(),
      lastUpdateTime: e.lastUpdateTime.toISOString(),
      ...(e.revisions[0] ? { revision: e.revisions[0] } : {}),
      stages: pipeline.stages.map((s) => stageView(s, e.id)),
    }));
}
