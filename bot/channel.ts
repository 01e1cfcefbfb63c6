import type { Approval } from "../core/approval.js";

/**
 * A channel as the projector sees it: bring the channel up to date with the approval. It runs
 * again after every change of the record (and on retries), so it must be idempotent: it records
 * what it did on the record (refs, "notified at" marks) and checks them first.
 */
export interface ChannelProjector {
  readonly name: string;
  sync(approval: Approval): Promise<void>;
}
