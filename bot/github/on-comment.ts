import type { Approval } from "../../core/approval.js";
import { githubActor, isBot } from "./actor.js";
import type { GitHubApi } from "./api.js";
import { parseCommand } from "./commands.js";
import { decideAs, type GitHubHandlerDeps } from "./decide-as.js";
import { MARKER } from "./markdown.js";
import type { IssueCommentEvent } from "./payloads.js";
import { refsOf } from "./refs.js";

/**
 * The approvals whose status comment is on this pull request. Our comments (by app id) name them
 * by marker; the record must agree (same repository, this PR), so a copied marker leads nowhere.
 */
async function approvalsOn(deps: GitHubHandlerDeps, api: GitHubApi, repo: string, pr: number) {
  const ids = new Set<string>();
  for (const c of await api.ourComments(repo, pr))
    for (const m of c.body.matchAll(MARKER)) if (m[1]) ids.add(m[1]);
  const found: Approval[] = [];
  for (const id of ids) {
    const approval = await deps.store.get(id);
    const refs = approval && refsOf(approval);
    if (approval && refs?.repo?.toLowerCase() === repo.toLowerCase() && refs.prs.includes(pr))
      found.push(approval);
  }
  return found;
}

/** The whole second an approval opened in: GitHub's `created_at` has no finer resolution. */
const openedSecond = (a: Approval) => Math.floor(Date.parse(a.createdAt) / 1000) * 1000;

/** `/approve [comment]` and `/reject <reason>` on a pull request (open, closed or merged). */
export async function onIssueComment(deps: GitHubHandlerDeps, api: GitHubApi, event: IssueCommentEvent) {
  const repo = event.repository.full_name;
  const pr = event.issue.number;
  const where = { channel: "github", repo, pr, who: event.sender.login };
  if (event.action !== "created" || !event.issue.pull_request) return;
  const command = parseCommand(event.comment.body ?? "");
  if (!command) return;
  if (isBot(event.sender) || isBot(event.comment.user)) {
    deps.log.info(where, "github: command from a bot ignored");
    return;
  }

  const all = await approvalsOn(deps, api, repo, pr);
  if (all.length === 0) {
    deps.log.warn(where, "github: command on a pull request with no Greenlight approval ignored");
    return;
  }
  // A signature carries no time, so a captured delivery can be resent later: a comment speaks only
  // to approvals that were open when it was written (SECURITY.md 30). No tolerance for clock skew:
  // a comment that looks too old is refused, and the person can comment again. GitHub writes whole
  // seconds, so the second the approval opened in counts (its status comment comes after it).
  const writtenAt = Date.parse(event.comment.created_at);
  const approvals = all.filter((a) => writtenAt >= openedSecond(a));
  if (approvals.length === 0) {
    deps.log.warn(
      { ...where, comment: event.comment.id },
      "github: command written before any approval on the pull request opened; ignored",
    );
    return;
  }
  const reply = (text: string) => api.createComment(repo, pr, `@${event.sender.login} ${text}`);
  if (command.verdict === "reject" && !command.comment) {
    deps.log.warn({ ...where, refused: "reason-required" }, "decision refused");
    await reply("please give a reason: `/reject <reason>`.");
    return;
  }

  // Every open approval on the PR (two pipelines may deploy one change); else the latest, to say how it ended.
  const open = approvals.filter((a) => a.state === "pending");
  const latest = approvals.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const targets = open.length > 0 ? open : latest ? [latest] : [];
  const refusals: string[] = [];
  let counted = false;
  for (const approval of targets) {
    const actor = await githubActor(api, approval.rule, repo, event.sender.login);
    const answer = await decideAs(deps, approval, { actor, ...command, via: "comment" });
    if (answer.counted) counted = true;
    else refusals.push(targets.length > 1 ? `\`${approval.request.pipeline}\`: ${answer.text}` : answer.text);
  }
  if (counted) await api.react(repo, event.comment.id, command.verdict === "approve" ? "+1" : "eyes");
  if (refusals.length > 0) await reply(refusals.join("\n"));
}
