// The GitHub API side of the doctor's GitHub check: the App (GET /app with its JWT), its
// installation on each policy repository, and the teams and logins the policy names. Endpoints
// and answers as GitHub's OpenAPI description has them (@octokit/openapi api.github.com.json:
// apps/get-authenticated, apps/get-repo-installation, teams/get-by-name, users/get-by-username);
// docs/fidelity.md "GitHub checks of greenlight doctor".
import { ProbotOctokit } from "probot";
import { type Finding, ok, problem } from "./check.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
const LEVEL = ["read", "write", "admin"];
const SETTINGS = "github.com → Settings → Developer settings → GitHub Apps → your App";

/** What app.yml asks for: `default_permissions` and `default_events`. */
export interface Wanted {
  permissions: Record<string, string>;
  events: string[];
}

const status = (e: unknown): number | undefined =>
  typeof e === "object" && e !== null && "status" in e && typeof e.status === "number" ? e.status : undefined;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Retries and throttling off: the doctor reports what GitHub answers now. */
export function octokit(auth: Record<string, unknown>, baseUrl: string | undefined): Octokit {
  return new ProbotOctokit({
    auth,
    ...(baseUrl ? { baseUrl } : {}),
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

/** The permissions `granted` lacks (or has below the level) of those `wanted`. */
export function missingPermissions(
  wanted: Record<string, string>,
  granted: Record<string, unknown>,
): string[] {
  return Object.entries(wanted)
    .filter(([k, level]) => LEVEL.indexOf(String(granted[k] ?? "")) < LEVEL.indexOf(level))
    .map(([k, level]) => `${k}: ${level}`);
}

/** GET /app with the JWT: the key and id work, and the App has app.yml's permissions and events. */
export async function appFindings(
  app: Octokit,
  wanted: Wanted,
): Promise<{ findings: Finding[]; slug?: string }> {
  let data: { slug?: string; permissions?: Record<string, string | undefined>; events?: string[] } | null;
  try {
    ({ data } = await app.request("GET /app"));
  } catch (e: unknown) {
    const newKey = `${SETTINGS} → "Generate a private key", and put the App ID and the new key in the stack's GitHub secret`;
    // No HTTP status: the JWT could not even be signed (not a PEM private key).
    if (status(e) === undefined)
      return {
        findings: [problem("github.app", `the private key cannot sign a JWT: ${message(e)}`, newKey)],
      };
    return {
      findings: [
        status(e) === 401
          ? problem("github.app", `GitHub refused the App's JWT: ${message(e)}`, newKey)
          : problem(
              "github.app",
              `GET /app: GitHub answered ${message(e)}`,
              "run again; if it persists, check www.githubstatus.com",
            ),
      ],
    };
  }
  if (!data) return { findings: [problem("github.app", "GET /app answered no App", "run again")] };
  const slug = data.slug ?? "your-app";
  const where = `${SETTINGS} (${slug}) → Permissions & events`;
  const accept =
    "then accept the new permissions on each installation (Settings → Installations → Review request)";
  const lacking = missingPermissions(wanted.permissions, data.permissions ?? {});
  const events = wanted.events.filter((e) => !(data.events ?? []).includes(e));
  return {
    slug,
    findings: [
      ok("github.app", `the App ${slug} answers with its private key`),
      lacking.length > 0
        ? problem(
            "github.app.permissions",
            `the App lacks ${lacking.join(", ")} (app.yml asks for it)`,
            `${where}: set ${lacking.join(", ")}, ${accept}`,
          )
        : ok("github.app.permissions", "the App has every permission app.yml asks for"),
      events.length > 0
        ? problem(
            "github.app.events",
            `the App does not subscribe to ${events.join(", ")} (app.yml asks for it)`,
            `${where} → Subscribe to events: tick ${events.join(", ")}, ${accept}`,
          )
        : ok("github.app.events", "the App subscribes to every event app.yml asks for"),
    ],
  };
}

/**
 * GET /repos/{owner}/{repo}/installation (JWT): installed, and the installation has accepted
 * app.yml's permissions. Returns the installation id for the team look-ups.
 */
export async function repoFinding(
  app: Octokit,
  repo: string,
  slug: string,
  wanted: Wanted,
): Promise<{ finding: Finding; installationId?: number }> {
  const id = `github.repo:${repo}`;
  const [owner = "", name = ""] = repo.split("/");
  try {
    const { data } = await app.request("GET /repos/{owner}/{repo}/installation", { owner, repo: name });
    const lacking = missingPermissions(wanted.permissions, data.permissions);
    if (lacking.length > 0)
      return {
        installationId: data.id,
        finding: problem(
          id,
          `the installation on ${repo} has not been granted ${lacking.join(", ")}`,
          `${data.html_url ?? `github.com/organizations/${owner}/settings/installations`}: review and accept the App's requested permissions`,
        ),
      };
    return { installationId: data.id, finding: ok(id, `the App is installed on ${repo}`) };
  } catch (e: unknown) {
    if (status(e) === 404)
      return {
        finding: problem(
          id,
          `the App is not installed on ${repo}`,
          `install it: https://github.com/apps/${slug}/installations/new (choose ${owner}, then ${repo})`,
        ),
      };
    return { finding: problem(id, `${repo}: GitHub answered ${message(e)}`, "run again") };
  }
}

/** GET /repos/{owner}/{repo} with the installation's token: the App can read the repository. */
export async function readableFinding(installation: Octokit, repo: string): Promise<Finding> {
  const id = `github.repo.read:${repo}`;
  const [owner = "", name = ""] = repo.split("/");
  try {
    await installation.request("GET /repos/{owner}/{repo}", { owner, repo: name });
    return ok(id, `the App can read ${repo}`);
  } catch (e: unknown) {
    return problem(
      id,
      `the App's installation token cannot read ${repo}: ${message(e)}`,
      `github.com/organizations/${owner}/settings/installations → Greenlight → Repository access: add ${repo}`,
    );
  }
}

/** GET /orgs/{org}/teams/{team_slug} with an installation token. */
export async function teamFinding(installation: Octokit | undefined, team: string): Promise<Finding> {
  const id = `github.team:${team}`;
  const [org = "", slug = ""] = team.split("/");
  if (!installation)
    return problem(
      id,
      `cannot look at ${team}: the App is installed on none of the policy's repositories`,
      "install the App first (see github.repo)",
    );
  try {
    await installation.request("GET /orgs/{org}/teams/{team_slug}", { org, team_slug: slug });
    return ok(id, `the team ${team} exists and the App can read it`);
  } catch (e: unknown) {
    if (status(e) === 404)
      return problem(
        id,
        `there is no team ${team} the App can see`,
        `check the team slug in greenlight.yml (github.com/orgs/${org}/teams), or install the App on ${org}`,
      );
    if (status(e) === 403)
      return problem(
        id,
        `the App may not read ${team}: it lacks the members: read permission`,
        `${SETTINGS} → Permissions & events → Organization permissions → Members: read, then accept it on the installation`,
      );
    return problem(id, `${team}: GitHub answered ${message(e)}`, "run again");
  }
}

/** GET /users/{username}. */
export async function userFinding(api: Octokit, login: string): Promise<Finding> {
  const id = `github.user:${login}`;
  try {
    await api.request("GET /users/{username}", { username: login });
    return ok(id, `${login} is a GitHub user`);
  } catch (e: unknown) {
    if (status(e) === 404)
      return problem(
        id,
        `no GitHub user ${login}`,
        `correct the login in greenlight.yml (github.com/${login} should open)`,
      );
    return problem(id, `${login}: GitHub answered ${message(e)}`, "run again");
  }
}
