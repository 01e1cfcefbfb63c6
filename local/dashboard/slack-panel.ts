import { Hono } from "hono";
import { z } from "zod";
import { html, type SafeHtml } from "../../bot/email/html.js";
import { renderMrkdwn } from "../slack/render.js";
import type { SlackStandIn } from "../slack/server.js";
import type { PostedMessage } from "../slack/workspace.js";
import { buttonsOf, field, list, modalOf, text } from "./block-kit.js";
import { jsonBody, problem } from "./format.js";
import type { DashboardPanel } from "./panel.js";
import { blocksHtml, mrkdwnHtml, type SlackHtmlContext } from "./slack-html.js";

export interface SlackPanelDeps {
  slack: SlackStandIn;
  /** The router's `/slack/events`: where Slack sends interactions. */
  interactionsUrl: string;
  /** Slack user id → name: whom the dashboard can act as. */
  people: ReadonlyMap<string, string>;
}

const answer = z.object({
  response_action: z.string().optional(),
  errors: z.record(z.string(), z.string()).optional(),
  view: z.record(z.string(), z.unknown()).optional(),
});
const safeJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};
const click = z.object({ channel: z.string(), ts: z.string(), actionId: z.string(), user: z.string() });
const submit = z.object({ viewId: z.string(), user: z.string() }).catchall(z.string());

function asWho(people: ReadonlyMap<string, string>): SafeHtml {
  return html`<select name="user" aria-label="Act as">${[...people].map(
    ([id, name]) => html`<option value="${id}">${name}</option>`,
  )}</select>`;
}

/**
 * The Slack message as Slack shows it, live, with its buttons: pressing one sends the signed
 * interaction Slack would send to `/slack/events`, as the chosen person. Modals the app opens
 * (a reason to reject) appear below, to be filled in and submitted the same way.
 */
export function slackPanel(deps: SlackPanelDeps): DashboardPanel {
  const { slack } = deps;
  const submitted = new Set<string>();
  /** What Greenlight answered to each view's submission (Slack acts on it; the panel shows it). */
  const answers = new Map<string, Record<string, string>>();
  const ctx: SlackHtmlContext = {
    userName: (id) => slack.workspace.users.get(id)?.name,
    groupHandle: (id) => slack.workspace.groups.get(id)?.handle,
  };
  const view = (m: PostedMessage) => ({
    channel: m.channel,
    ts: m.ts,
    text: m.text,
    lines: slack.render(m),
    blocks: m.blocks,
    edited: m.history.length > 0,
    // Thread replies are often text only, no blocks.
    replies: slack.replies(m.channel, m.ts).map((r) => ({
      ts: r.ts,
      text: r.text,
      lines: r.blocks.length > 0 ? slack.render(r) : [renderMrkdwn(r.text, slack.workspace)],
    })),
  });
  const deliver = async (signed: { body: string; headers: Record<string, string> }) => {
    const res = await fetch(deps.interactionsUrl, {
      method: "POST",
      headers: signed.headers,
      body: signed.body,
    });
    const body = await res.text();
    return { status: res.status, body };
  };
  const person = (id: string) => ({ id, name: deps.people.get(id) ?? id });

  /**
   * Slack's handling of a view_submission answer (docs.slack.dev, "Handling user interaction in
   * modals"): `errors` keeps the view open with each message under its input block, `update`
   * replaces the view, `push` stacks a new one, `clear` or an empty 200 closes it.
   */
  const settle = (viewId: string, userId: string, body: string) => {
    const parsed = answer.safeParse(body.trim() ? safeJson(body) : {});
    const a = parsed.success ? parsed.data : {};
    const opened = slack.workspace.views.find((v) => v.id === viewId);
    if (a.response_action === "errors" && a.errors) {
      answers.set(viewId, a.errors);
      return;
    }
    answers.delete(viewId);
    if ((a.response_action === "update" || a.response_action === "push") && a.view && opened) {
      submitted.add(viewId);
      const id = slack.workspace.newId("V");
      slack.workspace.views.push({ id, userId, triggerId: opened.triggerId, view: { ...a.view, id } });
      return;
    }
    submitted.add(viewId);
  };

  const routes = new Hono();
  routes.get("/", (c) =>
    c.json({ messages: slack.messages().map(view), ephemerals: slack.workspace.ephemerals }),
  );
  routes.post("/click", async (c) => {
    const parsed = click.safeParse(await jsonBody(c.req));
    if (!parsed.success) return c.json(problem("expected channel, ts, actionId and user"), 400);
    const message = slack.workspace.message(parsed.data.channel, parsed.data.ts);
    if (!message) return c.json(problem("no such message"), 404);
    const hasButton = buttonsOf(message.blocks).some((b) => b.actionId === parsed.data.actionId);
    // A page older than the message (the buttons were replaced meanwhile): say so, don't crash.
    if (!hasButton) return c.json(problem("that button is gone: the message changed, reload the page"), 409);
    const signed = slack.click({ user: person(parsed.data.user), message, actionId: parsed.data.actionId });
    const { status } = await deliver(signed);
    return c.json({ status, message: `Slack sent the click as ${person(parsed.data.user).name}: ${status}` });
  });
  routes.post("/submit", async (c) => {
    const parsed = submit.safeParse(await jsonBody(c.req));
    if (!parsed.success) return c.json(problem("expected viewId, user and the inputs"), 400);
    const { viewId, user, ...values } = parsed.data;
    const { status, body } = await deliver(slack.submit({ user: person(user), viewId, values }));
    if (status === 200) settle(viewId, user, body);
    return c.json({ status, message: `Slack sent the form as ${person(user).name}: ${status}` });
  });

  const message = (
    m: ReturnType<typeof view>,
    raw: PostedMessage,
  ) => html`<div class="card slack" data-slack-ts="${m.ts}">
<header><strong>#${m.channel}</strong><span class="muted">Greenlight (app)${m.edited ? " · edited" : ""}</span></header>
${
  buttonsOf(raw.blocks).length > 0
    ? html`<form data-post action="/local/slack/click" class="sk-message"><input type="hidden" name="channel" value="${m.channel}"><input type="hidden" name="ts" value="${m.ts}">
${blocksHtml(raw.blocks, ctx)}
<label class="hint">as ${asWho(deps.people)}</label></form>`
    : raw.blocks.length > 0
      ? html`<div class="sk-message">${blocksHtml(raw.blocks, ctx)}</div>`
      : html`<p class="slack-line">${mrkdwnHtml(raw.text, ctx)}</p>`
}
${m.replies.map((r) => html`<p class="slack-reply">↳ ${r.lines.join(" ")}</p>`)}</div>`;

  const modals = () =>
    slack.workspace.views
      .filter((v) => !submitted.has(v.id))
      .slice(-1)
      .map((v) => {
        const modal = modalOf(v.view);
        const close = text(field(v.view, "close")) || "Cancel";
        const errors = answers.get(v.id);
        return html`<div class="card sk-modal" data-slack-modal="${v.id}" role="dialog" aria-label="${modal.title}"><header><strong>${modal.title}</strong><span class="muted">modal for ${person(v.userId).name}</span></header>
<form data-post action="/local/slack/submit" class="sk-modal-form"><input type="hidden" name="viewId" value="${v.id}"><input type="hidden" name="user" value="${v.userId}">
${blocksHtml(list(field(v.view, "blocks")), ctx, errors ? { errors } : {})}
<div class="sk-modal-buttons">${field(v.view, "submit") ? html`<button type="submit" class="sk-btn primary">${modal.submit}</button>` : ""}</div></form>
<p class="hint">${close} closes it in Slack.</p></div>`;
      });

  return {
    id: "slack",
    title: "Slack (stand-in)",
    column: "main",
    routes,
    async render() {
      const posted = slack.messages().slice(-3).reverse();
      if (posted.length === 0) return html`<p class="muted">Nothing posted yet.</p>`;
      // Ephemeral answers ("not allowed") are only shown to the person who clicked.
      const ephemeral = slack.workspace.ephemerals.at(-1);
      const note = ephemeral
        ? html`<p class="hint" data-slack-ephemeral>Only visible to ${person(ephemeral.user).name}: ${renderMrkdwn(ephemeral.text, slack.workspace)}</p>`
        : "";
      return html`${modals()}${note}${posted.map((m) => message(view(m), m))}`;
    },
  };
}
