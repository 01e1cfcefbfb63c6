import type { App } from "@slack/bolt";
import { createBoltApp, ExternalReceiver } from "./bolt.js";
import type { Interaction } from "./envelope.js";
import { registerListeners } from "./listeners/index.js";
import type { VoteDeps } from "./vote.js";

export interface InteractionDeps extends VoteDeps {
  /** The bot token (and the stand-in's URL locally), resolved once: Secrets Manager on AWS. */
  settings: () => Promise<{ botToken: string; apiUrl?: string }>;
  /**
   * How long after the request *arrived* the HTTP answer may wait for the listeners: Slack shows
   * an error 3 s after sending it ("Acknowledge within 3 seconds", Handling user interaction), and
   * the secret read, Bolt's import and the listeners all come out of the same 3 s.
   */
  deadlineMs?: number;
  /** Waits `ms` (a real timer by default); tests pass one that moves their clock instead. */
  wait?: (ms: number) => { done: Promise<void>; cancel(): void };
}

export const DEFAULT_DEADLINE_MS = 2_000;

function timer(ms: number): { done: Promise<void>; cancel(): void } {
  let handle: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, ms);
  });
  return { done, cancel: () => clearTimeout(handle) };
}

/** What goes back to Slack: an empty 200, or the listener's ack payload (a modal response). */
export interface Answer {
  status: 200 | 404 | 500;
  body?: unknown;
}

/**
 * Verified interactions → Bolt listeners, through `App.processEvent`. The HTTP answer waits for the
 * listeners to finish, because on Lambda nothing runs after the response is returned; the deadline
 * makes sure Slack still hears back in time when something downstream is slow.
 */
export class SlackInteractions {
  private app: Promise<App> | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: InteractionDeps) {}

  private bolt(): Promise<App> {
    this.app ??= (async () => {
      const { botToken, apiUrl } = await this.deps.settings();
      const app = await createBoltApp({
        botToken,
        ...(apiUrl ? { apiUrl } : {}),
        log: this.deps.log,
        transport: { receiver: new ExternalReceiver() },
      });
      registerListeners(app, this.deps);
      return app;
    })();
    // A failed start (no secret yet, say) is retried by the next request rather than remembered.
    this.app.catch(() => {
      this.app = undefined;
    });
    return this.app;
  }

  /**
   * `arrivedAt` is when the request reached us (the route takes it first thing): the deadline is
   * measured from there, so a slow cold start (secret read, Bolt import) shortens the wait for the
   * listeners instead of pushing the answer past Slack's 3 s.
   */
  async handle(interaction: Interaction, arrivedAt: Date = this.deps.clock.now()): Promise<Answer> {
    let acked: { response: unknown } | undefined;
    let failed = false;
    let started = false;
    const processing = (async () => {
      const app = await this.bolt();
      started = true;
      await app.processEvent({
        body: interaction,
        ack: async (response?: unknown) => {
          acked ??= { response };
        },
      });
    })().catch((e: unknown) => {
      failed = true;
      // Listener failures are logged by the app's error handler (bolt.ts); a failed start is not.
      if (!started)
        this.deps.log.error(
          { channel: "slack", error: e instanceof Error ? e.message : String(e) },
          "slack: could not start Bolt",
        );
    });
    this.running.add(processing);
    void processing.finally(() => this.running.delete(processing));

    const elapsed = this.deps.clock.now().getTime() - arrivedAt.getTime();
    const left = Math.max(0, (this.deps.deadlineMs ?? DEFAULT_DEADLINE_MS) - elapsed);
    const deadline = (this.deps.wait ?? timer)(left);
    const finished =
      (await Promise.race([
        processing.then(() => "done" as const),
        deadline.done.then(() => "late" as const),
      ])) === "done";
    deadline.cancel();

    if (!finished)
      this.deps.log.warn(
        {
          channel: "slack",
          acked: !!acked,
          sinceArrivalMs: this.deps.clock.now().getTime() - arrivedAt.getTime(),
        },
        "slack: answered at the deadline",
      );
    if (acked) return acked.response === undefined ? { status: 200 } : { status: 200, body: acked.response };
    if (failed) return { status: 500, body: { error: "internal error" } };
    // No listener took it (an unknown modal callback): say so rather than let Slack time out.
    return finished ? { status: 404, body: { error: "no handler for this interaction" } } : { status: 200 };
  }

  /** Resolves when every interaction still running has finished (tests, local shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
