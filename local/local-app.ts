import { Hono } from "hono";
import type { AppEnv } from "../bot/shared/hono-env.js";

/**
 * What the local stack's HTTP server answers: the function URL's app, unchanged, plus the
 * local-only routes (`/local`: dashboard, inbox, stand-ins) that never ship to AWS.
 */
export function localApp(deps: { functionApp: Hono<AppEnv>; local: Hono }): Hono {
  const app = new Hono();
  app.get("/", (c) => c.redirect("/local"));
  app.route("/local", deps.local);
  // Everything else goes to the function URL's app as it is, with its own 404s and error pages.
  app.all("*", (c) => deps.functionApp.fetch(c.req.raw));
  return app;
}
