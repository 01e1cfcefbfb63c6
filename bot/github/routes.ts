import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../shared/hono-env.js";
import type { Log } from "../shared/log.js";
import type { DeliveryLog } from "./deliveries.js";
import type { GitHubApp } from "./probot.js";

export interface GitHubRouteDeps {
  github: () => Promise<GitHubApp>;
  deliveries: DeliveryLog;
  log: Log;
  /** Checked before the HMAC (docs/security.md#24-a-bounded-blast-radius); comment events with the largest bodies stay well under. */
  maxBodyBytes?: number;
}

// Only these reach the app; GitHub also sends `ping` and installation events, which we acknowledge.
const HANDLED = ["issue_comment", "check_run"] as const;
type Handled = (typeof HANDLED)[number];
const isHandled = (name: string): name is Handled => HANDLED.some((h) => h === name);

const DELIVERY = /^[A-Za-z0-9-]{1,100}$/;
const EVENT = /^[a-z_]{1,50}$/;

/** GitHub's payloads are JSON objects; anything else (`0`, `"x"`, `[]`) would crash Octokit's dispatch. */
function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * The id of the comment an `issue_comment.created` body carries (signed, unlike the delivery id),
 * so that one comment acts once whatever delivery brings it (docs/security.md#30-signed-comments-expire).
 */
function createdCommentId(name: string, text: string): number | undefined {
  if (name !== "issue_comment") return undefined;
  const value: unknown = JSON.parse(text);
  const action = typeof value === "object" && value !== null ? Reflect.get(value, "action") : undefined;
  const comment = typeof value === "object" && value !== null ? Reflect.get(value, "comment") : undefined;
  const id = typeof comment === "object" && comment !== null ? Reflect.get(comment, "id") : undefined;
  return action === "created" && Number.isSafeInteger(id) && typeof id === "number" ? id : undefined;
}

const reason = (e: unknown) =>
  (e instanceof AggregateError ? e.errors : [e])
    .map((x) => (x instanceof Error ? x.message : String(x)))
    .join("; ");

/**
 * `POST /webhooks`: size cap → headers → HMAC over the raw bytes (fail closed) → de-duplicate the
 * delivery → Probot's `verifyAndReceive` runs the handler. Only a verified request writes anything.
 * Channel updates happen later in the projector, so GitHub gets its answer in well under 10 s.
 */
export function githubRoutes(deps: GitHubRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const maxSize = deps.maxBodyBytes ?? 1024 * 1024;

  const tooLarge = bodyLimit({
    maxSize,
    onError: (c) => {
      deps.log.warn(
        { channel: "github", limit: maxSize },
        "github: webhook body over the size limit ignored",
      );
      return c.json({ error: "payload too large" }, 413);
    },
  });

  app.post("/webhooks", tooLarge, async (c) => {
    const id = c.req.header("x-github-delivery") ?? "";
    const name = c.req.header("x-github-event") ?? "";
    const signature = c.req.header("x-hub-signature-256") ?? "";
    const where = { channel: "github", delivery: id.slice(0, 100), event: name.slice(0, 50) };
    if (!signature.startsWith("sha256=")) {
      deps.log.warn(where, "github: webhook without a sha256 signature refused");
      return c.json({ error: "signature required" }, 401);
    }
    const payload = await c.req.text();
    const { probot } = await deps.github();
    const valid = await probot.webhooks.verify(payload, signature).catch(() => false);
    if (!valid) {
      deps.log.warn(where, "github: webhook signature does not match; refused");
      return c.json({ error: "signature mismatch" }, 401);
    }
    if (!DELIVERY.test(id) || !EVENT.test(name)) {
      deps.log.warn(where, "github: webhook without delivery id or event name refused");
      return c.json({ error: "bad headers" }, 400);
    }
    if (!isHandled(name)) return c.json({ ok: true, ignored: name }, 202);
    if (!isJsonObject(payload)) {
      deps.log.warn(where, "github: webhook body is not a JSON object; refused");
      return c.json({ error: "invalid JSON" }, 400);
    }
    if (!(await deps.deliveries.claim(id))) {
      deps.log.info(where, "github: duplicate delivery ignored");
      return c.json({ ok: true, duplicate: true }, 200);
    }
    const commentId = createdCommentId(name, payload);
    if (commentId !== undefined && !(await deps.deliveries.claimComment(commentId))) {
      deps.log.warn(
        { ...where, comment: commentId },
        "github: comment already handled under another delivery id (a replay?); ignored",
      );
      await deps.deliveries.done(id);
      return c.json({ ok: true, duplicate: true }, 200);
    }
    try {
      await probot.webhooks.verifyAndReceive({ id, name, signature, payload });
    } catch (e: unknown) {
      await deps.deliveries.release(id);
      if (commentId !== undefined) await deps.deliveries.releaseComment(commentId);
      const error = reason(e).slice(0, 500);
      if (error.includes("Invalid JSON")) {
        deps.log.warn({ ...where, error }, "github: webhook body is not JSON; refused");
        return c.json({ error: "invalid JSON" }, 400);
      }
      deps.log.error({ ...where, error }, "github: webhook handling failed");
      return c.json({ error: "handling failed" }, 500);
    }
    // The work is done: a failure to mark it only lets a much later redelivery run it again, which
    // the decision's own idempotency absorbs. GitHub should see success.
    const marked = Promise.all([
      deps.deliveries.done(id),
      commentId === undefined ? undefined : deps.deliveries.doneComment(commentId),
    ]);
    await marked.catch((e: unknown) => {
      deps.log.warn({ ...where, error: reason(e).slice(0, 200) }, "github: could not mark the delivery done");
    });
    return c.json({ ok: true }, 200);
  });

  app.all("/webhooks", (c) => c.text("Method Not Allowed", 405, { Allow: "POST" }));
  return app;
}
