import type { Approval } from "./approval.js";

/** Persistence of approval records. Writes are conditional; reads are strongly consistent. */
export interface ApprovalStore {
  /** Create if absent. Returns the stored record: the new one, or the one already there. */
  create(approval: Approval): Promise<{ created: boolean; approval: Approval }>;
  get(id: string): Promise<Approval | undefined>;
  /**
   * Write `approval` if the stored version is still `approval.version` (the version it was read
   * at); the stored copy gets `version + 1` and is returned. Throws `VersionConflict` otherwise.
   */
  update(approval: Approval): Promise<Approval>;
}

/** Look-ups beyond one id: from a CodePipeline run to its approvals, and the sweeper's work list. */
export interface ApprovalIndex {
  findByExecution(pipeline: string, executionId: string): Promise<Approval[]>;
  /** Approvals that are not final (pending or deciding). */
  listOpen(): Promise<Approval[]>;
}

export interface PutApprovalResultInput {
  pipeline: string;
  stage: string;
  action: string;
  token: string;
  status: "Approved" | "Rejected";
  summary: string;
  /** The run waiting at the action, when known: finds our own earlier answer in one look-up. */
  executionId?: string;
}

export interface ApprovalActionState {
  /** The run the action belongs to. */
  executionId?: string;
  /** The execution's approval token (absent from GetPipelineState in PARALLEL mode). */
  token?: string;
  status?: "InProgress" | "Succeeded" | "Failed" | "Abandoned";
  summary?: string;
}

export interface SourceRevision {
  commit?: string;
  summary?: string;
  url?: string;
}

/** CodePipeline, as Greenlight uses it. Errors arrive as `PipelineError`. */
export interface Pipeline {
  putApprovalResult(input: PutApprovalResultInput): Promise<{ approvedAt: string }>;
  /**
   * The approval action's execution that carries `token` (whatever the pipeline's execution mode:
   * in PARALLEL mode several runs wait at one action), or without a token its latest execution.
   * Empty when no execution is known.
   */
  approvalActionState(target: {
    pipeline: string;
    stage: string;
    action: string;
    token?: string;
    executionId?: string;
  }): Promise<ApprovalActionState>;
  /** Source revisions of a run, from GetPipelineExecution. */
  sourceRevisions(target: { pipeline: string; executionId: string }): Promise<SourceRevision[]>;
  /**
   * The source commit of the pipeline's latest succeeded run (ListPipelineExecutions), or
   * undefined: what production last received, before Greenlight has recorded a deploy itself.
   */
  lastSucceededCommit(pipeline: string): Promise<string | undefined>;
}

export interface ApprovalTarget {
  pipeline: string;
  stage: string;
  action: string;
}

/** The commit each approval action last let through to a production deploy that succeeded. */
export interface DeployLog {
  lastDeployed(target: ApprovalTarget): Promise<string | undefined>;
  recordDeployed(target: ApprovalTarget, commit: string, at: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Random {
  bytes(n: number): Uint8Array;
}
