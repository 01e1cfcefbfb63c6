import { answer, expireDue, locate } from "./approvals.js";
import type { PipelineModel } from "./model.js";
import { AwsError, Constraints, epochSeconds, isRecord } from "./protocol.js";
import { executionListView, executionView, findExecution, pipelineStateView } from "./views.js";

export const OPERATIONS = [
  "PutApprovalResult",
  "GetPipelineState",
  "GetPipelineExecution",
  "ListPipelineExecutions",
] as const;
export type Operation = (typeof OPERATIONS)[number];

export function isOperation(name: string): name is Operation {
  return OPERATIONS.some((operation) => operation === name);
}

/** Who is calling, as CodePipeline records it (`lastUpdatedBy`). */
export interface CallContext {
  caller: string;
}

const NAME = { min: 1, max: 100, pattern: /^[A-Za-z0-9.@\-_]+$/ };
const TOKEN = { max: 36, pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ };
const EXECUTION_ID = { min: 1, max: 100 };
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
    const run = action.runs.find((r) => r.token === token);
    if (run?.answer) {
      throw new AwsError("ApprovalAlreadyCompletedException", "Approval has already been completed");
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
    const max = params.maxResults === undefined ? 100 : params.maxResults;
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 100) {
      throw new AwsError(
        "ValidationException",
        "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100",
      );
    }
    const nextToken = typeof params.nextToken === "string" ? params.nextToken : undefined;
    expireDue(model);
    return executionListView(model.get(name), max, nextToken);
  },
};
