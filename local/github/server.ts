import { createPublicKey, type KeyLike } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { StandInAuth } from "./auth.js";
import type { StandInEnv } from "./context.js";
import type { Violation } from "./contract.js";
import { StandInFaults } from "./faults.js";
import { appRoutes } from "./routes-apps.js";
import { checkRoutes } from "./routes-checks.js";
import { issueRoutes } from "./routes-issues.js";
import { manifestFlow } from "./routes-manifests.js";
import { repoRoutes } from "./routes-repos.js";
import { shapes } from "./shapes.js";
import { type Comment, GitHubState, type PullRequestInput, type Role } from "./state.js";

/**
 * A GitHub REST stand-in on a local port: the endpoints Greenlight calls, with GitHub's response
 * shapes, App authentication (JWT → installation token) and its errors. Octokit is pointed at it
 * with `baseUrl`. State is inspectable (`state`), failures and delays are injectable (`faults`).
 */
export async function startGitHubStandIn(
  options: {
    port?: number;
    autoPullAuthor?: string;
    /**
     * Check every request and answer against GitHub's OpenAPI description (local/github/contract.ts)
     * and collect what does not fit in `violations`. Tests turn it on; `npm start` leaves it off
     * (reading the description costs a few hundred milliseconds).
     */
    contract?: boolean;
    /** First id handed out (users, comments, check runs); see `GitHubState`. */
    firstId?: number;
  } = {},
) {
  const state = new GitHubState(options.firstId);
  state.autoPullAuthor = options.autoPullAuthor;
  const auth = new StandInAuth(state);
  const faults = new StandInFaults();
  const app = new Hono<StandInEnv>();
  const violations: Violation[] = [];
  let url = "";
  // github.com's pages for registering an App from a manifest: not REST, so before the API's checks.
  const manifests = manifestFlow({ state, json: shapes(state, () => url), web: () => url });
  app.route("/", manifests.pages);
  app.use("*", faults.middleware());
  // Injected faults answer before this: they are deliberate, not the stand-in's shapes.
  if (options.contract) {
    const { contractMiddleware, loadContract } = await import("./contract.js");
    app.use("*", contractMiddleware(loadContract(), violations));
  }
  app.use("*", async (c, next) => {
    c.set("caller", auth.caller(c.req.header("authorization")));
    await next();
  });
  // The port is known only once the server listens: shapes read `url` when they build a body.
  const deps = { state, auth, json: shapes(state, () => url) };
  app.route("/", repoRoutes(deps));
  app.route("/", issueRoutes(deps));
  app.route("/", checkRoutes(deps));
  app.route("/", appRoutes(deps));
  app.route("/", manifests.api);
  app.get("/_state", (c) => c.json(state.snapshot()));
  app.notFound((c) =>
    c.json({ message: "Not Found", documentation_url: "https://docs.github.com/rest" }, 404),
  );

  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) =>
    server.listening ? resolve() : server.once("listening", () => resolve()),
  );
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    state,
    faults,
    auth,
    /** What did not fit GitHub's description (only with `contract: true`); tests expect none. */
    violations,
    /** Register a GitHub App (its public key checks the JWTs) and install it on `repos`. */
    installApp(input: {
      appId: number;
      slug: string;
      privateKey: KeyLike;
      installationId: number;
      account: string;
      repos: string[];
      /** The App's settings (default: app.yml's permissions and events). */
      permissions?: Record<string, string>;
      events?: string[];
    }) {
      state.apps.set(input.appId, {
        id: input.appId,
        slug: input.slug,
        publicKey: createPublicKey(input.privateKey),
        ...(input.permissions ? { permissions: input.permissions } : {}),
        ...(input.events ? { events: input.events } : {}),
      });
      state.installations.set(input.installationId, {
        id: input.installationId,
        appId: input.appId,
        account: input.account,
      });
      for (const fullName of input.repos)
        state.repos.set(fullName.toLowerCase(), {
          fullName,
          id: state.id(),
          installationId: input.installationId,
          private: true,
        });
    },
    /** A person with a role on a repository (no role: they exist, but cannot even read a private repo). */
    person(login: string, grant?: { repo: string; role: Role }) {
      state.user(login, "User");
      if (!grant) return;
      const roles = state.roles.get(grant.repo.toLowerCase()) ?? new Map<string, Role>();
      roles.set(login.toLowerCase(), grant.role);
      state.roles.set(grant.repo.toLowerCase(), roles);
    },
    /** The App removed from `repo` (GET /repos/{owner}/{repo}/installation then answers 404). */
    uninstall(repo: string) {
      state.repos.delete(repo.toLowerCase());
    },
    /**
     * What an installation has accepted, when the App asks for more since (GitHub keeps the old
     * permissions until the owner approves the new ones).
     */
    acceptedPermissions(installationId: number, permissions: Record<string, string>) {
      const installation = state.installations.get(installationId);
      if (installation) installation.permissions = permissions;
    },
    /** A team with no members yet (teamMember adds people). */
    team(team: string) {
      if (!state.teams.has(team.toLowerCase())) state.teams.set(team.toLowerCase(), new Map());
    },
    teamMember(team: string, login: string, membership: "active" | "pending" = "active") {
      state.user(login, "User");
      const members = state.teams.get(team.toLowerCase()) ?? new Map<string, "active" | "pending">();
      members.set(login.toLowerCase(), membership);
      state.teams.set(team.toLowerCase(), members);
    },
    pullRequest: (repo: string, input: PullRequestInput) => state.addPull(repo, input),
    /** A comment a person writes (the dashboard's comment box); pair it with an issue_comment delivery. */
    userComment(repo: string, issue: number, login: string, text: string) {
      const now = state.timestamp();
      const comment: Comment = {
        id: state.id(),
        repo,
        issue,
        body: text,
        user: state.user(login),
        createdAt: now,
        updatedAt: now,
        edits: 0,
        reactions: [],
      };
      state.comments.push(comment);
      return comment;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type GitHubStandIn = Awaited<ReturnType<typeof startGitHubStandIn>>;
