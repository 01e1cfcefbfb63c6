// The GitHub side of `greenlight doctor`, one finding per thing looked at: the App's secret; the
// App itself (GET /app with its JWT: the key and id work, it has every permission and event app.yml
// asks for); its installation on each policy repository (installed, the installation has accepted
// those permissions, its token reads the repository); each approvers team (readable with the
// installation's token) and each login the policy names (approvers and people:). Every problem
// names the settings step that fixes it. The API calls are in github-api.ts; what GitHub documents
// for them is in docs/fidelity.md, "GitHub checks of greenlight doctor".
import { readFile } from "node:fs/promises";
import { githubManifest } from "../github-app.js";
import { type Check, type DoctorContext, type Finding, ok, problem, skipped } from "./check.js";
import {
  appFindings,
  octokit,
  readableFinding,
  repoFinding,
  teamFinding,
  userFinding,
  type Wanted,
} from "./github-api.js";

const KEYS = ["appId", "privateKey", "webhookSecret"] as const;

/** The permissions and events the App should have: app.yml's. */
async function wanted(): Promise<Wanted> {
  const yml = await readFile(new URL("../../app.yml", import.meta.url), "utf8");
  const m = githubManifest(yml, { hookUrl: "https://example.com", redirectUrl: "https://example.com" });
  return { permissions: m.default_permissions, events: m.default_events };
}

const unique = (xs: (string | undefined | false)[]) => [
  ...new Set(xs.filter((x): x is string => typeof x === "string")),
];

async function run(ctx: DoctorContext): Promise<Finding[]> {
  const rules = ctx.policy.rules.flatMap((r) => (r.github ? [{ github: r.github, people: r.people }] : []));
  if (rules.length === 0) return [skipped("github", "no rule in the policy uses GitHub")];
  const secret = await ctx.target.secret("github");
  const present = (k: (typeof KEYS)[number]) =>
    (typeof secret?.[k] === "string" && secret[k] !== "") ||
    (k === "appId" && typeof secret?.[k] === "number");
  const missing = KEYS.filter((k) => !present(k));
  if (!secret || missing.length > 0)
    return [
      problem(
        "github.secret",
        secret ? `the GitHub secret has no ${missing.join(", ")}` : "no GitHub secret is set for the stack",
        'put {"appId","privateKey","webhookSecret"} in the stack\'s GitHub secret (Secrets Manager console): from github.com → Settings → Developer settings → GitHub Apps → your App (App ID, "Generate a private key", Webhook secret)',
      ),
    ];
  const findings = [ok("github.secret", "the GitHub secret has the App id, private key and webhook secret")];

  const appAuth = { appId: Number(secret.appId), privateKey: String(secret.privateKey) };
  const app = octokit(appAuth, ctx.target.githubApiUrl);
  const want = await wanted();
  const { findings: appChecks, slug } = await appFindings(app, want);
  findings.push(...appChecks);
  // Without a working JWT nothing else can be asked.
  if (!slug) return findings;

  // One installation per account (organization or user): its token reads that account's repos and teams.
  const installations = new Map<string, ReturnType<typeof octokit>>();
  for (const repo of unique(rules.map((r) => r.github.repo))) {
    const found = await repoFinding(app, repo, slug, want);
    findings.push(found.finding);
    if (found.installationId === undefined) continue;
    const owner = repo.split("/")[0]?.toLowerCase() ?? "";
    const installation =
      installations.get(owner) ??
      octokit({ ...appAuth, installationId: found.installationId }, ctx.target.githubApiUrl);
    installations.set(owner, installation);
    findings.push(await readableFinding(installation, repo));
  }
  const anyInstallation = installations.values().next().value;
  for (const team of unique(rules.map((r) => r.github.approvers.team))) {
    const org = team.split("/")[0]?.toLowerCase() ?? "";
    findings.push(await teamFinding(installations.get(org) ?? anyInstallation, team));
  }
  const logins = unique([
    ...rules.flatMap((r) => r.github.approvers.logins),
    ...rules.flatMap((r) => r.people.map((p) => p.github)),
  ]);
  // A JWT reads only the App's own endpoints: without an installation, ask as anyone may.
  const reader = anyInstallation ?? octokit({}, ctx.target.githubApiUrl);
  for (const login of logins) findings.push(await userFinding(reader, login));
  return findings;
}

export const githubCheck: Check = { id: "github", title: "GitHub App", run };
