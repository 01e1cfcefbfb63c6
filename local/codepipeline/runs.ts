import { locate } from "./approvals.js";
import { enterOrWait } from "./lock.js";
import type { PipelineModel } from "./model.js";
import { failStage, settleStage } from "./progress.js";
import type { Revision } from "./types.js";

/** One stage or action of one run, as a pipeline runner addresses it. */
export interface RunStep {
  pipeline: string;
  executionId: string;
  stage: string;
  action?: string;
}

function execution(model: PipelineModel, pipeline: string, executionId: string) {
  const found = model.get(pipeline).executions.find((e) => e.id === executionId);
  if (!found) throw new Error(`No execution ${executionId} of ${pipeline}`);
  return found;
}

/** Steps of a run that already ended are refused: a runner must not move a stopped run. */
function live(model: PipelineModel, step: RunStep) {
  const run = execution(model, step.pipeline, step.executionId);
  if (run.status !== "InProgress") throw new Error(`Execution ${run.id} is ${run.status}`);
  const pipeline = model.get(step.pipeline);
  const stage = pipeline.stages.find((s) => s.name === step.stage);
  if (!stage) throw new Error(`No stage ${step.stage} in ${pipeline.name}`);
  return { pipeline, stage };
}

/** A new run starts with its source revision; no stage has run yet. */
export function startRun(model: PipelineModel, pipeline: string, revision?: Revision): string {
  return model.startExecution(model.get(pipeline), revision ? [revision] : []).id;
}

/**
 * The run enters the stage, or (SUPERSEDED and QUEUED mode, stage locked by another run) waits in
 * front of it; a stage STARTED event for the run says when it got in.
 */
export function enterStage(model: PipelineModel, step: RunStep): "entered" | "waiting" {
  const { pipeline, stage } = live(model, step);
  return enterOrWait(model, pipeline, stage, step.executionId);
}

/** A build, test or deploy action starts (approvals wait through `awaitApproval` instead). */
export function startAction(model: PipelineModel, step: RunStep & { action: string }): void {
  live(model, step);
  const { pipeline, stage, action } = locate(model, step);
  if (action.category === "Approval") throw new Error(`${action.name} is an approval: await it instead`);
  model.startAction(pipeline, stage, action, step.executionId);
}

/** The action ends; its stage and the run follow (a failure stops the run). */
export function finishAction(
  model: PipelineModel,
  step: RunStep & { action: string; status: "Succeeded" | "Failed"; message?: string },
): void {
  live(model, step);
  const { pipeline, stage, action } = locate(model, step);
  const run = action.runs.findLast((r) => r.executionId === step.executionId && r.status === "InProgress");
  if (!run) throw new Error(`${action.name} is not running for ${step.executionId}`);
  const message = step.message ?? `${action.name} failed`;
  model.finishAction(
    pipeline,
    stage,
    action,
    run,
    step.status,
    step.status === "Failed" ? { errorDetails: { code: "JobFailed", message } } : {},
  );
  if (step.status === "Failed") failStage(model, pipeline, stage, step.executionId, message);
  else settleStage(model, pipeline, stage, step.executionId);
}
