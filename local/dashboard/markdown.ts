import { html, type SafeHtml, safeHref } from "../../bot/email/html.js";

// GitHub-flavoured markdown, just the part Greenlight's PR comment and check run use: headings,
// paragraphs, tables, links, inline code, bold. Everything else shows as text; all of it escaped.
const INLINE = /`([^`]+)`|\[((?:`[^`]*`|[^\]])+)\]\(([^)\s]+)\)|<(https?:[^>\s]+)>|\*\*([^*]+)\*\*/g;

const unbackslash = (text: string) => text.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, "$1");

function inline(text: string): SafeHtml {
  const parts: (SafeHtml | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    parts.push(unbackslash(text.slice(last, m.index)));
    const [, code, label, url, auto, bold] = m;
    if (code !== undefined) parts.push(html`<code>${code}</code>`);
    else if (label !== undefined) {
      const href = safeHref(url);
      parts.push(
        href ? html`<a href="${href}" rel="noreferrer" target="_blank">${inline(label)}</a>` : inline(label),
      );
    } else if (auto !== undefined) {
      const href = safeHref(auto);
      parts.push(href ? html`<a href="${href}" rel="noreferrer" target="_blank">${auto}</a>` : auto);
    } else if (bold !== undefined) parts.push(html`<strong>${inline(bold)}</strong>`);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(unbackslash(text.slice(last)));
  return html`${parts}`;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

/** Markdown as GitHub would show it, for the dashboard's pull request panel. */
export function renderMarkdown(markdown: string): SafeHtml {
  const lines = markdown
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<\/?sub>/g, "")
    .split("\n");
  const out: SafeHtml[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!line.trim()) continue;
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      out.push(html`<p class="md-heading">${inline(heading[1] ?? "")}</p>`);
    } else if (line.trimStart().startsWith("|")) {
      const rows: string[][] = [];
      for (; i < lines.length && (lines[i] ?? "").trimStart().startsWith("|"); i++) {
        const row = lines[i] ?? "";
        if (!/^\s*\|[\s|:-]+\|\s*$/.test(row)) rows.push(cells(row));
      }
      i--;
      const body = rows.filter((r) => r.some((c) => c !== ""));
      out.push(
        html`<table class="md">${body.map((r) => html`<tr>${r.map((c) => html`<td>${inline(c)}</td>`)}</tr>`)}</table>`,
      );
    } else {
      out.push(html`<p>${inline(line)}</p>`);
    }
  }
  return html`<div class="md-body">${out}</div>`;
}
