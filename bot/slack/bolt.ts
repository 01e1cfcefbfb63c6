import type { App, AppOptions, Receiver } from "@slack/bolt";
import type { Log } from "../shared/log.js";

/**
 * Bolt's transport is pluggable: this receiver does nothing, because Hono receives the request,
 * verifies it and hands the payload to `App.processEvent` itself (see interactions.ts).
 */
export class ExternalReceiver implements Receiver {
  init(): void {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

type AppClass = typeof App;
const isAppClass = (value: unknown): value is AppClass => typeof value === "function";

async function loadAppClass(): Promise<AppClass> {
  const loaded = await import("@slack/bolt/dist/App.js");
  // Node hands a CommonJS module's `module.exports` over as the default export; vitest's module
  // runner (and some bundlers) unwrap `__esModule`'s `default` once more.
  const outer: unknown = loaded.default;
  const inner = typeof outer === "object" && outer !== null && "default" in outer ? outer.default : outer;
  if (!isAppClass(inner)) throw new Error("@slack/bolt/dist/App.js: unexpected module shape");
  return inner;
}

export interface BoltOptions {
  botToken: string;
  apiUrl?: string;
  log: Log;
  /** Either our own receiver (HTTP through Hono) or Socket Mode with an app-level token. */
  transport: { receiver: Receiver } | { appToken: string };
}

/**
 * A Bolt app, imported on first use. `@slack/bolt`'s index loads express (~150 ms, 1.6 MB); App.js
 * alone does not, so only the Slack path pays for Bolt, and less. Authorization is a fixed bot token
 * with no `auth.test` round trip: we only receive interactions, so Bolt's "ignore my own messages"
 * (the one thing that needs the bot's ids) has nothing to do.
 */
export async function createBoltApp(options: BoltOptions): Promise<App> {
  const [AppClass, { slackLogger, webClientOptions }] = await Promise.all([
    loadAppClass(),
    import("./web.js"),
  ]);
  const transport: AppOptions =
    "receiver" in options.transport
      ? { receiver: options.transport.receiver }
      : { socketMode: true, appToken: options.transport.appToken };
  const app = new AppClass({
    ...transport,
    authorize: async () => ({ botToken: options.botToken }),
    ignoreSelf: false,
    convoStore: false,
    logger: slackLogger(options.log),
    clientOptions: webClientOptions(options.log, options.apiUrl),
  });
  // Logged here without the payload (Bolt's default logs the whole error), then rethrown so the
  // caller's processEvent rejects and can answer 500 instead of pretending nothing listened.
  app.error(async (error) => {
    options.log.error({ channel: "slack", code: error.code, error: error.message }, "slack: listener failed");
    throw error;
  });
  return app;
}
