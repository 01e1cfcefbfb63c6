import { InvalidInput, NoMatchingRule } from "../../core/errors.js";
import { parseApprovalMessage, snsMessages } from "../../core/notification.js";
import { type OpenDeps, openApproval } from "../../core/open.js";
import type { Logger } from "../log.js";

export interface IntakeDeps extends OpenDeps {
  log: Logger;
}

export interface IntakeSummary {
  opened: string[];
  existing: string[];
  rejected: number;
}

/**
 * SNS → open approvals. A message that can never succeed (malformed, no matching rule) is logged
 * and dropped, so SNS/Lambda do not retry it forever; a transient failure (the store, the network)
 * is rethrown after the other records were handled, and the retry is harmless because opening is
 * idempotent.
 */
export function makeIntakeHandler(deps: IntakeDeps) {
  return async (event: unknown): Promise<IntakeSummary> => {
    const summary: IntakeSummary = { opened: [], existing: [], rejected: 0 };
    let messages: string[];
    try {
      messages = snsMessages(event);
    } catch (e: unknown) {
      if (!(e instanceof InvalidInput)) throw e;
      deps.log.error(
        { err: { code: e.code, field: e.field, expected: e.expected } },
        "intake: not an SNS event",
      );
      summary.rejected++;
      return summary;
    }

    const transient: unknown[] = [];
    for (const [index, message] of messages.entries()) {
      try {
        const request = parseApprovalMessage(message);
        const where = { pipeline: request.pipeline, stage: request.stage, action: request.action };
        const result = await openApproval(deps, request);
        const id = result.approval.id;
        (result.created ? summary.opened : summary.existing).push(id);
        deps.log.info({ approvalId: id, ...where, created: result.created }, "intake: approval opened");
        if (result.contextProblem) {
          deps.log.warn(
            { approvalId: id, problem: result.contextProblem },
            "intake: change context incomplete",
          );
        }
      } catch (e: unknown) {
        if (e instanceof InvalidInput) {
          summary.rejected++;
          deps.log.error(
            { record: index, field: e.field, expected: e.expected },
            "intake: malformed approval notification dropped",
          );
        } else if (e instanceof NoMatchingRule) {
          summary.rejected++;
          deps.log.error(
            { record: index, ...e.target },
            "intake: no greenlight.yml rule matches; nobody could approve",
          );
        } else {
          transient.push(e);
          deps.log.error({ record: index, err: e }, "intake: could not open approval, will retry");
        }
      }
    }
    if (transient.length > 0)
      throw new AggregateError(transient, `intake: ${transient.length} record(s) failed`);
    return summary;
  };
}
