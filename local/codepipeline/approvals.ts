import { randomUUID } from "node:crypto";
import type { PipelineModel } from "./model.js";
import { failStage, settleStage } from "./progress.js";
import { AwsError } from "./protocol.js";
import type { ActionRun, ActionSlot, PipelineRecord, Revision, StageSlot } from "./types.js";

/** CodePipeline's limit (and default) for how long an approval waits. */
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

export interface ApprovalTarget {
  pipeline: string;
  stage: string;
  action: string;
}

export interface StartApprovalInput extends ApprovalTarget {
  /** When the approval times out; seven days from now by default. */
  expiresAt?: Date | string;
  revision?: Revision;
}

export interface ApprovalAnswer {
  status: "Approved" | "Rejected";
  summary?: string;
  /** Who answered, as CodePipeline's `lastUpdatedBy` (an IAM ARN). */
  by?: string;
}

/** The pipeline, stage and approval action, or the not-found error CodePipeline answers with. */
export function locate(model: PipelineModel, target: ApprovalTarget) {
  const pipeline = model.get(target.pipeline);
  const stage = pipeline.stages.find((s) => s.name === target.stage);
  if (!stage) {
    throw new AwsError("StageNotFoundException", `Stage '${target.stage}' not found in '${pipeline.name}'`);
  }
  const action = stage.actions.find((a) => a.name === target.action);
  if (!action) {
    throw new AwsError("ActionNotFoundException", `Action '${target.action}' not found in '${stage.name}'`);
  }
  return { pipeline, stage, action };
}

/** The approval action's run that is waiting for an answer, if any. */
export function waiting(action: ActionSlot): ActionRun | undefined {
  const run = action.runs.at(-1);
  return run?.status === "InProgress" ? run : undefined;
}

/**
 * A new run arrives at the approval action: earlier stages succeeded, the action waits with a fresh
 * token. A run already waiting there is superseded (its token stops working).
 */
export function startApproval(model: PipelineModel, input: StartApprovalInput) {
  expireDue(model);
  const { pipeline, stage, action } = locate(model, input);
  if (action.category !== "Approval") throw new Error(`${action.name} is a ${action.category} action`);
  const expiresAt = expiryOf(model, input.expiresAt);
  supersedeWaiting(model, pipeline, stage, action);
  const execution = model.startExecution(pipeline, input.revision ? [input.revision] : []);
  for (const earlier of pipeline.stages.slice(0, pipeline.stages.indexOf(stage))) {
    model.setStage(pipeline, earlier, execution.id, "InProgress");
    for (const a of earlier.actions) succeed(model, pipeline, earlier, a, execution.id);
    model.setStage(pipeline, earlier, execution.id, "Succeeded");
  }
  model.setStage(pipeline, stage, execution.id, "InProgress");
  for (const a of stage.actions.slice(0, stage.actions.indexOf(action))) {
    succeed(model, pipeline, stage, a, execution.id);
  }
  const token = randomUUID();
  model.startAction(pipeline, stage, action, execution.id, { token, expiresAt });
  return { executionId: execution.id, token };
}

/**
 * A run that a pipeline runner moved here stage by stage reaches the approval action and waits
 * with a fresh token; a run already waiting there is superseded.
 */
export function awaitApproval(
  model: PipelineModel,
  input: ApprovalTarget & { executionId: string; expiresAt?: Date | string },
): { token: string; expiresAt: Date } {
  expireDue(model);
  const { pipeline, stage, action } = locate(model, input);
  if (action.category !== "Approval") throw new Error(`${action.name} is a ${action.category} action`);
  const expiresAt = expiryOf(model, input.expiresAt);
  supersedeWaiting(model, pipeline, stage, action);
  const token = randomUUID();
  model.startAction(pipeline, stage, action, input.executionId, { token, expiresAt });
  return { token, expiresAt };
}

function expiryOf(model: PipelineModel, input: Date | string | undefined): Date {
  const expiresAt = new Date(input ?? model.now().getTime() + SEVEN_DAYS_MS);
  if (Number.isNaN(expiresAt.getTime())) throw new Error(`Not a date: ${String(input)}`);
  return expiresAt;
}

/** In SUPERSEDED mode a newer run arriving at a waiting approval replaces the older run. */
function supersedeWaiting(model: PipelineModel, p: PipelineRecord, s: StageSlot, a: ActionSlot): void {
  const previous = waiting(a);
  if (!previous) return;
  model.finishAction(p, s, a, previous, "Abandoned");
  const execution = p.executions.find((e) => e.id === previous.executionId);
  if (execution) model.finishExecution(execution, "Superseded");
}

function succeed(model: PipelineModel, p: PipelineRecord, s: StageSlot, a: ActionSlot, executionId: string) {
  model.finishAction(p, s, a, model.startAction(p, s, a, executionId), "Succeeded");
}

/** Record an answer: approved → the action succeeds; rejected → it fails and the run stops. */
export function answer(
  model: PipelineModel,
  target: ApprovalTarget,
  run: ActionRun,
  result: ApprovalAnswer,
  via: "api" | "console",
): Date {
  const { pipeline, stage, action } = locate(model, target);
  const at = model.now();
  const outcome = result.status === "Approved" ? "Succeeded" : "Failed";
  model.finishAction(pipeline, stage, action, run, outcome, {
    answer: { status: result.status, at, via },
    ...(result.summary ? { summary: result.summary } : {}),
    ...(result.by ? { lastUpdatedBy: result.by } : {}),
  });
  if (outcome === "Failed") failStage(model, pipeline, stage, run.executionId, result.summary);
  else settleStage(model, pipeline, stage, run.executionId);
  return at;
}

/** Approvals past their expiry fail, as CodePipeline's timeout does; the run stops there. */
export function expireDue(model: PipelineModel): void {
  const now = model.now();
  for (const pipeline of model.all()) {
    for (const stage of pipeline.stages) {
      for (const action of stage.actions) {
        const run = waiting(action);
        if (!run?.expiresAt || run.expiresAt > now) continue;
        const message = "The approval request timed out";
        model.finishAction(pipeline, stage, action, run, "Failed", {
          errorDetails: { code: "ApprovalTimedOut", message },
        });
        failStage(model, pipeline, stage, run.executionId, message);
      }
    }
  }
}
