// `greenlight github-app create`: registers Greenlight's GitHub App from app.yml with GitHub's
// manifest flow ("Registering a GitHub App from a manifest",
// https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest)
// and puts its id, key and webhook secret where Greenlight reads them. The private key is held in
// memory between GitHub's answer and the store; it reaches disk only in --local's 0600 file.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { html } from "hono/html";
import { parse } from "yaml";
import { z } from "zod";
import { localAppFile, readLocalApp, writeLocalApp } from "../local/local-apps.js";
import { type CliIo, type Command, EXIT } from "./io.js";
import { callbackServer, createArgs, putChannelSecret, secretFilled, setupPage } from "./setup-flow.js";
import { connect, TARGET_USAGE, type Target } from "./target.js";

const USAGE = `Usage: greenlight github-app create [--org ORG] [--name NAME] [--force]
       [--local [URL] [--data DIR] | --stack NAME --region REGION]

Registers Greenlight's GitHub App from app.yml (its permissions and events; the webhook URL is the
stack's GithubWebhookUrl output) with GitHub's manifest flow: open the page the command prints,
press the button, check the name on GitHub and create the App. GitHub sends the browser back here;
the App's id, private key and webhook secret go into the stack's GitHub secret (Secrets Manager),
then the command prints the link that installs the App on your repositories.

  --org ORG         register the App for this organization (default: your personal account)
  --name NAME       the App's name (default: app.yml's; GitHub App names are unique on GitHub)
  --force           replace the App the secret (or --local file) already holds
  --data DIR        with --local: the data folder of \`npm start\` (default .data); the App is saved
                    there (github-app.json, mode 0600) and used from the next \`npm start\`
${TARGET_USAGE}

The flow must be finished within one hour (GitHub's code expires). Nothing is stored when a step
fails; an App GitHub created before the failure stays in your GitHub settings (delete it there).`;

/** What `POST /app-manifests/{code}/conversions` answers (operation apps/create-from-manifest, 201). */
const conversion = z.object({
  id: z.number().int().positive(),
  slug: z.string().min(1),
  name: z.string(),
  html_url: z.string(),
  client_id: z.string(),
  pem: z.string().includes("PRIVATE KEY"),
  // Nullable in GitHub's schema; Greenlight cannot verify deliveries without one.
  webhook_secret: z.string().min(16).nullable(),
});

export interface GitHubManifest {
  name: string;
  url: string;
  description?: string;
  hook_attributes: { url: string; active: boolean };
  redirect_url: string;
  public: false;
  default_permissions: Record<string, string>;
  default_events: string[];
}

/** app.yml → the manifest GitHub's form takes, for this stack's webhook URL and our redirect. */
export function githubManifest(
  appYml: string,
  input: { hookUrl: string; redirectUrl: string; name?: string },
): GitHubManifest {
  const yml = z
    .object({
      name: z.string().min(1),
      url: z.string().url(),
      description: z.string().optional(),
      default_permissions: z.record(z.string(), z.enum(["read", "write", "admin"])),
      default_events: z.array(z.string()),
    })
    .parse(parse(appYml));
  return {
    name: input.name ?? yml.name,
    url: yml.url,
    ...(yml.description ? { description: yml.description } : {}),
    hook_attributes: { url: input.hookUrl, active: true },
    redirect_url: input.redirectUrl,
    // Only the owner installs it: Greenlight approves deploys of one organization's pipelines.
    public: false,
    default_permissions: yml.default_permissions,
    default_events: yml.default_events,
  };
}

/** The error text GitHub wrote: `message`, and `errors` when it lists them. */
async function githubError(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(body.errors)
      ? body.errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e)))
      : [];
    return `${String(body.message ?? text)}${errors.length > 0 ? ` (${errors.join("; ")})` : ""}`;
  } catch {
    return text.slice(0, 300);
  }
}

interface Where {
  /** github.com, or the stand-in. */
  web: string;
  api: string;
  /** Refuse before any flow starts when something is already there (without --force). */
  existing: () => Promise<string | undefined>;
  store: (app: z.infer<typeof conversion> & { webhook_secret: string }) => Promise<string>;
  after: string;
}

function destination(target: Target, dataDir: string): Where | string {
  if (target.kind === "local") {
    if (!target.githubApiUrl)
      return "this `npm start` runs a real GitHub App (GREENLIGHT_GITHUB_*), not the stand-in: --local registers Apps on the stand-in only";
    const standIn = target.githubApiUrl.replace(/\/+$/, "");
    return {
      web: standIn,
      api: standIn,
      existing: async () =>
        (await readLocalApp(dataDir, "github"))
          ? `${localAppFile(dataDir, "github")} already holds an App`
          : undefined,
      store: (app) =>
        writeLocalApp(dataDir, "github", {
          appId: app.id,
          slug: app.slug,
          privateKey: app.pem,
          webhookSecret: app.webhook_secret,
          clientId: app.client_id,
          htmlUrl: app.html_url,
        }),
      after: "Restart `npm start` (same --data folder) to run with this App.",
    };
  }
  const arn = target.outputs.GithubSecretArn;
  if (!arn)
    return `${target.where} has no GithubSecretArn output: deploy the service stack with GitHub enabled first (cdk deploy)`;
  return {
    web: "https://github.com",
    api: "https://api.github.com",
    existing: async () =>
      secretFilled(await target.secret("github"))
        ? `the stack's GitHub secret (${arn}) is already filled`
        : undefined,
    store: async (app) => {
      await putChannelSecret(target, arn, {
        appId: app.id,
        privateKey: app.pem,
        webhookSecret: app.webhook_secret,
        slug: app.slug,
        clientId: app.client_id,
      });
      return arn;
    },
    after: "The functions read the secret on their next cold start (or redeploy to pick it up now).",
  };
}

export function githubAppFor(options: { timeoutMs?: number } = {}): Command {
  return {
    name: "github-app",
    summary: "github-app create: register the GitHub App from app.yml and store its credentials",
    usage: USAGE,
    run: async (argv: string[], io: CliIo): Promise<number> => {
      const values = createArgs(
        "github-app",
        argv,
        { org: { type: "string" }, name: { type: "string" } },
        USAGE,
        io,
      );
      if (typeof values === "number") return values;
      const str = (v: unknown) => (typeof v === "string" ? v : undefined);
      const target = await connect(
        { local: str(values.local), stack: str(values.stack), region: str(values.region) },
        io.env,
      );
      const refuse = (message: string) => {
        io.err(`greenlight github-app create: ${message}`);
        return EXIT.problem;
      };
      const hookUrl = target.outputs.GithubWebhookUrl;
      if (!hookUrl)
        return refuse(
          `${target.where} has no GithubWebhookUrl output: deploy the service stack with GitHub enabled first (cdk deploy)`,
        );
      const where = destination(target, resolve(str(values.data) ?? ".data"));
      if (typeof where === "string") return refuse(where);
      const already = await where.existing();
      if (already && !values.force) return refuse(`${already}: pass --force to replace it with a new App`);

      const appYml = await readFile(new URL("../app.yml", import.meta.url), "utf8");
      const org = str(values.org);
      const newApp = org
        ? `${where.web}/organizations/${encodeURIComponent(org)}/settings/apps/new`
        : `${where.web}/settings/apps/new`;
      const name = str(values.name);
      const flow = await callbackServer({
        callbackPath: "/github/callback",
        service: "GitHub",
        timeoutMs: options.timeoutMs ?? 60 * 60_000,
        start: (redirectUrl, state) => {
          const manifest = githubManifest(appYml, { hookUrl, redirectUrl, ...(name ? { name } : {}) });
          const action = `${newApp}?state=${encodeURIComponent(state)}`;
          return new Response(
            setupPage(
              "Register Greenlight's GitHub App",
              html`<p>GitHub will show the App for ${org ?? "your account"}: its name (change it if GitHub says it is taken), webhook <code>${hookUrl}</code>, permissions ${Object.entries(
                manifest.default_permissions,
              )
                .map(([k, v]) => `${k}: ${v}`)
                .join(", ")}; events ${manifest.default_events.join(", ")}.</p>
<form method="post" action="${action}"><input type="hidden" name="manifest" value="${JSON.stringify(manifest)}"><button type="submit">Continue on GitHub</button></form>`,
            ).toString(),
            { headers: { "content-type": "text/html; charset=utf-8" } },
          );
        },
      });
      io.out(`Open ${flow.url} in your browser to register the App on ${where.web} (within one hour).`);
      let code: string;
      try {
        code = await flow.code;
      } catch (e: unknown) {
        await flow.finish({ ok: false, title: "Set-up stopped", text: "See the terminal." });
        return refuse(`${e instanceof Error ? e.message : String(e)}; nothing was stored`);
      }
      const res = await fetch(`${where.api}/app-manifests/${encodeURIComponent(code)}/conversions`, {
        method: "POST",
        headers: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
      }).catch((e: unknown) => e);
      const failed = async (message: string) => {
        await flow.finish({ ok: false, title: "The App could not be set up", text: message });
        return refuse(
          `${message}. Nothing was stored. GitHub's code works once, within an hour: run the command again ` +
            "(an App GitHub already created stays under Settings → Developer settings → GitHub Apps; delete it there).",
        );
      };
      if (!(res instanceof Response))
        return failed(`could not reach ${where.api}: ${res instanceof Error ? res.message : String(res)}`);
      if (res.status !== 201) return failed(`GitHub answered ${res.status}: ${await githubError(res)}`);
      const parsed = conversion.safeParse(await res.json().catch(() => undefined));
      if (!parsed.success) return failed("GitHub's answer lacks the App's id, key or webhook secret");
      const app = parsed.data;
      if (app.webhook_secret === null) return failed(`GitHub created ${app.slug} without a webhook secret`);
      let stored: string;
      try {
        stored = await where.store({ ...app, webhook_secret: app.webhook_secret });
      } catch (e: unknown) {
        return failed(`storing the App failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      const install = `${app.html_url.replace(/\/+$/, "")}/installations/new`;
      await flow.finish({
        ok: true,
        title: `${app.name} is registered`,
        text: `Back to the terminal: install it from ${install}.`,
      });
      io.out(`Registered the GitHub App "${app.name}" (App ID ${app.id}); its credentials are in ${stored}.`);
      io.out(`Install it on the repositories whose pipelines Greenlight approves: ${install}`);
      io.out(where.after);
      return EXIT.ok;
    },
  };
}

export const githubApp = githubAppFor();
