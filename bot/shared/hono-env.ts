import type { Context } from "hono";

/** Turns an error thrown by a route into that channel's kind of answer (a page, a Slack message…). */
export type ErrorRenderer = (
  error: unknown,
  status: number,
  c: Context<AppEnv>,
) => Response | Promise<Response>;

/** Variables routes share with the app-level error handler. */
export type AppEnv = {
  Variables: {
    renderError: ErrorRenderer;
    /** The principal acting, once authenticated: lets an error page say "by you". */
    principal: string;
  };
};
