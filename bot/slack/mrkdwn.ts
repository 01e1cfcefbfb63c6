import type { Actor } from "../../core/approval.js";
import { describeActor, truncate } from "../../core/summary.js";
import { neutral, neutralLine } from "../../core/untrusted.js";
import { formatTime, formatUtc } from "../shared/describe.js";

/**
 * Block Kit's limits, as Slack's reference states them (docs.slack.dev/reference/block-kit):
 * a text object's `text` ≤ 3000 characters (section text, context elements), each section field
 * ≤ 2000 and at most 10 fields, a header ≤ 150, a confirm dialog's text ≤ 300, a message ≤ 50
 * blocks. Exceeding any of them makes `chat.postMessage` answer `invalid_blocks`.
 */
export const LIMIT = {
  text: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  confirmText: 300,
  blocks: 50,
  /** Not a Block Kit limit: Slack truncates `text` past 40,000; 4,000 keeps a message whole. */
  messageText: 4000,
} as const;

const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters ("Escaping text", Formatting
 * message text): text from outside (commit messages, comments, names) is escaped so it cannot forge
 * a link, a mention or an `<!channel>` ping. Neutral first: no bidi or invisible characters.
 */
export function escapeText(text: string): string {
  return neutral(text).replace(/[&<>]/g, (c) => ENTITY[c] ?? c);
}

/**
 * Escaped, then cut to `limit` characters *after* escaping (one `&` is five characters once
 * escaped), never inside an entity or a surrogate pair; the cut is marked with `…`.
 */
export function escapeCut(text: string, limit: number): string {
  const escaped = escapeText(text);
  if (escaped.length <= limit) return escaped;
  let out = "";
  for (const ch of neutral(text)) {
    const piece = ENTITY[ch] ?? ch;
    if (out.length + piece.length > limit - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** Plain text for one line (`neutralLine`: controls and runs of whitespace become one space), cut. */
export function oneLine(text: string, limit: number): string {
  return truncate(neutralLine(text), limit);
}

/**
 * The last resort for assembled mrkdwn: cut to `limit` with `…`, backing off so no `<…>` token
 * (link, mention, date) or `&…;` entity is left open, since half a token renders as garbage.
 */
export function cutMrkdwn(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, limit - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const open = cut.lastIndexOf("<");
  if (open > cut.lastIndexOf(">")) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf("&");
  if (amp > cut.lastIndexOf(";")) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/**
 * Only http(s) URLs become links; anything else (javascript:, data:, no scheme) yields undefined.
 * WHATWG URL serialisation makes a non-ASCII URL ASCII (punycode host, percent-encoded path and
 * query), which Slack's `<url|label>` needs; `|` and `>` would end the link and `<` start one, so
 * they are percent-encoded, and `&` becomes `&amp;` like every `&` in mrkdwn.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return undefined;
    return u.href.replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E").replace(/&/g, "&amp;");
  } catch {
    return undefined;
  }
}

/**
 * `<url|label>`, or the escaped label alone when the URL is not a safe link or the link would not
 * fit in `limit` characters (percent-encoding can make a URL nine times longer): a label is better
 * than a cut URL that leads nowhere.
 */
export function link(url: string | undefined, label: string, limit: number = LIMIT.field): string {
  const text = escapeCut(label, limit);
  const href = safeUrl(url);
  return href && href.length + text.length + 3 <= limit ? `<${href}|${text}>` : text;
}

/**
 * A time each reader sees in their own time zone (Slack's `<!date>`), with our UTC rendering as the
 * fallback for clients and notifications that do not format dates.
 */
export function slackTime(at: string, style: "time" | "full"): string {
  const seconds = Math.floor(Date.parse(at) / 1000);
  return style === "time"
    ? `<!date^${seconds}^{time}|${formatTime(at)}>`
    : `<!date^${seconds}^{date_short_pretty} at {time}|${formatUtc(at)}>`;
}

const CHANNEL_LABEL = { email: "e-mail", slack: "Slack", github: "GitHub" } as const;

/**
 * Who acted, as Slack readers know them: a mention for Slack users (Slack shows their name), and
 * otherwise the name every channel uses (core/summary.ts describeActor) with the channel.
 */
export function who(actor: Actor): string {
  if (actor.channel === "slack") return `<@${actor.id}>`;
  return `${escapeCut(oneLine(describeActor(actor), 120), 400)} via ${CHANNEL_LABEL[actor.channel]}`;
}

/**
 * "A", "A and B", "A, B and C" (or "… or C"). With a `limit`, as many items as fit and then
 * "and N more", so a long list is summarised rather than cut in the middle of a mention.
 */
export function listOf(items: string[], conjunction: "and" | "or" = "and", limit?: number): string {
  const join = (shown: string[]) =>
    shown.length <= 1 ? (shown[0] ?? "") : `${shown.slice(0, -1).join(", ")} ${conjunction} ${shown.at(-1)}`;
  const all = join(items);
  if (limit === undefined || all.length <= limit) return all;
  let used = 0;
  let shown = 0;
  for (const item of items) {
    const next = used + (shown > 0 ? 2 : 0) + item.length;
    if (next + ` ${conjunction} ${items.length - shown - 1} more`.length > limit) break;
    used = next;
    shown += 1;
  }
  if (shown > 0) return `${items.slice(0, shown).join(", ")} ${conjunction} ${items.length - shown} more`;
  return cutMrkdwn(`${items.length} people`, limit);
}
