import type { App, CheckRun, Comment, Commit, PullRequest, User } from "./state.js";

/** GitHub's REST response shapes (the fields clients read), from the stand-in's records. */
export function shapes(api: string, web = "https://github.com") {
  const user = (u: User) => ({
    login: u.login,
    id: u.id,
    node_id: `U_${u.id}`,
    type: u.type,
    site_admin: false,
    url: `${api}/users/${u.login}`,
    html_url: `${web}/${u.login}`,
  });
  const app = (a: App) => ({ id: a.id, slug: a.slug, name: a.slug, node_id: `A_${a.id}`, owner: null });
  const commit = (c: Commit, author: User | undefined) => ({
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 8)}`,
    url: `${api}/repos/${c.repo}/commits/${c.sha}`,
    html_url: `${web}/${c.repo}/commit/${c.sha}`,
    commit: {
      message: c.message,
      author: { name: c.author.name, email: c.author.email, date: "2026-11-29T20:00:00Z" },
      committer: { name: c.author.name, email: c.author.email, date: "2026-11-29T20:00:00Z" },
    },
    author: author ? user(author) : null,
    committer: author ? user(author) : null,
    parents: [],
  });
  const pull = (p: PullRequest, author: User) => ({
    url: `${api}/repos/${p.repo}/pulls/${p.number}`,
    id: p.number * 1000 + 7,
    number: p.number,
    state: p.state,
    title: p.title,
    user: user(author),
    html_url: `${web}/${p.repo}/pull/${p.number}`,
    head: { sha: p.headSha, ref: `feature-${p.number}`, repo: null },
    base: { sha: "0".repeat(40), ref: "main", repo: null },
    merged_at: p.merged ? "2026-11-29T20:05:00Z" : null,
    merge_commit_sha: p.mergeCommitSha ?? null,
  });
  const comment = (c: Comment, byApp: App | undefined) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${api}/repos/${c.repo}/issues/comments/${c.id}`,
    html_url: `${web}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${api}/repos/${c.repo}/issues/${c.issue}`,
    body: c.body,
    user: user(c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: "NONE",
    performed_via_github_app: byApp ? app(byApp) : null,
  });
  const checkRun = (r: CheckRun, byApp: App | undefined) => ({
    id: r.id,
    node_id: `CR_${r.id}`,
    head_sha: r.headSha,
    external_id: r.externalId,
    url: `${api}/repos/${r.repo}/check-runs/${r.id}`,
    html_url: `${web}/${r.repo}/runs/${r.id}`,
    details_url: r.detailsUrl,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: { ...r.output, text: null, annotations_count: 0 },
    name: r.name,
    check_suite: { id: r.id + 1 },
    app: byApp ? app(byApp) : null,
    pull_requests: [],
  });
  return { user, app, commit, pull, comment, checkRun };
}
