import type { Random } from "../../core/ports.js";
import type { Logger } from "../../lambdas/log.js";
import { snsEvent } from "../codepipeline/notification.js";
import type { ActionInfo, CodePipelineSimulator, ModelEvent, Revision } from "../codepipeline/simulator.js";
import { resumePoint } from "./resume.js";
import { approvalConfig, STAGE_MS, sampleRevision, TRANSITION_MS } from "./sample.js";

export interface RunnerOptions {
  simulator: CodePipelineSimulator;
  /** SNS → the intake Lambda: where the approval action's notification goes. */
  notify: (event: unknown) => Promise<unknown>;
  region: string;
  /** The staging links in notifications point here (the dashboard serves a staging page). */
  publicUrl: string;
  random: Random;
  now: () => Date;
  log: Logger;
  /** Multiplies every stage duration: 1 is demo speed, 0.01 runs a whole pipeline in a blink. */
  timeScale?: number;
  stageMs?: Record<string, number>;
  /** How long an approval waits before CodePipeline times it out (its default: 7 days). */
  approvalTimeoutMs?: number;
}

export interface StartOptions {
  revision?: Revision;
  /** Make this stage's action fail (to see a failed deploy on the dashboard). */
  failAt?: string;
}

interface ActiveRun {
  pipeline: string;
  executionId: string;
  stages: { name: string; actions: ActionInfo[] }[];
  failAt?: string;
  /** The stage the run waits in front of, while another run holds it (SUPERSEDED, QUEUED mode). */
  waitingAt?: number;
  timers: Set<NodeJS.Timeout>;
}

const SEVEN_DAYS_MS = 7 * 24 * 3_600_000;

/**
 * CodePipeline's engine, locally: moves each run through its stages with realistic pauses, stops
 * at the approval action, notifies intake the way CodePipeline notifies SNS, and carries on (or
 * not) once the simulator records the answer. It only reacts to the simulator's state changes,
 * so answers from Greenlight, from the "console" or a timeout all move the run the same way.
 */
export class PipelineRunner {
  private readonly active = new Map<string, ActiveRun>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private started = 0;

  constructor(private readonly options: RunnerOptions) {
    this.unsubscribe = options.simulator.onEvent((event) => this.onEvent(event));
  }

  /** Start a run of `pipeline` from a sample commit (or the given revision). */
  start(pipeline: string, options: StartOptions = {}): { executionId: string } {
    const sim = this.options.simulator;
    const definition = sim.pipelines().find((p) => p.name === pipeline);
    if (!definition) throw new Error(`No pipeline ${pipeline}`);
    const revision = options.revision ?? sampleRevision(this.started++, this.options.random);
    const { executionId } = sim.startRun(pipeline, revision);
    const run: ActiveRun = { pipeline, executionId, stages: definition.stages, timers: new Set() };
    if (options.failAt) run.failAt = options.failAt;
    this.active.set(executionId, run);
    this.later(run, TRANSITION_MS, () => this.enter(run, 0));
    return { executionId };
  }

  /**
   * Pick up the runs a saved simulator state left moving (the local stack restarted): unfinished
   * actions finish, waiting approvals keep waiting (and time out when due).
   */
  resume(): void {
    const sim = this.options.simulator;
    for (const definition of sim.pipelines()) {
      for (const view of sim.runs(definition.name, 1_000)) {
        const point = resumePoint(view);
        if (!point) continue;
        const run: ActiveRun = {
          pipeline: definition.name,
          executionId: view.executionId,
          stages: definition.stages,
          timers: new Set(),
        };
        this.active.set(run.executionId, run);
        if (point.kind === "enter") this.later(run, TRANSITION_MS, () => this.enter(run, point.stage));
        else if (point.kind === "start") this.runAction(run, point.stage, point.action);
        else if (point.kind === "finish") this.finishLater(run, point.stage, point.action);
        else this.timeOutAt(run, view.stages[point.stage]?.actions[point.action]?.expiresAt);
      }
    }
  }

  /** Stop moving runs; notifications already on their way are delivered first. */
  async close(): Promise<void> {
    this.unsubscribe();
    for (const run of this.active.values()) this.forget(run);
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  private enter(run: ActiveRun, index: number): void {
    const stage = run.stages[index];
    if (!stage) return;
    const entered = this.options.simulator.enterStage({ ...this.where(run), stage: stage.name });
    // A locked stage lets the run in later; its stage STARTED event (onEvent) says when.
    if (entered === "entered") this.runAction(run, index, 0);
    else run.waitingAt = index;
  }

  private runAction(run: ActiveRun, stageIndex: number, actionIndex: number): void {
    const stage = run.stages[stageIndex];
    const action = stage?.actions[actionIndex];
    // After the last action the simulator settles the stage, and onEvent moves on.
    if (!stage || !action) return;
    const step = { ...this.where(run), stage: stage.name, action: action.name };
    if (action.category === "Approval") {
      this.requestApproval(run, step);
      return;
    }
    this.options.simulator.startAction(step);
    this.finishLater(run, stageIndex, actionIndex);
  }

  /** The running action ends after its share of the stage's time (failing if asked to). */
  private finishLater(run: ActiveRun, stageIndex: number, actionIndex: number): void {
    const stage = run.stages[stageIndex];
    const action = stage?.actions[actionIndex];
    if (!stage || !action) return;
    const step = { ...this.where(run), stage: stage.name, action: action.name };
    const ms = (this.options.stageMs?.[stage.name] ?? STAGE_MS[stage.name] ?? 5_000) / stage.actions.length;
    this.later(run, ms, () => {
      const fails = run.failAt === stage.name;
      this.options.simulator.finishAction({
        ...step,
        status: fails ? "Failed" : "Succeeded",
        ...(fails ? { message: `${action.name} failed: health checks did not pass` } : {}),
      });
      if (!fails) this.runAction(run, stageIndex, actionIndex + 1);
    });
  }

  private requestApproval(run: ActiveRun, step: { stage: string; action: string }): void {
    const { simulator, now, region, publicUrl } = this.options;
    const timeout = Math.min(this.options.approvalTimeoutMs ?? SEVEN_DAYS_MS, SEVEN_DAYS_MS);
    const target = { ...step, pipeline: run.pipeline };
    const { token, expiresAt } = simulator.awaitApproval({
      ...target,
      executionId: run.executionId,
      expiresAt: new Date(now().getTime() + timeout),
    });
    this.timeOutAt(run, expiresAt.toISOString());
    // CodePipeline publishes only to the action's NotificationArn: without Greenlight's topic the
    // run waits for the console (and `greenlight doctor` names the action).
    if (!simulator.notifiesGreenlight(target)) {
      this.options.log.warn({ ...target }, "runner: the approval action does not notify Greenlight's topic");
      return;
    }
    const extra = approvalConfig(publicUrl, run.pipeline, run.executionId);
    this.deliver(snsEvent({ region, ...target, token, expiresAt, ...extra }));
  }

  /** CodePipeline times the approval out itself; unscaled, like the expiry in the notification. */
  private timeOutAt(run: ActiveRun, expiresAt: string | undefined): void {
    if (!expiresAt) return;
    const ms = Math.min(Math.max(Date.parse(expiresAt) - this.options.now().getTime(), 0), SEVEN_DAYS_MS);
    const timer = setTimeout(() => this.options.simulator.expireApprovals(), ms + 1_000);
    run.timers.add(timer);
  }

  /** SNS → Lambda retries a failed delivery a few times, then gives up (and says so). */
  private deliver(event: unknown): void {
    const attempt = async () => {
      for (let n = 1; n <= 3; n++) {
        try {
          await this.options.notify(event);
          return;
        } catch (e: unknown) {
          const error = e instanceof Error ? e.message : String(e);
          this.options.log.error({ attempt: n, error }, "runner: approval notification failed");
          await new Promise((r) => setTimeout(r, 200 * n));
        }
      }
    };
    const delivery = attempt().finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  private onEvent(event: ModelEvent): void {
    const run = this.active.get(event.executionId);
    if (!run) return;
    if (event.kind === "pipeline" && event.status !== "InProgress") this.forget(run);
    if (event.kind === "stage" && event.status === "InProgress" && run.waitingAt !== undefined) {
      const index = run.stages.findIndex((s) => s.name === event.stage);
      if (index === run.waitingAt) {
        run.waitingAt = undefined;
        this.later(run, TRANSITION_MS, () => this.runAction(run, index, 0));
      }
    }
    if (event.kind === "stage" && event.status === "Succeeded") {
      const next = run.stages.findIndex((s) => s.name === event.stage) + 1;
      if (next > 0 && next < run.stages.length) this.later(run, TRANSITION_MS, () => this.enter(run, next));
    }
  }

  private forget(run: ActiveRun): void {
    for (const timer of run.timers) clearTimeout(timer);
    run.timers.clear();
    this.active.delete(run.executionId);
  }

  private where(run: ActiveRun) {
    return { pipeline: run.pipeline, executionId: run.executionId };
  }

  /** Run `step` after `ms` scaled by the time scale, unless the run ends first. */
  private later(run: ActiveRun, ms: number, step: () => void): void {
    const timer = setTimeout(
      () => {
        run.timers.delete(timer);
        if (!this.active.has(run.executionId)) return;
        try {
          step();
        } catch (e: unknown) {
          // The run ended between scheduling and now (superseded, answered in the console).
          this.options.log.warn({ executionId: run.executionId, error: String(e) }, "runner: step skipped");
        }
      },
      Math.round(ms * (this.options.timeScale ?? 1)),
    );
    run.timers.add(timer);
  }
}
