import { InvalidInput } from "../../core/errors.js";
import { type LifecycleDeps, onPipelineEvent } from "../../core/lifecycle.js";
import { parsePipelineEvent } from "../../core/pipeline-events.js";
import type { Logger } from "../log.js";

/**
 * EventBridge → the approval lifecycle: CodePipeline state changes (deploy outcome, approvals
 * answered in the console, superseded runs) and the scheduled sweep (expiry, stuck deliveries).
 * An event we cannot read is logged and dropped; anything else throws so EventBridge retries.
 */
export function makeEventsHandler(deps: LifecycleDeps & { log: Logger }) {
  return async (event: unknown): Promise<{ changed: number }> => {
    let parsed: ReturnType<typeof parsePipelineEvent>;
    try {
      parsed = parsePipelineEvent(event);
    } catch (e: unknown) {
      if (!(e instanceof InvalidInput)) throw e;
      deps.log.error({ field: e.field, expected: e.expected }, "events: unreadable event dropped");
      return { changed: 0 };
    }
    const changed = await onPipelineEvent(deps, parsed);
    deps.log.info({ kind: parsed.kind, changed }, "events: handled");
    return { changed };
  };
}
