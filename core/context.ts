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

/**
 * Find the run waiting at this approval and its source revision. Best effort: an approval opens
 * even when CodePipeline cannot tell us more (people can still decide without the commit shown).
 */
export async function resolveContext(
  pipeline: Pipeline,
  request: ApprovalRequest,
): Promise<{ context: ChangeContext; problem?: string }> {
  try {
    const state = await pipeline.approvalActionState(request);
    if (!state.executionId)
      return { context: contextFromRevision(undefined), problem: "no execution at the action" };
    const revisions = await pipeline.sourceRevisions({
      pipeline: request.pipeline,
      executionId: state.executionId,
    });
    return { context: contextFromRevision(revisions[0], state.executionId) };
  } catch (e: unknown) {
    return { context: contextFromRevision(undefined), problem: e instanceof Error ? e.message : String(e) };
  }
}
