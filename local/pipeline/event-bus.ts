import type { Logger } from "../../lambdas/log.js";

export interface EventBusOptions {
  /** The events Lambda's handler. */
  handler: (event: unknown) => Promise<unknown>;
  log: Logger;
  /**
   * EventBridge delivers within about half a second, never inside the request that caused the
   * change; the delay keeps the local order of events realistic (core's lifecycle also leaves a
   * fresh `deciding` record to the request delivering it).
   */
  delayMs?: number;
  /** Attempts per event before it is logged and dropped (EventBridge's retry policy, shortened). */
  attempts?: number;
  /** How often the scheduled rule fires (the sweep); off when absent. */
  scheduleEveryMs?: number;
  schedule?: () => unknown;
}

/**
 * The local stand-in for EventBridge: CodePipeline events and the scheduled tick reach the events
 * handler one at a time, in the order they happened, a moment after they happened.
 */
export class LocalEventBus {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private ticker: NodeJS.Timeout | undefined;
  private closed = false;
  /** The latest events handed to the handler, oldest first (the dashboard and tests read them). */
  readonly delivered: unknown[] = [];

  constructor(private readonly options: EventBusOptions) {
    const { scheduleEveryMs, schedule } = options;
    if (scheduleEveryMs && schedule) {
      this.ticker = setInterval(() => this.publish(schedule()), scheduleEveryMs);
    }
  }

  publish(event: unknown): void {
    if (this.closed) return;
    this.pending++;
    const due = new Promise<void>((resolve) => setTimeout(resolve, this.options.delayMs ?? 300));
    this.queue = this.queue.then(async () => {
      await due;
      await this.deliver(event);
      this.pending--;
    });
  }

  /** Resolves once every event published so far was handled. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  /** Stops the tick and lets what was already published finish. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    await this.idle();
  }

  private async deliver(event: unknown): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handler(event);
        this.delivered.push(event);
        if (this.delivered.length > 500) this.delivered.shift();
        return;
      } catch (e: unknown) {
        const error = e instanceof Error ? e.message : String(e);
        if (attempt >= attempts) {
          this.options.log.error({ error, attempts }, "events: delivery failed, event dropped");
          return;
        }
        this.options.log.warn({ error, attempt }, "events: delivery failed, retrying");
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }
}
