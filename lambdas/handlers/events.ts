import { InvalidInput } from "../../core/errors.js";
import { type LifecycleDeps, onPipelineEvent } from "../../core/lifecycle.js";
import {
  ACTION_STATES,
  PIPELINE_STATES,
  type PipelineEvent,
  parsePipelineEvent,
  STAGE_STATES,
} from "../../core/pipeline-events.js";
import type { Logger } from "../log.js";

/**
 * EventBridge → the approval lifecycle: CodePipeline state changes (deploy outcome, approvals
 * answered in the console, superseded runs) and the scheduled sweep (expiry, stuck deliveries).
 * An event we cannot read is logged and dropped; anything else throws so EventBridge retries. A
 * state outside CodePipeline's documented lists (a stage SKIPPED, a state added later) is read and
 * handled as "nothing to do", with a line saying so.
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
    if (!documented(parsed) && parsed.kind !== "schedule") {
      deps.log.info(
        { kind: parsed.kind, state: parsed.state },
        "events: state not in CodePipeline's documented list",
      );
    }
    const changed = await onPipelineEvent(deps, parsed);
    deps.log.info({ kind: parsed.kind, changed }, "events: handled");
    return { changed };
  };
}

const DOCUMENTED: Record<Exclude<PipelineEvent["kind"], "schedule">, readonly string[]> = {
  action: ACTION_STATES,
  stage: STAGE_STATES,
  pipeline: PIPELINE_STATES,
};

function documented(event: PipelineEvent): boolean {
  return event.kind === "schedule" || DOCUMENTED[event.kind].includes(event.state);
}
