import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { SafeHtml } from "../../bot/email/html.js";
import type { CodePipelineSimulator } from "../codepipeline/simulator.js";
import { problem } from "./format.js";
import { localOnly } from "./guard.js";
import { dashboardPage, stagingPage } from "./page.js";
import type { DashboardPanel } from "./panel.js";
import { DASHBOARD_JS } from "./script.js";
import { DASHBOARD_CSS } from "./style.js";

export interface DashboardDeps {
  panels: DashboardPanel[];
  simulator: CodePipelineSimulator;
  /** Where each part of the local stack listens, for the `greenlight` command's `--local`. */
  describe?: () => unknown;
}

/**
 * `/local`: the dashboard page, its assets, each panel's live HTML and routes, and the staging
 * stand-in. Local only: these routes are served next to the function URL's app, never inside it.
 */
export function dashboardRoutes(deps: DashboardDeps): Hono {
  const app = new Hono();
  app.use(
    "*",
    secureHeaders({
      // The inbox sets a stricter policy of its own for e-mail bodies; keep it.
      overwrite: false,
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    }),
    localOnly(),
    async (c, next) => {
      // Another site's page in the same browser must not start runs or press buttons here:
      // browsers say where a request comes from; curl and tests send no such header.
      const site = c.req.header("sec-fetch-site");
      if (c.req.method === "POST" && site && site !== "same-origin" && site !== "none") {
        return c.json(problem("cross-site request refused"), 403);
      }
      await next();
      c.header("Cache-Control", "no-store");
      return undefined;
    },
  );

  const render = async (panel: DashboardPanel): Promise<[string, SafeHtml]> => [
    panel.id,
    await panel.render(),
  ];
  app.get("/", async (c) =>
    c.html(dashboardPage(deps.panels, new Map(await Promise.all(deps.panels.map(render))))),
  );
  app.get("/assets/dashboard.css", (c) =>
    c.body(DASHBOARD_CSS, 200, { "content-type": "text/css; charset=utf-8" }),
  );
  app.get("/assets/dashboard.js", (c) =>
    c.body(DASHBOARD_JS, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  // Local only (the guard above): the stand-ins' fake credentials, never a real secret.
  app.get("/stack.json", (c) =>
    deps.describe ? c.json(deps.describe()) : c.json(problem("not found"), 404),
  );
  app.get("/panels/:id", async (c) => {
    const panel = deps.panels.find((p) => p.id === c.req.param("id"));
    if (!panel) return c.json(problem("no such panel"), 404);
    return c.html((await panel.render()).value);
  });
  app.get("/staging/:pipeline/:executionId", (c) => {
    const pipeline = c.req.param("pipeline");
    if (!deps.simulator.pipelines().some((p) => p.name === pipeline))
      return c.html(stagingPage(pipeline, undefined), 404);
    const run = deps.simulator.runs(pipeline, 1000).find((r) => r.executionId === c.req.param("executionId"));
    return c.html(stagingPage(pipeline, run), run ? 200 : 404);
  });
  for (const panel of deps.panels) if (panel.routes) app.route(`/${panel.id}`, panel.routes);
  app.notFound((c) => c.json(problem("not found"), 404));
  return app;
}
