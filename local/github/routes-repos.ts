import { Hono } from "hono";
import { fail, repoOf, type StandInDeps, type StandInEnv } from "./context.js";
import type { Role } from "./state.js";

// The legacy `permission` field folds maintain into write and triage into read (GitHub's docs).
const LEGACY: Record<Role, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
};

/** App installation and token exchange, commits and their pull requests, permissions and teams. */
export function repoRoutes(deps: StandInDeps) {
  const { state, auth, json } = deps;
  const app = new Hono<StandInEnv>();

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
    return c.json({
      id: installation.id,
      app_id: installation.appId,
      account: json.user(state.user(installation.account)),
      target_type: "Organization",
      repository_selection: "selected",
      permissions: {},
      events: ["issue_comment", "check_run"],
    });
  });

  app.get("/repos/:owner/:repo/commits/:sha/pulls", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const pulls = state.pullsFor(found.repo, c.req.param("sha"));
    return c.json(pulls.map((p) => json.pull(p, state.user(p.author))));
  });

  app.get("/repos/:owner/:repo/pulls/:n/commits", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const pull = state.pulls.find((p) => p.repo === found.repo && p.number === Number(c.req.param("n")));
    if (!pull) return fail(c, 404, "Not Found");
    return c.json(
      pull.commits.map((k) => json.commit(k, k.author.login ? state.user(k.author.login) : undefined)),
    );
  });

  app.get("/repos/:owner/:repo/commits/:sha", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const commit = state.commits.get(c.req.param("sha"));
    if (!commit || commit.repo !== found.repo) return fail(c, 422, "No commit found for SHA");
    return c.json({
      ...json.commit(commit, commit.author.login ? state.user(commit.author.login) : undefined),
      files: [],
    });
  });

  app.get("/repos/:owner/:repo/collaborators/:user/permission", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const user = state.users.get(c.req.param("user").toLowerCase());
    if (!user) return fail(c, 404, "Not Found");
    const role = state.roleOf(found.repo, user.login);
    const publicRead = !state.repo(found.repo)?.private ? "read" : "none";
    return c.json({
      permission: role ? LEGACY[role] : publicRead,
      role_name: role ?? publicRead,
      user: { ...json.user(user), permissions: {} },
    });
  });

  app.get("/orgs/:org/teams/:slug/memberships/:user", (c) => {
    if (c.get("caller").kind !== "installation") return fail(c, 401, "Bad credentials");
    const team = state.teams.get(`${c.req.param("org")}/${c.req.param("slug")}`.toLowerCase());
    const membership = team?.get(c.req.param("user").toLowerCase());
    if (!membership) return fail(c, 404, "Not Found");
    return c.json({ url: c.req.url, role: "member", state: membership });
  });

  return app;
}
