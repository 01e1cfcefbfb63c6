import { githubActor, isBot } from "./actor.js";
import type { GitHubApi } from "./api.js";
import { decideAs, firstTelling, type GitHubHandlerDeps } from "./decide-as.js";
import type { CheckRunActionEvent } from "./payloads.js";
import { refsOf } from "./refs.js";

const APPROVAL_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * Approve / Reject pressed on our check run. Only our own check run counts (our app id, the id we
 * recorded, the approval's commit): anything else is ignored with a log line and nothing written.
 */
export async function onCheckRunAction(deps: GitHubHandlerDeps, api: GitHubApi, event: CheckRunActionEvent) {
  const run = event.check_run;
  const repo = event.repository.full_name;
  const where = { channel: "github", repo, checkRun: run.id, who: event.sender.login };
  const ignore = (why: string) =>
    deps.log.warn({ ...where, ignored: why }, "github: check-run action ignored");

  if (run.app?.id !== deps.appId) return ignore("check run of another app");
  const verdict = event.requested_action.identifier;
  if (verdict !== "approve" && verdict !== "reject") return ignore("unknown action");
  if (isBot(event.sender)) return ignore("bot");
  const id = run.external_id ?? "";
  const approval = APPROVAL_ID.test(id) ? await deps.store.get(id) : undefined;
  if (!approval) return ignore("unknown approval");
  const refs = refsOf(approval);
  if (refs.checkRunId !== run.id || refs.repo?.toLowerCase() !== repo.toLowerCase())
    return ignore("not this approval's check run");
  if (approval.context.commit?.sha !== run.head_sha) return ignore("another commit");

  const actor = await githubActor(api, approval.rule, repo, event.sender.login);
  const answer = await decideAs(deps, approval, { actor, verdict, via: "check-run" });
  // A button has no reply box: a refusal is answered on the pull request, when there is one.
  const pr = refs.prs[0];
  // Once per person, reason and approval, as for comments: repeated presses get no second reply.
  if (
    !answer.counted &&
    pr !== undefined &&
    (await firstTelling(deps, approval, event.sender.login, answer.reason))
  )
    await api.createComment(repo, pr, `@${event.sender.login} ${answer.text}`);
}
