// The App's own description, teams and users: what `greenlight doctor` reads (issue 17). Shapes and
// statuses follow GitHub's OpenAPI description (@octokit/openapi, api.github.com.json):
// apps/get-authenticated (GET /app, `integration`), teams/get-by-name (GET /orgs/{org}/teams/{team_slug},
// `team-full`, 404), repos/get (GET /repos/{owner}/{repo}, `full-repository`; a private repository
// the caller cannot see is a 404), users/get-by-username (GET /users/{username}, `public-user`, 404).
import { Hono } from "hono";
import { fail, repoOf, type StandInDeps, type StandInEnv } from "./context.js";

const CREATED = "2026-01-05T09:00:00Z";

export function appRoutes(deps: StandInDeps) {
  const { state, json } = deps;
  const app = new Hono<StandInEnv>();

  // "You must use a JWT to access this endpoint" (docs: REST → Apps → Get the authenticated app).
  app.get("/app", (c) => {
    const caller = c.get("caller");
    if (caller.kind !== "app") return fail(c, 401, "A JSON web token could not be decoded");
    const found = state.apps.get(caller.appId);
    if (!found) return fail(c, 404, "Not Found");
    return c.json(json.app(found));
  });

  // An installation token reads an org's teams only with the Members permission (organization,
  // read); without it GitHub answers 403 "Resource not accessible by integration".
  app.get("/orgs/:org/teams/:slug", (c) => {
    const caller = c.get("caller");
    if (caller.kind === "anonymous") return fail(c, 401, "Bad credentials");
    if (caller.kind === "installation") {
      const installation = state.installations.get(caller.installationId);
      const granted = installation?.permissions ?? state.apps.get(caller.appId)?.permissions;
      if (granted && !granted.members) return fail(c, 403, "Resource not accessible by integration");
    }
    const org = c.req.param("org");
    const slug = c.req.param("slug");
    if (!state.teams.has(`${org}/${slug}`.toLowerCase())) return fail(c, 404, "Not Found");
    const owner = json.user(state.user(org));
    const id = 1_000_000 + [...state.teams.keys()].indexOf(`${org}/${slug}`.toLowerCase());
    const api = owner.url.replace(/\/users\/.*$/, "");
    const url = `${api}/organizations/${owner.id}/team/${id}`;
    return c.json({
      id,
      node_id: `T_${id}`,
      url,
      html_url: `https://github.com/orgs/${org}/teams/${slug}`,
      name: slug,
      slug,
      description: null,
      privacy: "closed",
      notification_setting: "notifications_enabled",
      permission: "pull",
      members_url: `${url}/members{/member}`,
      repositories_url: `${url}/repos`,
      type: "organization",
      parent: null,
      members_count: state.teams.get(`${org}/${slug}`.toLowerCase())?.size ?? 0,
      repos_count: 0,
      created_at: CREATED,
      updated_at: CREATED,
      organization: {
        login: org,
        id: owner.id,
        node_id: `O_${owner.id}`,
        url: `${api}/orgs/${org}`,
        repos_url: `${api}/orgs/${org}/repos`,
        events_url: `${api}/orgs/${org}/events`,
        hooks_url: `${api}/orgs/${org}/hooks`,
        issues_url: `${api}/orgs/${org}/issues`,
        members_url: `${api}/orgs/${org}/members{/member}`,
        public_members_url: `${api}/orgs/${org}/public_members{/member}`,
        avatar_url: owner.avatar_url,
        description: null,
        html_url: `https://github.com/${org}`,
        has_organization_projects: true,
        has_repository_projects: true,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        type: "Organization",
        created_at: CREATED,
        updated_at: CREATED,
        archived_at: null,
      },
    });
  });

  app.get("/repos/:owner/:repo", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    return c.json({ ...json.repository(found.repo), network_count: 0, subscribers_count: 0 });
  });

  app.get("/users/:username", (c) => {
    const user = state.users.get(c.req.param("username").toLowerCase());
    if (!user) return fail(c, 404, "Not Found");
    return c.json({
      ...json.user(user),
      name: null,
      company: null,
      blog: "",
      location: null,
      email: null,
      hireable: null,
      bio: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: CREATED,
      updated_at: CREATED,
    });
  });

  return app;
}
