import { randomUUID } from "node:crypto";
import { AwsError } from "./protocol.js";
import type {
  ActionRun,
  ActionSlot,
  ActionStatus,
  Execution,
  ExecutionStatus,
  ModelEvent,
  PipelineDefinition,
  PipelineRecord,
  Revision,
  StageSlot,
  StageStatus,
} from "./types.js";

/** Pipelines, their executions and their stages' and actions' latest runs: the simulator's state. */
export class PipelineModel {
  private readonly pipelines = new Map<string, PipelineRecord>();
  private readonly listeners = new Set<(event: ModelEvent) => void>();

  constructor(readonly now: () => Date) {}

  define(definition: PipelineDefinition): PipelineRecord {
    if (this.pipelines.has(definition.name))
      throw new Error(`Pipeline ${definition.name} is already defined`);
    const at = this.now();
    const stages = definition.stages.map((stage) => ({
      name: stage.name,
      actions: stage.actions.map((action) =>
        typeof action === "string"
          ? { name: action, category: "Approval" as const, runs: [] }
          : { ...action, runs: [] },
      ),
    }));
    const record = { name: definition.name, version: 1, created: at, updated: at, stages, executions: [] };
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
    const execution = {
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
    const run: ActionRun = {
      ...extra,
      id: randomUUID(),
      executionId,
      status: "InProgress",
      lastStatusChange: this.now(),
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
