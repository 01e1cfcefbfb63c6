import type { Approval } from "./approval.js";
import { VersionConflict } from "./errors.js";
import type { ApprovalStore, Clock } from "./ports.js";
import { isPastExpiry, markExpired } from "./state-machine.js";

const MAX_ATTEMPTS = 50;

/**
 * Mark a pending approval expired once its `expiresAt` has passed. Returns the record as it ends
 * up; a record that is not pending, or not yet due, is returned unchanged.
 */
export async function expireApproval(
  deps: { store: ApprovalStore; clock: Clock },
  id: string,
): Promise<Approval | undefined> {
  // Bounded like decide's retries: a store that keeps reporting conflicts must not spin forever.
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const approval = await deps.store.get(id);
    if (approval?.state !== "pending" || !isPastExpiry(approval, deps.clock.now())) return approval;
    try {
      return await deps.store.update(markExpired(approval, deps.clock.now()));
    } catch (e: unknown) {
      if (!(e instanceof VersionConflict)) throw e;
    }
  }
  throw new VersionConflict(id, -1);
}
