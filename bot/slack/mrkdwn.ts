import type { Actor } from "../../core/approval.js";
import { truncate } from "../../core/summary.js";
import { formatTime, formatUtc } from "../shared/describe.js";

/**
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters: text from outside (commit messages,
 * comments, names) is escaped so it cannot forge a link, a mention or an `<!channel>` ping.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Plain text for one line: control characters and runs of whitespace become one space, then cut. */
export function oneLine(text: string, limit: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return truncate(text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim(), limit);
}

/** Only http(s) URLs become links; anything else (javascript:, data:, garbage) yields undefined. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return undefined;
    // `|` and `>` end Slack's <url|label> syntax; URL() leaves `|` alone.
    return u.toString().replace(/\|/g, "%7C").replace(/>/g, "%3E");
  } catch {
    return undefined;
  }
}

/** `<url|label>`, or the escaped label alone when the URL is not a safe link. */
export function link(url: string | undefined, label: string): string {
  const href = safeUrl(url);
  return href ? `<${href}|${escapeText(label)}>` : escapeText(label);
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

const CHANNEL_LABEL = { email: "email", slack: "Slack", github: "GitHub" } as const;

/** Who acted, as Slack readers know them: a mention for Slack users, name and address otherwise. */
export function who(actor: Actor): string {
  if (actor.channel === "slack") return `<@${actor.id}>`;
  const name = actor.name ? oneLine(actor.name, 80) : "";
  const handle = actor.channel === "github" ? `@${actor.id}` : actor.id;
  const label = name && name !== actor.id ? `${name} (${handle})` : handle;
  return `${escapeText(label)} via ${CHANNEL_LABEL[actor.channel]}`;
}

/** "A", "A and B", "A, B and C" (or "… or C"). */
export function listOf(items: string[], conjunction: "and" | "or" = "and"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}
