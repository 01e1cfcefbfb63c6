import { randomUUID } from "node:crypto";
import { admitNext, enterOrWait, lockHolder, startSelfDrivenApproval } from "./lock.js";
import type { PipelineModel } from "./model.js";
import { failStage, settleStage } from "./progress.js";
import { AwsError } from "./protocol.js";
import type { ActionRun, ActionSlot, PipelineRecord, Revision, StageSlot } from "./types.js";

/** CodePipeline's default for how long an approval waits: 7 days (user guide, Quotas). */
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

export interface ApprovalTarget {
  pipeline: string;
  stage: string;
  action: string;
}

export interface StartApprovalInput extends ApprovalTarget {
  /** When the approval times out; the action's timeout (7 days by default) from now otherwise. */
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

/**
 * The approval action's run waiting for an answer: the given execution's, or else the latest one
 * (in PARALLEL mode several runs may wait at once).
 */
export function waiting(action: ActionSlot, executionId?: string): ActionRun | undefined {
  const run =
    executionId === undefined
      ? action.runs.at(-1)
      : action.runs.findLast((r) => r.executionId === executionId);
  return run?.status === "InProgress" ? run : undefined;
}

/** How long the action's approvals wait: its configured timeout, else CodePipeline's 7 days. */
export function timeoutMsOf(action: ActionSlot): number {
  return action.timeoutMinutes === undefined ? SEVEN_DAYS_MS : action.timeoutMinutes * 60_000;
}

/**
 * A new run starts, passes the earlier stages and arrives at the approval's stage. It enters and
 * waits at the approval with a fresh token, unless the stage is locked by another run (SUPERSEDED
 * and QUEUED mode): then it waits in front of the stage (no token yet), and moves on by itself
 * when the lock is released.
 */
export function arriveAtApproval(
  model: PipelineModel,
  input: StartApprovalInput,
): { executionId: string; token?: string; expiresAt?: Date } {
  expireDue(model);
  const { pipeline, stage, action } = locate(model, input);
  if (action.category !== "Approval") throw new Error(`${action.name} is a ${action.category} action`);
  const expiresAt = input.expiresAt === undefined ? undefined : expiryOf(input.expiresAt);
  const execution = model.startExecution(pipeline, input.revision ? [input.revision] : []);
  const timeoutMs = expiresAt ? expiresAt.getTime() - model.now().getTime() : timeoutMsOf(action);
  execution.selfDriven = { stage: stage.name, action: action.name, timeoutMs };
  for (const earlier of pipeline.stages.slice(0, pipeline.stages.indexOf(stage))) {
    model.setStage(pipeline, earlier, execution.id, "InProgress");
    for (const a of earlier.actions) succeed(model, pipeline, earlier, a, execution.id);
    model.setStage(pipeline, earlier, execution.id, "Succeeded");
  }
  if (enterOrWait(model, pipeline, stage, execution.id) === "waiting") return { executionId: execution.id };
  return {
    executionId: execution.id,
    ...startSelfDrivenApproval(model, pipeline, stage, execution, expiresAt),
  };
}

/** `arriveAtApproval` for a run that must get to the approval now (the test shortcut). */
export function startApproval(model: PipelineModel, input: StartApprovalInput) {
  const arrived = arriveAtApproval(model, input);
  if (!arrived.token) {
    throw new Error(
      `${input.stage} of ${input.pipeline} is locked by another run: execution ${arrived.executionId} waits in front of it`,
    );
  }
  return { executionId: arrived.executionId, token: arrived.token };
}

/**
 * A run that a pipeline runner moved here stage by stage (it holds the stage) reaches the approval
 * action and waits with a fresh token.
 */
export function awaitApproval(
  model: PipelineModel,
  input: ApprovalTarget & { executionId: string; expiresAt?: Date | string },
): { token: string; expiresAt: Date } {
  expireDue(model);
  const { pipeline, stage, action } = locate(model, input);
  if (action.category !== "Approval") throw new Error(`${action.name} is a ${action.category} action`);
  if (lockHolder(pipeline, stage) !== undefined && lockHolder(pipeline, stage) !== input.executionId) {
    throw new Error(`Execution ${input.executionId} is not in stage ${stage.name}`);
  }
  const expiresAt =
    input.expiresAt === undefined
      ? new Date(model.now().getTime() + timeoutMsOf(action))
      : expiryOf(input.expiresAt);
  const token = randomUUID();
  model.startAction(pipeline, stage, action, input.executionId, { token, expiresAt });
  return { token, expiresAt };
}

function expiryOf(input: Date | string): Date {
  const expiresAt = new Date(input);
  if (Number.isNaN(expiresAt.getTime())) throw new Error(`Not a date: ${String(input)}`);
  return expiresAt;
}

function succeed(model: PipelineModel, p: PipelineRecord, s: StageSlot, a: ActionSlot, executionId: string) {
  model.finishAction(p, s, a, model.startAction(p, s, a, executionId), "Succeeded");
}

/**
 * StopPipelineExecution with `abandon`: the run's in-progress actions are abandoned (an approval's
 * token stops working), its stages stop and release their locks, and the run ends Stopped
 * (API reference: StopPipelineExecution). Stopping without abandoning is not modelled.
 */
export function stopExecution(model: PipelineModel, pipelineName: string, executionId: string): void {
  const pipeline = model.get(pipelineName);
  const execution = pipeline.executions.find((e) => e.id === executionId);
  if (execution?.status !== "InProgress") {
    throw new AwsError(
      "PipelineExecutionNotStoppableException",
      `Execution ${executionId} is not in progress`,
    );
  }
  for (const stage of pipeline.stages) {
    for (const action of stage.actions) {
      const run = waiting(action, executionId);
      if (run) model.finishAction(pipeline, stage, action, run, "Abandoned");
    }
    stage.waiting = (stage.waiting ?? []).filter((id) => id !== executionId);
  }
  model.finishExecution(execution, "Stopped", "Stopped and abandoned");
  for (const stage of pipeline.stages) {
    if (stage.latest?.executionId === executionId && stage.latest.status === "InProgress") {
      model.setStage(pipeline, stage, executionId, "Stopped");
      admitNext(model, pipeline, stage);
    }
  }
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
        // In PARALLEL mode several runs may wait at one approval, each with its own expiry.
        const due = action.runs.filter((r) => r.status === "InProgress" && r.expiresAt && r.expiresAt <= now);
        for (const run of due) {
          const message = "The approval request timed out";
          model.finishAction(pipeline, stage, action, run, "Failed", {
            errorDetails: { code: "ApprovalTimedOut", message },
          });
          failStage(model, pipeline, stage, run.executionId, message);
        }
      }
    }
  }
}
