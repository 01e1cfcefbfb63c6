import { answer, expireDue, locate } from "./approvals.js";
import type { PipelineModel } from "./model.js";
import { AwsError, Constraints, epochSeconds, isRecord } from "./protocol.js";
import {
  actionExecutionListView,
  executionListView,
  executionView,
  findExecution,
  pipelineListView,
  pipelineStateView,
  pipelineView,
} from "./views.js";

export const OPERATIONS = [
  "PutApprovalResult",
  "GetPipelineState",
  "GetPipelineExecution",
  "ListPipelineExecutions",
  "ListActionExecutions",
  "GetPipeline",
  "ListPipelines",
] as const;
export type Operation = (typeof OPERATIONS)[number];

export function isOperation(name: string): name is Operation {
  return OPERATIONS.some((operation) => operation === name);
}

/** Who is calling, as CodePipeline records it (`lastUpdatedBy`). */
export interface CallContext {
  caller: string;
  /** The region the request was signed for (ARNs in answers name it). */
  region: string;
}

const NAME = { min: 1, max: 100, pattern: /^[A-Za-z0-9.@\-_]+$/ };
const TOKEN = { max: 36, pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ };
const EXECUTION_ID = { min: 1, max: 100 };
/** ActionExecutionFilter.pipelineExecutionId (API reference: a UUID). */
const FILTER_EXECUTION_ID = { max: 36, pattern: TOKEN.pattern };
const NEXT_TOKEN = { min: 1, max: 2048 };
/** CodePipeline keeps at most 512 characters of an approval summary and refuses longer ones. */
const SUMMARY = { max: 512 };

type Handler = (model: PipelineModel, params: Record<string, unknown>, context: CallContext) => unknown;

export const handlers: Record<Operation, Handler> = {
  PutApprovalResult(model, params, context) {
    const check = new Constraints();
    const target = {
      pipeline: check.string(params.pipelineName, "pipelineName", NAME),
      stage: check.string(params.stageName, "stageName", NAME),
      action: check.string(params.actionName, "actionName", NAME),
    };
    const token = check.string(params.token, "token", TOKEN);
    const result = isRecord(params.result) ? params.result : {};
    const status = check.oneOf(result.status, "result.status", ["Approved", "Rejected"]);
    const summary = check.string(result.summary, "result.summary", SUMMARY);
    check.check();

    expireDue(model);
    const { action } = locate(model, target);
    // Any run's token: in PARALLEL mode several runs wait at the same action, each with its own.
    const run = action.runs.find((r) => r.token === token);
    if (run?.answer) {
      throw model.answeredTokenError === "InvalidApprovalTokenException"
        ? new AwsError("InvalidApprovalTokenException", "The approval request already received a response")
        : new AwsError("ApprovalAlreadyCompletedException", "Approval has already been completed");
    }
    if (run?.status !== "InProgress") {
      throw new AwsError("InvalidApprovalTokenException", "The approval token is not valid");
    }
    const approvedAt = answer(model, target, run, { status, summary, by: context.caller }, "api");
    return { approvedAt: epochSeconds(approvedAt) };
  },

  GetPipelineState(model, params) {
    const check = new Constraints();
    const name = check.string(params.name, "name", NAME);
    check.check();
    expireDue(model);
    return pipelineStateView(model.get(name));
  },

  GetPipelineExecution(model, params) {
    const check = new Constraints();
    const name = check.string(params.pipelineName, "pipelineName", NAME);
    const executionId = check.string(params.pipelineExecutionId, "pipelineExecutionId", EXECUTION_ID);
    check.check();
    expireDue(model);
    const pipeline = model.get(name);
    return executionView(pipeline, findExecution(pipeline, executionId));
  },

  ListPipelineExecutions(model, params) {
    const check = new Constraints();
    const name = check.string(params.pipelineName, "pipelineName", NAME);
    check.check();
    const max = maxResults(params.maxResults);
    const nextToken = typeof params.nextToken === "string" ? params.nextToken : undefined;
    expireDue(model);
    return executionListView(model.get(name), max, nextToken);
  },

  ListActionExecutions(model, params) {
    const check = new Constraints();
    const name = check.string(params.pipelineName, "pipelineName", NAME);
    const filter = isRecord(params.filter) ? params.filter : {};
    const executionId =
      filter.pipelineExecutionId === undefined
        ? undefined
        : check.string(filter.pipelineExecutionId, "filter.pipelineExecutionId", FILTER_EXECUTION_ID);
    const nextToken =
      params.nextToken === undefined ? undefined : check.string(params.nextToken, "nextToken", NEXT_TOKEN);
    check.check();
    const max = maxResults(params.maxResults);
    expireDue(model);
    const pipeline = model.get(name);
    if (executionId !== undefined) findExecution(pipeline, executionId);
    return actionExecutionListView(pipeline, max, { executionId, nextToken });
  },

  GetPipeline(model, params, context) {
    const check = new Constraints();
    const name = check.string(params.name, "name", NAME);
    check.check();
    const pipeline = model.get(name);
    // Only the current version is kept; an older one is not found (as for a deleted version).
    if (params.version !== undefined && params.version !== pipeline.version) {
      throw new AwsError(
        "PipelineVersionNotFoundException",
        `Pipeline version ${String(params.version)} not found`,
      );
    }
    return pipelineView(model, pipeline, context.region);
  },

  ListPipelines(model, params) {
    // ListPipelines takes maxResults 1 to 1,000 (API reference), unlike the execution lists.
    const max = params.maxResults === undefined ? 100 : params.maxResults;
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 1000) {
      throw new AwsError(
        "ValidationException",
        "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000",
      );
    }
    const nextToken = typeof params.nextToken === "string" ? params.nextToken : undefined;
    return pipelineListView(model.all(), max, nextToken);
  },
};

/** `maxResults`: 1 to 100, 100 by default (ListPipelineExecutions, ListActionExecutions). */
function maxResults(value: unknown): number {
  const max = value === undefined ? 100 : value;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 100) {
    throw new AwsError(
      "ValidationException",
      "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100",
    );
  }
  return max;
}
