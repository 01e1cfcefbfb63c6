import type { ProbotOctokit } from "probot";
import type { GitHubPermission } from "../../core/approval.js";
import { PERMISSION_ORDER } from "../../core/policy.js";
import { CHECK_NAME } from "./markdown.js";
import type { CheckRunView } from "./render.js";

export interface PullRef {
  number: number;
  url: string;
  title: string;
  merged: boolean;
  author?: string;
  mergeCommitSha?: string;
  headSha: string;
}

export interface CommitAuthor {
  login?: string;
  email?: string;
  message: string;
}

/** A commit with everyone GitHub names on it. */
export interface CommitPeople extends CommitAuthor {
  sha: string;
  /** How many parents: a merge commit has two or more. */
  parents: number;
  committerLogin?: string;
  committerEmail?: string;
}

/** A pull request read on its own: its size and range, to list more than 250 commits. */
export interface PullDetail extends PullRef {
  commits: number;
  baseSha: string;
}

/** The slice of GitHub's commit shape Greenlight reads (compare, list commits, get commit). */
interface CommitData {
  sha: string;
  parents?: unknown[];
  author?: { login?: string } | null;
  committer?: { login?: string } | null;
  commit: {
    message: string;
    author?: { email?: string } | null;
    committer?: { email?: string } | null;
  };
}

function peopleOf(c: CommitData): CommitPeople {
  return {
    sha: c.sha,
    parents: c.parents?.length ?? 1,
    ...(c.author?.login ? { login: c.author.login } : {}),
    ...(c.commit.author?.email ? { email: c.commit.author.email } : {}),
    ...(c.committer?.login ? { committerLogin: c.committer.login } : {}),
    ...(c.commit.committer?.email ? { committerEmail: c.commit.committer.email } : {}),
    message: c.commit.message,
  };
}

/** GitHub pages lists by at most 100 (REST docs, "Using pagination in the REST API"). */
const PAGE = 100;
/** A compare of more than this many commits is refused rather than read for minutes. */
export const MAX_RELEASE_COMMITS = 5_000;

const repoParams = (repo: string) => {
  const [owner = "", name = ""] = repo.split("/");
  return { owner, repo: name };
};

/** A release bigger than Greenlight reads: its authors stay unknown (approving is refused). */
export class ReleaseTooLarge extends Error {
  constructor(readonly commits: number) {
    super(`the release has ${commits} commits, more than the ${MAX_RELEASE_COMMITS} Greenlight reads`);
  }
}

const isStatus = (e: unknown, status: number) =>
  typeof e === "object" && e !== null && "status" in e && e.status === status;

/** The GitHub REST calls Greenlight makes, over an installation's Octokit, in our own small shapes. */
export class GitHubApi {
  constructor(
    readonly octokit: ProbotOctokit,
    readonly appId: number,
  ) {}

  async pullsForCommit(repo: string, sha: string): Promise<PullRef[]> {
    const { data } = await this.octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repoParams(repo),
      commit_sha: sha,
    });
    return data.map((p) => ({
      number: p.number,
      url: p.html_url,
      title: p.title,
      merged: Boolean(p.merged_at),
      ...(p.user?.login ? { author: p.user.login } : {}),
      ...(p.merge_commit_sha ? { mergeCommitSha: p.merge_commit_sha } : {}),
      headSha: p.head.sha,
    }));
  }

  /** A pull request's commits: GitHub lists at most 250 here, whatever the paging (REST docs). */
  async pullCommits(repo: string, pr: number): Promise<CommitPeople[]> {
    const commits = await this.octokit.paginate(this.octokit.rest.pulls.listCommits, {
      ...repoParams(repo),
      pull_number: pr,
      per_page: PAGE,
    });
    return commits.map(peopleOf);
  }

  async pull(repo: string, pr: number): Promise<PullDetail> {
    const { data } = await this.octokit.rest.pulls.get({ ...repoParams(repo), pull_number: pr });
    return {
      number: data.number,
      url: data.html_url,
      title: data.title,
      ...(data.user?.login ? { author: data.user.login } : {}),
      ...(data.merge_commit_sha ? { mergeCommitSha: data.merge_commit_sha } : {}),
      headSha: data.head.sha,
      baseSha: data.base.sha,
      commits: data.commits,
      merged: data.merged,
    };
  }

  async commit(repo: string, sha: string): Promise<CommitPeople> {
    const { data } = await this.octokit.rest.repos.getCommit({ ...repoParams(repo), ref: sha });
    return peopleOf(data);
  }

  /**
   * The commits reachable from `head` and not from `base`, oldest first, every page (the compare
   * API pages its commits with per_page/page; without paging it stops at 250). Throws past
   * `MAX_RELEASE_COMMITS`.
   */
  async compare(
    repo: string,
    base: string,
    head: string,
  ): Promise<{ status: string; aheadBy: number; commits: CommitPeople[] }> {
    const commits: CommitPeople[] = [];
    let status = "";
    let aheadBy = 0;
    for (let page = 1; ; page++) {
      const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
        ...repoParams(repo),
        basehead: `${base}...${head}`,
        per_page: PAGE,
        page,
      });
      status = data.status;
      aheadBy = data.ahead_by;
      commits.push(...data.commits.map(peopleOf));
      if (data.total_commits > MAX_RELEASE_COMMITS) throw new ReleaseTooLarge(data.total_commits);
      if (data.commits.length < PAGE || commits.length >= data.total_commits) break;
    }
    return { status, aheadBy, commits };
  }

  /** Comments on a pull request that this app wrote (others may copy our marker; they don't count). */
  async ourComments(repo: string, pr: number): Promise<{ id: number; body: string }[]> {
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...repoParams(repo),
      issue_number: pr,
      per_page: 100,
    });
    // GitHub's docs do not say whether a comment written with an installation token names the
    // app (`performed_via_github_app`), so both answers work (docs/fidelity.md): named, it must be
    // us; unnamed, it must at least be an app's bot account (no person can take a `[bot]` login).
    // A copied marker still leads only to approvals whose record says they are on this PR.
    return comments
      .filter((c) =>
        c.performed_via_github_app
          ? c.performed_via_github_app.id === this.appId
          : c.user?.type === "Bot" && c.user.login.endsWith("[bot]"),
      )
      .map((c) => ({ id: c.id, body: c.body ?? "" }));
  }

  async createComment(repo: string, pr: number, body: string): Promise<number> {
    const { data } = await this.octokit.rest.issues.createComment({
      ...repoParams(repo),
      issue_number: pr,
      body,
    });
    return data.id;
  }

  async updateComment(repo: string, id: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({ ...repoParams(repo), comment_id: id, body });
  }

  async react(
    repo: string,
    commentId: number,
    content: "+1" | "rocket" | "confused" | "eyes",
  ): Promise<void> {
    await this.octokit.rest.reactions.createForIssueComment({
      ...repoParams(repo),
      comment_id: commentId,
      content,
    });
  }

  /** Our check run for this approval on the commit, if one exists (a retry after a lost reply). */
  async findCheckRun(repo: string, sha: string, approvalId: string): Promise<number | undefined> {
    const { data } = await this.octokit.rest.checks.listForRef({
      ...repoParams(repo),
      ref: sha,
      check_name: CHECK_NAME,
      filter: "all",
      app_id: this.appId,
    });
    return data.check_runs.find((r) => r.app?.id === this.appId && r.external_id === approvalId)?.id;
  }

  async createCheckRun(repo: string, sha: string, view: CheckRunView): Promise<number> {
    const { data } = await this.octokit.rest.checks.create({ ...repoParams(repo), head_sha: sha, ...view });
    return data.id;
  }

  async updateCheckRun(repo: string, id: number, view: CheckRunView): Promise<void> {
    await this.octokit.rest.checks.update({ ...repoParams(repo), check_run_id: id, ...view });
  }

  /** The user's role on the repository (custom roles count as their base role), or undefined. */
  async permission(repo: string, login: string): Promise<GitHubPermission | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({
        ...repoParams(repo),
        username: login,
      });
      return (
        PERMISSION_ORDER.find((p) => p === data.role_name) ??
        PERMISSION_ORDER.find((p) => p === data.permission)
      );
    } catch (e: unknown) {
      if (isStatus(e, 404)) return undefined;
      throw e;
    }
  }

  /** Active membership of `org/team-slug` (a pending invitation does not count). */
  async isTeamMember(team: string, login: string): Promise<boolean> {
    const [org = "", slug = ""] = team.split("/");
    try {
      const { data } = await this.octokit.rest.teams.getMembershipForUserInOrg({
        org,
        team_slug: slug,
        username: login,
      });
      return data.state === "active";
    } catch (e: unknown) {
      if (isStatus(e, 404)) return false;
      throw e;
    }
  }
}
