import type { Approval } from "./approval.js";
import { VersionConflict } from "./errors.js";
import type { ApprovalStore, Clock } from "./ports.js";
import { isPastExpiry, markExpired } from "./state-machine.js";

/**
 * Mark a pending approval expired once its `expiresAt` has passed. Returns the record as it ends
 * up; a record that is not pending, or not yet due, is returned unchanged.
 */
export async function expireApproval(
  deps: { store: ApprovalStore; clock: Clock },
  id: string,
): Promise<Approval | undefined> {
  for (;;) {
    const approval = await deps.store.get(id);
    if (approval?.state !== "pending" || !isPastExpiry(approval, deps.clock.now()))
      return approval;
    try {
      return await deps.store.update(markExpired(approval, deps.clock.now()));
    } catch (e: unknown) {
      if (!(e instanceof VersionConflict)) throw e;
    }
  }
}
