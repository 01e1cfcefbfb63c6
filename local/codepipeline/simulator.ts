import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  type ApprovalAnswer,
  type ApprovalTarget,
  answer,
  arriveAtApproval,
  awaitApproval,
  expireDue,
  locate,
  type StartApprovalInput,
  startApproval,
  stopExecution,
  waiting,
} from "./approvals.js";
import { type CallRecord, formatCallLog, redact } from "./call-log.js";
import { CONNECTION_RESET, type FaultOptions, FaultPlan, faultMessage } from "./faults.js";
import { executionModeOf, PipelineModel } from "./model.js";
import { handlers, isOperation, type Operation } from "./operations.js";
import { AwsError, readJsonBody, sendError, sendJson, TARGET_PREFIX } from "./protocol.js";
import { type RunView, runViews } from "./run-view.js";
import { enterStage, finishAction, type RunStep, startAction, startRun } from "./runs.js";
import { parsePipelines, serializePipelines } from "./saved-state.js";
import type {
  ActionCategory,
  ActionRun,
  Execution,
  ExecutionMode,
  ModelEvent,
  PipelineDefinition,
  Revision,
} from "./types.js";

export type { ApprovalAnswer, ApprovalTarget, StartApprovalInput } from "./approvals.js";
export type { CallRecord } from "./call-log.js";
export type { FaultOptions } from "./faults.js";
export type { Operation } from "./operations.js";
export type { RunView, StageView } from "./run-view.js";
export type { RunStep } from "./runs.js";
export type * from "./types.js";

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The simulator's clock: approval expiry, timestamps, the call log. */
  now?: () => Date;
  /**
   * What PutApprovalResult answers for a token that was already answered. The API reference
   * documents both: ApprovalAlreadyCompletedException ("the approval action has already been
   * approved or rejected") and InvalidApprovalTokenException ("the approval request already
   * received a response or has expired"). Which one AWS picks is not documented.
   */
  answeredTokenError?: "ApprovalAlreadyCompletedException" | "InvalidApprovalTokenException";
  /**
   * The SNS topic approval actions notify unless their definition names another (or null): what
   * GetPipeline reports as their `NotificationArn`, and whom the local pipeline runner tells.
   */
  approvalTopicArn?: string;
}

const ACCOUNT = "123456789012";

export interface ActionInfo {
  name: string;
  category: ActionCategory;
}

/**
 * CodePipeline on a local port, speaking the AWS JSON 1.1 subset Greenlight uses, with a
 * programmatic side for tests and the local stack: define pipelines, make runs wait at approvals,
 * answer in the "console", inject faults, read the calls it received.
 */
export class CodePipelineSimulator {
  /** Every request received, oldest first; tokens are redacted. */
  readonly calls: CallRecord[] = [];
  private readonly faults = new FaultPlan();

  private constructor(
    private readonly server: Server,
    private readonly model: PipelineModel,
    readonly url: string,
  ) {}

  static async start(options: SimulatorOptions = {}): Promise<CodePipelineSimulator> {
    const model = new PipelineModel(options.now ?? (() => new Date()));
    if (options.answeredTokenError) model.answeredTokenError = options.answeredTokenError;
    model.approvalTopicArn = options.approvalTopicArn;
    let simulator: CodePipelineSimulator | undefined;
    const server = createServer((req, res) => void simulator?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    const bound = server.address();
    if (!bound || typeof bound === "string") throw new Error("The simulator is not listening on TCP");
    const host = bound.address.includes(":") ? `[${bound.address}]` : bound.address;
    simulator = new CodePipelineSimulator(server, model, `http://${host}:${bound.port}`);
    return simulator;
  }

  definePipeline(definition: PipelineDefinition): void {
    this.model.define(definition);
  }

  /**
   * Whether the approval action's requests reach Greenlight's topic (`approvalTopicArn`): what
   * CodePipeline publishes to is the action's NotificationArn, and nothing when it has none.
   */
  notifiesGreenlight(target: ApprovalTarget): boolean {
    const { action } = locate(this.model, target);
    return this.model.notificationArnOf(action) === this.model.approvalTopicArn;
  }

  /**
   * A new run waits at the approval action; returns its execution id and approval token. Throws
   * when the stage is locked by another run (use `arriveAtApproval` to let the run wait in front).
   */
  startApproval(input: StartApprovalInput): { executionId: string; token: string } {
    return startApproval(this.model, input);
  }

  /**
   * A new run arrives at the approval's stage: it waits at the approval (with a token), or, while
   * another run holds the stage (SUPERSEDED, QUEUED), in front of it without one; it reaches the
   * approval by itself once the stage is free (read its token with `approvalRun`).
   */
  arriveAtApproval(input: StartApprovalInput): { executionId: string; token?: string } {
    const { executionId, token } = arriveAtApproval(this.model, input);
    return token ? { executionId, token } : { executionId };
  }

  /** StopPipelineExecution with abandon: the run's waiting approval is abandoned, its token refused. */
  stopExecution(pipeline: string, executionId: string): void {
    stopExecution(this.model, pipeline, executionId);
  }

  /** Someone answered the waiting approval in the AWS console (the given run's, or the latest). */
  completeInConsole(target: ApprovalTarget & ApprovalAnswer & { executionId?: string }): void {
    expireDue(this.model);
    const run = waiting(locate(this.model, target).action, target.executionId);
    if (!run) {
      throw new Error(`No approval is waiting at ${target.pipeline}/${target.stage}/${target.action}`);
    }
    const by = target.by ?? `arn:aws:iam::${ACCOUNT}:user/console-user`;
    answer(this.model, target, run, { ...target, by }, "console");
  }

  /**
   * The next `times` calls of `operation` fail with `errorName` (e.g. `ThrottlingException`,
   * `InternalFailure`, `ServiceUnavailable`; `ECONNRESET` drops the connection). With
   * `afterApplying`, the call takes effect and only the answer is lost.
   */
  failNext(operation: Operation | "*", errorName: string, times = 1, options: FaultOptions = {}): void {
    this.faults.add(operation, errorName, times, options);
  }

  /** Forget the failures planned and not used yet. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** A copy of the approval action's latest run (token included: this is the test side). */
  latestRun(target: ApprovalTarget): ActionRun | undefined {
    expireDue(this.model);
    const run = locate(this.model, target).action.runs.at(-1);
    return run && structuredClone(run);
  }

  /** A copy of one run's execution of the approval action (token included: the test side). */
  approvalRun(target: ApprovalTarget, executionId: string): ActionRun | undefined {
    expireDue(this.model);
    const run = locate(this.model, target).action.runs.findLast((r) => r.executionId === executionId);
    return run && structuredClone(run);
  }

  execution(pipeline: string, executionId: string): Execution | undefined {
    const execution = this.model.get(pipeline).executions.find((e) => e.id === executionId);
    return execution && structuredClone(execution);
  }

  /** Pipeline names, and each pipeline's stages and actions (what a runner walks through). */
  pipelines(): {
    name: string;
    version: number;
    executionMode: ExecutionMode;
    stages: { name: string; actions: ActionInfo[] }[];
  }[] {
    return this.model.all().map((p) => ({
      name: p.name,
      version: p.version,
      executionMode: executionModeOf(p),
      stages: p.stages.map((s) => ({
        name: s.name,
        actions: s.actions.map(({ name, category }) => ({ name, category })),
      })),
    }));
  }

  /** A pipeline's runs with every stage's state for each run, newest first. */
  runs(pipeline: string, limit?: number): RunView[] {
    expireDue(this.model);
    return structuredClone(runViews(this.model.get(pipeline), limit));
  }

  // A pipeline runner moves a run stage by stage with these, as CodePipeline's own engine would;
  // `startApproval` above is the shortcut for tests that only need a run waiting at an approval.

  /** A new run starts from its source revision; no stage has run yet. */
  startRun(pipeline: string, revision?: Revision): { executionId: string } {
    return { executionId: startRun(this.model, pipeline, revision) };
  }

  /** The run enters the stage, or waits in front of it while another run holds it. */
  enterStage(step: RunStep): "entered" | "waiting" {
    return enterStage(this.model, step);
  }

  /** A build, test or deploy action starts. */
  startAction(step: RunStep & { action: string }): void {
    startAction(this.model, step);
  }

  /** It ends; its stage and the run follow (the last stage ends the run, a failure stops it). */
  finishAction(step: RunStep & { action: string; status: "Succeeded" | "Failed"; message?: string }): void {
    finishAction(this.model, step);
  }

  /** The run reaches the approval action and waits with a fresh token (CodePipeline then notifies SNS). */
  awaitApproval(step: ApprovalTarget & { executionId: string; expiresAt?: Date | string }): {
    token: string;
    expiresAt: Date;
  } {
    return awaitApproval(this.model, step);
  }

  /** Time out approvals past their expiry now, rather than at the next API call. */
  expireApprovals(): void {
    expireDue(this.model);
  }

  /** The pipelines and their runs as JSON (the local stack keeps them in its data folder). */
  saveState(): string {
    return serializePipelines(this.model.save());
  }

  /** Pipelines saved by `saveState`, back as they were; call before defining pipelines again. */
  loadState(json: string): void {
    this.model.load(parsePipelines(json));
  }

  /** Every state change, as it happens; returns an unsubscribe function. */
  onEvent(listener: (event: ModelEvent) => void): () => void {
    return this.model.subscribe(listener);
  }

  /** The calls received, one readable line each. */
  callLog(): string {
    return formatCallLog(this.calls);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    let params: Record<string, unknown> = {};
    let injected = false;
    const record = (status: number, outcome: string) =>
      this.calls.push({ at: this.model.now().toISOString(), operation, params, status, outcome, injected });
    try {
      if (req.method !== "POST" || req.url !== "/") throw new AwsError("UnknownOperationException", "", 404);
      const input = await readJsonBody(req);
      params = redact(input);
      if (!req.headers.authorization) {
        throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token");
      }
      if (!isOperation(operation)) throw new AwsError("UnknownOperationException", `Unknown: ${target}`);
      const fault = this.faults.take(operation);
      const apply = () =>
        handlers[operation](this.model, input, { caller: callerArn(req), region: regionOf(req) });
      if (fault?.afterApplying) apply();
      injected = fault !== undefined;
      if (fault?.error === CONNECTION_RESET) {
        record(0, CONNECTION_RESET);
        req.socket.destroy();
        return;
      }
      if (fault) throw new AwsError(fault.error, faultMessage(fault.error));
      sendJson(res, requestId, apply());
      record(200, "ok");
    } catch (e: unknown) {
      const error =
        e instanceof AwsError ? e : new AwsError("InternalFailure", `Simulator bug: ${String(e)}`, 500);
      sendError(res, requestId, error);
      record(error.status, error.type);
    }
  }
}

/** The access key id from the SigV4 `Authorization` header, dressed as the IAM user who called. */
function callerArn(req: IncomingMessage): string {
  const keyId = /Credential=([^/,\s]+)/.exec(req.headers.authorization ?? "")?.[1] ?? "unknown";
  return `arn:aws:iam::${ACCOUNT}:user/${keyId}`;
}

/** The region the request was signed for (SigV4 credential scope: key/date/region/service/aws4_request). */
function regionOf(req: IncomingMessage): string {
  return (
    /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "us-east-1"
  );
}

export function startCodePipelineSimulator(options?: SimulatorOptions): Promise<CodePipelineSimulator> {
  return CodePipelineSimulator.start(options);
}
