import { createSign } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubAppFor } from "../../cli/github-app.js";
import type { Launched } from "../../local/launch.js";
import { localAppFile } from "../../local/local-apps.js";
import { launchChromium } from "../support/browser.js";
import { againstNoStandIn, launchLocal, runSetupCommand } from "../support/setup-cli.js";

/** `greenlight github-app …` in-process; `page` resolves with the localhost page it prints. */
const cli = (argv: string[], timeoutMs = 60_000) => runSetupCommand(githubAppFor({ timeoutMs }), argv);

/** The form a page holds, as the browser would send it: its action and fields. */
async function form(res: Response): Promise<{ action: string; body: URLSearchParams }> {
  const text = await res.text();
  const action = /<form method="post" action="([^"]+)"/.exec(text)?.[1] ?? "";
  const body = new URLSearchParams();
  for (const m of text.matchAll(/<input (?:type="hidden" )?name="(\w+)" value="([^"]*)"/g))
    body.set(
      m[1] ?? "",
      (m[2] ?? "")
        .replaceAll("&quot;", '"')
        .replaceAll("&#39;", "'")
        .replaceAll("&amp;", "&")
        .replaceAll("&lt;", "<")
        .replaceAll("&gt;", ">"),
    );
  return { action: action.replaceAll("&amp;", "&"), body };
}

const post = (url: string, body: URLSearchParams) =>
  fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });

/** The flow without a browser: the CLI's page → the stand-in's page → "Create" → GitHub's redirect. */
async function untilRedirect(pageUrl: string, standIn: string): Promise<URL> {
  const start = await form(await fetch(pageUrl));
  const confirm = await form(await post(start.action, start.body));
  const created = await post(new URL(confirm.action, standIn).toString(), confirm.body);
  expect(created.status).toBe(302);
  return new URL(created.headers.get("location") ?? "");
}

/** An App JWT (RS256, iss = App ID), as Octokit's app auth signs it. */
function appJwt(appId: number, privateKey: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 540, iss: appId })}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(privateKey, "base64url");
  return `${unsigned}.${signature}`;
}

describe("greenlight github-app create --local: registers the App on the stand-in for the next npm start", () => {
  let dir: string;
  let running: Launched;
  let browser: Browser;
  let standIn: string;
  let target: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "greenlight-github-app-"));
    running = await launchLocal(dir);
    standIn = running.stack.github?.standIn.url ?? "";
    target = running.stack.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("in a real browser: our page, GitHub's page, back; the App is stored 0600 and the next start runs it", async () => {
    // Prepare: the command waits for the browser.
    const run = cli(["create", "--local", target, "--data", dir]);
    const page = await browser.newPage();

    // Act: open the printed page, continue to "GitHub", create the App there.
    await page.goto(await run.page);
    await page.getByRole("button", { name: "Continue on GitHub" }).click();
    await page.waitForURL(`${standIn}/settings/apps/new?state=*`);
    const webhook = await page.locator("dd.hook").textContent();
    // The stand-in already runs an App named Greenlight: GitHub App names are unique, so rename it.
    await page.getByLabel("GitHub App name").fill("Greenlight Local");
    await page.getByRole("button", { name: /Create GitHub App/ }).click();
    await page.waitForURL(/\/github\/callback\?code=/);
    const landed = await page.locator("h1").textContent();
    const code = await run.done;
    await page.close();

    // Assess: registered, stored for this user only, install link printed.
    expect(run.err).toEqual([]);
    expect(code).toBe(0);
    expect(webhook).toBe(`${running.stack.publicUrl}/github/webhooks`);
    expect(landed).toBe("Greenlight Local is registered");
    const file = localAppFile(dir, "github");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, "utf8")).app;
    expect(running.stack.github?.standIn.state.apps.get(saved.appId)?.slug).toBe("greenlight-local");
    expect(saved).toMatchObject({
      slug: "greenlight-local",
      privateKey: expect.stringContaining("PRIVATE KEY"),
    });
    const install = `${standIn}/apps/greenlight-local/installations/new`;
    expect(run.out).toContain(
      `Install it on the repositories whose pipelines Greenlight approves: ${install}`,
    );
    expect((await fetch(install)).status).toBe(200);

    // Act: the next `npm start` on that folder.
    await running.stop();
    running = await launchLocal(dir);
    standIn = running.stack.github?.standIn.url ?? "";
    target = running.stack.url;

    // Assess: it runs that App: its id is the stack's, and GitHub accepts the saved key's JWTs.
    expect(running.stack.describe().secrets.github).toMatchObject({ appId: saved.appId });
    const installation = await fetch(`${standIn}/repos/acme/shop-web/installation`, {
      headers: { authorization: `Bearer ${appJwt(saved.appId, saved.privateKey)}` },
    });
    expect(installation.status, await installation.clone().text()).toBe(200);
    expect(await installation.json()).toMatchObject({ app_id: saved.appId });
  });

  it("refuses to replace the saved App without --force, and starts nothing", async () => {
    const before = await readFile(localAppFile(dir, "github"), "utf8");
    const run = cli(["create", "--local", target, "--data", dir]);
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(/already holds an App: pass --force/);
    expect(run.out).toEqual([]);
    expect(await readFile(localAppFile(dir, "github"), "utf8")).toBe(before);
  });

  it("a code older than an hour: GitHub's answer is shown, nothing is stored", async () => {
    const github = running.stack.github;
    if (!github) throw new Error("no GitHub stand-in");
    const before = await readFile(localAppFile(dir, "github"), "utf8");
    const run = cli(["create", "--local", target, "--data", dir, "--force", "--name", "Greenlight stale"]);
    const back = await untilRedirect(await run.page, standIn);
    // GitHub's clock moves past the hour between the redirect and the exchange.
    const realNow = github.standIn.state.now;
    github.standIn.state.now = () => new Date(realNow().getTime() + 61 * 60_000);
    let answer: Response;
    try {
      answer = await fetch(back);
    } finally {
      github.standIn.state.now = realNow;
    }
    expect(await run.done).toBe(1);
    expect(answer.status).toBe(502);
    expect(run.err.join("\n")).toMatch(/GitHub answered 422: Validation Failed \(The code has expired/);
    expect(run.err.join("\n")).toMatch(/Nothing was stored\. GitHub's code works once, within an hour/);
    expect(await readFile(localAppFile(dir, "github"), "utf8")).toBe(before);
  });

  it("a code used once already: 404, nothing is stored", async () => {
    const before = await readFile(localAppFile(dir, "github"), "utf8");
    // A first flow's code, converted by someone else first (the code is the key to the App's key).
    const first = cli(["create", "--local", target, "--data", dir, "--force", "--name", "Greenlight reused"]);
    const back = await untilRedirect(await first.page, standIn);
    const code = back.searchParams.get("code") ?? "";
    const taken = await fetch(`${standIn}/app-manifests/${code}/conversions`, { method: "POST" });
    expect(taken.status).toBe(201);
    await fetch(back);
    expect(await first.done).toBe(1);
    expect(first.err.join("\n")).toMatch(/GitHub answered 404: Not Found/);
    expect(await readFile(localAppFile(dir, "github"), "utf8")).toBe(before);
  });

  it("a redirect with another state is refused and the command keeps waiting", async () => {
    const run = cli(
      ["create", "--local", target, "--data", dir, "--force", "--name", "Greenlight state"],
      2_000,
    );
    const back = await untilRedirect(await run.page, standIn);
    back.searchParams.set("state", "forged");
    const forged = await fetch(back);
    expect(forged.status).toBe(400);
    expect(await run.done).toBe(1);
    expect(run.err.join("\n")).toMatch(/no answer from GitHub within .*nothing was stored/);
  });
});

describe("greenlight github-app create: refusals", () => {
  it("an npm start without the GitHub stand-in: says why, stores nothing", async () => {
    const run = await againstNoStandIn(githubAppFor(), "github", []);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/runs a real GitHub App .* --local registers Apps on the stand-in only/);
    expect(run.wrote).toBe(false);
  });

  it("anything but `create` is a usage error", async () => {
    const run = cli(["delete"]);
    expect(await run.done).toBe(2);
    expect(run.err.join("\n")).toMatch(/expected "create"/);
  });
});
