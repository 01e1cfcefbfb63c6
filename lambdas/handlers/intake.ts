import type { ContextRetry } from "../../core/context.js";
import { InvalidInput, NoMatchingRule } from "../../core/errors.js";
import { parseApprovalMessage, snsMessages } from "../../core/notification.js";
import { type OpenDeps, openApproval } from "../../core/open.js";
import type { Logger } from "../log.js";

export interface IntakeDeps extends OpenDeps {
  log: Logger;
  /** Waits between CodePipeline look-up retries (a timer in Lambda); without it they follow at once. */
  pause?: (ms: number) => Promise<void>;
}

/**
 * CodePipeline look-ups at intake: 4 tries, 1 s, 3 s and 9 s apart — 13 s of the function's 30 s.
 * A failed look-up is transient (throttling, a 5xx, IAM still propagating); after the last try the
 * approval opens with what is known, the problem recorded on it (issue 12 item 7).
 */
export const CONTEXT_RETRY: ContextRetry = { attempts: 4, delayMs: (n) => 1000 * 3 ** (n - 1) };

export interface IntakeSummary {
  opened: string[];
  existing: string[];
  rejected: number;
}

/**
 * SNS → open approvals. A message that can never succeed (no name, token or expiry to answer
 * with; no matching rule) is refused with one log line the intake alarm counts, so SNS/Lambda do
 * not retry it forever; optional fields never refuse it (they degrade, core/notification.ts). A
 * transient failure (the store, the network) is rethrown after the other records were handled,
 * and the retry is harmless because opening is idempotent; CodePipeline look-ups are retried in
 * place (CONTEXT_RETRY) and never stop the approval from opening.
 */
export function makeIntakeHandler(deps: IntakeDeps) {
  const openDeps: OpenDeps = {
    ...deps,
    contextRetry: deps.contextRetry ?? { ...CONTEXT_RETRY, ...(deps.pause ? { pause: deps.pause } : {}) },
  };
  return async (event: unknown): Promise<IntakeSummary> => {
    const summary: IntakeSummary = { opened: [], existing: [], rejected: 0 };
    let messages: string[];
    try {
      messages = snsMessages(event);
    } catch (e: unknown) {
      if (!(e instanceof InvalidInput)) throw e;
      deps.log.error(
        { err: { code: e.code, field: e.field, expected: e.expected } },
        "intake: approval notification refused: not an SNS event",
      );
      summary.rejected++;
      return summary;
    }

    const transient: unknown[] = [];
    for (const [index, message] of messages.entries()) {
      try {
        const request = parseApprovalMessage(message);
        const where = { pipeline: request.pipeline, stage: request.stage, action: request.action };
        const result = await openApproval(openDeps, request);
        const id = result.approval.id;
        (result.created ? summary.opened : summary.existing).push(id);
        deps.log.info({ approvalId: id, ...where, created: result.created }, "intake: approval opened");
        if (result.contextProblem) {
          deps.log.warn(
            { approvalId: id, problem: result.contextProblem },
            "intake: change context incomplete; the approval opened without it",
          );
        }
      } catch (e: unknown) {
        if (e instanceof InvalidInput) {
          summary.rejected++;
          // Only what PutApprovalResult needs can get here (names, token, expiry): loud, since
          // the pipeline now waits with nobody asked. The metric filter counts this line.
          deps.log.error(
            { record: index, field: e.field, expected: e.expected },
            "intake: approval notification refused: it cannot be answered",
          );
        } else if (e instanceof NoMatchingRule) {
          summary.rejected++;
          deps.log.error(
            { record: index, ...e.target },
            "intake: approval notification refused: no greenlight.yml rule matches; nobody could approve",
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
