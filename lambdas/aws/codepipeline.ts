import {
  type ActionExecution,
  type ActionExecutionDetail,
  CodePipelineClient,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  type GetPipelineStateOutput,
  ListActionExecutionsCommand,
  type ListActionExecutionsOutput,
  ListPipelineExecutionsCommand,
  PutApprovalResultCommand,
} from "@aws-sdk/client-codepipeline";
import { PipelineError, type PipelineErrorKind } from "../../core/errors.js";
import type {
  ApprovalActionState,
  Pipeline,
  PutApprovalResultInput,
  SourceRevision,
} from "../../core/ports.js";

type Target = { pipeline: string; stage: string; action: string };
type TokenTarget = Target & { token?: string; executionId?: string };

/** One execution of the approval action, wherever it was read from. */
interface ActionRun {
  executionId?: string;
  token?: string;
  status?: ApprovalActionState["status"];
  summary?: string;
  lastStatusChange?: Date;
}

/**
 * ListActionExecutions pages (100 each, newest first in practice; the order is not documented):
 * a bound, so a pipeline with a long history cannot keep one request paging for ever.
 */
const MAX_ACTION_PAGES = 5;

/** CodePipeline's answers that are states of the approval, not faults. */
const KIND_BY_NAME: Record<string, PipelineErrorKind> = {
  ApprovalAlreadyCompletedException: "already-completed",
  InvalidApprovalTokenException: "invalid-token",
  PipelineNotFoundException: "not-found",
  StageNotFoundException: "not-found",
  ActionNotFoundException: "not-found",
  PipelineExecutionNotFoundException: "not-found",
};
// Throttling arrives as a 400 with one of these names; the SDK has already retried it by then.
const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
]);
const TRANSIENT_NAMES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** `Pipeline` on the AWS SDK. SDK errors become `PipelineError` here and nowhere else. */
export class CodePipelineAdapter implements Pipeline {
  constructor(private readonly client: CodePipelineClient = new CodePipelineClient({})) {}

  async putApprovalResult(input: PutApprovalResultInput): Promise<{ approvedAt: string }> {
    const where = `PutApprovalResult on ${input.pipeline}/${input.stage}/${input.action}`;
    try {
      const out = await this.client.send(
        new PutApprovalResultCommand({
          pipelineName: input.pipeline,
          stageName: input.stage,
          actionName: input.action,
          token: input.token,
          result: { status: input.status, summary: input.summary },
        }),
      );
      // approvedAt is always there in practice; the call succeeded either way.
      return { approvedAt: (out.approvedAt ?? new Date()).toISOString() };
    } catch (e: unknown) {
      const error = translate(e, where, input.token);
      // Our own earlier attempt may have landed with its answer lost (a 5xx or timeout after the
      // write, then a retry by the SDK or the sweeper): that is success, not "decided elsewhere".
      // CodePipeline may then answer either error: ApprovalAlreadyCompletedException, or
      // InvalidApprovalTokenException, "the approval request already received a response or has
      // expired" (API reference, PutApprovalResult errors).
      if (
        !(error instanceof PipelineError) ||
        (error.kind !== "already-completed" && error.kind !== "invalid-token")
      ) {
        throw error;
      }
      const landed = await this.ourResultLanded(input);
      if (landed) return { approvedAt: landed };
      throw error;
    }
  }

  async approvalActionState(target: TokenTarget): Promise<ApprovalActionState> {
    const run = target.token
      ? await this.runWithToken({ ...target, token: target.token })
      : await this.latestRun(target);
    return {
      ...(run?.executionId ? { executionId: run.executionId } : {}),
      ...(run?.token ? { token: run.token } : {}),
      ...(run?.status ? { status: run.status } : {}),
      ...(run?.summary ? { summary: run.summary } : {}),
    };
  }

  async sourceRevisions(target: { pipeline: string; executionId: string }): Promise<SourceRevision[]> {
    const where = `GetPipelineExecution ${target.executionId} of ${target.pipeline}`;
    try {
      const out = await this.client.send(
        new GetPipelineExecutionCommand({
          pipelineName: target.pipeline,
          pipelineExecutionId: target.executionId,
        }),
      );
      return (out.pipelineExecution?.artifactRevisions ?? []).map((revision) => ({
        ...(revision.revisionId ? { commit: revision.revisionId } : {}),
        ...(revision.revisionSummary ? { summary: revision.revisionSummary } : {}),
        ...(revision.revisionUrl ? { url: revision.revisionUrl } : {}),
      }));
    } catch (e: unknown) {
      throw translate(e, where);
    }
  }

  /**
   * The first source revision of the newest run that succeeded, from ListPipelineExecutions
   * (newest first, paged by `nextToken`); a few pages at most, since the answer is a fallback
   * for before Greenlight has recorded a deploy of its own.
   */
  async lastSucceededCommit(pipeline: string): Promise<string | undefined> {
    const where = `ListPipelineExecutions of ${pipeline}`;
    let nextToken: string | undefined;
    try {
      for (let page = 0; page < 5; page++) {
        const out = await this.client.send(
          new ListPipelineExecutionsCommand({ pipelineName: pipeline, maxResults: 100, nextToken }),
        );
        const succeeded = out.pipelineExecutionSummaries?.find((e) => e.status === "Succeeded");
        if (succeeded) return succeeded.sourceRevisions?.[0]?.revisionId;
        nextToken = out.nextToken;
        if (!nextToken) return undefined;
      }
      return undefined;
    } catch (e: unknown) {
      throw translate(e, where);
    }
  }

  /** The stage's current run and the action's latest execution, from GetPipelineState. */
  private async readAction(target: Target): Promise<{ executionId?: string; latest?: ActionExecution }> {
    const where = `GetPipelineState of ${target.pipeline}`;
    let out: GetPipelineStateOutput;
    try {
      out = await this.client.send(new GetPipelineStateCommand({ name: target.pipeline }));
    } catch (e: unknown) {
      throw translate(e, where);
    }
    const stage = out.stageStates?.find((s) => s.stageName === target.stage);
    const action = stage?.actionStates?.find((a) => a.actionName === target.action);
    if (!stage || !action) {
      const missing = stage ? `action ${target.action} in stage ${target.stage}` : `stage ${target.stage}`;
      throw new PipelineError("not-found", `${where}: no ${missing}`);
    }
    const executionId = stage.latestExecution?.pipelineExecutionId;
    return {
      ...(executionId ? { executionId } : {}),
      ...(action.latestExecution ? { latest: action.latestExecution } : {}),
    };
  }

  /** The action's latest execution and the run its stage last processed (GetPipelineState). */
  private async latestRun(target: Target): Promise<ActionRun | undefined> {
    const { executionId, latest } = await this.readAction(target);
    if (!executionId && !latest) return undefined;
    return { ...(executionId ? { executionId } : {}), ...(latest ? fromState(latest) : {}) };
  }

  /**
   * The execution of the action that carries `token`. GetPipelineState shows it when it is the
   * action's latest and gives the token (SUPERSEDED and QUEUED mode: one run holds the stage). In
   * PARALLEL mode it does not give the token; there the approval's `externalExecutionId` in
   * ListActionExecutions is the token (API reference, PutApprovalResult "token"), and
   * ListActionExecutions has every run's status and summary.
   */
  private async runWithToken(
    target: Target & { token: string; executionId?: string },
  ): Promise<ActionRun | undefined> {
    const { executionId, latest } = await this.readAction(target);
    if (latest?.token === target.token) {
      return { ...(executionId ? { executionId } : {}), ...fromState(latest) };
    }
    const where = `ListActionExecutions of ${target.pipeline}`;
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_ACTION_PAGES; page++) {
      let out: ListActionExecutionsOutput;
      try {
        out = await this.client.send(
          new ListActionExecutionsCommand({
            pipelineName: target.pipeline,
            ...(target.executionId ? { filter: { pipelineExecutionId: target.executionId } } : {}),
            ...(nextToken ? { nextToken } : {}),
          }),
        );
      } catch (e: unknown) {
        throw translate(e, where, target.token);
      }
      const found = out.actionExecutionDetails?.find(
        (d) =>
          d.stageName === target.stage &&
          d.actionName === target.action &&
          d.output?.executionResult?.externalExecutionId === target.token,
      );
      if (found) return fromDetail(found);
      nextToken = out.nextToken;
      if (!nextToken) return undefined;
    }
    return undefined;
  }

  /**
   * When the execution holding our token carries exactly our answer (verdict, summary), the time it
   * changed. If this check fails itself (usually "unavailable"), that is the caller's answer.
   */
  private async ourResultLanded(input: PutApprovalResultInput): Promise<string | undefined> {
    const run = await this.runWithToken(input);
    const expected = input.status === "Approved" ? "Succeeded" : "Failed";
    const ours = run?.status === expected && run.summary === input.summary;
    return ours ? (run.lastStatusChange ?? new Date()).toISOString() : undefined;
  }
}

function fromState(latest: ActionExecution): ActionRun {
  return {
    ...(latest.token ? { token: latest.token } : {}),
    ...(latest.status ? { status: latest.status } : {}),
    ...(latest.summary ? { summary: latest.summary } : {}),
    ...(latest.lastStatusChange ? { lastStatusChange: latest.lastStatusChange } : {}),
  };
}

function fromDetail(detail: ActionExecutionDetail): ActionRun {
  const result = detail.output?.executionResult;
  return {
    ...(detail.pipelineExecutionId ? { executionId: detail.pipelineExecutionId } : {}),
    ...(result?.externalExecutionId ? { token: result.externalExecutionId } : {}),
    ...(detail.status ? { status: detail.status } : {}),
    ...(result?.externalExecutionSummary ? { summary: result.externalExecutionSummary } : {}),
    ...(detail.lastUpdateTime ? { lastStatusChange: detail.lastUpdateTime } : {}),
  };
}

/**
 * SDK error → `PipelineError` for the answers that are states (see `KIND_BY_NAME`) and for
 * everything that says "try later"; anything else (validation, access denied) is a bug or a
 * misconfiguration and is rethrown as it is. The token never reaches a message.
 */
function translate(e: unknown, where: string, token?: string): unknown {
  if (!(e instanceof Error)) return e;
  if (token && e.message.includes(token)) e.message = e.message.replaceAll(token, `${token.slice(0, 4)}…`);
  const kind = KIND_BY_NAME[e.name] ?? (isUnavailable(e) ? "unavailable" : undefined);
  if (!kind) return e;
  const error = new PipelineError(kind, `${where}: ${e.name}: ${e.message}`);
  error.cause = e;
  return error;
}

function isUnavailable(e: Error): boolean {
  const status = "$metadata" in e ? statusOf(e.$metadata) : undefined;
  const fault = "$fault" in e ? e.$fault : undefined;
  const code = "code" in e ? e.code : undefined;
  return (
    THROTTLING.has(e.name) ||
    TRANSIENT_NAMES.has(e.name) ||
    fault === "server" ||
    (status !== undefined && status >= 500) ||
    (typeof code === "string" && NETWORK_CODES.has(code))
  );
}

function statusOf(metadata: unknown): number | undefined {
  if (typeof metadata !== "object" || metadata === null || !("httpStatusCode" in metadata)) return undefined;
  return typeof metadata.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
}
