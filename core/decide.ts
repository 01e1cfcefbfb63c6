import type { Actor, Approval, Verdict } from "./approval.js";
import { authorize, namedActor, principalFor } from "./authorize.js";
import {
  AlreadyDecided,
  ClosedElsewhere,
  Expired,
  InvalidTransition,
  NotFound,
  PipelineError,
  VersionConflict,
} from "./errors.js";
import { expireApproval } from "./expire.js";
import type { ApprovalStore, Clock, Pipeline } from "./ports.js";
import { castVote, closeElsewhere, isPastExpiry, markDelivered, markExpired } from "./state-machine.js";
import { buildSummary } from "./summary.js";

export interface DecideDeps {
  store: ApprovalStore;
  pipeline: Pipeline;
  clock: Clock;
}

export interface DecideInput {
  approvalId: string;
  actor: Actor;
  verdict: Verdict;
  comment?: string;
  /** The typed confirmation, for high-risk rules. */
  confirmation?: string;
  /**
   * The record as the caller just read it (to find the person's identity or their link), so the
   * first attempt needs no read of its own: one read and two conditional writes per decision. A
   * copy that went stale meanwhile only costs a version conflict and a fresh read.
   */
  current?: Approval;
}

export type DecideResult =
  /** Counted towards quorum; more approvals are needed. */
  | { outcome: "vote-recorded"; approval: Approval; approvals: number; quorum: number }
  /** This person had already voted this way: nothing changed. */
  | { outcome: "already-voted"; approval: Approval }
  /** The decision reached CodePipeline. */
  | { outcome: "approved" | "rejected"; approval: Approval }
  /** Recorded, but CodePipeline could not be reached: the sweeper delivers it. Never lost, never doubled. */
  | { outcome: "delivery-pending"; approval: Approval };

// Each losing round means someone else's write landed, so contention resolves quickly; the bound
// only guards against a store that keeps reporting conflicts.
const MAX_ATTEMPTS = 50;

/** Refuse anything that is not an open, unexpired approval; throws the error the person should see. */
function assertOpen(approval: Approval, now: Date): void {
  if (
    approval.decision &&
    (approval.state === "deciding" || approval.state === "approved" || approval.state === "rejected")
  ) {
    throw new AlreadyDecided(approval.id, approval.decision);
  }
  if (approval.state === "expired") throw new Expired(approval.id, approval.request.expiresAt);
  if (approval.state === "closed-elsewhere")
    throw new ClosedElsewhere(approval.id, approval.closedReason ?? "console");
  if (isPastExpiry(approval, now)) throw new Expired(approval.id, approval.request.expiresAt);
}

/**
 * Record a vote and, when it settles the approval, deliver the result to CodePipeline.
 * Read → pure next state → conditional write on version (retry on conflict). Only the writer that
 * moved the record to `deciding` calls PutApprovalResult, so the result is sent at most once.
 */
export async function decide(deps: DecideDeps, input: DecideInput): Promise<DecideResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const given = attempt === 0 && input.current?.id === input.approvalId ? input.current : undefined;
    const approval = given ?? (await deps.store.get(input.approvalId));
    if (!approval) throw new NotFound(input.approvalId);
    const now = deps.clock.now();
    try {
      assertOpen(approval, now);
    } catch (e: unknown) {
      if (e instanceof Expired && approval.state === "pending") await expireApproval(deps, approval.id);
      throw e;
    }
    authorize(approval, input.actor, input.verdict, input.confirmation);

    const { approval: next, effect } = castVote(
      approval,
      {
        principal: principalFor(approval.rule, input.actor),
        verdict: input.verdict,
        // Named as people: names them, whichever channel they came through (one name everywhere).
        actor: namedActor(approval.rule, input.actor),
        ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}),
        at: now.toISOString(),
      },
      now,
    );
    if (effect === "duplicate") return { outcome: "already-voted", approval };

    let written: Approval;
    try {
      written = await deps.store.update(next);
    } catch (e: unknown) {
      if (e instanceof VersionConflict) continue;
      throw e;
    }
    if (effect === "recorded") {
      const approvals = Object.values(written.votes).filter((v) => v.verdict === "approve").length;
      return { outcome: "vote-recorded", approval: written, approvals, quorum: written.rule.quorum };
    }
    return deliver(deps, written);
  }
  throw new VersionConflict(input.approvalId, -1);
}

/**
 * Send a `deciding` approval's result to CodePipeline and record how it ended. Also the sweeper's
 * way to finish a delivery that a crash or throttling interrupted.
 */
export async function deliver(
  deps: DecideDeps,
  approval: Approval,
): Promise<Extract<DecideResult, { outcome: "approved" | "rejected" | "delivery-pending" }>> {
  const decision = approval.decision;
  if (approval.state !== "deciding" || !decision) throw new InvalidTransition(approval.state, "approved");
  try {
    await deps.pipeline.putApprovalResult({
      pipeline: approval.request.pipeline,
      stage: approval.request.stage,
      action: approval.request.action,
      token: approval.request.token,
      status: decision.verdict === "approve" ? "Approved" : "Rejected",
      summary: buildSummary(decision),
      ...(approval.context.executionId ? { executionId: approval.context.executionId } : {}),
    });
  } catch (e: unknown) {
    if (!(e instanceof PipelineError)) throw e;
    const kind = e.kind;
    if (kind === "unavailable") return { outcome: "delivery-pending", approval };
    const now = deps.clock.now();
    const reason = kind === "not-found" ? "pipeline-not-found" : kind;
    const ended = await settle(deps, approval, (a) =>
      kind === "invalid-token" && isPastExpiry(a, now) ? markExpired(a, now) : closeElsewhere(a, reason, now),
    );
    if (ended.state === "expired") throw new Expired(ended.id, ended.request.expiresAt);
    throw new ClosedElsewhere(ended.id, ended.closedReason ?? "console");
  }
  const done = await settle(deps, approval, (a) => markDelivered(a, deps.clock.now()));
  // CodePipeline accepted this verdict, whatever state a concurrent writer left the record in.
  return { outcome: decision.verdict === "approve" ? "approved" : "rejected", approval: done };
}

/**
 * Apply a final transition to a `deciding` record. Channel updates may bump the version meanwhile,
 * so a conflict re-reads; nobody else can move a `deciding` record to another state but the sweeper,
 * which would do the same thing.
 */
async function settle(
  deps: DecideDeps,
  known: Approval,
  transition: (a: Approval) => Approval,
): Promise<Approval> {
  let current: Approval | undefined = known;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) current = await deps.store.get(known.id);
    if (!current) throw new NotFound(known.id);
    if (current.state !== "deciding") return current;
    try {
      return await deps.store.update(transition(current));
    } catch (e: unknown) {
      if (!(e instanceof VersionConflict)) throw e;
    }
  }
  throw new VersionConflict(known.id, -1);
}
