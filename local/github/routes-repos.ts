import { Hono } from "hono";
import { fail, page, repoOf, type StandInDeps, type StandInEnv } from "./context.js";
import type { Role } from "./state.js";

// The legacy `permission` field folds maintain into write and triage into read (GitHub's docs).
const LEGACY: Record<Role, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
};

const ORDER: Role[] = ["read", "triage", "write", "maintain", "admin"];
const PULL_COMMITS_CAP = 250;
const COMPARE_UNPAGED_CAP = 250;

/** One changed file per commit: enough for the shape; the stand-in keeps no trees. */
const file = (repo: string, sha: string) => ({
  sha,
  filename: `changes/${sha.slice(0, 7)}.txt`,
  status: "added",
  additions: 1,
  deletions: 0,
  changes: 1,
  blob_url: `https://github.com/${repo}/blob/${sha}/changes/${sha.slice(0, 7)}.txt`,
  raw_url: `https://github.com/${repo}/raw/${sha}/changes/${sha.slice(0, 7)}.txt`,
  contents_url: `https://api.github.com/repos/${repo}/contents/changes/${sha.slice(0, 7)}.txt?ref=${sha}`,
});

/** App installation and token exchange, commits and their pull requests, permissions and teams. */
export function repoRoutes(deps: StandInDeps) {
  const { state, auth, json } = deps;
  const app = new Hono<StandInEnv>();
  const pullOf = (repo: string, n: string) =>
    state.pulls.find((p) => p.repo.toLowerCase() === repo.toLowerCase() && p.number === Number(n));

  app.post("/app/installations/:id/access_tokens", (c) => {
    const caller = c.get("caller");
    if (caller.kind !== "app") return fail(c, 401, "A JSON web token could not be decoded");
    const installation = state.installations.get(Number(c.req.param("id")));
    if (!installation || installation.appId !== caller.appId) return fail(c, 404, "Not Found");
    return c.json({ ...auth.issue(installation.id), permissions: {}, repository_selection: "selected" }, 201);
  });

  app.get("/repos/:owner/:repo/installation", (c) => {
    const caller = c.get("caller");
    if (caller.kind !== "app") return fail(c, 401, "A JSON web token could not be decoded");
    const repo = state.repo(`${c.req.param("owner")}/${c.req.param("repo")}`);
    const installation = repo && state.installations.get(repo.installationId);
    if (!installation || installation.appId !== caller.appId) return fail(c, 404, "Not Found");
    return c.json(json.installation(installation));
  });

  app.get("/repos/:owner/:repo/commits/:sha/pulls", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    return c.json(page(c, state.pullsFor(found.repo, c.req.param("sha"))).map(json.pullSimple));
  });

  // "Lists a maximum of 250 commits for a pull request" (REST docs, List commits on a pull request).
  app.get("/repos/:owner/:repo/pulls/:n/commits", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const pull = pullOf(found.repo, c.req.param("n"));
    if (!pull) return fail(c, 404, "Not Found");
    return c.json(page(c, pull.commits.slice(0, PULL_COMMITS_CAP)).map(json.commit));
  });

  app.get("/repos/:owner/:repo/pulls/:n", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const pull = pullOf(found.repo, c.req.param("n"));
    return pull ? c.json(json.pull(pull)) : fail(c, 404, "Not Found");
  });

  app.get("/repos/:owner/:repo/commits/:sha", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const sha = state.resolveRef(found.repo, c.req.param("sha"));
    const commit = sha ? state.commits.get(sha) : undefined;
    if (!commit) return fail(c, 422, `No commit found for SHA: ${c.req.param("sha")}`);
    return c.json({ ...json.commit(commit), stats: { additions: 1, deletions: 0, total: 1 }, files: [] });
  });

  // "Compare two commits" (REST docs): `BASE...HEAD` is `git log BASE..HEAD` in chronological
  // order. Without `per_page`/`page` at most 250 commits, the most recent ones; with them, pages
  // of the whole range. Files only on the first page. Unknown refs are a 404.
  app.get("/repos/:owner/:repo/compare/:basehead{.+}", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const [baseRef = "", headRef = "", ...extra] = c.req.param("basehead").split("...");
    const base = state.resolveRef(found.repo, baseRef);
    const head = state.resolveRef(found.repo, headRef);
    if (!base || !head || extra.length > 0) return fail(c, 404, "Not Found");
    const fromBase = state.ancestors(base);
    const fromHead = state.ancestors(head);
    const order = [...state.commits.keys()];
    const ahead = order.filter((sha) => fromHead.has(sha) && !fromBase.has(sha));
    const behind = order.filter((sha) => fromBase.has(sha) && !fromHead.has(sha)).length;
    const mergeBase = order.filter((sha) => fromBase.has(sha) && fromHead.has(sha)).pop() ?? base;
    const paged = c.req.query("per_page") !== undefined || c.req.query("page") !== undefined;
    const listed = paged ? page(c, ahead) : ahead.slice(-COMPARE_UNPAGED_CAP);
    const firstPage = !paged || (Number.parseInt(c.req.query("page") ?? "1", 10) || 1) <= 1;
    const shape = (sha: string) => {
      const k = state.commits.get(sha);
      return k ? json.commit(k) : undefined;
    };
    const url = `${c.req.url.split("?")[0]}`;
    const web = `https://github.com/${found.repo}/compare/${baseRef}...${headRef}`;
    return c.json({
      url,
      html_url: web,
      permalink_url: `https://github.com/${found.repo}/compare/${base}...${head}`,
      diff_url: `${web}.diff`,
      patch_url: `${web}.patch`,
      base_commit: shape(base),
      merge_base_commit: shape(mergeBase),
      status: ahead.length > 0 ? (behind > 0 ? "diverged" : "ahead") : behind > 0 ? "behind" : "identical",
      ahead_by: ahead.length,
      behind_by: behind,
      total_commits: ahead.length,
      commits: listed.map(shape).filter((k) => k !== undefined),
      files: firstPage ? ahead.slice(0, 300).map((sha) => file(found.repo, sha)) : [],
    });
  });

  app.get("/repos/:owner/:repo/collaborators/:user/permission", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const user = state.users.get(c.req.param("user").toLowerCase());
    if (!user) return fail(c, 404, "Not Found");
    const role = state.roleOf(found.repo, user.login);
    const publicRead = !state.repo(found.repo)?.private ? "read" : "none";
    const can = (r: Role) => ORDER.indexOf(role ?? "read") >= ORDER.indexOf(r) && role !== undefined;
    return c.json({
      permission: role ? LEGACY[role] : publicRead,
      role_name: role ?? publicRead,
      user: {
        ...json.user(user),
        role_name: role ?? publicRead,
        permissions: {
          pull: can("read"),
          triage: can("triage"),
          push: can("write"),
          maintain: can("maintain"),
          admin: can("admin"),
        },
      },
    });
  });

  app.get("/orgs/:org/teams/:slug/memberships/:user", (c) => {
    if (c.get("caller").kind !== "installation") return fail(c, 401, "Bad credentials");
    const team = state.teams.get(`${c.req.param("org")}/${c.req.param("slug")}`.toLowerCase());
    const membership = team?.get(c.req.param("user").toLowerCase());
    if (!membership) return fail(c, 404, "Not Found");
    return c.json({ url: c.req.url.split("?")[0], role: "member", state: membership });
  });

  return app;
}
