import type { Approval, ApprovalRequest } from "./approval.js";
import { type ContextRetry, resolveContext } from "./context.js";
import { NoMatchingRule } from "./errors.js";
import { matchRule, type Policy } from "./policy.js";
import type { ApprovalStore, Clock, Pipeline } from "./ports.js";
import { newApproval } from "./state-machine.js";
import { approvalIdFor } from "./tokens.js";

export interface OpenDeps {
  store: ApprovalStore;
  pipeline: Pipeline;
  clock: Clock;
  policy: Policy;
  /** How often to try CodePipeline's look-ups before opening with what is known; once by default. */
  contextRetry?: ContextRetry;
}

export interface OpenResult {
  created: boolean;
  approval: Approval;
  /** Why the change context is incomplete, if it is. */
  contextProblem?: string;
}

/**
 * Open an approval for a CodePipeline notification. Idempotent: the id derives from the
 * CodePipeline token, and creation is conditional, so redelivered notifications find the record.
 */
export async function openApproval(deps: OpenDeps, request: ApprovalRequest): Promise<OpenResult> {
  const rule = matchRule(deps.policy, request);
  if (!rule) throw new NoMatchingRule(request);
  const id = approvalIdFor(request);
  // A redelivery skips the CodePipeline look-ups; the conditional create below settles races.
  const existing = await deps.store.get(id);
  if (existing) return { created: false, approval: existing };

  const { context, problem } = await resolveContext(deps.pipeline, request, deps.contextRetry);
  const now = deps.clock.now();
  const fresh = newApproval({ id, request, context, rule, now });
  // Recorded on the approval, not only logged: the problem is visible where people look.
  const approval = problem
    ? {
        ...fresh,
        contextProblem: problem,
        history: [...fresh.history, { at: now.toISOString(), event: "context-incomplete", detail: problem }],
      }
    : fresh;
  const result = await deps.store.create(approval);
  return problem ? { ...result, contextProblem: problem } : result;
}
