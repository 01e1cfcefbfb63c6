import type { Hono } from "hono";
import type { SafeHtml } from "../../bot/email/html.js";

/**
 * One box on the dashboard. The page polls `GET /local/panels/<id>` for `render()`'s HTML, so a
 * panel is live without client-side templates; `routes`, mounted at `/local/<id>`, carry its
 * JSON API and its actions (start a run, press a Slack button, comment on a PR). Channels plug in
 * their own panel (a Slack message, a pull request) without touching the rest.
 */
export interface DashboardPanel {
  /** kebab-case; the panel's URL segment. */
  id: string;
  title: string;
  /** The wide left column, or the narrower right one. */
  column: "main" | "side";
  render(): Promise<SafeHtml>;
  routes?: Hono;
}

/** A form in a panel's HTML that the page's script posts as JSON (then refreshes every panel). */
export const POST_FORM = "data-post";
