import type { Approval } from "./approval.js";
import { appendHistory, isPastExpiry } from "./state-machine.js";

/** A pending approval is due a reminder once `reminderEvery` has passed since it opened or was last reminded. */
export function reminderDue(approval: Approval, now: Date): boolean {
  const every = approval.rule.reminderEvery;
  if (approval.state !== "pending" || every === false || isPastExpiry(approval, now)) return false;
  const since = Date.parse(approval.reminders?.lastAt ?? approval.createdAt);
  return now.getTime() - since >= every;
}

/** Record that reminder N+1 is due; channels send it to the people who have not acted yet. */
export function markReminded(approval: Approval, now: Date): Approval {
  const count = (approval.reminders?.count ?? 0) + 1;
  const at = now.toISOString();
  return {
    ...approval,
    reminders: { count, lastAt: at },
    updatedAt: at,
    history: appendHistory(approval.history, { at, event: "reminder", detail: `#${count}` }),
  };
}

/** Channel identities (`email:…`, `slack:…`) that already voted: reminders skip them. */
export function hasVoted(approval: Approval, principal: string): boolean {
  return principal in approval.votes;
}
