import type { Approval } from "../../core/approval.js";
import { githubActor, isBot } from "./actor.js";
import type { GitHubApi } from "./api.js";
import { parseCommand } from "./commands.js";
import { decideAs, firstTelling, type GitHubHandlerDeps } from "./decide-as.js";
import type { IssueCommentEvent } from "./payloads.js";
import { refsOf } from "./refs.js";

/**
 * The approvals whose status comment is on this pull request, from Greenlight's own index (no
 * GitHub call). The record must agree (same repository, this PR), so a stray entry leads nowhere.
 */
async function approvalsOn(deps: GitHubHandlerDeps, repo: string, pr: number) {
  const found: Approval[] = [];
  for (const id of await deps.pullRequests.approvalsOn(repo, pr)) {
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
  // Everything up to the approver check costs no GitHub call: a drive-by comment is cheap.
  if (isBot(event.sender) || isBot(event.comment.user)) {
    deps.log.info(where, "github: command from a bot ignored");
    return;
  }

  const all = await approvalsOn(deps, repo, pr);
  if (all.length === 0) {
    deps.log.warn(where, "github: command on a pull request with no Greenlight approval ignored");
    return;
  }
  // A signature carries no time, so a captured delivery can be resent later: a comment speaks only
  // to approvals that were open when it was written (docs/security.md#30-signed-comments-expire). No tolerance for clock skew:
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
  const login = event.sender.login;
  const reply = (text: string) => api.createComment(repo, pr, `@${login} ${text}`);
  if (command.verdict === "reject" && !command.comment) {
    deps.log.warn({ ...where, refused: "reason-required" }, "decision refused");
    const told = await Promise.all(approvals.map((a) => firstTelling(deps, a, login, "reason-required")));
    if (told.some(Boolean)) await reply("please give a reason: `/reject <reason>`.");
    return;
  }

  // Every open approval on the PR (two pipelines may deploy one change); else the latest, to say how it ended.
  const open = approvals.filter((a) => a.state === "pending");
  const latest = approvals.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const targets = open.length > 0 ? open : latest ? [latest] : [];
  const refusals: string[] = [];
  let counted = false;
  // Two approvals under one rule ask GitHub the same questions about the sender: ask once.
  const actors = new Map<string, ReturnType<typeof githubActor>>();
  for (const approval of targets) {
    const asked = JSON.stringify(approval.rule.github?.approvers ?? {});
    if (!actors.has(asked)) actors.set(asked, githubActor(api, approval.rule, repo, login));
    const actor = await actors.get(asked);
    if (!actor) continue;
    const answer = await decideAs(deps, approval, { actor, ...command, via: "comment" });
    if (answer.counted) counted = true;
    // Said once per person, reason and approval: a repeat gets a log line, not another reply.
    else if (await firstTelling(deps, approval, login, answer.reason))
      refusals.push(targets.length > 1 ? `\`${approval.request.pipeline}\`: ${answer.text}` : answer.text);
  }
  if (counted) await api.react(repo, event.comment.id, command.verdict === "approve" ? "+1" : "eyes");
  if (refusals.length > 0) await reply(refusals.join("\n"));
}
