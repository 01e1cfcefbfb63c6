/** The simulated service's state, shaped after what CodePipeline reports about it. */

export type ActionCategory = "Source" | "Build" | "Test" | "Deploy" | "Approval" | "Invoke";
export type ActionStatus = "InProgress" | "Succeeded" | "Failed" | "Abandoned";
export type StageStatus = "InProgress" | "Succeeded" | "Failed" | "Stopped" | "Cancelled";
export type ExecutionStatus = "InProgress" | "Succeeded" | "Failed" | "Stopped" | "Superseded";

/**
 * How CodePipeline handles several runs (user guide: "How pipeline executions work", "Set or change
 * the pipeline execution mode"): SUPERSEDED (the default) locks each stage for one run and lets a
 * newer run replace an older one waiting in front of a stage; QUEUED lets waiting runs in one by
 * one, in order; PARALLEL runs every execution on its own. QUEUED and PARALLEL need a V2 pipeline.
 */
export type ExecutionMode = "SUPERSEDED" | "QUEUED" | "PARALLEL";
export type PipelineType = "V1" | "V2";

export interface ActionDefinition {
  name: string;
  category: ActionCategory;
  /**
   * A manual approval's timeout in minutes (action configuration; CodePipeline accepts 5 to 86,400
   * minutes, 60 days, and defaults to 7 days).
   */
  timeoutMinutes?: number;
  /**
   * A manual approval's `NotificationArn` (the SNS topic CodePipeline publishes the approval
   * request to; user guide, "Add a manual approval action"). Absent: the simulator's
   * `approvalTopicArn` (Greenlight's topic); null: the action notifies nobody.
   */
  notificationArn?: string | null;
}

export interface PipelineDefinition {
  name: string;
  /** SUPERSEDED by default, as in CodePipeline. */
  executionMode?: ExecutionMode;
  /** V2 by default; QUEUED and PARALLEL refuse a V1 pipeline. */
  pipelineType?: PipelineType;
  /** A bare action name is a manual approval action. */
  stages: { name: string; actions: Array<string | ActionDefinition> }[];
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
  /**
   * Runs started with the `startApproval` shortcut move on their own (nobody else drives them): when
   * a locked stage lets them in, the simulator starts their approval, with this timeout.
   */
  selfDriven?: { stage: string; action: string; timeoutMs: number };
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
  /** When the run started (ListActionExecutions `startTime`); absent in states saved before it. */
  startTime?: Date;
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
  timeoutMinutes?: number;
  /** See `ActionDefinition.notificationArn`. */
  notificationArn?: string | null;
  /** Oldest first; the last one is the action's latest execution. */
  runs: ActionRun[];
}

export interface StageSlot {
  name: string;
  latest?: { executionId: string; status: StageStatus };
  actions: ActionSlot[];
  /**
   * Runs held in front of the stage while another run holds its lock, oldest first: at most one in
   * SUPERSEDED mode, any number in QUEUED mode, never any in PARALLEL mode.
   */
  waiting?: string[];
}

export interface PipelineRecord {
  name: string;
  /** Absent in states saved before modes were modelled: SUPERSEDED, as CodePipeline's default. */
  executionMode?: ExecutionMode;
  pipelineType?: PipelineType;
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
