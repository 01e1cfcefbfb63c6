import { randomUUID } from "node:crypto";
import { AwsError } from "./protocol.js";
import type {
  ActionRun,
  ActionSlot,
  ActionStatus,
  Execution,
  ExecutionMode,
  ExecutionStatus,
  ModelEvent,
  PipelineDefinition,
  PipelineRecord,
  Revision,
  StageSlot,
  StageStatus,
} from "./types.js";

/** CodePipeline's default when a pipeline does not say. */
export function executionModeOf(pipeline: PipelineRecord): ExecutionMode {
  return pipeline.executionMode ?? "SUPERSEDED";
}

const NAME = /^[A-Za-z0-9.@\-_]{1,100}$/;
/** Manual approval timeout bounds (user guide, Quotas; aws-cdk-lib ManualApprovalAction). */
export const APPROVAL_TIMEOUT_MINUTES = { min: 5, max: 86_400, default: 7 * 24 * 60 } as const;

function validateDefinition(definition: PipelineDefinition): void {
  const names = [definition.name, ...definition.stages.flatMap((s) => [s.name, ...s.actions.map(nameOf)])];
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) {
    throw new AwsError("ValidationException", `Name '${bad}' must match [A-Za-z0-9.@\\-_]+ (1-100)`);
  }
  const mode = definition.executionMode ?? "SUPERSEDED";
  if (mode !== "SUPERSEDED" && (definition.pipelineType ?? "V2") !== "V2") {
    throw new AwsError("ValidationException", `Execution mode ${mode} requires pipeline type V2`);
  }
  for (const action of definition.stages.flatMap((s) => s.actions)) {
    if (
      typeof action !== "string" &&
      action.notificationArn !== undefined &&
      action.category !== "Approval"
    ) {
      // NotificationArn is a configuration property of the Manual approval action type only.
      throw new AwsError(
        "InvalidActionDeclarationException",
        `Action '${action.name}': NotificationArn is a manual approval setting`,
      );
    }
    if (typeof action === "string" || action.timeoutMinutes === undefined) continue;
    const { min, max } = APPROVAL_TIMEOUT_MINUTES;
    const t = action.timeoutMinutes;
    if (action.category !== "Approval" || !Number.isInteger(t) || t < min || t > max) {
      throw new AwsError(
        "ValidationException",
        `Action '${action.name}': timeout must be ${min} to ${max} minutes, for an approval action`,
      );
    }
  }
}

const nameOf = (action: string | { name: string }) => (typeof action === "string" ? action : action.name);

/** Pipelines, their executions and their stages' and actions' latest runs: the simulator's state. */
export class PipelineModel {
  private readonly pipelines = new Map<string, PipelineRecord>();
  private readonly listeners = new Set<(event: ModelEvent) => void>();
  /** See `SimulatorOptions.answeredTokenError`. */
  answeredTokenError: "ApprovalAlreadyCompletedException" | "InvalidApprovalTokenException" =
    "ApprovalAlreadyCompletedException";
  /** Where approval actions that do not name a topic send their requests (Greenlight's topic). */
  approvalTopicArn: string | undefined;

  constructor(readonly now: () => Date) {}

  /** The topic an approval action notifies, if any (see `ActionDefinition.notificationArn`). */
  notificationArnOf(action: ActionSlot): string | undefined {
    if (action.category !== "Approval") return undefined;
    return action.notificationArn === undefined
      ? this.approvalTopicArn
      : (action.notificationArn ?? undefined);
  }

  /**
   * A new pipeline, checked the way CreatePipeline checks it: names, the execution mode against
   * the pipeline type, approval timeouts within CodePipeline's bounds.
   */
  define(definition: PipelineDefinition): PipelineRecord {
    if (this.pipelines.has(definition.name))
      throw new Error(`Pipeline ${definition.name} is already defined`);
    validateDefinition(definition);
    const at = this.now();
    const stages = definition.stages.map((stage) => ({
      name: stage.name,
      actions: stage.actions.map((action) =>
        typeof action === "string"
          ? { name: action, category: "Approval" as const, runs: [] }
          : { ...action, runs: [] },
      ),
    }));
    const record: PipelineRecord = {
      name: definition.name,
      executionMode: definition.executionMode ?? "SUPERSEDED",
      pipelineType: definition.pipelineType ?? "V2",
      version: 1,
      created: at,
      updated: at,
      stages,
      executions: [],
    };
    this.pipelines.set(record.name, record);
    return record;
  }

  all(): PipelineRecord[] {
    return [...this.pipelines.values()];
  }

  /** The pipeline, or the `PipelineNotFoundException` CodePipeline answers with. */
  get(name: string): PipelineRecord {
    const record = this.pipelines.get(name);
    if (!record) throw new AwsError("PipelineNotFoundException", `Pipeline with name '${name}' not found`);
    return record;
  }

  startExecution(pipeline: PipelineRecord, revisions: Revision[]): Execution {
    const at = this.now();
    const execution: Execution = {
      id: randomUUID(),
      pipeline: pipeline.name,
      status: "InProgress" as const,
      startTime: at,
      lastUpdateTime: at,
      revisions,
    };
    pipeline.executions.push(execution);
    this.emit({
      kind: "pipeline",
      pipeline: pipeline.name,
      executionId: execution.id,
      status: "InProgress",
      at,
    });
    return execution;
  }

  finishExecution(execution: Execution, status: ExecutionStatus, statusSummary?: string): void {
    const at = this.now();
    Object.assign(execution, { status, lastUpdateTime: at }, statusSummary ? { statusSummary } : {});
    this.emit({ kind: "pipeline", pipeline: execution.pipeline, executionId: execution.id, status, at });
  }

  setStage(pipeline: PipelineRecord, stage: StageSlot, executionId: string, status: StageStatus): void {
    stage.latest = { executionId, status };
    const at = this.now();
    this.emit({ kind: "stage", pipeline: pipeline.name, stage: stage.name, executionId, status, at });
  }

  /** A new run of `action` for `executionId`; it becomes the action's latest execution. */
  startAction(
    pipeline: PipelineRecord,
    stage: StageSlot,
    action: ActionSlot,
    executionId: string,
    extra: Partial<ActionRun> = {},
  ): ActionRun {
    const at = this.now();
    const run: ActionRun = {
      ...extra,
      id: randomUUID(),
      executionId,
      status: "InProgress",
      startTime: at,
      lastStatusChange: at,
    };
    action.runs.push(run);
    this.emitAction(pipeline, stage, action, executionId, "InProgress");
    return run;
  }

  finishAction(
    pipeline: PipelineRecord,
    stage: StageSlot,
    action: ActionSlot,
    run: ActionRun,
    status: Exclude<ActionStatus, "InProgress">,
    extra: Partial<ActionRun> = {},
  ): void {
    Object.assign(run, extra, { status, lastStatusChange: this.now() });
    this.emitAction(pipeline, stage, action, run.executionId, status);
  }

  /** A copy of everything, for keeping the local stack's pipelines across restarts. */
  save(): PipelineRecord[] {
    return structuredClone(this.all());
  }

  /** Put saved pipelines back; no events, since nothing happened to the runs, only to the process. */
  load(records: PipelineRecord[]): void {
    for (const record of records) this.pipelines.set(record.name, structuredClone(record));
  }

  subscribe(listener: (event: ModelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emitAction(
    p: PipelineRecord,
    s: StageSlot,
    a: ActionSlot,
    executionId: string,
    status: ActionStatus,
  ) {
    const at = this.now();
    const event = { pipeline: p.name, stage: s.name, action: a.name, category: a.category, executionId, at };
    this.emit({ kind: "action", ...event, status });
  }

  private emit(event: ModelEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
