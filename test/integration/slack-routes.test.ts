import { type APIGatewayProxyResult, handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import type { Interaction } from "../../bot/slack/envelope.js";
import type { Answer } from "../../bot/slack/interactions.js";
import { slackRoutes } from "../../bot/slack/routes.js";
import { createApp } from "../../lambdas/app.js";
import { functionUrlEvent } from "../support/function-url.js";
import { captureLogs } from "../support/logs.js";
import { slackSignature } from "../support/sign.js";

// Slack's documented example (docs/security.md#15-every-slack-request-is-verified): a slash-command body signed at 1531420618.
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP = 1531420618;
const DOC_BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const TEAM = "T1DC2JH3J";
const APP = "A0GREENLT";

const sign = (body: string, timestamp: number) => slackSignature(SECRET, body, timestamp);
const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
const click = (over: object = {}) => ({
  type: "block_actions",
  team: { id: TEAM, domain: "testteamnow" },
  api_app_id: APP,
  user: { id: "U2CERLKJA", username: "roadrunner", name: "Zoë Ünïcødé ✅" },
  actions: [{ action_id: "greenlight_approve", value: "ziPkn2qWqsuLKgpTjGKXhA" }],
  ...over,
});

describe("POST /slack/events: size, signature, parse, workspace — in that order", () => {
  let now: Date;
  let handled: Interaction[];
  let logs: ReturnType<typeof captureLogs>;
  let app: ReturnType<typeof createApp>;

  beforeEach(() => {
    now = new Date(TIMESTAMP * 1000);
    handled = [];
    logs = captureLogs();
    const interactions = {
      handle: async (interaction: Interaction): Promise<Answer> => {
        handled.push(interaction);
        return { status: 200 };
      },
    };
    const routes = slackRoutes({
      interactions,
      settings: async () => ({ signingSecret: SECRET, teamId: TEAM, appId: APP }),
      clock: { now: () => now },
      log: logs.log,
    });
    app = createApp({ log: logs.log, mounts: [{ path: "/slack", routes }] });
  });

  const post = (body: string | Uint8Array, headers: Record<string, string>) =>
    app.request("/slack/events", { method: "POST", body, headers });
  const signed = (body: string, timestamp = TIMESTAMP, signature = sign(body, timestamp)) => ({
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  });

  it("Slack's documented example passes verification (then: slash commands are not used here)", async () => {
    const res = await post(DOC_BODY, signed(DOC_BODY, TIMESTAMP, DOC_SIGNATURE));

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "expected an interaction payload; slash commands and events are not used",
    });
    expect(handled).toEqual([]);
  });

  it.each([
    [
      "a tampered body",
      DOC_BODY.replace("roadrunner", "roadrunnex"),
      signed(DOC_BODY, TIMESTAMP, DOC_SIGNATURE),
    ],
    ["a timestamp 301 s old", DOC_BODY, signed(DOC_BODY, TIMESTAMP - 301)],
    ["a timestamp 301 s in the future", DOC_BODY, signed(DOC_BODY, TIMESTAMP + 301)],
    ["no signature header", DOC_BODY, { "x-slack-request-timestamp": String(TIMESTAMP) }],
    ["no timestamp header", DOC_BODY, { "x-slack-signature": DOC_SIGNATURE }],
    ["no headers at all", DOC_BODY, {}],
  ])("%s → 401, nothing parsed, nothing handled", async (_, body, headers) => {
    const res = await post(body, headers);

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "signature verification failed" });
    expect(handled).toEqual([]);
  });

  it("an unsigned body that is not even JSON → 401, not 400: the signature is checked before parsing", async () => {
    const res = await post("payload=%7B%7B%7Bnot-json", {});

    expect(res.status).toBe(401);
  });

  it("a correctly signed interaction reaches the listeners, the whole payload intact", async () => {
    const body = form(click({ extra: { kept: [1, 2] } }));

    const res = await post(body, signed(body));

    expect(res.status).toBe(200);
    expect(handled).toEqual([click({ extra: { kept: [1, 2] } })]);
  });

  it("a raw non-ASCII body (not percent-encoded) verifies over its UTF-8 bytes", async () => {
    const body = JSON.stringify(click());

    const res = await post(new TextEncoder().encode(body), {
      ...signed(body),
      "content-type": "application/json",
    });

    expect(res.status).toBe(200);
    expect(handled).toHaveLength(1);
  });

  it.each([
    ["another workspace", click({ team: { id: "T0OTHER", domain: "other" } }), "workspace"],
    ["another app", click({ api_app_id: "A0OTHER" }), "app"],
  ])("signed with our secret but for %s → 403, nothing handled", async (_, payload, what) => {
    const body = form(payload);

    const res = await post(body, signed(body));

    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: `this request is for another Slack ${what}` });
    expect(handled).toEqual([]);
  });

  it.each([
    ["malformed JSON", "payload=%7Bnot%20json"],
    ["an empty body", ""],
    ["a payload that is not an interaction", form({ hello: "world" })],
    ["an interaction type we do not use", form(click({ type: "message_action" }))],
  ])("signed but %s → 400 with a clear error, nothing handled", async (_, body) => {
    const res = await post(body, signed(body));

    expect(res.status).toBe(400);
    expect(await res.json()).toHaveProperty("error");
    expect(handled).toEqual([]);
  });

  it("a body over the cap → 413 before the signature is even looked at", async () => {
    const body = form(click({ padding: "x".repeat(70 * 1024) }));

    const declared = await post(body, signed(body));
    const streamed = await app.request("/slack/events", {
      method: "POST",
      body: new Blob([body]).stream(),
      headers: signed(body),
      duplex: "half",
    } as RequestInit);

    expect(declared.status).toBe(413);
    expect(streamed.status).toBe(413);
    expect(handled).toEqual([]);
  });

  it("other methods → 405", async () => {
    const res = await app.request("/slack/events");

    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("refusals are logged by kind, never with the body, the signature or the user's name", async () => {
    const body = form(click());
    await post(body, signed(body, TIMESTAMP - 301));
    await post(body.replace("Zo", "Xo"), signed(body));

    const text = logs.text();
    expect(logs.entries().map((e) => [e.msg, e.problem])).toEqual([
      ["slack: signature refused", "stale"],
      ["slack: signature refused", "mismatch"],
    ]);
    expect(text).not.toContain(sign(body, TIMESTAMP).slice(3));
    expect(text).not.toContain("payload");
    expect(text).not.toContain("roadrunner");
  });

  describe("through the Lambda function URL adapter (hono/aws-lambda)", () => {
    const lambdaEvent = (body: string, headers: Record<string, string>): LambdaEvent =>
      functionUrlEvent({
        method: "POST",
        path: "/slack/events",
        headers,
        body,
        base64: true,
        userAgent: "Slackbot 1.0",
        at: new Date(TIMESTAMP * 1000),
      });
    const invoke = (event: LambdaEvent) =>
      handle(app)(event, {} as LambdaContext) as Promise<APIGatewayProxyResult>;

    it("a base64-encoded non-ASCII body verifies over the decoded bytes", async () => {
      const body = JSON.stringify(click());

      const result = await invoke(lambdaEvent(body, { ...signed(body), "content-type": "application/json" }));

      expect(result.statusCode).toBe(200);
      expect(handled).toHaveLength(1);
      expect(handled[0]).toMatchObject({ user: { name: "Zoë Ünïcødé ✅" } });
    });

    it("the documented example, base64-encoded, still verifies; tampered, it does not", async () => {
      const ok = await invoke(lambdaEvent(DOC_BODY, signed(DOC_BODY, TIMESTAMP, DOC_SIGNATURE)));
      const tampered = await invoke(lambdaEvent(`${DOC_BODY}x`, signed(DOC_BODY, TIMESTAMP, DOC_SIGNATURE)));

      expect(ok.statusCode).toBe(400);
      expect(tampered.statusCode).toBe(401);
    });
  });
});
