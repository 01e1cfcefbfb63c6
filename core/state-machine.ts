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

/** Events a record keeps (the "not kept" marker included): a record stays far below 400 KB. */
export const HISTORY_LIMIT = 100;
/** The first events always kept (opened, the first votes and reminders): how it started. */
const HISTORY_HEAD = 10;
export const HISTORY_TRIMMED = "history-trimmed";

const droppedBy = (e: AuditEvent | undefined) =>
  e?.event === HISTORY_TRIMMED ? Number.parseInt(e.detail ?? "0", 10) || 0 : 0;

/**
 * `history` plus one event, bounded (docs/security.md#33-nothing-grows-without-bound): DynamoDB refuses items over 400 KB, and a
 * short `reminderEvery` adds an event per reminder for up to 60 days. Past `HISTORY_LIMIT` the
 * oldest reminders go first (the only kind that grows with time; `reminders.count` keeps their
 * number), then the oldest events after the first ten; one marker after those ten counts them.
 */
export function appendHistory(history: readonly AuditEvent[], event: AuditEvent): AuditEvent[] {
  const all = [...history, event];
  if (all.length <= HISTORY_LIMIT) return all;
  const marker = all.find((e) => e.event === HISTORY_TRIMMED);
  const kept = all.filter((e) => e.event !== HISTORY_TRIMMED);
  let excess = kept.length + 1 - HISTORY_LIMIT;
  const drop = new Set<number>();
  // The newest event always stays; the first reminder stays with the head.
  const firstReminder = kept.findIndex((e) => e.event === "reminder");
  for (let i = HISTORY_HEAD; i < kept.length - 1 && excess > 0; i++) {
    if (kept[i]?.event === "reminder" && i !== firstReminder) {
      drop.add(i);
      excess--;
    }
  }
  for (let i = HISTORY_HEAD; i < kept.length - 1 && excess > 0; i++) {
    if (!drop.has(i)) {
      drop.add(i);
      excess--;
    }
  }
  const last = Math.max(...drop);
  const trimmed: AuditEvent = {
    at: kept[last]?.at ?? event.at,
    event: HISTORY_TRIMMED,
    detail: `${droppedBy(marker) + drop.size} events not kept (reminders first)`,
  };
  const rest = kept.filter((_, i) => !drop.has(i));
  return [...rest.slice(0, HISTORY_HEAD), trimmed, ...rest.slice(HISTORY_HEAD)];
}

function move(approval: Approval, to: ApprovalState, now: Date, event: AuditEvent): Approval {
  if (!canMove(approval.state, to)) throw new InvalidTransition(approval.state, to);
  return {
    ...approval,
    state: to,
    history: appendHistory(approval.history, event),
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
