import type { Approval } from "../../core/approval.js";
import { mutate } from "../../core/mutate.js";
import type { ApprovalStore } from "../../core/ports.js";
import type { Log } from "../shared/log.js";
import type { GitHubApi } from "./api.js";
import { markerFor } from "./markdown.js";
import { refsOf, withRefs } from "./refs.js";
import { fingerprint, renderCheckRun, renderComment } from "./render.js";

export interface PublishInput {
  api: GitHubApi;
  store: ApprovalStore;
  approval: Approval;
  target: { repo: string; sha: string };
  log: Log;
}

const gone = (e: unknown) => typeof e === "object" && e !== null && "status" in e && e.status === 404;

/**
 * Bring the status comments and the check run in line with `approval`, then record ids and
 * fingerprints. Ids we lack are first looked for (our marker, our external id) so an earlier run
 * whose write-back was lost is continued, not duplicated; a view someone deleted is recreated.
 * Whatever was created is recorded even when another call failed, then the failure is rethrown.
 */
export async function publish({ api, store, approval, target, log }: PublishInput): Promise<void> {
  const refs = refsOf(approval);
  const body = renderComment(approval);
  const check = renderCheckRun(approval);
  const comments = new Map(refs.comments);
  let checkRunId = refs.checkRunId;
  const failures: unknown[] = [];
  const created: string[] = [];

  for (const pr of refs.prs) {
    try {
      let id = comments.get(pr);
      if (id === undefined) {
        const marker = markerFor(approval.id);
        id = (await api.ourComments(target.repo, pr)).find((c) => c.body.includes(marker))?.id;
      }
      const fresh = !comments.has(pr);
      if (id !== undefined && (fresh || refs.commentHash !== fingerprint(body))) {
        await api.updateComment(target.repo, id, body).catch((e: unknown) => {
          if (!gone(e)) throw e;
          id = undefined;
        });
      }
      if (id === undefined) {
        id = await api.createComment(target.repo, pr, body);
        created.push(`comment on #${pr}`);
      }
      comments.set(pr, id);
    } catch (e: unknown) {
      failures.push(e);
    }
  }

  try {
    const fresh = checkRunId === undefined;
    checkRunId ??= await api.findCheckRun(target.repo, target.sha, approval.id);
    if (checkRunId !== undefined && (fresh || refs.checkHash !== fingerprint(check))) {
      const id = checkRunId;
      await api.updateCheckRun(target.repo, id, check).catch((e: unknown) => {
        if (!gone(e)) throw e;
        checkRunId = undefined;
      });
    }
    if (checkRunId === undefined) {
      checkRunId = await api.createCheckRun(target.repo, target.sha, check);
      created.push("check run");
    }
  } catch (e: unknown) {
    failures.push(e);
  }

  const commentsOk = refs.prs.every((pr) => comments.has(pr)) && failures.length === 0;
  await mutate(store, approval.id, (current) => {
    const now = refsOf(current);
    const next = withRefs(current, {
      comments: new Map([...now.comments, ...comments]),
      checkRunId: checkRunId ?? now.checkRunId,
      commentHash: commentsOk ? fingerprint(body) : undefined,
      checkHash: checkRunId !== undefined && failures.length === 0 ? fingerprint(check) : undefined,
      ...(now.claimedBy === refs.claimedBy ? { claimedBy: undefined, claimedAt: undefined } : {}),
      problem: undefined,
    });
    return JSON.stringify(next.channels.github) === JSON.stringify(current.channels.github)
      ? undefined
      : next;
  });
  if (created.length > 0)
    log.info(
      { approvalId: approval.id, channel: "github", repo: target.repo, created },
      "github: views created",
    );
  if (failures.length > 0) throw new AggregateError(failures, `github: ${failures.length} update(s) failed`);
}
