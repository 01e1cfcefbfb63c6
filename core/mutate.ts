import type { Approval } from "./approval.js";
import { NotFound, VersionConflict } from "./errors.js";
import type { ApprovalStore } from "./ports.js";

const MAX_ATTEMPTS = 50;

/**
 * Read-modify-write with optimistic locking: `change` sees the current record and returns the
 * next one, or undefined when there is nothing to do. On a conflict the record is read again and
 * `change` runs again, so it must be a pure function of the record.
 */
export async function mutate(
  store: ApprovalStore,
  id: string,
  change: (current: Approval) => Approval | undefined,
): Promise<{ approval: Approval; changed: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.get(id);
    if (!current) throw new NotFound(id);
    const next = change(current);
    if (!next) return { approval: current, changed: false };
    try {
      return { approval: await store.update(next), changed: true };
    } catch (e: unknown) {
      if (!(e instanceof VersionConflict)) throw e;
    }
  }
  throw new VersionConflict(id, -1);
}
