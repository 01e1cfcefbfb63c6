import type { PipelineModel } from "./model.js";
import type { PipelineRecord, StageSlot } from "./types.js";

/**
 * A stage succeeds once every one of its actions succeeded for the run; the last stage succeeding
 * ends the run. Earlier stages hand over to whoever drives the run (a pipeline runner, or nobody
 * in tests that only need a run to wait at an approval).
 */
export function settleStage(
  model: PipelineModel,
  pipeline: PipelineRecord,
  stage: StageSlot,
  executionId: string,
): void {
  const done = stage.actions.every((a) => {
    const latest = a.runs.at(-1);
    return latest?.executionId === executionId && latest.status === "Succeeded";
  });
  if (!done) return;
  model.setStage(pipeline, stage, executionId, "Succeeded");
  const execution = pipeline.executions.find((e) => e.id === executionId);
  if (stage === pipeline.stages.at(-1) && execution) model.finishExecution(execution, "Succeeded");
}

/** A failed action fails its stage and stops the run there, as CodePipeline does. */
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
}
