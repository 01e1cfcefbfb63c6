import type { KeyObject } from "node:crypto";

export type Role = "read" | "triage" | "write" | "maintain" | "admin";

export interface User {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface Commit {
  repo: string;
  sha: string;
  message: string;
  author: { login?: string; name: string; email: string };
}

export interface PullRequest {
  repo: string;
  number: number;
  title: string;
  author: string;
  state: "open" | "closed";
  merged: boolean;
  headSha: string;
  mergeCommitSha?: string;
  commits: Commit[];
}

export interface PullRequestInput {
  number: number;
  title?: string;
  author: string;
  headSha: string;
  /** Set for a merged PR: the commit the pipeline deploys. */
  mergeCommitSha?: string;
  commits?: Omit<Commit, "repo">[];
}

export interface Comment {
  id: number;
  repo: string;
  issue: number;
  body: string;
  user: User;
  /** Set when an app wrote it (GitHub's `performed_via_github_app`). */
  appId?: number;
  createdAt: string;
  updatedAt: string;
  /** How many times it was edited: tests check "edited in place". */
  edits: number;
  reactions: { content: string; user: string }[];
}

export interface CheckRunAction {
  label: string;
  description: string;
  identifier: string;
}

export interface CheckRun {
  id: number;
  repo: string;
  headSha: string;
  name: string;
  externalId: string;
  appId: number;
  status: string;
  conclusion: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null };
  actions: CheckRunAction[];
  startedAt: string;
  completedAt: string | null;
  updates: number;
}

export interface App {
  id: number;
  slug: string;
  publicKey: KeyObject;
}

/**
 * Everything the GitHub stand-in knows: set up by tests (repos, people, PRs), changed by the app
 * through the REST API (comments, reactions, check runs), read back by tests and the dashboard.
 */
export class GitHubState {
  readonly apps = new Map<number, App>();
  readonly installations = new Map<number, { id: number; appId: number; account: string }>();
  readonly repos = new Map<
    string,
    { fullName: string; id: number; installationId: number; private: boolean }
  >();
  readonly users = new Map<string, User>();
  /** `repo → login → role`, all keys lower-case. */
  readonly roles = new Map<string, Map<string, Role>>();
  /** `org/slug → login → state`. */
  readonly teams = new Map<string, Map<string, "active" | "pending">>();
  readonly pulls: PullRequest[] = [];
  readonly commits = new Map<string, Commit>();
  readonly comments: Comment[] = [];
  readonly checkRuns: CheckRun[] = [];
  /** Local demos: an unknown commit in a known repo becomes a merged PR by this person. */
  autoPullAuthor: string | undefined;
  /** GitHub's clock: comment and commit times (tests set it to their fake clock). */
  now: () => Date = () => new Date();
  private nextId = 1000;

  /** A timestamp as GitHub writes them: ISO 8601, whole seconds, UTC. */
  timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d+Z$/, "Z");
  }

  id(): number {
    return ++this.nextId;
  }

  user(login: string, type: User["type"] = login.endsWith("[bot]") ? "Bot" : "User"): User {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { login, id: this.id(), type };
      this.users.set(key, user);
    }
    return user;
  }

  repo(fullName: string) {
    return this.repos.get(fullName.toLowerCase());
  }

  roleOf(repo: string, login: string): Role | undefined {
    return this.roles.get(repo.toLowerCase())?.get(login.toLowerCase());
  }

  addPull(repo: string, input: PullRequestInput): PullRequest {
    this.user(input.author);
    const commits = (input.commits ?? []).map((k) => ({ ...k, repo }));
    for (const k of commits) this.commits.set(k.sha, k);
    const pull: PullRequest = {
      repo,
      number: input.number,
      title: input.title ?? `Pull request #${input.number}`,
      author: input.author,
      state: input.mergeCommitSha ? "closed" : "open",
      merged: !!input.mergeCommitSha,
      headSha: input.headSha,
      ...(input.mergeCommitSha ? { mergeCommitSha: input.mergeCommitSha } : {}),
      commits,
    };
    this.pulls.push(pull);
    return pull;
  }

  /** Pull requests containing `sha` (merged as it, or with it as head or one of its commits). */
  pullsFor(repo: string, sha: string): PullRequest[] {
    const same = (p: PullRequest) => p.repo.toLowerCase() === repo.toLowerCase();
    const found = this.pulls.filter(
      (p) =>
        same(p) && (p.mergeCommitSha === sha || p.headSha === sha || p.commits.some((k) => k.sha === sha)),
    );
    if (found.length > 0 || !this.autoPullAuthor || !this.repo(repo) || !/^[0-9a-f]{40}$/.test(sha))
      return found;
    const author = this.autoPullAuthor;
    const number = Math.max(41, ...this.pulls.filter(same).map((p) => p.number)) + 1;
    const head = {
      sha: sha.split("").reverse().join(""),
      message: `Change ${sha.slice(0, 7)}`,
      author: { login: author, name: author, email: `${author}@example.com` },
    };
    return [
      this.addPull(this.repo(repo)?.fullName ?? repo, {
        number,
        author,
        headSha: head.sha,
        mergeCommitSha: sha,
        commits: [head],
      }),
    ];
  }

  /** A commit GitHub would know: one of a PR's, a PR's head or merge commit. */
  knowsCommit(repo: string, sha: string): boolean {
    return (
      this.commits.get(sha)?.repo.toLowerCase() === repo.toLowerCase() || this.pullsFor(repo, sha).length > 0
    );
  }

  commentsOn(repo: string, issue: number): Comment[] {
    return this.comments.filter((c) => c.repo.toLowerCase() === repo.toLowerCase() && c.issue === issue);
  }

  checkRunsFor(repo: string, sha: string): CheckRun[] {
    return this.checkRuns.filter((r) => r.repo.toLowerCase() === repo.toLowerCase() && r.headSha === sha);
  }

  /** A JSON view for the dashboard: what a person would see on each pull request. */
  snapshot() {
    return {
      pulls: this.pulls.map((p) => ({
        repo: p.repo,
        number: p.number,
        title: p.title,
        author: p.author,
        state: p.merged ? "merged" : p.state,
        comments: this.commentsOn(p.repo, p.number).map((c) => ({ ...c, user: c.user.login })),
        checkRuns: this.checkRunsFor(p.repo, p.mergeCommitSha ?? p.headSha),
      })),
    };
  }
}
