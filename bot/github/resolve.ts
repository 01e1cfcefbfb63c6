import type { ChangeContext } from "../../core/approval.js";
import type { CommitAuthor, GitHubApi, PullRef } from "./api.js";

/** At most this many pull requests get a status comment (a commit on many open branches is unusual). */
const MAX_PRS = 3;
const CO_AUTHOR = /^co-authored-by:.*<([^<>\s]+@[^<>\s]+)>\s*$/gim;

export interface ResolvedChange {
  prs: PullRef[];
  authors: { logins: string[]; emails: string[] };
}

/**
 * The pull request(s) behind the deployed commit and the people whose change it is: the PR
 * authors and every commit author (co-authors included). With no PR (a direct push), the commit's
 * own author. A merge commit's author is whoever merged; merging is review, not authorship.
 */
export async function resolveChange(api: GitHubApi, repo: string, sha: string): Promise<ResolvedChange> {
  const all = await api.pullsForCommit(repo, sha);
  const exact = all.filter((p) => p.mergeCommitSha === sha || p.headSha === sha);
  const prs = (exact.length > 0 ? exact : all).slice(0, MAX_PRS);

  const commits: CommitAuthor[] = [];
  const logins: string[] = [];
  if (prs.length === 0) commits.push(await api.commit(repo, sha));
  for (const pr of prs) {
    if (pr.author) logins.push(pr.author);
    commits.push(...(await api.pullCommits(repo, pr.number)));
  }
  const emails: string[] = [];
  for (const c of commits) {
    if (c.login) logins.push(c.login);
    if (c.email) emails.push(c.email);
    for (const m of c.message.matchAll(CO_AUTHOR)) if (m[1]) emails.push(m[1]);
  }
  return { prs, authors: { logins: distinct(logins), emails: distinct(emails) } };
}

const distinct = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))];

/** The approval's context with what GitHub told us; existing authors are kept (never narrowed). */
export function withChange(
  context: ChangeContext,
  repo: string,
  change: ResolvedChange,
  resolvedAt: string,
): ChangeContext {
  const first = change.prs[0];
  return {
    ...context,
    repository: context.repository ?? repo,
    ...(first
      ? {
          pullRequest: {
            number: first.number,
            url: first.url,
            ...(first.author ? { author: first.author } : {}),
          },
        }
      : {}),
    authors: {
      logins: distinct([...context.authors.logins, ...change.authors.logins]),
      emails: distinct([...context.authors.emails, ...change.authors.emails]),
    },
    authorsResolvedAt: resolvedAt,
  };
}
