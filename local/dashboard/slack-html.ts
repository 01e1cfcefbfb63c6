import { escapeHtml, html, SafeHtml, safeHref } from "../../bot/email/html.js";
import { EMOJI } from "../slack/render.js";
import { field, list, text } from "./block-kit.js";

/*
 * Block Kit as Slack draws it, from the blocks the stand-in received. Formatting follows Slack's
 * mrkdwn reference (https://api.slack.com/reference/surfaces/formatting, now
 * docs.slack.dev/messaging/formatting-message-text): `*bold*`, `_italic_`, `~strike~`, `` `code` ``,
 * `>` quotes; `&`, `<`, `>` arrive as `&amp;`, `&lt;`, `&gt;`, and `<…>` is special parsing only:
 * `<url|label>` links, `<@U…>` mentions, `<!subteam^…>`, `<!date^…|fallback>`, `<#C…|name>`.
 * `verbatim: true` turns off the automatic parsing of bare URLs (text object reference).
 * Everything is untrusted (commit messages, names): text is escaped before any markup is added.
 */

export interface SlackHtmlContext {
  /** Slack user id → display name, for `<@U…>`. */
  userName(id: string): string | undefined;
  groupHandle?(id: string): string | undefined;
}

const unescapeSlack = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function inline(escaped: string, verbatim: boolean): string {
  let out = escaped
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, "$1<strong>$2</strong>")
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/g, "$1<em>$2</em>")
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/g, "$1<del>$2</del>")
    .replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
  if (!verbatim) {
    out = out.replace(/(^|\s)(https?:\/\/[^\s<]+)/g, (_, pre: string, url: string) => {
      const href = safeHref(url.replace(/&amp;/g, "&"));
      return href ? `${pre}<a href="${escapeHtml(href)}" rel="noreferrer">${url}</a>` : `${pre}${url}`;
    });
  }
  return out;
}

/** One `<…>` token: a link, a mention, a date; anything else is shown as the literal text. */
function token(body: string, ctx: SlackHtmlContext): string {
  const [target = "", label] = body.split(/\|(.*)/s, 2);
  const mention = /^@([UW][A-Z0-9]+)$/.exec(target);
  if (mention?.[1])
    return `<span class="sk-mention">@${escapeHtml(ctx.userName(mention[1]) ?? mention[1])}</span>`;
  const group = /^!subteam\^([A-Z0-9]+)$/.exec(target);
  if (group?.[1])
    return `<span class="sk-mention">@${escapeHtml(ctx.groupHandle?.(group[1]) ?? label ?? group[1])}</span>`;
  if (target.startsWith("!date^")) return escapeHtml(unescapeSlack(label ?? ""));
  if (/^!(here|channel|everyone)$/.test(target)) return `<span class="sk-mention">@${target.slice(1)}</span>`;
  const channel = /^#([CG][A-Z0-9]+)$/.exec(target);
  if (channel?.[1])
    return `<span class="sk-mention">#${escapeHtml(unescapeSlack(label ?? channel[1]))}</span>`;
  const href = safeHref(unescapeSlack(target));
  if (href && /^https?:/.test(target))
    return `<a href="${escapeHtml(href)}" rel="noreferrer">${escapeHtml(unescapeSlack(label ?? target))}</a>`;
  return escapeHtml(`<${unescapeSlack(body)}>`);
}

function line(source: string, ctx: SlackHtmlContext, verbatim: boolean): string {
  return source
    .split(/(<[^<>\n]+>)/)
    .map((part, i) =>
      i % 2 === 1 ? token(part.slice(1, -1), ctx) : inline(escapeHtml(unescapeSlack(part)), verbatim),
    )
    .join("");
}

/** mrkdwn text as HTML: lines starting with `>` (or `&gt;`) become a quote with a bar. */
export function mrkdwnHtml(source: string, ctx: SlackHtmlContext, verbatim = false): SafeHtml {
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length > 0) out.push(`<blockquote class="sk-quote">${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  const lines = source.split("\n");
  lines.forEach((raw, i) => {
    const q = /^(?:&gt;|>) ?(.*)$/.exec(raw);
    if (q) {
      quote.push(line(q[1] ?? "", ctx, verbatim));
      return;
    }
    flush();
    out.push(line(raw, ctx, verbatim) + (i < lines.length - 1 ? "<br>" : ""));
  });
  flush();
  return new SafeHtml(out.join(""));
}

/** A text object: mrkdwn formatted, plain_text escaped as is. */
export function textHtml(value: unknown, ctx: SlackHtmlContext): SafeHtml {
  const t = text(value);
  if (field(value, "type") === "mrkdwn") return mrkdwnHtml(t, ctx, field(value, "verbatim") === true);
  return html`${t.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole)}`;
}

const styleClass = (style: unknown) =>
  style === "primary" ? "sk-btn primary" : style === "danger" ? "sk-btn danger" : "sk-btn";

/** A button: `url` buttons are links (Slack opens them); others submit the message's form. */
export function buttonHtml(element: unknown, ctx: SlackHtmlContext): SafeHtml {
  const label = textHtml(field(element, "text"), ctx);
  const url = field(element, "url");
  const href = typeof url === "string" ? safeHref(url) : undefined;
  if (href)
    return html`<a class="${styleClass(field(element, "style"))}" href="${href}" rel="noreferrer">${label}</a>`;
  const actionId = field(element, "action_id");
  const confirm = field(element, "confirm");
  return html`<button type="submit" name="actionId" value="${typeof actionId === "string" ? actionId : ""}" class="${styleClass(field(element, "style"))}"${confirm ? html` data-confirm="${text(field(confirm, "text"))}"` : ""}>${label}</button>`;
}

export interface ModalState {
  /** block_id → error text, from `response_action: "errors"`. */
  errors?: Record<string, string>;
}

function inputHtml(block: unknown, ctx: SlackHtmlContext, state: ModalState): SafeHtml {
  const blockId = String(field(block, "block_id") ?? "");
  const element = field(block, "element");
  const optional = field(block, "optional") === true;
  const placeholder = text(field(element, "placeholder"));
  const initial = field(element, "initial_value");
  const max = field(element, "max_length");
  const id = `sk-in-${blockId}`;
  const error = state.errors?.[blockId];
  const attrs = html` id="${id}" name="${blockId}"${optional ? "" : html` required`}${typeof max === "number" ? html` maxlength="${max}"` : ""}${placeholder ? html` placeholder="${placeholder}"` : ""}${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ""}`;
  const control =
    field(element, "multiline") === true
      ? html`<textarea${attrs} rows="3">${typeof initial === "string" ? initial : ""}</textarea>`
      : html`<input type="text"${attrs}${typeof initial === "string" ? html` value="${initial}"` : ""}>`;
  const hint = field(block, "hint");
  return html`<div class="sk-input${error ? " invalid" : ""}"><label for="${id}"><strong>${textHtml(field(block, "label"), ctx)}</strong>${optional ? html` <span class="sk-optional">(optional)</span>` : ""}</label>
${control}${error ? html`<p class="sk-error" id="${id}-error" data-slack-error="${blockId}">${error}</p>` : ""}${hint ? html`<p class="sk-hint">${textHtml(hint, ctx)}</p>` : ""}</div>`;
}

/** One block, or nothing for a type Slack would not draw here. */
export function blockHtml(block: unknown, ctx: SlackHtmlContext, state: ModalState = {}): SafeHtml {
  switch (field(block, "type")) {
    case "header":
      return html`<p class="sk-header">${textHtml(field(block, "text"), ctx)}</p>`;
    case "divider":
      return html`<hr class="sk-divider">`;
    case "section": {
      const t = field(block, "text");
      const fields = list(field(block, "fields"));
      const accessory = field(block, "accessory");
      return html`<div class="sk-section"><div class="sk-section-main">${t ? html`<div class="sk-text">${textHtml(t, ctx)}</div>` : ""}${
        fields.length > 0
          ? html`<div class="sk-fields">${fields.map((f) => html`<div class="sk-field">${textHtml(f, ctx)}</div>`)}</div>`
          : ""
      }</div>${field(accessory, "type") === "button" ? html`<div class="sk-accessory">${buttonHtml(accessory, ctx)}</div>` : ""}</div>`;
    }
    case "context":
      return html`<div class="sk-context">${list(field(block, "elements")).map((e) =>
        field(e, "type") === "image"
          ? // The dashboard's CSP allows no remote images: Slack's alt text stands in.
            html`<span class="sk-image" role="img" aria-label="${text(field(e, "alt_text"))}">🖼</span>`
          : html`<span>${textHtml(e, ctx)}</span>`,
      )}</div>`;
    case "actions":
      return html`<div class="sk-actions">${list(field(block, "elements"))
        .filter((e) => field(e, "type") === "button")
        .map((e) => buttonHtml(e, ctx))}</div>`;
    case "input":
      return inputHtml(block, ctx, state);
    default:
      return html``;
  }
}

export function blocksHtml(blocks: unknown[], ctx: SlackHtmlContext, state: ModalState = {}): SafeHtml {
  return html`${blocks.map((b) => blockHtml(b, ctx, state))}`;
}
