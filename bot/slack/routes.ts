import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Clock } from "../../core/ports.js";
import type { AppEnv } from "../shared/hono-env.js";
import type { Log } from "../shared/log.js";
import { foreignInteraction, parseInteraction } from "./envelope.js";
import type { SlackInteractions } from "./interactions.js";
import { verifySlackSignature } from "./verify.js";

export interface SlackRouteDeps {
  interactions: Pick<SlackInteractions, "handle">;
  /** Resolved once per container (Secrets Manager on AWS); awaited per request, so a cold start waits for it. */
  settings: () => Promise<{ signingSecret: string; teamId: string; appId: string }>;
  clock: Clock;
  log: Log;
  /** Our interaction payloads are a few KB; this bounds what an unauthenticated caller can make us hash. */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * `POST /slack/events`, Slack's interactivity request URL. In this order, each step before the next
 * may look at the body: size cap → signature over the raw bytes → parse → workspace and app → Bolt.
 */
export function slackRoutes(deps: SlackRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Slack's 3 s run from when it sent the request: the arrival is taken before anything else
  // (body limit, body read, the secret read a cold start waits for), and the deadline counts from it.
  // Keyed by the context: the body limit swaps `c.req.raw` for a size-checked copy.
  const arrivals = new WeakMap<object, Date>();
  app.use("/events", async (c, next) => {
    arrivals.set(c, deps.clock.now());
    await next();
  });
  const refuse = (problem: string) => deps.log.warn({ channel: "slack", problem }, "slack: request refused");

  app.post(
    "/events",
    bodyLimit({
      maxSize: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      onError: (c) => {
        refuse("too-large");
        return c.json({ error: "request body too large" }, 413);
      },
    }),
    async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const settings = await deps.settings();
      const check = verifySlackSignature(
        settings.signingSecret,
        {
          body,
          timestamp: c.req.header("x-slack-request-timestamp"),
          signature: c.req.header("x-slack-signature"),
        },
        deps.clock.now(),
      );
      if (!check.ok) {
        // Worded for the alarm on bursts of bad signatures (infra: terms "signature" and "refused").
        deps.log.warn({ channel: "slack", problem: check.problem }, "slack: signature refused");
        return c.json({ error: "signature verification failed" }, 401);
      }

      const parsed = parseInteraction(body);
      if (!parsed.ok) {
        refuse("unreadable");
        return c.json({ error: parsed.error }, 400);
      }
      const foreign = foreignInteraction(parsed.interaction, settings);
      if (foreign) {
        refuse(`foreign-${foreign}`);
        return c.json({ error: `this request is for another Slack ${foreign}` }, 403);
      }

      const answer = await deps.interactions.handle(parsed.interaction, arrivals.get(c) ?? deps.clock.now());
      return answer.body === undefined ? c.body(null, answer.status) : c.json(answer.body, answer.status);
    },
  );
  app.all("/events", (c) => c.text("Method Not Allowed", 405, { Allow: "POST" }));
  return app;
}
