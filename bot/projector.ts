import type { Approval } from "../core/approval.js";
import type { ApprovalStore } from "../core/ports.js";
import type { ChannelProjector } from "./channel.js";
import type { Log } from "./shared/log.js";

/** How long the steps before the channels may take before the channels go ahead without them. */
const PREPARE_MS = 8_000;

/**
 * Channels are views of the approval record: after every change, each channel brings itself up
 * to date, all at once, so the slowest channel sets the pace and a failing one blocks nobody.
 * `prepare` steps (reading the release from GitHub) run first, so every channel shows what they
 * found in the same pass; each is bounded in time, and a slow or failing one only means the
 * channels show less this time. Failures are logged and rethrown together, so the caller's retry
 * (DynamoDB Streams, or the local change feed) runs everything again; all steps are idempotent.
 */
export function createProjector(deps: {
  store: ApprovalStore;
  channels: ChannelProjector[];
  prepare?: ChannelProjector[];
  log: Log;
  prepareMs?: number;
}) {
  return async function project(approvalId: string): Promise<void> {
    const failures: unknown[] = [];
    const fail = (name: string | undefined, reason: unknown) => {
      failures.push(reason);
      const message = reason instanceof Error ? reason.message : String(reason);
      deps.log.error({ approvalId, channel: name, error: message }, "channel update failed");
    };
    const read = await deps.store.get(approvalId);
    if (!read) return;
    let approval: Approval = read;
    for (const step of deps.prepare ?? []) {
      const before: Approval = approval;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${step.name}: no answer within ${deps.prepareMs ?? PREPARE_MS} ms`)),
          deps.prepareMs ?? PREPARE_MS,
        );
      });
      try {
        await Promise.race([step.sync(before), timeout]);
      } catch (e: unknown) {
        fail(step.name, e);
      } finally {
        clearTimeout(timer);
      }
      approval = (await deps.store.get(approvalId)) ?? before;
    }
    const current = approval;
    const results = await Promise.allSettled(deps.channels.map((ch) => ch.sync(current)));
    results.forEach((r, i) => {
      if (r.status === "rejected") fail(deps.channels[i]?.name, r.reason);
    });
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} channel(s) failed for ${approvalId}`);
  };
}

export type Projector = ReturnType<typeof createProjector>;
