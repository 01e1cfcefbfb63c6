import type { ApprovalRequest, ChangeContext } from "./approval.js";
import type { Pipeline, SourceRevision } from "./ports.js";

/**
 * CodeConnections revision summaries are JSON: {"ProviderType":"GitHub","CommitMessage":"…"};
 * other sources give plain text.
 */
function parseSummary(summary: string | undefined): { message?: string; provider?: string } {
  if (!summary) return {};
  if (summary.trimStart().startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(summary);
      if (parsed && typeof parsed === "object") {
        const message =
          "CommitMessage" in parsed && typeof parsed.CommitMessage === "string"
            ? parsed.CommitMessage
            : undefined;
        const provider =
          "ProviderType" in parsed && typeof parsed.ProviderType === "string"
            ? parsed.ProviderType
            : undefined;
        // Without a commit message, the JSON itself is still better than nothing to show.
        if (provider !== undefined) return { message: message ?? summary, provider };
        if (message !== undefined) return { message };
      }
    } catch {
      // Not JSON after all: fall through and show it as it is.
    }
  }
  return { message: summary };
}

const GITHUB_COMMIT = /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/commit\/([0-9a-f]{7,40})/i;
const REPOSITORY = /^[\w.-]+\/[\w.-]+$/;
const CONSOLE_HOST = /^(?:[a-z0-9-]+\.)?console\.aws\.amazon\.com$/;

/**
 * The GitHub repository a revision URL names. CodePipeline's GitHub (CodeConnections) source
 * returns a console redirect, `https://<region>.console.aws.amazon.com/codesuite/settings/
 * connections/redirect?connectionArn=…&referenceType=COMMIT&FullRepositoryId=<owner>/<repo>&Commit=<sha>`,
 * whose `ProviderType` (in the revision summary) says which host the repository is on; the older
 * GitHub (OAuth) source returns `https://github.com/<owner>/<repo>/commit/<sha>`.
 */
export function repositoryOf(url: string | undefined, provider: string | undefined): string | undefined {
  if (!url) return undefined;
  const direct = GITHUB_COMMIT.exec(url)?.[1];
  if (direct) return direct;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" || !CONSOLE_HOST.test(parsed.hostname)) return undefined;
  if (!parsed.pathname.includes("/connections/redirect")) return undefined;
  // GitLab and Bitbucket repositories look the same here; only GitHub's can be read for authors.
  if (
    provider !== undefined &&
    provider.toLowerCase() !== "github" &&
    provider.toLowerCase() !== "githubenterpriseserver"
  )
    return undefined;
  const repo = parsed.searchParams.get("FullRepositoryId") ?? undefined;
  return repo && REPOSITORY.test(repo) ? repo : undefined;
}
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
  const { message, provider } = parseSummary(revision.summary);
  const repo = repositoryOf(revision.url, provider);
  context.commit = {
    sha: revision.commit,
    ...(message ? { message } : {}),
    // The console redirect needs an AWS sign-in; people are better served by the commit on GitHub.
    ...(repo
      ? { url: `https://github.com/${repo}/commit/${revision.commit}` }
      : revision.url
        ? { url: revision.url }
        : {}),
  };
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
