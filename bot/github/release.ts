import type { ChangeContext, Release, ReleasePull } from "../../core/approval.js";
import type { CommitPeople, GitHubApi, PullRef } from "./api.js";

/** Pull requests kept on the record for channels to list; the rest are counted. */
export const RELEASE_PULLS_KEPT = 50;
/** Pull requests of the waiting commit itself that get the status comment. */
const MAX_HEAD_PULLS = 3;
/** "List commits on a pull request" stops at 250 (REST docs); past that the PR's range is compared. */
const PULL_COMMITS_LISTED = 250;
/** Commits looked up for their pull request; a release with more unassigned ones fails closed. */
export const MAX_PULL_LOOKUPS = 300;

// GitHub writes `Co-authored-by: Name <address>` trailers (GitHub docs, "Creating a commit with
// multiple authors"); the address is all the API gives for a co-author.
const CO_AUTHOR = /^co-authored-by:.*<([^<>\s]+@[^<>\s]+)>\s*$/gim;
// Merges made on github.com are committed by `web-flow` as `GitHub <noreply@github.com>`:
// merging is review, not authorship.
const isWebFlow = (login?: string, email?: string) =>
  login?.toLowerCase() === "web-flow" || email?.toLowerCase() === "noreply@github.com";

/** Who wrote a release, and which of their commit addresses GitHub tied to which account. */
export interface ReadRelease {
  release: Release;
  authors: { logins: string[]; emails: string[] };
  emailLogins: Record<string, string>;
  /** The pull request the waiting commit came from, if any. */
  headPull?: PullRef;
}

/** Thrown when the release cannot be told (a base GitHub does not know, too many commits). */
export class ReleaseUnreadable extends Error {}

class Authors {
  readonly logins = new Set<string>();
  readonly emails = new Set<string>();
  readonly emailLogins: Record<string, string> = {};

  login(login?: string) {
    if (login) this.logins.add(login.toLowerCase());
  }

  email(email?: string, login?: string) {
    if (!email) return;
    const e = email.trim().toLowerCase();
    this.emails.add(e);
    if (login) this.emailLogins[e] = login.toLowerCase();
  }

  commit(c: CommitPeople) {
    const byGitHub = isWebFlow(c.committerLogin, c.committerEmail);
    // A merge GitHub made (the merge button) holds no code of the person who pressed it: that
    // is review. A merge someone made and pushed themselves may (a conflict resolved by hand).
    if (c.parents > 1 && byGitHub) return;
    this.login(c.login);
    this.email(c.email, c.login);
    if (!byGitHub) {
      this.login(c.committerLogin);
      this.email(c.committerEmail, c.committerLogin);
    }
    for (const m of c.message.matchAll(CO_AUTHOR)) this.email(m[1]);
  }
}

/** A pull request that brought `sha` into the release: merged as it, or carrying it. */
function pullsBringing(pulls: PullRef[], sha: string): PullRef[] {
  const merged = pulls.filter((p) => p.merged);
  const exact = merged.filter((p) => p.mergeCommitSha === sha || p.headSha === sha);
  return exact.length > 0 ? exact : merged;
}

/**
 * The release waiting at an approval: every commit from `base` (what production last received)
 * to `head`, the pull requests they came from, and everyone who wrote any of it (commit authors
 * and committers, co-authors, pull request authors, including commits past the 250 a PR lists).
 * Without a base (the first release), or when production already has `head` (a re-run or a
 * rollback), the release is the waiting commit and the pull requests it belongs to.
 */
export async function readRelease(
  api: GitHubApi,
  repo: string,
  head: string,
  base?: { sha: string; from: NonNullable<Release["baseFrom"]> },
): Promise<ReadRelease> {
  let commits: CommitPeople[];
  let note: string | undefined;
  const again = `production already has ${head.slice(0, 7)} (a re-run or a rollback): showing that commit alone`;
  if (base && base.sha === head) {
    note = again;
    commits = [await api.commit(repo, head)];
  } else if (base) {
    const compared = await api.compare(repo, base.sha, head);
    commits = compared.commits;
    if (compared.aheadBy === 0) {
      note = again;
      commits = [await api.commit(repo, head)];
    }
  } else {
    commits = [await api.commit(repo, head)];
  }
  const authors = new Authors();
  for (const c of commits) authors.commit(c);

  const inRelease = new Set(commits.map((c) => c.sha));
  const covered = new Set<string>();
  const pulls = new Map<number, PullRef>();
  let headPulls: PullRef[] = [];
  let lookups = 0;
  // Newest first, so a merge commit's pull request covers the branch commits under it.
  for (const c of [...commits].reverse()) {
    if (covered.has(c.sha)) continue;
    covered.add(c.sha);
    if (++lookups > MAX_PULL_LOOKUPS)
      throw new ReleaseUnreadable(
        `the release has more than ${MAX_PULL_LOOKUPS} commits outside any pull request Greenlight found`,
      );
    const found = pullsBringing(await api.pullsForCommit(repo, c.sha), c.sha);
    if (c.sha === head) headPulls = found.slice(0, MAX_HEAD_PULLS);
    for (const pr of found) {
      if (pulls.has(pr.number)) continue;
      pulls.set(pr.number, pr);
      authors.login(pr.author);
      for (const k of await pullCommits(api, repo, pr)) {
        authors.commit(k);
        if (inRelease.has(k.sha)) covered.add(k.sha);
      }
    }
  }

  const listed: ReleasePull[] = [...pulls.values()]
    .toSorted((a, b) => b.number - a.number)
    .map((p) => ({
      number: p.number,
      title: p.title,
      url: p.url,
      ...(p.author ? { author: p.author } : {}),
    }));
  const release: Release = {
    ...(base && !note ? { base: base.sha, baseFrom: base.from } : {}),
    commits: commits.length,
    pulls: listed.slice(0, RELEASE_PULLS_KEPT),
    ...(listed.length > RELEASE_PULLS_KEPT ? { morePulls: listed.length - RELEASE_PULLS_KEPT } : {}),
    headPulls: headPulls.map((p) => p.number),
    ...(note ? { note } : {}),
  };
  return {
    release,
    authors: { logins: [...authors.logins], emails: [...authors.emails] },
    emailLogins: authors.emailLogins,
    ...(headPulls[0] ? { headPull: headPulls[0] } : {}),
  };
}

/** Every commit of a pull request: its list, or past GitHub's 250, its range compared. */
async function pullCommits(api: GitHubApi, repo: string, pr: PullRef): Promise<CommitPeople[]> {
  const listed = await api.pullCommits(repo, pr.number);
  if (listed.length < PULL_COMMITS_LISTED) return listed;
  const detail = await api.pull(repo, pr.number);
  if (detail.commits <= listed.length) return listed;
  const compared = await api.compare(repo, detail.baseSha, detail.headSha);
  return [...listed, ...compared.commits];
}

/** The approval's context with the release GitHub told us about; existing authors are kept. */
export function withRelease(
  context: ChangeContext,
  repo: string,
  read: ReadRelease,
  at: string,
): ChangeContext {
  const head = read.headPull;
  const distinct = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))];
  const { authorsRetry: _retry, ...rest } = context;
  return {
    ...rest,
    repository: context.repository ?? repo,
    ...(head
      ? {
          pullRequest: {
            number: head.number,
            url: head.url,
            ...(head.author ? { author: head.author } : {}),
          },
        }
      : {}),
    authors: {
      logins: distinct([...context.authors.logins, ...read.authors.logins]),
      emails: distinct([...context.authors.emails, ...read.authors.emails]),
    },
    emailLogins: { ...context.emailLogins, ...read.emailLogins },
    release: read.release,
    authorsResolvedAt: at,
  };
}
