// `greenlight slack-app create`: creates Greenlight's Slack app from bot/slack/manifest.yml with
// Slack's manifest methods (apps.manifest.validate / apps.manifest.create, authenticated by an app
// configuration token: https://docs.slack.dev/reference/methods/apps.manifest.create), installs it
// with OAuth v2 (https://docs.slack.dev/authentication/installing-with-oauth, then oauth.v2.access)
// and puts the signing secret, bot token, app id and team id where Greenlight reads them.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { WebClient } from "@slack/web-api";
import { html } from "hono/html";
import { type LocalSlackApp, localAppFile, readLocalApp, writeLocalApp } from "../local/local-apps.js";
import { type CliIo, type Command, EXIT } from "./io.js";
import { callbackServer, createArgs, putChannelSecret, secretFilled, setupPage } from "./setup-flow.js";
import { refusesOnlyRedirect, slackError, slackManifest } from "./slack-manifest.js";
import { connect, TARGET_USAGE, type Target } from "./target.js";

const USAGE = `Usage: greenlight slack-app create [--token XOXE | --token-file FILE] [--name NAME] [--paste-token] [--force]
       [--local [URL] [--data DIR] | --stack NAME --region REGION]

Creates Greenlight's Slack app from bot/slack/manifest.yml (its scopes; the interactivity request
URL is the stack's SlackRequestUrl output) in the workspace of your app configuration token, then
installs it: open the page the command prints, press "Install to Slack", allow it on Slack. Slack
sends the browser back here; the signing secret, bot token, app id and team id go into the stack's
Slack secret (Secrets Manager, SlackSecretArn output) in one write, after the install.

The app configuration token (xoxe.xoxp-…): api.slack.com/apps → "Your App Configuration Tokens" →
Generate Token. Give it with --token, --token-file, or the SLACK_CONFIG_TOKEN environment variable
(in that order), or paste it when the command asks (in a terminal only); it is used for this
command only and never stored. It expires after 12 hours.

  --token XOXE       the app configuration token (visible in your shell history: prefer the others)
  --token-file FILE  a file holding it
  --name NAME        the app's name in Slack (default: the manifest's, Greenlight; at most 35 characters)
  --paste-token      install on Slack's own page and paste the Bot User OAuth Token (xoxb-…) on
                     stdin instead of the redirect to this machine (chosen by itself when Slack
                     refuses the http://127.0.0.1 redirect URL)
  --force            replace the app the secret (or --local file) already holds
  --data DIR         with --local: the data folder of \`npm start\` (default .data); the app is saved
                     there (slack-app.json, mode 0600) and used from the next \`npm start\`
${TARGET_USAGE}

Nothing is stored when a step fails; an app Slack created before the failure stays under
api.slack.com/apps (delete it there).`;

/** What the stack's Slack secret and the --local file hold. */
type SlackAppRecord = LocalSlackApp;

interface Where {
  /** The Web API base (trailing /api/): Slack's, or the stand-in's. */
  api: string | undefined;
  existing: () => Promise<string | undefined>;
  store: (app: SlackAppRecord) => Promise<string>;
  after: string;
}

function destination(target: Target, dataDir: string): Where | string {
  if (target.kind === "local") {
    if (!target.slackApiUrl)
      return "this `npm start` runs a real Slack workspace (SLACK_*), not the stand-in: --local creates apps on the stand-in only";
    return {
      api: target.slackApiUrl,
      existing: async () =>
        (await readLocalApp(dataDir, "slack"))
          ? `${localAppFile(dataDir, "slack")} already holds an app`
          : undefined,
      store: (app) => writeLocalApp(dataDir, "slack", app),
      after: "Restart `npm start` (same --data folder) to run with this app.",
    };
  }
  const arn = target.outputs.SlackSecretArn;
  if (!arn)
    return `${target.where} has no SlackSecretArn output: deploy the service stack with Slack on (-c greenlight:slack=true) first`;
  return {
    // Slack's own API (slack.com); a test points a deployed-stack target at the stand-in.
    api: target.slackApiUrl,
    existing: async () =>
      secretFilled(await target.secret("slack"))
        ? `the stack's Slack secret (${arn}) is already filled`
        : undefined,
    store: async (app) => {
      await putChannelSecret(target, arn, app);
      return arn;
    },
    after: "The functions read the secret on their next cold start (or redeploy to pick it up now).",
  };
}

async function configToken(values: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  if (typeof values.token === "string") return values.token.trim();
  if (typeof values["token-file"] === "string") return (await readFile(values["token-file"], "utf8")).trim();
  return env.SLACK_CONFIG_TOKEN?.trim();
}

/** One line from stdin (the pasted bot token); undefined when stdin ends first. */
async function stdinLine(): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin });
  try {
    for await (const line of rl) return line;
    return undefined;
  } finally {
    rl.close();
  }
}

export function slackAppFor(
  options: {
    timeoutMs?: number;
    readLine?: () => Promise<string | undefined>;
    /** Ask for a missing configuration token on stdin (default: when stdin is a terminal). */
    interactive?: boolean;
    /** Which Greenlight (tests hand in a deployed stack's double). */
    connect?: typeof connect;
  } = {},
): Command {
  const readLine = options.readLine ?? stdinLine;
  const interactive = options.interactive ?? process.stdin.isTTY === true;
  return {
    name: "slack-app",
    summary: "slack-app create: create the Slack app from its manifest, install it, store its credentials",
    usage: USAGE,
    run: async (argv: string[], io: CliIo): Promise<number> => {
      const values = createArgs(
        "slack-app",
        argv,
        {
          token: { type: "string" },
          "token-file": { type: "string" },
          name: { type: "string" },
          "paste-token": { type: "boolean" },
        },
        USAGE,
        io,
      );
      if (typeof values === "number") return values;
      const str = (v: unknown) => (typeof v === "string" ? v : undefined);
      const refuse = (message: string) => {
        io.err(`greenlight slack-app create: ${message}`);
        return EXIT.problem;
      };
      let token = await configToken(values, io.env).catch((e: unknown) => e);
      if (token === undefined && interactive) {
        io.out(
          "Paste the app configuration token (xoxe.xoxp-…; api.slack.com/apps → Your App Configuration Tokens):",
        );
        token = (await readLine())?.trim();
      }
      if (token instanceof Error) return refuse(`cannot read --token-file: ${token.message}`);
      if (typeof token !== "string" || token === "")
        return refuse(
          "no app configuration token: generate one under api.slack.com/apps → Your App Configuration Tokens, " +
            "then pass it with --token-file FILE, --token, or SLACK_CONFIG_TOKEN. Nothing was created or stored",
        );
      const target = await (options.connect ?? connect)(
        { local: str(values.local), stack: str(values.stack), region: str(values.region) },
        io.env,
      );
      const requestUrl = target.outputs.SlackRequestUrl;
      if (!requestUrl)
        return refuse(
          `${target.where} has no SlackRequestUrl output: deploy the service stack with Slack on (-c greenlight:slack=true) first`,
        );
      const where = destination(target, resolve(str(values.data) ?? ".data"));
      if (typeof where === "string") return refuse(where);
      const already = await where.existing();
      if (already && !values.force) return refuse(`${already}: pass --force to replace it with a new app`);

      const slack = (t?: string) =>
        new WebClient(t, { ...(where.api ? { slackApiUrl: where.api } : {}), retryConfig: { retries: 0 } });
      const manifestYml = await readFile(new URL("../bot/slack/manifest.yml", import.meta.url), "utf8");
      const name = str(values.name);
      let authorizeUrl = "";
      const flow = await callbackServer({
        callbackPath: "/slack/callback",
        service: "Slack",
        timeoutMs: options.timeoutMs ?? 60 * 60_000,
        start: () =>
          new Response(
            setupPage(
              "Install Greenlight's Slack app",
              html`<p>Slack will ask you to allow the app in your workspace; its messages and buttons reach <code>${requestUrl}</code>.</p>
<p><a href="${authorizeUrl}">Install to Slack</a></p>`,
            ).toString(),
            { headers: { "content-type": "text/html; charset=utf-8" } },
          ),
      });
      const stop = async (message: string) => {
        await flow.finish({ ok: false, title: "The app could not be set up", text: message });
        return refuse(`${message}. Nothing was stored`);
      };
      /** Install with OAuth v2: Slack sends the browser back with a code, oauth.v2.access trades it. */
      const redirected = async (clientId: string, clientSecret: string, authorizeBase?: string) => {
        const authorize = new URL(authorizeBase ?? "https://slack.com/oauth/v2/authorize");
        authorize.searchParams.set("client_id", clientId);
        authorize.searchParams.set("redirect_uri", flow.redirectUrl);
        authorize.searchParams.set("state", flow.state);
        authorizeUrl = authorize.toString();
        io.out(
          `Open ${flow.url} in your browser to install it in your workspace (or go to ${authorizeUrl}).`,
        );
        let code: string;
        try {
          code = await flow.code;
        } catch (e: unknown) {
          return e instanceof Error ? e.message : String(e);
        }
        try {
          const access = await slack().oauth.v2.access({
            client_id: clientId,
            client_secret: clientSecret,
            code,
            redirect_uri: flow.redirectUrl,
          });
          const botToken = access.access_token ?? "";
          const teamId = access.team?.id ?? "";
          if (!botToken.startsWith("xoxb-") || !teamId)
            return "Slack's answer to oauth.v2.access lacks the bot token or the team";
          return { botToken, teamId };
        } catch (e: unknown) {
          return `Slack answered ${slackError(e)}`;
        }
      };
      /** Install on Slack's page, paste the Bot User OAuth Token here; auth.test says whose it is. */
      const pastedToken = async (appId: string, authorizeBase?: string) => {
        const install =
          where.api && authorizeBase ? authorizeBase : `https://api.slack.com/apps/${appId}/oauth`;
        io.out(
          `Install it from ${install} ("Install to Workspace"), then paste its Bot User OAuth Token (xoxb-…):`,
        );
        const botToken = (await readLine())?.trim() ?? "";
        if (!botToken.startsWith("xoxb-")) return "no bot token (xoxb-…) was pasted";
        try {
          const me = await slack(botToken).auth.test();
          if (!me.team_id) return "Slack's answer to auth.test lacks the team";
          return { botToken, teamId: me.team_id };
        } catch (e: unknown) {
          return `Slack answered ${slackError(e)} for the pasted token`;
        }
      };
      const config = slack(token);
      const manifestFor = (redirectUrl: string | undefined) =>
        slackManifest(manifestYml, {
          requestUrl,
          ...(redirectUrl ? { redirectUrl } : {}),
          ...(name ? { name } : {}),
        });
      let paste = values["paste-token"] === true;
      let manifest = manifestFor(paste ? undefined : flow.redirectUrl);
      let created: Awaited<ReturnType<typeof config.apps.manifest.create>>;
      try {
        try {
          await config.apps.manifest.validate({ manifest });
        } catch (e: unknown) {
          // Slack may refuse an http://127.0.0.1 redirect URL (docs/fidelity.md): install without it.
          if (paste || !refusesOnlyRedirect(e)) throw e;
          io.out(
            `Slack refused the redirect to this machine (${slackError(e)}); paste the bot token instead.`,
          );
          paste = true;
          manifest = manifestFor(undefined);
          await config.apps.manifest.validate({ manifest });
        }
        created = await config.apps.manifest.create({ manifest });
      } catch (e: unknown) {
        return stop(`Slack answered ${slackError(e)}`);
      }
      const credentials = created.credentials;
      if (
        !created.app_id ||
        !credentials?.client_id ||
        !credentials.client_secret ||
        !credentials.signing_secret
      )
        return stop("Slack's answer to apps.manifest.create lacks the app id or its credentials");
      io.out(`Created the Slack app ${created.app_id}.`);
      const installed = paste
        ? await pastedToken(created.app_id, created.oauth_authorize_url)
        : await redirected(credentials.client_id, credentials.client_secret, created.oauth_authorize_url);
      if (typeof installed === "string") return stop(installed);
      const { botToken, teamId } = installed;
      let stored: string;
      try {
        stored = await where.store({
          appId: created.app_id,
          teamId,
          signingSecret: credentials.signing_secret,
          botToken,
          clientId: credentials.client_id,
        });
      } catch (e: unknown) {
        return stop(`storing the app failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      await flow.finish({
        ok: true,
        title: "Greenlight is installed",
        text: "Back to the terminal: invite the bot to the policy's channels with /invite @Greenlight.",
      });
      io.out(`Installed the Slack app ${created.app_id} in ${teamId}; its credentials are in ${stored}.`);
      io.out("Invite it to each channel greenlight.yml posts to: /invite @Greenlight");
      io.out(where.after);
      return EXIT.ok;
    },
  };
}

export const slackApp = slackAppFor();
