import type { ProbotOctokit } from "probot";
import type { GitHubPermission } from "../../core/approval.js";
import { PERMISSION_ORDER } from "../../core/policy.js";
import { CHECK_NAME } from "./markdown.js";
import type { CheckRunView } from "./render.js";

export interface PullRef {
  number: number;
  url: string;
  author?: string;
  mergeCommitSha?: string;
  headSha: string;
}

export interface CommitAuthor {
  login?: string;
  email?: string;
  message: string;
}

const repoParams = (repo: string) => {
  const [owner = "", name = ""] = repo.split("/");
  return { owner, repo: name };
};

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
      ...(p.user?.login ? { author: p.user.login } : {}),
      ...(p.merge_commit_sha ? { mergeCommitSha: p.merge_commit_sha } : {}),
      headSha: p.head.sha,
    }));
  }

  async pullCommits(repo: string, pr: number): Promise<CommitAuthor[]> {
    const commits = await this.octokit.paginate(this.octokit.rest.pulls.listCommits, {
      ...repoParams(repo),
      pull_number: pr,
      per_page: 100,
    });
    return commits.map((c) => ({
      ...(c.author?.login ? { login: c.author.login } : {}),
      ...(c.commit.author?.email ? { email: c.commit.author.email } : {}),
      message: c.commit.message,
    }));
  }

  async commit(repo: string, sha: string): Promise<CommitAuthor> {
    const { data } = await this.octokit.rest.repos.getCommit({ ...repoParams(repo), ref: sha });
    return {
      ...(data.author?.login ? { login: data.author.login } : {}),
      ...(data.commit.author?.email ? { email: data.commit.author.email } : {}),
      message: data.commit.message,
    };
  }

  /** Comments on a pull request that this app wrote (others may copy our marker; they don't count). */
  async ourComments(repo: string, pr: number): Promise<{ id: number; body: string }[]> {
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...repoParams(repo),
      issue_number: pr,
      per_page: 100,
    });
    return comments
      .filter((c) => c.performed_via_github_app?.id === this.appId)
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
