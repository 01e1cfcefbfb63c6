import { Hono } from "hono";
import { z } from "zod";
import { html, type SafeHtml } from "../../bot/email/html.js";
import { renderMrkdwn } from "../slack/render.js";
import type { SlackStandIn } from "../slack/server.js";
import type { PostedMessage } from "../slack/workspace.js";
import { buttonsOf, modalOf } from "./block-kit.js";
import { jsonBody, problem } from "./format.js";
import type { DashboardPanel } from "./panel.js";

export interface SlackPanelDeps {
  slack: SlackStandIn;
  /** The router's `/slack/events`: where Slack sends interactions. */
  interactionsUrl: string;
  /** Slack user id → name: whom the dashboard can act as. */
  people: ReadonlyMap<string, string>;
}

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
    await res.arrayBuffer();
    return res.status;
  };
  const person = (id: string) => ({ id, name: deps.people.get(id) ?? id });

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
    const status = await deliver(signed);
    return c.json({ status, message: `Slack sent the click as ${person(parsed.data.user).name}: ${status}` });
  });
  routes.post("/submit", async (c) => {
    const parsed = submit.safeParse(await jsonBody(c.req));
    if (!parsed.success) return c.json(problem("expected viewId, user and the inputs"), 400);
    const { viewId, user, ...values } = parsed.data;
    const status = await deliver(slack.submit({ user: person(user), viewId, values }));
    if (status === 200) submitted.add(viewId);
    return c.json({ status, message: `Slack sent the form as ${person(user).name}: ${status}` });
  });

  const message = (
    m: ReturnType<typeof view>,
    raw: PostedMessage,
  ) => html`<div class="card slack" data-slack-ts="${m.ts}">
<header><strong>#${m.channel}</strong><span class="muted">Greenlight (app)${m.edited ? " · edited" : ""}</span></header>
${m.lines.map((l) => html`<p class="slack-line">${l}</p>`)}
${
  buttonsOf(raw.blocks).length > 0
    ? html`<form data-post action="/local/slack/click"><input type="hidden" name="channel" value="${m.channel}"><input type="hidden" name="ts" value="${m.ts}">
${buttonsOf(raw.blocks).map((b) => html`<button type="submit" name="actionId" value="${b.actionId}" class="${b.style === "danger" ? "danger" : b.style === "primary" ? "" : "secondary"}">${b.label}</button>`)}
<label class="hint">as ${asWho(deps.people)}</label></form>`
    : ""
}
${m.replies.map((r) => html`<p class="slack-reply">↳ ${r.lines.join(" ")}</p>`)}</div>`;

  const modals = () =>
    slack.workspace.views
      .filter((v) => !submitted.has(v.id))
      .slice(-1)
      .map((v) => {
        const modal = modalOf(v.view);
        return html`<div class="card" data-slack-modal="${v.id}"><header><strong>${modal.title}</strong><span class="muted">modal for ${person(v.userId).name}</span></header>
<form data-post action="/local/slack/submit"><input type="hidden" name="viewId" value="${v.id}"><input type="hidden" name="user" value="${v.userId}">
${modal.inputs.map((i) => html`<label>${i.label} <input type="text" name="${i.blockId}"${i.optional ? "" : html` required`}></label>`)}
<button type="submit">${modal.submit}</button></form></div>`;
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
