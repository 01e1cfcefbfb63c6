import type { ModelEvent } from "./codepipeline/simulator.js";

/**
 * One human line for the moments worth seeing in the terminal of `npm start` (runs starting,
 * waiting for approval, ending); everything else is on the dashboard. Undefined: stay quiet.
 */
export function activityLine(event: ModelEvent): string | undefined {
  const run = `${event.pipeline} run ${event.executionId.slice(0, 8)}`;
  if (event.kind === "pipeline") {
    switch (event.status) {
      case "InProgress":
        return `▶ ${run} started`;
      case "Succeeded":
        return `✓ ${run} reached production`;
      case "Failed":
        return `✗ ${run} stopped (failed or rejected)`;
      case "Superseded":
        return `↷ ${run} superseded by a newer run`;
      default:
        return `■ ${run} ${event.status.toLowerCase()}`;
    }
  }
  if (event.kind === "action" && event.category === "Approval" && event.status === "InProgress") {
    return `⏸ ${run} waits at ${event.stage}: the approval e-mails are in the dashboard's inbox`;
  }
  return undefined;
}
