// `greenlight slack-app create --local` against the Slack stand-in over HTTP: the manifest
// methods, the install page, the redirect back to the command's page (in Chromium too), and the
// next `npm start` running the app it made.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebClient } from "@slack/web-api";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackAppFor } from "../../cli/slack-app.js";
import { refusesOnlyRedirect, slackManifest } from "../../cli/slack-manifest.js";
import type { Target } from "../../cli/target.js";
import { loadSlackConfig } from "../../lambdas/config-slack.js";
import type { Launched } from "../../local/launch.js";
import { localAppFile } from "../../local/local-apps.js";
import { LOCAL_CONFIG_TOKEN } from "../../local/slack/app-manifests.js";
import { SlackStandIn } from "../../local/slack/server.js";
import { launchChromium } from "../support/browser.js";
import { fakeSecretsManager } from "../support/secrets-manager.js";
import { againstNoStandIn, launchLocal, runSetupCommand } from "../support/setup-cli.js";
import { waitFor } from "../support/wait.js";

/** `greenlight slack-app …` in-process; `page` resolves with the localhost page it prints. */
const cli = (
  argv: string[],
  options: {
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    pasted?: string;
    target?: Target;
    interactive?: boolean;
  } = {},
) =>
  runSetupCommand(
    slackAppFor({
      timeoutMs: options.timeoutMs ?? 60_000,
      readLine: async () => options.pasted,
      interactive: options.interactive ?? false,
      ...(options.target ? { connect: async () => options.target as Target } : {}),
    }),
    argv,
    options.env,
  );

const unentity = (s: string) =>
  s.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&").replaceAll("&#38;", "&");

/** The flow without a browser: our page → its "Install to Slack" link → "Allow" → Slack's redirect. */
async function untilRedirect(pageUrl: string): Promise<URL> {
  const ours = await (await fetch(pageUrl)).text();
  const install = unentity(/<a href="([^"]+)">Install to Slack<\/a>/.exec(ours)?.[1] ?? "");
  const allow = await (await fetch(install)).text();
  const body = new URLSearchParams();
  for (const m of allow.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g))
    body.set(m[1] ?? "", unentity(m[2] ?? ""));
  const res = await fetch(new URL("/oauth/v2/authorize", install), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location") ?? "");
}

describe("refusesOnlyRedirect: Slack refusing the localhost redirect URL, and nothing else", () => {
  const platform = (data: unknown) => Object.assign(new Error("An API error occurred"), { data });
  it("is true only when every error points into oauth_config.redirect_urls", () => {
    const at = (pointer: string) => ({ message: "Must be https", pointer });
    expect(
      refusesOnlyRedirect(
        platform({ ok: false, error: "invalid_manifest", errors: [at("/oauth_config/redirect_urls/0")] }),
      ),
    ).toBe(true);
    expect(
      refusesOnlyRedirect(
        platform({
          ok: false,
          error: "invalid_manifest",
          errors: [at("/oauth_config/redirect_urls/0"), at("/display_information/name")],
        }),
      ),
    ).toBe(false);
    expect(refusesOnlyRedirect(platform({ ok: false, error: "invalid_auth" }))).toBe(false);
    expect(refusesOnlyRedirect(new Error("socket hang up"))).toBe(false);
  });
});

describe("slackManifest: bot/slack/manifest.yml for this stack", () => {
  it("sets the request URL and the redirect, keeps the scopes", async () => {
    const yml = await readFile(new URL("../../bot/slack/manifest.yml", import.meta.url), "utf8");
    const m = slackManifest(yml, {
      requestUrl: "https://abc.lambda-url.eu-west-1.on.aws/slack/events",
      redirectUrl: "http://127.0.0.1:5000/slack/callback",
      name: "Greenlight Test",
    });
    expect(m.settings?.interactivity).toEqual({
      is_enabled: true,
      request_url: "https://abc.lambda-url.eu-west-1.on.aws/slack/events",
    });
    expect(m.oauth_config?.redirect_urls).toEqual(["http://127.0.0.1:5000/slack/callback"]);
    expect(m.oauth_config?.scopes?.bot).toEqual([
      "chat:write",
      "usergroups:read",
      "users:read",
      "users:read.email",
    ]);
    expect(m.display_information.name).toBe("Greenlight Test");
    expect(m.features?.bot_user?.display_name).toBe("Greenlight Test");
  });
});

describe("greenlight slack-app create --local: creates and installs the app for the next npm start", () => {
  let dir: string;
  let running: Launched;
  let browser: Browser;
  let target: string;
  const token = ["--token", LOCAL_CONFIG_TOKEN];
  const standIn = () => {
    const slack = running.stack.slack?.standIn;
    if (!slack) throw new Error("no Slack stand-in");
    return slack;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "greenlight-slack-app-"));
    running = await launchLocal(dir);
    target = running.stack.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("without a configuration token: says where to get one, creates and stores nothing", async () => {
    const run = cli(["create", "--local", target, "--data", dir]);
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(
      /no app configuration token: generate one under api\.slack\.com\/apps/,
    );
    expect(run.out).toEqual([]);
    expect(standIn().apps.apps.size).toBe(0);
    await expect(stat(localAppFile(dir, "slack"))).rejects.toThrow(/ENOENT/);
  });

  it("a token Slack does not know: invalid_auth as Slack wrote it, nothing created or stored", async () => {
    const run = cli(["create", "--local", target, "--data", dir], {
      env: { SLACK_CONFIG_TOKEN: "xoxe.xoxp-1-not-a-real-one" },
    });
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(
      /Slack answered invalid_auth \(the app configuration token is not valid/,
    );
    expect(standIn().apps.apps.size).toBe(0);
    await expect(stat(localAppFile(dir, "slack"))).rejects.toThrow(/ENOENT/);
  });

  it("a configuration token older than 12 hours: token_expired with what to do, nothing created or stored", async () => {
    const slack = standIn();
    const expired = slack.apps.generateConfigToken(
      new Date(slack.now().getTime() - 12 * 60 * 60_000 - 1_000),
    );
    const fresh = slack.apps.generateConfigToken(new Date(slack.now().getTime() - 11 * 60 * 60_000));
    const run = cli(["create", "--local", target, "--data", dir, "--token", expired]);
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(
      /Slack answered token_expired \(app configuration tokens expire after 12 hours: generate a new one/,
    );
    expect(slack.apps.apps.size).toBe(0);
    await expect(stat(localAppFile(dir, "slack"))).rejects.toThrow(/ENOENT/);
    // An 11-hour-old one still passes validate.
    const ok = await new WebClient(fresh, { slackApiUrl: slack.apiUrl }).apps.manifest.validate({
      manifest: { display_information: { name: "Greenlight" } },
    });
    expect(ok.ok).toBe(true);
  });

  it("an invalid manifest: Slack's errors with their pointers, nothing created or stored", async () => {
    const run = cli(["create", "--local", target, "--data", dir, ...token, "--name", "x".repeat(36)]);
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(
      /Slack answered invalid_manifest: Must be 1 to 35 characters \(at \/display_information\/name\)\. Nothing was stored/,
    );
    expect(standIn().apps.apps.size).toBe(0);
    await expect(stat(localAppFile(dir, "slack"))).rejects.toThrow(/ENOENT/);
  });

  it("a code used once already: invalid_code, nothing stored", async () => {
    const run = cli(["create", "--local", target, "--data", dir, ...token, "--name", "Greenlight reused"]);
    const back = await untilRedirect(await run.page);
    const slack = standIn();
    const app = [...slack.apps.apps.values()].find((a) => a.name === "Greenlight reused");
    if (!app) throw new Error("the app was not created");
    // Someone else trades the code first.
    const taken = await new WebClient(undefined, { slackApiUrl: slack.apiUrl }).oauth.v2.access({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: back.searchParams.get("code") ?? "",
      redirect_uri: `${back.origin}${back.pathname}`,
    });
    expect(taken.ok).toBe(true);
    const answer = await fetch(back);
    expect(await run.done).toBe(1);
    expect(answer.status).toBe(502);
    expect(run.err.join("\n")).toMatch(
      /Slack answered invalid_code \(Slack's code works once.*\)\. Nothing was stored/,
    );
    await expect(stat(localAppFile(dir, "slack"))).rejects.toThrow(/ENOENT/);
  });

  it("a redirect with another state is refused and the command keeps waiting", async () => {
    const run = cli(["create", "--local", target, "--data", dir, ...token, "--name", "Greenlight state"], {
      timeoutMs: 2_000,
    });
    const back = await untilRedirect(await run.page);
    back.searchParams.set("state", "forged");
    expect((await fetch(back)).status).toBe(400);
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(/no answer from Slack within .*Nothing was stored/);
    await expect(stat(localAppFile(dir, "slack"))).rejects.toThrow(/ENOENT/);
  });

  it("in a real browser: our page, Slack's Allow, back; stored 0600, and the next start posts as that app", async () => {
    // Prepare: the configuration token from a file, as the help recommends.
    const tokenFile = join(dir, "config-token");
    await writeFile(tokenFile, `${LOCAL_CONFIG_TOKEN}\n`, { mode: 0o600 });
    const run = cli(["create", "--local", target, "--data", dir, "--token-file", tokenFile]);
    const page = await browser.newPage();

    // Act: open the printed page, install, allow on "Slack".
    await page.goto(await run.page);
    await page.getByRole("link", { name: "Install to Slack" }).click();
    await page.waitForURL(/\/oauth\/v2\/authorize\?/);
    const asked = await page.locator("li").allTextContents();
    await page.getByRole("button", { name: "Allow" }).click();
    await page.waitForURL(/\/slack\/callback\?code=/);
    const landed = await page.locator("h1").textContent();
    const code = await run.done;
    await page.close();

    // Assess: created with this stack's request URL, installed, stored for this user only.
    expect(run.err).toEqual([]);
    expect(code).toBe(0);
    expect(landed).toBe("Greenlight is installed");
    expect(asked).toEqual(["chat:write", "usergroups:read", "users:read", "users:read.email"]);
    const file = localAppFile(dir, "slack");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, "utf8")).app;
    const created = standIn().apps.apps.get(saved.appId);
    expect(created?.name).toBe("Greenlight");
    expect(saved).toEqual({
      appId: expect.stringMatching(/^A0[0-9A-F]{10}$/),
      teamId: "T0GREENLT",
      signingSecret: created?.signingSecret,
      botToken: standIn().apps.installed.get(saved.appId),
      clientId: created?.clientId,
    });
    expect(run.out).toContain(
      `Installed the Slack app ${saved.appId} in T0GREENLT; its credentials are in ${file}.`,
    );
    // The minted token works on the stand-in that minted it.
    expect((await new WebClient(saved.botToken, { slackApiUrl: standIn().apiUrl }).auth.test()).ok).toBe(
      true,
    );
    // The same folder now holds an app: a second run without --force is refused, starts nothing.
    const again = cli(["create", "--local", target, "--data", dir, ...token]);
    expect(await again.done).toBe(1);
    expect(again.err.join("\n")).toMatch(/slack-app\.json already holds an app: pass --force/);
    expect(again.out).toEqual([]);

    // Act: the next `npm start` on that folder.
    await running.stop();
    running = await launchLocal(dir, ["--time-scale", "0.005"]);
    target = running.stack.url;

    // Assess: it runs that app, and Slack takes that app's token (and no longer the built-in one).
    expect(running.stack.describe().secrets.slack).toEqual({
      signingSecret: saved.signingSecret,
      botToken: saved.botToken,
      appId: saved.appId,
      teamId: "T0GREENLT",
    });
    // The stack's own Slack channel posts the sample pipeline's approval with that app's token.
    running.stack.pipelines?.runner.start("shop-web");
    const message = await waitFor("the approval in Slack", () =>
      standIn().workspace.messages.find((m) => m.channel === "C0SHOPREL"),
    );
    expect(message.channel).toBe("C0SHOPREL");
    expect(
      standIn()
        .calls.filter((c) => c.method === "chat.postMessage")
        .map((c) => c.ok),
    ).toEqual([true]);
    await expect(
      new WebClient("xoxb-local-greenlight", {
        slackApiUrl: standIn().apiUrl,
        retryConfig: { retries: 0 },
      }).auth.test(),
    ).rejects.toThrow(/invalid_auth/);
  });

  it("--paste-token: the pasted bot token is checked with auth.test, then stored with the new app", async () => {
    const before = await readFile(localAppFile(dir, "slack"), "utf8");
    // Prepare: a paste that is not a bot token changes nothing.
    const wrong = cli(["create", "--local", target, "--data", dir, ...token, "--force", "--paste-token"], {
      pasted: "xoxp-a-user-token",
    });
    expect(await wrong.done).toBe(1);
    expect(wrong.err.join("\n")).toMatch(/no bot token \(xoxb-…\) was pasted\. Nothing was stored/);
    const unknown = cli(["create", "--local", target, "--data", dir, ...token, "--force", "--paste-token"], {
      pasted: "xoxb-not-minted-here",
    });
    expect(await unknown.done).toBe(1);
    expect(unknown.err.join("\n")).toMatch(
      /Slack answered invalid_auth .*for the pasted token\. Nothing was stored/,
    );
    expect(await readFile(localAppFile(dir, "slack"), "utf8")).toBe(before);

    // Act: paste the token this stack's app has (as one copies it from OAuth & Permissions).
    const run = cli(
      [
        "create",
        "--local",
        target,
        "--data",
        dir,
        ...token,
        "--force",
        "--paste-token",
        "--name",
        "Greenlight paste",
      ],
      { pasted: ` ${standIn().botToken}\n` },
    );
    expect(await run.done).toBe(0);

    // Assess: the new app, no redirect URL asked of Slack, the pasted token.
    const saved = JSON.parse(await readFile(localAppFile(dir, "slack"), "utf8")).app;
    const created = standIn().apps.apps.get(saved.appId);
    expect(created?.name).toBe("Greenlight paste");
    expect(created?.redirectUrls).toEqual([]);
    expect(saved).toMatchObject({ botToken: standIn().botToken, teamId: "T0GREENLT" });
    expect(run.out.join("\n")).toMatch(/paste its Bot User OAuth Token/);
  });
});

describe("greenlight slack-app create: refusals", () => {
  it("an npm start without the Slack stand-in: says why, stores nothing", async () => {
    const run = await againstNoStandIn(slackAppFor(), "slack", ["--token", LOCAL_CONFIG_TOKEN]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/runs a real Slack workspace .* --local creates apps on the stand-in only/);
    expect(run.wrote).toBe(false);
  });

  it("anything but `create` is a usage error", async () => {
    const run = cli(["delete"]);
    expect(await run.done).toBe(2);
    expect(run.err.join("\n")).toMatch(/expected "create"/);
  });
});

describe("greenlight slack-app create --stack: the deployed stack's Slack secret", () => {
  const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:GreenlightSlack-abc";
  let slack: SlackStandIn;
  let sm: Awaited<ReturnType<typeof fakeSecretsManager>>;
  /** A deployed stack as `connectAws` describes one, its Secrets Manager and Slack doubles local. */
  const stack = (outputs: Partial<Target["outputs"]> = {}): Target => ({
    kind: "aws",
    where: "Greenlight (eu-west-1)",
    region: "eu-west-1",
    outputs: {
      PublicUrl: "https://abc.lambda-url.eu-west-1.on.aws/",
      TableName: "greenlight",
      SlackRequestUrl: "https://abc.lambda-url.eu-west-1.on.aws/slack/events",
      SlackSecretArn: ARN,
      ...outputs,
    },
    client: () => ({
      region: "eu-west-1",
      endpoint: sm.url,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    }),
    secret: async () => JSON.parse(sm.secrets.get(ARN) ?? "{}"),
    slackApiUrl: slack.apiUrl,
  });
  beforeAll(async () => {
    slack = await SlackStandIn.start();
    sm = await fakeSecretsManager({ [ARN]: JSON.stringify({ unused: "" }) });
  });
  afterAll(async () => {
    await slack?.close();
    await sm?.close();
  });

  it("a stack deployed without Slack (no SlackSecretArn): refused before Slack is asked", async () => {
    const run = cli(["create", "--token", LOCAL_CONFIG_TOKEN], {
      target: stack({ SlackSecretArn: undefined }),
    });
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(
      /Greenlight \(eu-west-1\) has no SlackSecretArn output: deploy the service stack with Slack on/,
    );
    expect(slack.apps.apps.size).toBe(0);
    expect(sm.puts).toEqual([]);
  });

  it("creates, installs and writes the four keys Greenlight's functions read, in one PutSecretValue", async () => {
    const run = cli(["create", "--token", LOCAL_CONFIG_TOKEN], { target: stack() });
    const back = await untilRedirect(await run.page);
    expect((await fetch(back)).status).toBe(200);
    expect(await run.done).toBe(0);
    expect(run.err).toEqual([]);
    expect(sm.puts).toEqual([ARN]);
    const secret = JSON.parse(sm.secrets.get(ARN) ?? "{}");
    const app = slack.apps.apps.get(secret.appId);
    expect(secret).toEqual({
      appId: app?.appId,
      teamId: "T0GREENLT",
      signingSecret: app?.signingSecret,
      botToken: slack.apps.installed.get(secret.appId),
      clientId: app?.clientId,
    });
    // What the functions read at cold start (lambdas/config-slack.ts) accepts it.
    const config = loadSlackConfig(
      { GREENLIGHT_SLACK_SECRET_ARN: ARN },
      async () => sm.secrets.get(ARN) ?? "",
    );
    expect(await config?.settings()).toMatchObject({
      signingSecret: secret.signingSecret,
      botToken: secret.botToken,
      appId: secret.appId,
      teamId: "T0GREENLT",
    });
    expect(run.out).toContain(
      `Installed the Slack app ${secret.appId} in T0GREENLT; its credentials are in ${ARN}.`,
    );
  });

  it("in a terminal without a token: asks for it; an empty answer stores nothing", async () => {
    const ask =
      "Paste the app configuration token (xoxe.xoxp-…; api.slack.com/apps → Your App Configuration Tokens):";
    const empty = cli(["create", "--force"], { target: stack(), interactive: true, pasted: "\n" });
    expect(await empty.done).toBe(1);
    expect(empty.out).toEqual([ask]);
    expect(empty.err.join("\n")).toMatch(/no app configuration token: generate one/);
    // A pasted token is taken: the command goes on to the next check (the filled secret).
    const pasted = cli(["create"], { target: stack(), interactive: true, pasted: `${LOCAL_CONFIG_TOKEN}\n` });
    expect(await pasted.done).toBe(1);
    expect(pasted.out).toEqual([ask]);
    expect(pasted.err.join("\n")).toMatch(/is already filled: pass --force/);
    expect(sm.puts).toEqual([ARN]);
  });

  it("the secret is filled: refused without --force, nothing created or written", async () => {
    const before = sm.secrets.get(ARN);
    const apps = slack.apps.apps.size;
    const run = cli(["create", "--token", LOCAL_CONFIG_TOKEN], { target: stack() });
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(
      /the stack's Slack secret \(arn:aws:secretsmanager:.*\) is already filled: pass --force/,
    );
    expect(run.out).toEqual([]);
    expect(slack.apps.apps.size).toBe(apps);
    expect(sm.secrets.get(ARN)).toBe(before);
    expect(sm.puts).toEqual([ARN]);
  });
});
