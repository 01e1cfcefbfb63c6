import { Hono } from "hono";
import { z } from "zod";
import { html, type SafeHtml } from "../../bot/email/html.js";
import type { LocalGitHub } from "../github/local.js";
import type { CheckRun, PullRequest } from "../github/state.js";
import { badge, clock, jsonBody, problem } from "./format.js";
import { renderMarkdown } from "./markdown.js";
import type { DashboardPanel } from "./panel.js";

export interface GitHubPanelDeps {
  github: LocalGitHub;
  /** GitHub logins the dashboard can act as. */
  people: string[];
}

const comment = z.object({
  repo: z.string(),
  pr: z.coerce.number().int(),
  login: z.string(),
  text: z.string().min(1).max(2000),
});
const press = z.object({
  checkRunId: z.coerce.number().int(),
  login: z.string(),
  identifier: z.enum(["approve", "reject"]),
});

function who(people: string[], label = "Act as"): SafeHtml {
  return html`<select name="login" aria-label="${label}">${people.map((p) => html`<option value="${p}">@${p}</option>`)}</select>`;
}

function checkRun(run: CheckRun, people: string[]): SafeHtml {
  const state = run.conclusion ?? run.status;
  return html`<div class="check" data-check-run="${run.id}"><p>${badge(state === "success" ? "Succeeded" : state === "failure" ? "Failed" : state === "neutral" ? "Stopped" : "InProgress")}
<strong>${run.name}</strong> ${run.output.title ?? ""}</p>
${run.output.summary ? html`<details><summary class="hint">Details</summary>${renderMarkdown(run.output.summary)}</details>` : ""}
${
  run.actions.length > 0 && !run.completedAt
    ? html`<form data-post action="/local/github/press"><input type="hidden" name="checkRunId" value="${String(run.id)}">
${run.actions.map((a) => html`<button type="submit" name="identifier" value="${a.identifier}" class="${a.identifier === "reject" ? "danger" : ""}">${a.label}</button>`)}
<label class="hint">as ${who(people)}</label></form>`
    : ""
}</div>`;
}

/**
 * The pull request as GitHub shows it: Greenlight's status comment, the check run on the deployed
 * commit (with its buttons), people's comments, and a comment box to `/approve` or `/reject` as a
 * chosen person; each action reaches `/github/webhooks` as a signed delivery.
 */
/**
 * A comment's reactions as GitHub shows them: each emoji once with its count. The `content` values
 * and their emoji are GitHub's ("Reactions" REST docs: +1 👍, -1 👎, laugh 😄, confused 😕,
 * heart ❤️, hooray 🎉, rocket 🚀, eyes 👀).
 */
const REACTION_EMOJI: Record<string, string> = {
  "+1": "👍",
  "-1": "👎",
  laugh: "😄",
  confused: "😕",
  heart: "❤️",
  hooray: "🎉",
  rocket: "🚀",
  eyes: "👀",
};

export function reactionsLine(reactions: readonly { content: string }[]): string {
  const counts = new Map<string, number>();
  for (const r of reactions) counts.set(r.content, (counts.get(r.content) ?? 0) + 1);
  return [...counts]
    .map(([content, n]) => `${REACTION_EMOJI[content] ?? content}${n > 1 ? ` ${n}` : ""}`)
    .join(" ");
}

export function githubPanel(deps: GitHubPanelDeps): DashboardPanel {
  const { state } = deps.github.standIn;
  const routes = new Hono();
  routes.get("/", (c) =>
    c.json({ pulls: state.pulls, comments: state.comments, checkRuns: state.checkRuns }),
  );
  routes.post("/comment", async (c) => {
    const parsed = comment.safeParse(await jsonBody(c.req));
    if (!parsed.success) return c.json(problem("expected repo, pr, login and text"), 400);
    const res = await deps.github.comment({ ...parsed.data, pr: parsed.data.pr });
    await res.arrayBuffer();
    return c.json({
      status: res.status,
      message: `GitHub delivered @${parsed.data.login}'s comment: ${res.status}`,
    });
  });
  routes.post("/press", async (c) => {
    const parsed = press.safeParse(await jsonBody(c.req));
    if (!parsed.success) return c.json(problem("expected checkRunId, login and identifier"), 400);
    const run = state.checkRuns.find((r) => r.id === parsed.data.checkRunId);
    if (!run) return c.json(problem("no such check run"), 404);
    const res = await deps.github.press({ ...parsed.data, repo: run.repo });
    await res.arrayBuffer();
    return c.json({
      status: res.status,
      message: `GitHub delivered @${parsed.data.login}'s click: ${res.status}`,
    });
  });

  const pull = (pr: PullRequest) => {
    const comments = state.comments.filter((c) => c.repo === pr.repo && c.issue === pr.number);
    const runs = state.checkRuns.filter((r) => r.repo === pr.repo && r.headSha === pr.mergeCommitSha);
    return html`<div class="card" data-pull="${pr.repo}#${String(pr.number)}">
<header><strong>${pr.repo} #${String(pr.number)}</strong><span class="muted">${pr.title} · by @${pr.author} · ${pr.merged ? "merged" : pr.state}</span></header>
${comments.map(
  (
    c,
  ) => html`<div class="gh-comment" data-comment="${String(c.id)}"><p class="hint">@${c.user.login}${c.appId ? " (app)" : ""} · ${clock(c.updatedAt)}${c.edits > 0 ? " · edited" : ""}${c.reactions.length ? ` · ${reactionsLine(c.reactions)}` : ""}</p>
${renderMarkdown(c.body)}</div>`,
)}
${runs.map((r) => checkRun(r, deps.people))}
<form data-post action="/local/github/comment"><input type="hidden" name="repo" value="${pr.repo}"><input type="hidden" name="pr" value="${String(pr.number)}">
<input type="text" name="text" aria-label="Comment" placeholder="/approve looks good" required> as ${who(deps.people, "Comment as")} <button type="submit" class="secondary">Comment</button></form></div>`;
  };

  return {
    id: "github",
    title: "GitHub pull request (stand-in)",
    column: "main",
    routes,
    async render() {
      const pulls = state.pulls.filter((p) =>
        state.comments.some((c) => c.repo === p.repo && c.issue === p.number),
      );
      if (pulls.length === 0) return html`<p class="muted">No pull request comment yet.</p>`;
      return html`${pulls.slice(-2).reverse().map(pull)}`;
    },
  };
}
