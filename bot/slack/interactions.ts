import type { App } from "@slack/bolt";
import { createBoltApp, ExternalReceiver } from "./bolt.js";
import type { Interaction } from "./envelope.js";
import { registerListeners } from "./listeners/index.js";
import type { VoteDeps } from "./vote.js";

export interface InteractionDeps extends VoteDeps {
  /** The bot token (and the stand-in's URL locally), resolved once: Secrets Manager on AWS. */
  settings: () => Promise<{ botToken: string; apiUrl?: string }>;
  /** How long the HTTP answer may wait for the listeners; Slack gives up after 3 s. */
  deadlineMs?: number;
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

  async handle(interaction: Interaction): Promise<Answer> {
    const app = await this.bolt();
    let acked: { response: unknown } | undefined;
    let failed = false;
    const processing = app
      .processEvent({
        body: interaction,
        ack: async (response?: unknown) => {
          acked ??= { response };
        },
      })
      .catch(() => {
        failed = true; // already logged by the app's error handler (bolt.ts)
      });
    this.running.add(processing);
    void processing.finally(() => this.running.delete(processing));

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), this.deps.deadlineMs ?? 2_000);
    });
    const finished = (await Promise.race([processing.then(() => "done" as const), deadline])) === "done";
    clearTimeout(timer);

    if (!finished)
      this.deps.log.warn({ channel: "slack", acked: !!acked }, "slack: answered at the deadline");
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
