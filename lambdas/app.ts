import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../bot/shared/hono-env.js";
import { statusOf } from "../bot/shared/http-status.js";
import type { Log } from "../bot/shared/log.js";
import { DomainError } from "../core/errors.js";

/** A channel's routes and where they live on the function URL. */
export interface Mount {
  path: string;
  routes: Hono<AppEnv>;
}

/**
 * The whole function URL: each channel mounts its routes; anything else is 404/405. One error
 * handler turns errors into status codes (and, per channel, into that channel's kind of answer).
 */
export function createApp(deps: {
  log: Log;
  mounts: Mount[];
  guard?: MiddlewareHandler<AppEnv>;
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // The edge's origin check (lambdas/origin-check.ts) runs before any route, on every path.
  if (deps.guard) app.use("*", deps.guard);

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.all("/healthz", (c) => c.text("Method Not Allowed", 405, { Allow: "GET, HEAD" }));
  for (const mount of deps.mounts) app.route(mount.path, mount.routes);

  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((error, c) => {
    const status = statusOf(error);
    if (status >= 500) deps.log.error({ err: error, path: c.req.path }, "request failed");
    else if (!(error instanceof DomainError)) deps.log.warn({ path: c.req.path, status }, "request refused");
    const render = c.get("renderError");
    if (render) return render(error, status, c);
    return c.json({ error: status >= 500 ? "internal error" : error.message }, status as 400);
  });
  return app;
}
