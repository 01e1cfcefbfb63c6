import type { App, CheckRun, Comment, Commit, GitHubState, Person, PullRequest, User } from "./state.js";

/** The permissions and events our app has (app.yml); GitHub echoes them on installations and apps. */
export const APP_PERMISSIONS: Record<string, string> = {
  checks: "write",
  pull_requests: "write",
  issues: "read",
  contents: "read",
  metadata: "read",
  members: "read",
};
export const APP_EVENTS = ["issue_comment", "check_run"];
const CREATED = "2026-01-05T09:00:00Z";

/**
 * GitHub's REST response shapes, complete: every field GitHub's OpenAPI description marks as
 * required (the contract check in contract.ts holds the stand-in to it), filled from the stand-in's
 * records. `api` is read per call: the port is known only once the server listens.
 */
export function shapes(state: GitHubState, api: () => string, web = "https://github.com") {
  const user = (u: User) => {
    const url = `${api()}/users/${encodeURIComponent(u.login)}`;
    return {
      login: u.login,
      id: u.id,
      node_id: `U_${u.id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: "",
      url,
      html_url: u.type === "Bot" ? `${web}/apps/${u.login.replace(/\[bot\]$/, "")}` : `${web}/${u.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: u.type,
      user_view_type: "public",
      site_admin: false,
    };
  };

  const app = (a: App) => ({
    id: a.id,
    slug: a.slug,
    node_id: `A_${a.id}`,
    client_id: `Iv1.${String(a.id).padStart(16, "0")}`,
    owner: user(state.user(state.installations.values().next().value?.account ?? "acme")),
    name: a.slug,
    description: null,
    external_url: `${web}/apps/${a.slug}`,
    html_url: `${web}/apps/${a.slug}`,
    created_at: CREATED,
    updated_at: CREATED,
    permissions: a.permissions ?? APP_PERMISSIONS,
    events: a.events ?? APP_EVENTS,
  });

  const repository = (fullName: string) => {
    const record = state.repo(fullName);
    const [owner = "acme", name = ""] = fullName.split("/");
    const url = `${api()}/repos/${fullName}`;
    const at = (path: string) => `${url}/${path}`;
    return {
      id: record?.id ?? 1,
      node_id: `R_${record?.id ?? 1}`,
      name,
      full_name: fullName,
      owner: user(state.user(owner)),
      private: record?.private ?? true,
      html_url: `${web}/${fullName}`,
      description: null,
      fork: false,
      url,
      archive_url: at("{archive_format}{/ref}"),
      assignees_url: at("assignees{/user}"),
      blobs_url: at("git/blobs{/sha}"),
      branches_url: at("branches{/branch}"),
      collaborators_url: at("collaborators{/collaborator}"),
      comments_url: at("comments{/number}"),
      commits_url: at("commits{/sha}"),
      compare_url: at("compare/{base}...{head}"),
      contents_url: at("contents/{+path}"),
      contributors_url: at("contributors"),
      deployments_url: at("deployments"),
      downloads_url: at("downloads"),
      events_url: at("events"),
      forks_url: at("forks"),
      git_commits_url: at("git/commits{/sha}"),
      git_refs_url: at("git/refs{/sha}"),
      git_tags_url: at("git/tags{/sha}"),
      git_url: `git://github.com/${fullName}.git`,
      issue_comment_url: at("issues/comments{/number}"),
      issue_events_url: at("issues/events{/number}"),
      issues_url: at("issues{/number}"),
      keys_url: at("keys{/key_id}"),
      labels_url: at("labels{/name}"),
      languages_url: at("languages"),
      merges_url: at("merges"),
      milestones_url: at("milestones{/number}"),
      notifications_url: at("notifications{?since,all,participating}"),
      pulls_url: at("pulls{/number}"),
      releases_url: at("releases{/id}"),
      ssh_url: `git@github.com:${fullName}.git`,
      stargazers_url: at("stargazers"),
      statuses_url: at("statuses/{sha}"),
      subscribers_url: at("subscribers"),
      subscription_url: at("subscription"),
      tags_url: at("tags"),
      teams_url: at("teams"),
      trees_url: at("git/trees{/sha}"),
      clone_url: `${web}/${fullName}.git`,
      mirror_url: null,
      hooks_url: at("hooks"),
      svn_url: `${web}/${fullName}`,
      homepage: null,
      language: "TypeScript",
      forks_count: 0,
      forks: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 1024,
      default_branch: "main",
      open_issues_count: 0,
      open_issues: 0,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: false,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: record?.private === false ? "public" : "private",
      pushed_at: CREATED,
      created_at: CREATED,
      updated_at: CREATED,
      license: null,
      allow_forking: false,
      web_commit_signoff_required: false,
    };
  };

  const gitPerson = (p: Person, date: string) => ({ name: p.name, email: p.email, date });

  const commit = (c: Commit) => {
    const url = `${api()}/repos/${c.repo}/commits/${c.sha}`;
    const date = c.date ?? CREATED;
    const committer = c.committer ?? c.author;
    const author = state.userOf(c.author);
    const committedBy = state.userOf(committer);
    return {
      sha: c.sha,
      node_id: `C_${c.sha.slice(0, 12)}`,
      url,
      html_url: `${web}/${c.repo}/commit/${c.sha}`,
      comments_url: `${url}/comments`,
      commit: {
        url: `${api()}/repos/${c.repo}/git/commits/${c.sha}`,
        message: c.message,
        author: gitPerson(c.author, date),
        committer: gitPerson(committer, date),
        comment_count: 0,
        tree: { sha: c.sha.split("").reverse().join(""), url: `${api()}/repos/${c.repo}/git/trees/${c.sha}` },
        verification: {
          verified: false,
          reason: "unsigned",
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
      author: author ? user(author) : null,
      committer: committedBy ? user(committedBy) : null,
      parents: (c.parents ?? []).map((sha) => ({
        sha,
        url: `${api()}/repos/${c.repo}/commits/${sha}`,
        html_url: `${web}/${c.repo}/commit/${sha}`,
      })),
    };
  };

  const pullSimple = (p: PullRequest) => {
    const url = `${api()}/repos/${p.repo}/pulls/${p.number}`;
    const issue = `${api()}/repos/${p.repo}/issues/${p.number}`;
    const html = `${web}/${p.repo}/pull/${p.number}`;
    const [owner = "acme"] = p.repo.split("/");
    const side = (ref: string, sha: string) => ({
      label: `${owner}:${ref}`,
      ref,
      sha,
      user: user(state.user(owner)),
      repo: repository(p.repo),
    });
    return {
      url,
      id: p.number * 1000 + 7,
      node_id: `PR_${p.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issue,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${api()}/repos/${p.repo}/pulls/comments{/number}`,
      comments_url: `${issue}/comments`,
      statuses_url: `${api()}/repos/${p.repo}/statuses/${p.headSha}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: user(state.user(p.author)),
      body: null,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: p.createdAt,
      updated_at: p.mergedAt ?? p.createdAt,
      closed_at: p.mergedAt ?? null,
      merged_at: p.mergedAt ?? null,
      merge_commit_sha: p.mergeCommitSha ?? null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: side(`feature-${p.number}`, p.headSha),
      base: side("main", p.baseSha),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issue },
        comments: { href: `${issue}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${api()}/repos/${p.repo}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${api()}/repos/${p.repo}/statuses/${p.headSha}` },
      },
      author_association: "MEMBER",
      auto_merge: null,
      draft: false,
    };
  };

  const pull = (p: PullRequest) => ({
    ...pullSimple(p),
    merged: p.merged,
    mergeable: p.merged ? null : true,
    rebaseable: p.merged ? null : true,
    mergeable_state: p.merged ? "unknown" : "clean",
    merged_by: p.mergedBy ? user(state.user(p.mergedBy)) : null,
    comments: state.commentsOn(p.repo, p.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: p.commits.length,
    additions: p.commits.length,
    deletions: 0,
    changed_files: p.commits.length,
  });

  const reactions = (c: Comment) => {
    const count = (content: string) => c.reactions.filter((r) => r.content === content).length;
    return {
      url: `${api()}/repos/${c.repo}/issues/comments/${c.id}/reactions`,
      total_count: c.reactions.length,
      "+1": count("+1"),
      "-1": count("-1"),
      laugh: count("laugh"),
      hooray: count("hooray"),
      confused: count("confused"),
      heart: count("heart"),
      rocket: count("rocket"),
      eyes: count("eyes"),
    };
  };

  const comment = (c: Comment, byApp: App | undefined) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${api()}/repos/${c.repo}/issues/comments/${c.id}`,
    html_url: `${web}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${api()}/repos/${c.repo}/issues/${c.issue}`,
    body: c.body,
    user: user(c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: byApp ? "NONE" : "MEMBER",
    performed_via_github_app: byApp && state.appCommentsNameTheApp ? app(byApp) : null,
    reactions: reactions(c),
  });

  const checkRun = (r: CheckRun, byApp: App | undefined) => ({
    id: r.id,
    node_id: `CR_${r.id}`,
    head_sha: r.headSha,
    external_id: r.externalId,
    url: `${api()}/repos/${r.repo}/check-runs/${r.id}`,
    html_url: `${web}/${r.repo}/runs/${r.id}`,
    details_url: r.detailsUrl,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: {
      ...r.output,
      text: null,
      annotations_count: 0,
      annotations_url: `${api()}/repos/${r.repo}/check-runs/${r.id}/annotations`,
    },
    name: r.name,
    check_suite: { id: r.id + 1 },
    app: byApp ? app(byApp) : null,
    pull_requests: [],
  });

  const installation = (i: {
    id: number;
    appId: number;
    account: string;
    permissions?: Record<string, string>;
  }) => ({
    id: i.id,
    client_id: `Iv1.${String(i.appId).padStart(16, "0")}`,
    account: user(state.user(i.account)),
    repository_selection: "selected",
    access_tokens_url: `${api()}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${api()}/installation/repositories`,
    html_url: `${web}/organizations/${i.account}/settings/installations/${i.id}`,
    app_id: i.appId,
    app_slug: state.apps.get(i.appId)?.slug ?? "app",
    target_id: state.user(i.account).id,
    target_type: "Organization",
    permissions: i.permissions ?? state.apps.get(i.appId)?.permissions ?? APP_PERMISSIONS,
    events: state.apps.get(i.appId)?.events ?? APP_EVENTS,
    created_at: CREATED,
    updated_at: CREATED,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  });

  return { user, app, repository, commit, pull, pullSimple, comment, checkRun, installation };
}
