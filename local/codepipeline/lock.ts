import { randomUUID } from "node:crypto";
import { executionModeOf, type PipelineModel } from "./model.js";
import type { Execution, PipelineRecord, StageSlot } from "./types.js";

// CodePipeline user guide, "How pipeline executions work": in SUPERSEDED and QUEUED mode a stage
// is locked while it processes one execution, later executions wait in front of it, and "a stage
// with an approval action is locked until the approval action is approved or rejected or has timed
// out". SUPERSEDED: "executions are only superseded in between stages" — a newer run waiting in
// front of the stage replaces the one already waiting there, never the run inside it. QUEUED: the
// waiting runs enter one by one, in order. PARALLEL: no lock; runs never wait for each other.

/** The run holding the stage's lock, if the mode has locks and a run holds it. */
export function lockHolder(pipeline: PipelineRecord, stage: StageSlot): string | undefined {
  if (executionModeOf(pipeline) === "PARALLEL") return undefined;
  return stage.latest?.status === "InProgress" ? stage.latest.executionId : undefined;
}

/** The run enters the stage, or waits in front of it while another run holds the lock. */
export function enterOrWait(
  model: PipelineModel,
  pipeline: PipelineRecord,
  stage: StageSlot,
  executionId: string,
): "entered" | "waiting" {
  const holder = lockHolder(pipeline, stage);
  if (holder === undefined || holder === executionId) {
    model.setStage(pipeline, stage, executionId, "InProgress");
    return "entered";
  }
  const waiting = stage.waiting ?? [];
  if (waiting.includes(executionId)) return "waiting";
  if (executionModeOf(pipeline) === "SUPERSEDED") {
    for (const older of waiting) {
      const execution = pipeline.executions.find((e) => e.id === older);
      if (execution?.status === "InProgress") model.finishExecution(execution, "Superseded");
    }
    stage.waiting = [executionId];
  } else {
    stage.waiting = [...waiting, executionId];
  }
  return "waiting";
}

/** The lock holder left the stage: the next run waiting in front of it (if still running) enters. */
export function admitNext(model: PipelineModel, pipeline: PipelineRecord, stage: StageSlot): void {
  if (lockHolder(pipeline, stage) !== undefined) return;
  while (stage.waiting && stage.waiting.length > 0) {
    const [next, ...rest] = stage.waiting;
    stage.waiting = rest;
    const execution = pipeline.executions.find((e) => e.id === next);
    if (execution?.status !== "InProgress") continue;
    model.setStage(pipeline, stage, execution.id, "InProgress");
    if (execution.selfDriven?.stage === stage.name)
      startSelfDrivenApproval(model, pipeline, stage, execution);
    return;
  }
}

/**
 * A run the `startApproval` shortcut started reaches its approval action: the actions before it in
 * the stage succeed, and the approval waits with a fresh token.
 */
export function startSelfDrivenApproval(
  model: PipelineModel,
  pipeline: PipelineRecord,
  stage: StageSlot,
  execution: Execution,
  expiresAt?: Date,
): { token: string; expiresAt: Date } {
  const target = execution.selfDriven;
  const action = stage.actions.find((a) => a.name === target?.action);
  if (!target || !action) throw new Error(`Execution ${execution.id} has no approval to reach`);
  for (const before of stage.actions.slice(0, stage.actions.indexOf(action))) {
    const run = model.startAction(pipeline, stage, before, execution.id);
    model.finishAction(pipeline, stage, before, run, "Succeeded");
  }
  const token = randomUUID();
  const expiry = expiresAt ?? new Date(model.now().getTime() + target.timeoutMs);
  model.startAction(pipeline, stage, action, execution.id, { token, expiresAt: expiry });
  return { token, expiresAt: expiry };
}
