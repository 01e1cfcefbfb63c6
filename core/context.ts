import type { ApprovalRequest, ChangeContext } from "./approval.js";
import type { Pipeline, SourceRevision } from "./ports.js";

/** CodeConnections (GitHub) revision summaries are JSON: {"ProviderType":"GitHub","CommitMessage":"…"}. */
function commitMessage(summary: string | undefined): string | undefined {
  if (!summary) return undefined;
  if (summary.trimStart().startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(summary);
      if (
        parsed &&
        typeof parsed === "object" &&
        "CommitMessage" in parsed &&
        typeof parsed.CommitMessage === "string"
      ) {
        return parsed.CommitMessage;
      }
    } catch {
      // Not JSON after all: fall through and show it as it is.
    }
  }
  return summary;
}

const GITHUB_COMMIT = /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/commit\/([0-9a-f]{7,40})/i;
// "Merge pull request #42 from …" (merge commits) or "Title (#42)" (squash merges).
const PR_NUMBER = /^Merge pull request #(\d+)\b|\(#(\d+)\)\s*$/m;

/** What we can tell about the change from one source revision, without calling GitHub. */
export function contextFromRevision(
  revision: SourceRevision | undefined,
  executionId?: string,
): ChangeContext {
  const context: ChangeContext = { authors: { logins: [], emails: [] } };
  if (executionId) context.executionId = executionId;
  if (!revision?.commit) return context;
  const message = commitMessage(revision.summary);
  context.commit = {
    sha: revision.commit,
    ...(message ? { message } : {}),
    ...(revision.url ? { url: revision.url } : {}),
  };
  const repo = revision.url ? GITHUB_COMMIT.exec(revision.url)?.[1] : undefined;
  if (repo) context.repository = repo;
  const pr = message ? PR_NUMBER.exec(message) : null;
  const number = pr ? Number(pr[1] ?? pr[2]) : undefined;
  if (number) {
    context.pullRequest = { number, ...(repo ? { url: `https://github.com/${repo}/pull/${number}` } : {}) };
  }
  return context;
}

/** How `resolveContext` retries: look-ups that fail are transient far more often than not. */
export interface ContextRetry {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before try n+1 (n from 1); without `pause` the tries follow each other at once. */
  delayMs?: (attempt: number) => number;
  pause?: (ms: number) => Promise<void>;
}

const ONCE: ContextRetry = { attempts: 1 };

/**
 * Find the run waiting at this approval (the execution holding its token, in any execution mode)
 * and its source revision. A failed look-up (throttling, a 5xx, an AccessDenied while IAM
 * propagates, no execution found yet) is tried again per `retry`; when every try failed, the
 * approval still opens with what is known and the problem is returned, so people can still reject.
 */
export async function resolveContext(
  pipeline: Pipeline,
  request: ApprovalRequest,
  retry: ContextRetry = ONCE,
): Promise<{ context: ChangeContext; problem?: string }> {
  let problem = "";
  let executionId: string | undefined;
  for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
    if (attempt > 1) await retry.pause?.(retry.delayMs?.(attempt - 1) ?? 0);
    try {
      // Once the run is known it stays known: only the look-up that failed is tried again.
      executionId ??= (
        await pipeline.approvalActionState({
          pipeline: request.pipeline,
          stage: request.stage,
          action: request.action,
          token: request.token,
        })
      ).executionId;
      if (!executionId) {
        problem = "no execution at the action";
        continue;
      }
      const revisions = await pipeline.sourceRevisions({ pipeline: request.pipeline, executionId });
      return { context: contextFromRevision(revisions[0], executionId) };
    } catch (e: unknown) {
      problem = e instanceof Error ? e.message : String(e);
    }
  }
  return { context: contextFromRevision(undefined, executionId), problem };
}
