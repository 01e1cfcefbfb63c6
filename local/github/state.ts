/**
 * # Seeding a release in the GitHub stand-in
 *
 * Each repository has a mainline (its default branch, `main`): an ordered chain of commits with
 * parents, as `git log --first-parent` shows it. A merged pull request puts its commits there as
 * GitHub does for the chosen merge button, a direct push appends one commit, and
 * `GET /repos/{o}/{r}/compare/{base}...{head}` answers from that graph.
 *
 * ```ts
 * const { state } = await startGitHubStandIn({ contract: true });
 * // A release of 5 merged PRs by 3 authors, on top of what is already there:
 * const release = state.seedRelease("acme/shop-web", { authors: ["ana", "bo", "cy"], pulls: 5 });
 * // release.base … release.head is the range; release.pulls the 5 PRs (#101…#105 by default).
 * // A PR with 300 commits whose last 50 are by someone else (beyond "List commits on a PR"'s 250):
 * const long = state.seedLongPull("acme/shop-web", { number: 300, author: "ana", lateAuthor: "eve" });
 * // Or by hand:
 * state.pushCommit("acme/shop-web", { message: "Hotfix", author: "bo" });
 * state.addPull("acme/shop-web", { number: 7, author: "ana", headSha, mergeCommitSha, mergeStyle: "squash",
 *   commits: [{ sha: headSha, message: "Fix", author: { name: "Ana", email: "ana@acme.io", login: "ana" } }] });
 * ```
 *
 * Merge styles follow GitHub ("About merge methods on GitHub"): `merge` keeps the PR's commits and
 * adds a merge commit authored by whoever merged and committed by GitHub (`web-flow`); `squash`
 * adds one commit authored by the PR author, committed by GitHub, with a `Co-authored-by:` trailer
 * for every other commit author. Commits' `author`/`committer` in API answers carry a user when
 * the e-mail belongs to a known user (a registered e-mail, or `[id+]login@users.noreply.github.com`).
 */
import { createHash, type KeyObject } from "node:crypto";
import { encodeState, restoreState } from "../state-file.js";

export type Role = "read" | "triage" | "write" | "maintain" | "admin";

export interface User {
  login: string;
  id: number;
  type: "User" | "Bot";
}

/** A commit's author or committer as Git records it; `login` when GitHub links the e-mail to a user. */
export interface Person {
  name: string;
  email: string;
  login?: string;
}

export interface Commit {
  repo: string;
  sha: string;
  message: string;
  author: Person;
  /** Who committed (defaults to the author); GitHub itself for merge and squash commits. */
  committer?: Person;
  parents?: string[];
  date?: string;
}

export type MergeStyle = "merge" | "squash";

export interface PullRequest {
  repo: string;
  number: number;
  title: string;
  author: string;
  state: "open" | "closed";
  merged: boolean;
  headSha: string;
  /** The mainline head the PR was opened (and merged) against. */
  baseSha: string;
  mergeCommitSha?: string;
  mergeStyle?: MergeStyle;
  mergedBy?: string;
  createdAt: string;
  mergedAt?: string;
  commits: Commit[];
}

export interface PullRequestInput {
  number: number;
  title?: string;
  author: string;
  headSha: string;
  /** Set for a merged PR: the commit the pipeline deploys. */
  mergeCommitSha?: string;
  /** How it was merged (default `merge`); only with `mergeCommitSha`. */
  mergeStyle?: MergeStyle;
  /** Who pressed the merge button (default: the PR author). */
  mergedBy?: string;
  commits?: Omit<Commit, "repo">[];
}

/** A commit to push: `author` is a login (a known user) or a full Git identity. */
export interface PushInput {
  sha?: string;
  message: string;
  author: string | Person;
  committer?: string | Person;
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
  /** As set in the App's settings (default: app.yml's); GET /app and installations echo them. */
  permissions?: Record<string, string>;
  events?: string[];
}

/** GitHub's own committer for merges made on github.com (the `web-flow` account). */
export const WEB_FLOW: Person = { name: "GitHub", email: "noreply@github.com", login: "web-flow" };
const WEB_FLOW_ID = 19864447;
const NOREPLY = /^(?:(\d+)\+)?([A-Za-z0-9-]+(?:\[bot\])?)@users\.noreply\.github\.com$/i;

/**
 * Everything the GitHub stand-in knows: set up by tests (repos, people, PRs), changed by the app
 * through the REST API (comments, reactions, check runs), read back by tests and the dashboard.
 */
export class GitHubState {
  readonly apps = new Map<number, App>();
  readonly installations = new Map<
    number,
    {
      id: number;
      appId: number;
      account: string;
      /** What the installation accepted; unset: the App's current permissions (none pending). */
      permissions?: Record<string, string>;
    }
  >();
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
  /** Every commit by sha, in the order they were made (compare lists them in this order). */
  readonly commits = new Map<string, Commit>();
  /** `repo (lower-case) → mainline shas`, oldest first. */
  readonly mainlines = new Map<string, string[]>();
  /** E-mail (lower-case) → login: e-mails GitHub links to an account. */
  readonly emails = new Map<string, string>();
  readonly comments: Comment[] = [];
  readonly checkRuns: CheckRun[] = [];
  /** Local demos: an unknown commit in a known repo becomes a merged PR by this person. */
  autoPullAuthor: string | undefined;
  /**
   * Whether comments an app writes with an installation token carry `performed_via_github_app`.
   * GitHub's docs do not say (docs/fidelity.md); set false to run the app against the other answer.
   */
  appCommentsNameTheApp = true;
  /** GitHub's clock: comment and commit times (tests set it to their fake clock). */
  now: () => Date = () => new Date();
  private nextId: number;
  private shaCount = 0;

  /**
   * `firstId`: where ids start. A stand-in restarted over a kept table (`npm start` with a data
   * directory) must not hand out comment ids it gave before: the replay guard remembers them.
   */
  constructor(firstId = 1000) {
    this.nextId = firstId;
  }

  /** A timestamp as GitHub writes them: ISO 8601, whole seconds, UTC. */
  timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d+Z$/, "Z");
  }

  id(): number {
    return ++this.nextId;
  }

  /** A fresh, stable 40-hex commit id. */
  sha(): string {
    return createHash("sha1")
      .update(`stand-in commit ${++this.shaCount}`)
      .digest("hex");
  }

  user(login: string, type: User["type"] = login.endsWith("[bot]") ? "Bot" : "User"): User {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { login, id: key === "web-flow" ? WEB_FLOW_ID : this.id(), type };
      this.users.set(key, user);
    }
    return user;
  }

  /** A user's Git identity: their noreply address, as GitHub's web editor and merges use it. */
  personOf(login: string): Person {
    const u = this.user(login);
    return { name: u.login, email: `${u.id}+${u.login}@users.noreply.github.com`, login: u.login };
  }

  /** The account GitHub shows for a commit identity: by login, a linked e-mail, or a noreply address. */
  userOf(person: Person): User | undefined {
    if (person.login) return this.user(person.login);
    const linked = this.emails.get(person.email.toLowerCase());
    if (linked) return this.users.get(linked.toLowerCase());
    const login = NOREPLY.exec(person.email)?.[2];
    return login ? this.users.get(login.toLowerCase()) : undefined;
  }

  repo(fullName: string) {
    return this.repos.get(fullName.toLowerCase());
  }

  roleOf(repo: string, login: string): Role | undefined {
    return this.roles.get(repo.toLowerCase())?.get(login.toLowerCase());
  }

  /** The mainline, started with an initial commit the first time it is needed. */
  mainline(repo: string): string[] {
    const key = repo.toLowerCase();
    let line = this.mainlines.get(key);
    if (!line) {
      line = [];
      this.mainlines.set(key, line);
      const root = this.record(repo, {
        sha: this.sha(),
        message: "Initial commit",
        author: { name: "Repository founder", email: "founder@example.com" },
        parents: [],
      });
      line.push(root.sha);
    }
    return line;
  }

  /** The default branch's head commit. */
  head(repo: string): string {
    const line = this.mainline(repo);
    return line[line.length - 1] ?? "";
  }

  private record(repo: string, commit: Omit<Commit, "repo">): Commit {
    const full: Commit = { date: this.timestamp(), ...commit, repo };
    for (const p of [full.author, full.committer])
      if (p?.login) {
        this.user(p.login);
        this.emails.set(p.email.toLowerCase(), p.login);
      }
    this.commits.set(full.sha, full);
    return full;
  }

  private identity(who: string | Person): Person {
    return typeof who === "string" ? this.personOf(who) : who;
  }

  /** A direct push to the default branch: one commit on top of the mainline. */
  pushCommit(repo: string, input: PushInput): Commit {
    const parent = this.head(repo);
    const commit = this.record(repo, {
      sha: input.sha ?? this.sha(),
      message: input.message,
      author: this.identity(input.author),
      ...(input.committer ? { committer: this.identity(input.committer) } : {}),
      parents: [parent],
    });
    this.mainline(repo).push(commit.sha);
    return commit;
  }

  /**
   * A pull request. With `mergeCommitSha` it is merged onto the mainline in `mergeStyle` (default
   * `merge`); without, it stays open. Its commits are chained on the mainline head.
   */
  addPull(repo: string, input: PullRequestInput): PullRequest {
    this.user(input.author);
    const baseSha = this.head(repo);
    const given = input.commits ?? [];
    const chain: Commit[] = [];
    let parent = baseSha;
    for (const k of given) {
      chain.push(this.record(repo, { parents: [parent], ...k }));
      parent = k.sha;
    }
    // GitHub always has the head commit; a PR given without commits gets one by its author.
    if (!chain.some((k) => k.sha === input.headSha))
      chain.push(
        this.record(repo, {
          sha: input.headSha,
          message: input.title ?? `Change for #${input.number}`,
          author: this.personOf(input.author),
          parents: [parent],
        }),
      );
    const title = input.title ?? `Pull request #${input.number}`;
    const now = this.timestamp();
    const pull: PullRequest = {
      repo,
      number: input.number,
      title,
      author: input.author,
      state: input.mergeCommitSha ? "closed" : "open",
      merged: !!input.mergeCommitSha,
      headSha: input.headSha,
      baseSha,
      createdAt: now,
      commits: chain,
    };
    if (input.mergeCommitSha) {
      const style = input.mergeStyle ?? "merge";
      const mergedBy = input.mergedBy ?? input.author;
      Object.assign(pull, {
        mergeCommitSha: input.mergeCommitSha,
        mergeStyle: style,
        mergedBy,
        mergedAt: now,
      });
      this.merge(repo, pull, style, mergedBy);
    }
    this.pulls.push(pull);
    return pull;
  }

  private merge(repo: string, pull: PullRequest, style: MergeStyle, mergedBy: string): void {
    const sha = pull.mergeCommitSha ?? this.sha();
    const [owner = "acme"] = repo.split("/");
    const lead = this.personOf(pull.author);
    const commit =
      style === "merge"
        ? {
            sha,
            message: `Merge pull request #${pull.number} from ${owner}/feature-${pull.number}\n\n${pull.title}`,
            author: this.personOf(mergedBy),
            committer: WEB_FLOW,
            parents: [pull.baseSha, pull.headSha],
          }
        : {
            sha,
            message: squashMessage(pull, lead),
            author: lead,
            committer: WEB_FLOW,
            parents: [pull.baseSha],
          };
    this.record(repo, commit);
    this.mainline(repo).push(sha);
  }

  /**
   * A release: `pulls` merged PRs on top of the mainline, by `authors` in turn, each with
   * `commitsPerPull` commits by its author. Returns the range (`base`…`head`) and the PRs.
   */
  seedRelease(
    repo: string,
    input: {
      authors: string[];
      pulls: number;
      firstNumber?: number;
      commitsPerPull?: number;
      mergeStyle?: MergeStyle;
      mergedBy?: string;
    },
  ): { base: string; head: string; pulls: PullRequest[] } {
    const base = this.head(repo);
    const first = input.firstNumber ?? 101;
    const pulls: PullRequest[] = [];
    for (let i = 0; i < input.pulls; i++) {
      const author = input.authors[i % input.authors.length] ?? "octo-author";
      const commits = Array.from({ length: input.commitsPerPull ?? 1 }, (_, k) => ({
        sha: this.sha(),
        message: `Change ${k + 1} of #${first + i}`,
        author: this.personOf(author),
      }));
      const headSha = commits[commits.length - 1]?.sha ?? this.sha();
      pulls.push(
        this.addPull(repo, {
          number: first + i,
          title: `Release change #${first + i}`,
          author,
          headSha,
          mergeCommitSha: this.sha(),
          ...(input.mergeStyle ? { mergeStyle: input.mergeStyle } : {}),
          ...(input.mergedBy ? { mergedBy: input.mergedBy } : {}),
          commits,
        }),
      );
    }
    return { base, head: this.head(repo), pulls };
  }

  /**
   * A merged PR with `commits` commits (default 300): the first 250 by `author`, the rest by
   * `lateAuthor` (default `author`), who is then invisible to "List commits on a pull request"
   * (GitHub caps it at 250) and found only through compare or the commit list.
   */
  seedLongPull(
    repo: string,
    input: { number: number; author: string; commits?: number; lateAuthor?: string; mergeStyle?: MergeStyle },
  ): { base: string; head: string; pull: PullRequest } {
    const base = this.head(repo);
    const count = input.commits ?? 300;
    const commits = Array.from({ length: count }, (_, i) => ({
      sha: this.sha(),
      message: `Step ${i + 1} of ${count}`,
      author: this.personOf(i < 250 ? input.author : (input.lateAuthor ?? input.author)),
    }));
    const pull = this.addPull(repo, {
      number: input.number,
      title: `A long change (${count} commits)`,
      author: input.author,
      headSha: commits[commits.length - 1]?.sha ?? this.sha(),
      mergeCommitSha: this.sha(),
      ...(input.mergeStyle ? { mergeStyle: input.mergeStyle } : {}),
      commits,
    });
    return { base, head: this.head(repo), pull };
  }

  /** Every commit reachable from `sha` through its parents. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const todo = [sha];
    while (todo.length > 0) {
      const next = todo.pop();
      if (next === undefined || seen.has(next)) continue;
      seen.add(next);
      for (const p of this.commits.get(next)?.parents ?? []) todo.push(p);
    }
    return seen;
  }

  /** A branch name (`main`, `HEAD`), a full sha or an unambiguous prefix (≥ 7), in this repository. */
  resolveRef(repo: string, ref: string): string | undefined {
    if (ref === "main" || ref === "HEAD") return this.head(repo);
    // Local demos: the sample pipeline deploys commits nobody seeded; the first look-up of one
    // (a compare, a commit) makes it a merged PR, as its pull-request look-up already does.
    if (this.autoPullAuthor && /^[0-9a-f]{40}$/.test(ref) && !this.commits.has(ref)) this.pullsFor(repo, ref);
    const mine = (k: Commit) => k.repo.toLowerCase() === repo.toLowerCase();
    const exact = this.commits.get(ref);
    if (exact) return mine(exact) ? exact.sha : undefined;
    if (!/^[0-9a-f]{7,39}$/.test(ref)) return undefined;
    const found = [...this.commits.values()].filter((k) => mine(k) && k.sha.startsWith(ref));
    return found.length === 1 ? found[0]?.sha : undefined;
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
    if (this.commits.has(sha)) return found;
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

  /**
   * Everything as JSON, for the local stack's data folder: pull requests, commits, comments, check
   * runs, counters and any field added later. The App (its key), its installation and the clock
   * belong to the new start: a start that runs another App (`github-app create --local`) must not
   * find the old App's installation restored over its own.
   */
  save(): string {
    return encodeState(this, ["apps", "installations", "now"]);
  }

  /** State saved by `save`, back into this one (ids go on from the larger of the two). */
  load(text: string): void {
    restoreState(this, text);
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

/** GitHub's default squash message: the title, each commit as a bullet, then co-author trailers. */
function squashMessage(pull: PullRequest, lead: Person): string {
  const bullets = pull.commits.map((k) => `* ${k.message.split("\n")[0] ?? ""}`);
  const others = new Map<string, Person>();
  for (const k of pull.commits) {
    const same = k.author.email.toLowerCase() === lead.email.toLowerCase() || k.author.login === pull.author;
    if (!same) others.set(k.author.email.toLowerCase(), k.author);
  }
  const trailers = [...others.values()].map((p) => `Co-authored-by: ${p.name} <${p.email}>`);
  return [`${pull.title} (#${pull.number})`, bullets.join("\n"), trailers.join("\n")]
    .filter((part) => part.length > 0)
    .join("\n\n");
}
