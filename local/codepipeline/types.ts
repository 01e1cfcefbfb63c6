/** The simulated service's state, shaped after what CodePipeline reports about it. */

export type ActionCategory = "Source" | "Build" | "Test" | "Deploy" | "Approval" | "Invoke";
export type ActionStatus = "InProgress" | "Succeeded" | "Failed" | "Abandoned";
export type StageStatus = "InProgress" | "Succeeded" | "Failed" | "Stopped" | "Cancelled";
export type ExecutionStatus = "InProgress" | "Succeeded" | "Failed" | "Stopped" | "Superseded";

export interface PipelineDefinition {
  name: string;
  /** A bare action name is a manual approval action. */
  stages: { name: string; actions: Array<string | { name: string; category: ActionCategory }> }[];
}

/** A source revision of a run, as `GetPipelineExecution` reports it in `artifactRevisions`. */
export interface Revision {
  commit: string;
  summary?: string;
  url?: string;
  /** Output artifact name; `SourceArtifact` by default. */
  artifact?: string;
}

export interface Execution {
  id: string;
  pipeline: string;
  status: ExecutionStatus;
  statusSummary?: string;
  startTime: Date;
  lastUpdateTime: Date;
  revisions: Revision[];
}

/** One run of one action (GetPipelineState shows the latest as `latestExecution`). */
export interface ActionRun {
  id: string;
  executionId: string;
  status: ActionStatus;
  lastStatusChange: Date;
  summary?: string;
  token?: string;
  expiresAt?: Date;
  lastUpdatedBy?: string;
  errorDetails?: { code: string; message: string };
  /** Set once somebody answered the approval: through the API or in the console. */
  answer?: { status: "Approved" | "Rejected"; at: Date; via: "api" | "console" };
}

export interface ActionSlot {
  name: string;
  category: ActionCategory;
  /** Oldest first; the last one is the action's latest execution. */
  runs: ActionRun[];
}

export interface StageSlot {
  name: string;
  latest?: { executionId: string; status: StageStatus };
  actions: ActionSlot[];
}

export interface PipelineRecord {
  name: string;
  version: number;
  created: Date;
  updated: Date;
  stages: StageSlot[];
  /** Oldest first. */
  executions: Execution[];
}

/** Every state change, in order: what a pipeline runner or an EventBridge stand-in listens to. */
export type ModelEvent =
  | { kind: "pipeline"; pipeline: string; executionId: string; status: ExecutionStatus; at: Date }
  | { kind: "stage"; pipeline: string; stage: string; executionId: string; status: StageStatus; at: Date }
  | {
      kind: "action";
      pipeline: string;
      stage: string;
      action: string;
      category: ActionCategory;
      executionId: string;
      status: ActionStatus;
      at: Date;
    };
