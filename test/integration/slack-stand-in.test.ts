import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackStandIn } from "../../local/slack/server.js";

const section = (text: string) => [{ type: "section", text: { type: "mrkdwn", text } }];

describe("the Slack stand-in answers what Slack documents", () => {
  let slack: SlackStandIn;
  let client: WebClient;
  /** A raw Web API call, to see the HTTP status and body the SDK would hide. */
  const call = async (method: string, args: Record<string, unknown>) => {
    const res = await fetch(`${slack.apiUrl}${method}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${slack.botToken}`,
        "content-type": "application/json; charset=utf-8",
      },
      body: JSON.stringify(args),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeEach(async () => {
    slack = await SlackStandIn.start();
    slack.addUser("U0MARIA01", "maria", "Maria Souza", "maria@acme.io");
    slack.addChannel("C0DEPLOYS1", { name: "deploys" });
    client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(() => slack.close());

  it("chat.postMessage: HTTP 200 { ok: false, error } for a channel the bot is not in, an unknown or archived one", async () => {
    slack.addChannel("C0NOTINVIT", { name: "elsewhere", invited: false });
    slack.addChannel("C0PRIVATE1", { name: "secret", invited: false, isPrivate: true });
    slack.addChannel("C0ARCHIVE1", { name: "old" }).archiveChannel("C0ARCHIVE1");

    const answers = await Promise.all(
      ["C0NOTINVIT", "C0PRIVATE1", "C0MISSING1", "C0ARCHIVE1"].map((channel) =>
        call("chat.postMessage", { channel, text: "hi" }),
      ),
    );

    expect(answers).toEqual([
      { status: 200, body: { ok: false, error: "not_in_channel" } },
      { status: 200, body: { ok: false, error: "channel_not_found" } },
      { status: 200, body: { ok: false, error: "channel_not_found" } },
      { status: 200, body: { ok: false, error: "is_archived" } },
    ]);
  });

  it("a channel by name resolves to its id; with chat:write.public a public channel needs no invitation", async () => {
    slack.addChannel("C0NOTINVIT", { name: "elsewhere", invited: false });

    const byName = await client.chat.postMessage({ channel: "#deploys", text: "hi" });
    slack.scopes.add("chat:write.public");
    const publicPost = await call("chat.postMessage", { channel: "C0NOTINVIT", text: "hi" });

    expect(byName.channel).toBe("C0DEPLOYS1");
    expect(publicPost.body.ok).toBe(true);
  });

  it("blocks over a limit: invalid_blocks with Slack's json-pointer messages", async () => {
    const answer = await call("chat.postMessage", {
      channel: "C0DEPLOYS1",
      text: "t",
      blocks: section("x".repeat(3001)),
    });

    expect(answer).toEqual({
      status: 200,
      body: {
        ok: false,
        error: "invalid_blocks",
        errors: ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
        response_metadata: {
          messages: ["[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
        },
      },
    });
  });

  it("text over 40,000 characters: posted, truncated, with the message_truncated warning", async () => {
    const answer = await call("chat.postMessage", { channel: "C0DEPLOYS1", text: "y".repeat(40_001) });

    expect(answer.body).toMatchObject({ ok: true, response_metadata: { warnings: ["message_truncated"] } });
    expect(slack.messages("C0DEPLOYS1")[0]?.text).toHaveLength(40_000);
  });

  it("scopes come from the app manifest; a missing one answers missing_scope with needed and provided", async () => {
    expect([...slack.scopes].sort()).toEqual([
      "chat:write",
      "usergroups:read",
      "users:read",
      "users:read.email",
    ]);
    slack.scopes.delete("users:read");

    const answer = await call("users.info", { user: "U0MARIA01" });

    expect(answer).toEqual({
      status: 200,
      body: {
        ok: false,
        error: "missing_scope",
        needed: "users:read",
        provided: "chat:write,usergroups:read,users:read.email",
      },
    });
  });

  it("users.info: profile.email with users:read.email, none without; user_not_found for a stranger", async () => {
    const withEmail = await client.users.info({ user: "U0MARIA01" });
    slack.scopes.delete("users:read.email");
    const withoutEmail = await client.users.info({ user: "U0MARIA01" });
    const stranger = await call("users.info", { user: "U0NOBODY1" });

    expect(withEmail.user?.profile?.email).toBe("maria@acme.io");
    expect(withoutEmail.user?.profile).not.toHaveProperty("email");
    expect(stranger.body).toEqual({ ok: false, error: "user_not_found" });
  });

  it("chat.update in an archived channel: is_inactive", async () => {
    const posted = await client.chat.postMessage({ channel: "C0DEPLOYS1", text: "hi" });
    slack.archiveChannel("C0DEPLOYS1");

    const answer = await call("chat.update", { channel: "C0DEPLOYS1", ts: posted.ts, text: "edited" });

    expect(answer.body).toEqual({ ok: false, error: "is_inactive" });
  });
});
