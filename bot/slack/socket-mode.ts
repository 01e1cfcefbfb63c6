import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Log } from "../shared/log.js";
import { createBoltApp } from "./bolt.js";
import { foreignInteraction, fromObject } from "./envelope.js";
import { registerListeners } from "./listeners/index.js";
import type { VoteDeps } from "./vote.js";

export interface SocketModeOptions extends VoteDeps {
  /** App-level token (`xapp-…`, scope `connections:write`). */
  appToken: string;
  botToken: string;
  /** When given, payloads for another workspace or app are dropped, as the HTTP route refuses them. */
  teamId?: string;
  appId?: string;
}

/**
 * Over Socket Mode the route's checks run as Bolt middleware instead: only the interactions we use,
 * only for our workspace and app. Anything else is acknowledged (so Slack stops resending) and dropped.
 */
export function interactionGuard(
  expected: { teamId?: string | undefined; appId?: string | undefined },
  log: Log,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const parsed = fromObject(args.body);
    const { teamId, appId } = expected;
    const foreign =
      parsed.ok && teamId && appId ? foreignInteraction(parsed.interaction, { teamId, appId }) : undefined;
    if (parsed.ok && !foreign) return args.next();
    log.warn(
      { channel: "slack", problem: parsed.ok ? `foreign-${foreign}` : "unsupported" },
      "slack: dropped",
    );
    if ("ack" in args && typeof args.ack === "function") await args.ack();
  };
}

/**
 * Development against a real workspace without a public URL: Slack pushes interactions over a
 * WebSocket the app opened. The connection is authenticated by the app-level token, so there is no
 * request signature; the workspace/app check and the listeners are the same as over HTTP.
 */
export async function startSocketMode(options: SocketModeOptions): Promise<{ stop(): Promise<void> }> {
  const { appToken, botToken, teamId, appId, ...deps } = options;
  const app = await createBoltApp({ botToken, log: deps.log, transport: { appToken } });
  app.use(interactionGuard({ teamId, appId }, deps.log));
  registerListeners(app, deps);
  await app.start();
  deps.log.info({ channel: "slack" }, "slack: connected over Socket Mode");
  return {
    stop: async () => {
      await app.stop();
    },
  };
}
