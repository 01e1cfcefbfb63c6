import type { Actor } from "../../core/approval.js";
import type { Rule } from "../../core/policy.js";
import type { GitHubApi } from "./api.js";

/**
 * The sender as core's `authorize` sees them: their login, and only what the rule asks about,
 * looked up from GitHub (collaborator permission, team membership). `author_association` in the
 * payload is not used: it says nothing about write access and is wrong for team-granted access.
 */
export async function githubActor(api: GitHubApi, rule: Rule, repo: string, login: string): Promise<Actor> {
  const approvers = rule.github?.approvers;
  const [permission, inTeam] = await Promise.all([
    approvers?.minPermission ? api.permission(repo, login) : undefined,
    approvers?.team ? api.isTeamMember(approvers.team, login) : false,
  ]);
  return {
    channel: "github",
    id: login,
    ...(permission ? { permission } : {}),
    ...(inTeam && approvers?.team ? { teams: [approvers.team] } : {}),
  };
}

/** GitHub Apps and bot accounts: their comments and clicks never count. */
export function isBot(user: { login: string; type?: string }): boolean {
  return user.type === "Bot" || user.login.endsWith("[bot]");
}
