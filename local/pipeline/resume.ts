import type { RunView } from "../codepipeline/simulator.js";

/** Where a run that was moving when the stack stopped picks up again. */
export type ResumePoint =
  /** Start stage `stage` (nothing of it ran yet). */
  | { kind: "enter"; stage: number }
  /** Action `action` of stage `stage` was running: let it finish. */
  | { kind: "finish"; stage: number; action: number }
  /** The run waits at an approval: keep waiting (the approval record still holds its token). */
  | { kind: "wait"; stage: number; action: number }
  /** Action `action` of stage `stage` is next (an earlier action of the stage succeeded). */
  | { kind: "start"; stage: number; action: number };

/** From a run's stage states, what the runner does next; undefined when the run is over. */
export function resumePoint(run: RunView): ResumePoint | undefined {
  if (run.status !== "InProgress") return undefined;
  const last = run.stages.findLastIndex((s) => s.status !== undefined);
  if (last < 0) return { kind: "enter", stage: 0 };
  const stage = run.stages[last];
  if (!stage) return undefined;
  if (stage.status === "Succeeded")
    return last + 1 < run.stages.length ? { kind: "enter", stage: last + 1 } : undefined;
  if (stage.status !== "InProgress") return undefined;
  const running = stage.actions.findIndex((a) => a.status === "InProgress");
  if (running >= 0) {
    const kind = stage.actions[running]?.category === "Approval" ? "wait" : "finish";
    return { kind, stage: last, action: running };
  }
  const next = stage.actions.findIndex((a) => a.status === undefined);
  return next >= 0 ? { kind: "start", stage: last, action: next } : undefined;
}
