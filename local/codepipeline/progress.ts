import { admitNext } from "./lock.js";
import type { PipelineModel } from "./model.js";
import type { PipelineRecord, StageSlot } from "./types.js";

/**
 * A stage succeeds once every one of its actions succeeded for the run; the last stage succeeding
 * ends the run. Earlier stages hand over to whoever drives the run (a pipeline runner, or nobody
 * in tests that only need a run to wait at an approval). Leaving the stage releases its lock.
 */
export function settleStage(
  model: PipelineModel,
  pipeline: PipelineRecord,
  stage: StageSlot,
  executionId: string,
): void {
  // The run's own action runs: in PARALLEL mode other runs' runs interleave with them.
  const done = stage.actions.every(
    (a) => a.runs.findLast((r) => r.executionId === executionId)?.status === "Succeeded",
  );
  if (!done) return;
  model.setStage(pipeline, stage, executionId, "Succeeded");
  const execution = pipeline.executions.find((e) => e.id === executionId);
  if (stage === pipeline.stages.at(-1) && execution) model.finishExecution(execution, "Succeeded");
  admitNext(model, pipeline, stage);
}

/** A failed action fails its stage and stops the run there, as CodePipeline does; the lock is released. */
export function failStage(
  model: PipelineModel,
  pipeline: PipelineRecord,
  stage: StageSlot,
  executionId: string,
  summary?: string,
): void {
  model.setStage(pipeline, stage, executionId, "Failed");
  const execution = pipeline.executions.find((e) => e.id === executionId);
  if (execution) model.finishExecution(execution, "Failed", summary);
  admitNext(model, pipeline, stage);
}
