import type {
  Approval,
  ApprovalRequest,
  ApprovalState,
  AuditEvent,
  ChangeContext,
  ClosedReason,
  Vote,
} from "./approval.js";
import { InvalidTransition } from "./errors.js";
import type { Rule } from "./policy.js";

const NEXT: Record<ApprovalState, ReadonlySet<ApprovalState>> = {
  pending: new Set(["pending", "deciding", "expired", "closed-elsewhere"]),
  // A stuck delivery can still end by the action timing out or being answered in the console.
  deciding: new Set(["approved", "rejected", "expired", "closed-elsewhere"]),
  approved: new Set(),
  rejected: new Set(),
  expired: new Set(),
  "closed-elsewhere": new Set(),
};

export function canMove(from: ApprovalState, to: ApprovalState): boolean {
  return NEXT[from].has(to);
}

function move(approval: Approval, to: ApprovalState, now: Date, event: AuditEvent): Approval {
  if (!canMove(approval.state, to)) throw new InvalidTransition(approval.state, to);
  return {
    ...approval,
    state: to,
    history: [...approval.history, event],
    updatedAt: now.toISOString(),
  };
}

export function newApproval(input: {
  id: string;
  request: ApprovalRequest;
  context: ChangeContext;
  rule: Rule;
  now: Date;
}): Approval {
  const at = input.now.toISOString();
  return {
    id: input.id,
    version: 0,
    state: "pending",
    request: input.request,
    context: input.context,
    rule: input.rule,
    votes: {},
    links: {},
    channels: {},
    history: [{ at, event: "opened", detail: `rule ${input.rule.name}` }],
    createdAt: at,
    updatedAt: at,
  };
}

export type VoteEffect = "recorded" | "duplicate" | "deciding";

/**
 * Add a vote to a pending approval. One rejection decides; approvals decide when `rule.quorum`
 * distinct principals have approved. The same principal voting the same way again changes nothing.
 */
export function castVote(
  approval: Approval,
  vote: Vote,
  now: Date,
): { approval: Approval; effect: VoteEffect } {
  if (approval.state !== "pending") throw new InvalidTransition(approval.state, "deciding");
  const previous = approval.votes[vote.principal];
  if (previous && previous.verdict === vote.verdict) return { approval, effect: "duplicate" };

  const votes = { ...approval.votes, [vote.principal]: vote };
  const approvals = Object.values(votes).filter((v) => v.verdict === "approve");
  const decides = vote.verdict === "reject" || approvals.length >= approval.rule.quorum;
  const event: AuditEvent = {
    at: now.toISOString(),
    event: vote.verdict === "approve" ? "approved-vote" : "rejected-vote",
    who: vote.principal,
    channel: vote.actor.channel,
    ...(vote.comment ? { detail: vote.comment } : {}),
  };
  const withVote = { ...approval, votes };
  if (!decides) return { approval: move(withVote, "pending", now, event), effect: "recorded" };
  const decision = {
    verdict: vote.verdict,
    by: vote,
    approvals: vote.verdict === "approve" ? approvals : [],
    at: now.toISOString(),
  };
  return { approval: move({ ...withVote, decision }, "deciding", now, event), effect: "deciding" };
}

/** CodePipeline accepted the result. */
export function markDelivered(approval: Approval, now: Date): Approval {
  const decision = approval.decision;
  if (approval.state !== "deciding" || !decision) throw new InvalidTransition(approval.state, "approved");
  const to = decision.verdict === "approve" ? "approved" : "rejected";
  return move({ ...approval, decision: { ...decision, deliveredAt: now.toISOString() } }, to, now, {
    at: now.toISOString(),
    event: `delivered-${to}`,
  });
}

/** The action ended without our answer landing: the console, a newer run, a missing pipeline. */
export function closeElsewhere(approval: Approval, reason: ClosedReason, now: Date): Approval {
  return move({ ...approval, closedReason: reason }, "closed-elsewhere", now, {
    at: now.toISOString(),
    event: "closed-elsewhere",
    detail: reason,
  });
}

export function markExpired(approval: Approval, now: Date): Approval {
  return move(approval, "expired", now, { at: now.toISOString(), event: "expired" });
}

export function isPastExpiry(approval: Approval, now: Date): boolean {
  return now.getTime() >= Date.parse(approval.request.expiresAt);
}
