// The Slack stand-in's app set-up methods, as Slack documents them (local/slack/app-manifests.ts
// cites the pages): apps.manifest.validate / create with an app configuration token, the install
// page, and oauth.v2.access trading a one-time code for a bot token that then works.
import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOCAL_CONFIG_TOKEN } from "../../local/slack/app-manifests.js";
import { SlackStandIn } from "../../local/slack/server.js";

const REDIRECT = "http://127.0.0.1:4999/slack/callback";

const manifest = (overrides: Record<string, unknown> = {}) => ({
  display_information: { name: "Greenlight" },
  features: { bot_user: { display_name: "Greenlight" } },
  oauth_config: { scopes: { bot: ["chat:write", "users:read"] }, redirect_urls: [REDIRECT] },
  settings: { interactivity: { is_enabled: true, request_url: "https://example.com/slack/events" } },
  ...overrides,
});

describe("the Slack stand-in: apps from manifests, and their install", () => {
  let slack: SlackStandIn;
  /** A raw Web API call with `token`, to see the body the SDK would turn into an exception. */
  const call = async (method: string, args: Record<string, unknown>, token?: string) => {
    const res = await fetch(`${slack.apiUrl}${method}`, {
      method: "POST",
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        "content-type": "application/json; charset=utf-8",
      },
      body: JSON.stringify(args),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const site = () => new URL("/", slack.apiUrl).toString().replace(/\/$/, "");

  beforeEach(async () => {
    slack = await SlackStandIn.start();
  });
  afterEach(() => slack.close());

  it("validate: only a configuration token; a bot token is the wrong kind; none is not_authed", async () => {
    const text = JSON.stringify(manifest());
    expect(await call("apps.manifest.validate", { manifest: text }, LOCAL_CONFIG_TOKEN)).toEqual({
      ok: true,
    });
    expect(await call("apps.manifest.validate", { manifest: text }, slack.botToken)).toEqual({
      ok: false,
      error: "not_allowed_token_type",
    });
    expect(await call("apps.manifest.validate", { manifest: text }, "xoxe.xoxp-1-someone-else")).toEqual({
      ok: false,
      error: "invalid_auth",
    });
    expect(await call("apps.manifest.validate", { manifest: text })).toEqual({
      ok: false,
      error: "not_authed",
    });
    expect(slack.apps.apps.size).toBe(0);
  });

  it("an invalid manifest: invalid_manifest with Slack's pointers, and no app is created", async () => {
    const bad = manifest({
      display_information: { name: "" },
      features: {},
      oauth_config: { scopes: { bot: ["chat:write", "Not A Scope"] }, redirect_urls: ["not a url"] },
      settings: { interactivity: { is_enabled: true } },
    });
    const answer = await call("apps.manifest.create", { manifest: JSON.stringify(bad) }, LOCAL_CONFIG_TOKEN);
    expect(answer.ok).toBe(false);
    expect(answer.error).toBe("invalid_manifest");
    expect((answer.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual([
      "/display_information/name",
      "/oauth_config/scopes/bot/1",
      "/features/bot_user",
      "/oauth_config/redirect_urls/0",
      "/settings/interactivity",
    ]);
    expect(await call("apps.manifest.create", { manifest: "{not json" }, LOCAL_CONFIG_TOKEN)).toMatchObject({
      ok: false,
      error: "invalid_manifest",
      errors: [{ pointer: "/" }],
    });
    expect(slack.apps.apps.size).toBe(0);
  });

  it("create → install page → Allow → oauth.v2.access once: the bot token works; a reused code does not", async () => {
    const created = await call(
      "apps.manifest.create",
      { manifest: JSON.stringify(manifest()) },
      LOCAL_CONFIG_TOKEN,
    );
    expect(created).toMatchObject({ ok: true, app_id: expect.stringMatching(/^A0/) });
    const credentials = created.credentials as Record<string, string>;
    expect(Object.keys(credentials).sort()).toEqual([
      "client_id",
      "client_secret",
      "signing_secret",
      "verification_token",
    ]);
    const authorize = new URL(String(created.oauth_authorize_url));
    expect(authorize.pathname).toBe("/oauth/v2/authorize");
    expect(authorize.searchParams.get("scope")).toBe("chat:write,users:read");

    // The install page names what the app asks for; a redirect_uri the app did not list is refused.
    const pageUrl = `${site()}/oauth/v2/authorize?client_id=${credentials.client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s1`;
    const shown = await fetch(pageUrl);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain("<li>chat:write</li>");
    expect(html).toContain('<button type="submit">Allow</button>');
    const foreign = await fetch(
      `${site()}/oauth/v2/authorize?client_id=${credentials.client_id}&redirect_uri=${encodeURIComponent("https://evil.example/cb")}`,
    );
    expect(foreign.status).toBe(400);
    expect((await fetch(`${site()}/oauth/v2/authorize?client_id=nobody`)).status).toBe(400);

    const allowed = await fetch(`${site()}/oauth/v2/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: credentials.client_id ?? "",
        redirect_uri: REDIRECT,
        state: "s1",
      }),
    });
    expect(allowed.status).toBe(302);
    const back = new URL(allowed.headers.get("location") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("s1");
    const code = back.searchParams.get("code") ?? "";

    const exchange = { client_id: credentials.client_id, code, redirect_uri: REDIRECT };
    expect(await call("oauth.v2.access", { ...exchange, client_secret: "wrong" })).toEqual({
      ok: false,
      error: "bad_client_secret",
    });
    expect(await call("oauth.v2.access", { ...exchange, client_id: "nobody" })).toEqual({
      ok: false,
      error: "invalid_client_id",
    });
    const secret = credentials.client_secret;
    expect(
      await call("oauth.v2.access", { ...exchange, client_secret: secret, redirect_uri: "http://x/" }),
    ).toEqual({ ok: false, error: "bad_redirect_uri" });
    const granted = await call("oauth.v2.access", { ...exchange, client_secret: secret });
    expect(granted).toMatchObject({
      ok: true,
      app_id: created.app_id,
      token_type: "bot",
      scope: "chat:write,users:read",
      access_token: expect.stringMatching(/^xoxb-/),
    });
    expect(slack.apps.installed.get(String(created.app_id))).toBe(granted.access_token);
    expect(await call("oauth.v2.access", { ...exchange, client_secret: secret })).toEqual({
      ok: false,
      error: "invalid_code",
    });
  });

  it("the SDK's own call shape works too (WebClient.apps.manifest.create)", async () => {
    const client = new WebClient(LOCAL_CONFIG_TOKEN, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    const created = await client.apps.manifest.create({ manifest: manifest() as never });
    expect(created.ok).toBe(true);
    expect(slack.apps.apps.get(String(created.app_id))?.name).toBe("Greenlight");
  });
});
