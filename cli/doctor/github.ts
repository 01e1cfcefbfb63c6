// The GitHub side of `greenlight doctor`. So far only the App's secret is looked at; the App's
// JWT (GET /app), its installations, teams and logins are not checked yet (issue 17, open).
import { type Check, type DoctorContext, type Finding, ok, problem, skipped } from "./check.js";

const KEYS = ["appId", "privateKey", "webhookSecret"] as const;

async function run(ctx: DoctorContext): Promise<Finding[]> {
  if (!ctx.policy.rules.some((r) => r.github))
    return [skipped("github", "no rule in the policy uses GitHub")];
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
  return [ok("github.secret", "the GitHub secret has the App id, private key and webhook secret")];
}

export const githubCheck: Check = { id: "github", title: "GitHub App", run };
