import type { ApprovalStore } from "../core/ports.js";
import type { ChannelProjector } from "./channel.js";
import type { Log } from "./shared/log.js";

/**
 * Channels are views of the approval record: after every change, each channel brings itself up
 * to date, all at once, so the slowest channel sets the pace and a failing one blocks nobody.
 * Failures are logged and rethrown together, so the caller's retry (DynamoDB Streams, or the local
 * change feed) runs the channels again; they are idempotent.
 */
export function createProjector(deps: { store: ApprovalStore; channels: ChannelProjector[]; log: Log }) {
  return async function project(approvalId: string): Promise<void> {
    const approval = await deps.store.get(approvalId);
    if (!approval) return;
    const results = await Promise.allSettled(deps.channels.map((ch) => ch.sync(approval)));
    const failures: unknown[] = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") return;
      failures.push(r.reason);
      const channel = deps.channels[i]?.name;
      const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
      deps.log.error({ approvalId, channel, error: message }, "channel update failed");
    });
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} channel(s) failed for ${approvalId}`);
  };
}

export type Projector = ReturnType<typeof createProjector>;
