import { z } from "zod";
import type { Workspace } from "./workspace.js";

/** Emoji names Greenlight uses, as Slack draws them; others stay `:name:`. */
export const EMOJI: Record<string, string> = {
  white_check_mark: "✅",
  no_entry: "⛔",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  rocket: "🚀",
  x: "❌",
  information_source: "ℹ️",
};

/**
 * mrkdwn as a reader sees it: mentions become @names, links their labels, `<!date>` its fallback
 * (the stand-in has no reader time zone), emoji codes emoji, and `*bold*` plain text.
 */
export function renderMrkdwn(text: string, workspace: Workspace): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)>/g, (_, id: string) => `@${workspace.users.get(id)?.name ?? id}`)
    .replace(
      /<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g,
      (_, id: string) => `@${workspace.groups.get(id)?.handle ?? id}`,
    )
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, "$1")
    .replace(/<(?:https?:[^|>]+)\|([^>]*)>/g, "$1")
    .replace(/<(https?:[^>]+)>/g, "$1")
    .replace(/:([a-z_]+):/g, (whole, name: string) => EMOJI[name] ?? whole)
    .replace(/\*([^*\n]+)\*/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

const textObject = z.looseObject({ text: z.string() });
const block = z.looseObject({
  type: z.string(),
  text: textObject.optional(),
  fields: z.array(textObject).optional(),
  elements: z
    .array(z.looseObject({ type: z.string(), text: z.union([z.string(), textObject]).optional() }))
    .optional(),
  label: textObject.optional(),
});

/** One line per block, as a person would read the message (what tests and the dashboard show). */
export function renderBlocks(blocks: unknown[], workspace: Workspace): string[] {
  const r = (text: string) => renderMrkdwn(text, workspace);
  return blocks.flatMap((raw): string[] => {
    const parsed = block.safeParse(raw);
    if (!parsed.success) return [];
    const b = parsed.data;
    const elements = b.elements ?? [];
    switch (b.type) {
      case "header":
        return b.text ? [r(b.text.text)] : [];
      case "section":
        return [
          ...(b.text ? [r(b.text.text)] : []),
          ...(b.fields ?? []).map((f) => r(f.text).replace("\n", ": ")),
        ];
      case "context":
        return [
          elements.map((e) => r(typeof e.text === "string" ? e.text : (e.text?.text ?? ""))).join(" · "),
        ];
      case "actions":
        return [
          elements
            .map((e) => `[${typeof e.text === "string" ? e.text : (e.text?.text ?? e.type)}]`)
            .join(" "),
        ];
      case "input":
        return [`${b.label?.text ?? ""}: ____`];
      default:
        return [];
    }
  });
}
