import type { Clock, Random } from "../../core/ports.js";
import type { Logger } from "../../lambdas/log.js";
import type { CodePipelineSimulator, PipelineDefinition } from "../codepipeline/simulator.js";
import { loadStateFile, writeAtomically } from "../state-file.js";
import { LocalEventBus } from "./event-bus.js";
import { scheduledEvent, toEventBridge } from "./eventbridge.js";
import { PipelineRunner } from "./runner.js";
import { SHOP_WEB } from "./sample.js";

export interface LocalPipelinesOptions {
  /** The pipelines to run; the sample `shop-web` by default. */
  definitions?: PipelineDefinition[];
  /** Stage durations × this (1 = demo speed; tests use ~0.01). */
  timeScale?: number;
  /** Each stage's duration in ms at time scale 1, where the sample's should not be used. */
  stageMs?: Record<string, number>;
  /** How long approvals wait before CodePipeline times them out (7 days by default). */
  approvalTimeoutMs?: number;
  /** The scheduled sweep's period (30 s by default, as the stack on AWS is configured locally). */
  sweepEveryMs?: number;
  /** How long after a state change its EventBridge event arrives. */
  eventDelayMs?: number;
  /** A JSON file keeping the pipelines' runs across restarts (runs resume where they were). */
  stateFile?: string;
}

export interface LocalPipelinesDeps {
  simulator: CodePipelineSimulator;
  /** SNS → the intake Lambda. */
  intake: (event: unknown) => Promise<unknown>;
  /** EventBridge → the events Lambda. */
  events: (event: unknown) => Promise<unknown>;
  region: string;
  publicUrl: string;
  random: Random;
  clock: Clock;
  log: Logger;
}

/**
 * CodePipeline's side of the local stack: the pipelines, the runner moving their runs, and
 * EventBridge carrying every state change (and the sweep's tick) to the events handler.
 */
export async function startPipelines(deps: LocalPipelinesDeps, options: LocalPipelinesOptions = {}) {
  const { simulator, region, clock, log } = deps;
  await loadStateFile(options.stateFile, (text) => simulator.loadState(text), log);
  for (const definition of options.definitions ?? [SHOP_WEB]) {
    if (!simulator.pipelines().some((p) => p.name === definition.name)) simulator.definePipeline(definition);
  }
  const versions = new Map(simulator.pipelines().map((p) => [p.name, p.version]));

  const bus = new LocalEventBus({
    handler: deps.events,
    log,
    ...(options.eventDelayMs !== undefined ? { delayMs: options.eventDelayMs } : {}),
    scheduleEveryMs: options.sweepEveryMs ?? 30_000,
    schedule: () => scheduledEvent(clock.now(), region),
  });
  const unsubscribe = simulator.onEvent((event) =>
    bus.publish(toEventBridge(event, { region, version: versions.get(event.pipeline) ?? 1 })),
  );
  const runner = new PipelineRunner({
    simulator,
    notify: deps.intake,
    region,
    publicUrl: deps.publicUrl,
    random: deps.random,
    now: () => clock.now(),
    log,
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    ...(options.stageMs ? { stageMs: options.stageMs } : {}),
    ...(options.approvalTimeoutMs !== undefined ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}),
  });
  runner.resume();

  return {
    runner,
    bus,
    /** Stop the runs and the tick, then deliver the events already on their way. */
    async close(): Promise<void> {
      await runner.close();
      unsubscribe();
      await bus.close();
      if (options.stateFile) await writeAtomically(options.stateFile, simulator.saveState());
    },
  };
}

export type LocalPipelines = Awaited<ReturnType<typeof startPipelines>>;
