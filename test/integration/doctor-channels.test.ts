import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { channelChecks } from "../../cli/doctor/channel-checks.js";
import type { Finding } from "../../cli/doctor/check.js";
import { githubCheck } from "../../cli/doctor/github.js";
import { slackCheck } from "../../cli/doctor/slack.js";
import { doctorFor } from "../../cli/doctor.js";
import { type LocalStackDescription, localTarget } from "../../cli/target.js";
import { parsePolicy } from "../../core/policy-yaml.js";
import { manifestScopes, SlackStandIn } from "../../local/slack/server.js";
import { BO, CHANNEL, GROUP, MARIA } from "../support/slack.js";

const PRIVATE = "G0PRIVATE1";
const policyText = `version: 1
people:
  - { name: maria, slack: ${MARIA.id} }
rules:
  - name: prod
    match: { pipeline: p, stage: s, action: a }
    slack:
      channel: ${CHANNEL}
      approvers: { users: [${BO.id}], group: ${GROUP} }
  - name: private
    match: { pipeline: p, stage: s, action: b }
    slack: { channel: ${PRIVATE}, approvers: { users: [${BO.id}] } }
`;

let slack: SlackStandIn;

/** The workspace as a healthy install leaves it, plus the read scopes the doctor's channel check uses. */
async function startWorkspace(scopes = [...manifestScopes(), "channels:read", "groups:read"]) {
  slack = await SlackStandIn.start({ scopes });
  slack.addUser(MARIA.id, MARIA.name).addUser(BO.id, BO.name).setGroup(GROUP, "release-managers", [BO.id]);
  slack.addChannel(CHANNEL, { name: "deploys" }).addChannel(PRIVATE, { name: "ops", isPrivate: true });
}

function description(
  secrets: LocalStackDescription["secrets"] = { slack: slackSecret() },
): LocalStackDescription {
  return {
    region: "eu-west-1",
    outputs: { PublicUrl: "http://x", TableName: "t" },
    endpoints: {},
    slackApiUrl: slack.apiUrl,
    secrets,
  };
}
const slackSecret = (overrides: Record<string, unknown> = {}) => ({
  botToken: slack.botToken,
  signingSecret: slack.signingSecret,
  appId: slack.workspace.identity.appId,
  teamId: slack.workspace.identity.teamId,
  ...overrides,
});

async function slackFindings(desc = description(), text = policyText): Promise<Map<string, Finding>> {
  const ctx = {
    target: localTarget(desc, "test"),
    policy: parsePolicy(text),
    policyPath: "greenlight.yml",
    policyText: text,
  };
  return new Map((await slackCheck.run(ctx)).map((f) => [f.id, f]));
}

beforeEach(() => startWorkspace());
afterEach(() => slack.close());

describe("doctor: Slack", () => {
  it("reports every item ok on a healthy workspace", async () => {
    const findings = await slackFindings();
    expect([...findings.keys()]).toEqual([
      "slack.secret",
      "slack.token",
      `slack.channel:${CHANNEL}`,
      `slack.channel:${PRIVATE}`,
      `slack.group:${GROUP}`,
      `slack.user:${BO.id}`,
      `slack.user:${MARIA.id}`,
    ]);
    expect([...findings.values()].map((f) => f.status)).toEqual(Array(7).fill("ok"));
  });

  it("names the channel the app was removed from, with the invite step, and still checks the rest", async () => {
    slack.setInvited(CHANNEL, false).setInvited(PRIVATE, false);
    const findings = await slackFindings();
    expect(findings.get(`slack.channel:${CHANNEL}`)).toMatchObject({
      status: "problem",
      summary: "the app is not in #deploys",
      fix: "in Slack, open #deploys and type /invite @Greenlight",
    });
    // A private channel the bot left is invisible to it: Slack answers channel_not_found.
    expect(findings.get(`slack.channel:${PRIVATE}`)).toMatchObject({
      status: "problem",
      fix: /\/invite @Greenlight/,
    });
    expect(findings.get(`slack.group:${GROUP}`)?.status).toBe("ok");
    expect(findings.get(`slack.user:${BO.id}`)?.status).toBe("ok");
  });

  it("stops at a bad token with the step that replaces it", async () => {
    const findings = await slackFindings(description({ slack: slackSecret({ botToken: "xoxb-revoked" }) }));
    expect(findings.get("slack.token")).toMatchObject({
      status: "problem",
      summary: "the bot token does not work: invalid_auth",
      fix: /OAuth & Permissions: copy the Bot User OAuth Token/,
    });
    expect(findings.size).toBe(2);
  });

  it("reports a missing user group and an unknown user on their own", async () => {
    slack.workspace.groups.delete(GROUP);
    slack.workspace.users.delete(MARIA.id);
    const findings = await slackFindings();
    expect(findings.get(`slack.group:${GROUP}`)).toMatchObject({
      status: "problem",
      summary: /no_such_subteam/,
    });
    expect(findings.get(`slack.user:${MARIA.id}`)).toMatchObject({
      status: "problem",
      summary: /user_not_found/,
    });
    expect(findings.get(`slack.user:${BO.id}`)?.status).toBe("ok");
    expect(findings.get(`slack.channel:${CHANNEL}`)?.status).toBe("ok");
  });

  it("names the scope to add when the token lacks one", async () => {
    await slack.close();
    await startWorkspace(manifestScopes().filter((s) => s !== "usergroups:read"));
    const findings = await slackFindings();
    expect(findings.get(`slack.group:${GROUP}`)).toMatchObject({
      status: "problem",
      summary: /lacks usergroups:read/,
      fix: /Bot Token Scopes: add usergroups:read, then reinstall/,
    });
    // The manifest does not ask for channels:read: membership cannot be seen, which is a warning.
    expect(findings.get(`slack.channel:${CHANNEL}`)).toMatchObject({
      status: "warning",
      summary: /channels:read/,
    });
  });

  it("reports a missing secret or a secret without a signing secret", async () => {
    expect((await slackFindings(description({}))).get("slack.secret")?.status).toBe("problem");
    const partial = await slackFindings(description({ slack: slackSecret({ signingSecret: "" }) }));
    expect(partial.get("slack.secret")).toMatchObject({ status: "problem", summary: /no signingSecret/ });
  });

  it("is skipped when no rule uses Slack", async () => {
    const text = `version: 1
rules:
  - { name: prod, match: { pipeline: p, stage: s, action: a }, email: { recipients: [ana@example.com] } }
`;
    expect([...(await slackFindings(description(), text)).values()]).toEqual([
      { id: "slack", status: "skipped", summary: "no rule in the policy uses Slack" },
    ]);
  });
});

describe("doctor: GitHub secret", () => {
  it("is skipped without GitHub rules and a problem when the secret lacks the private key", async () => {
    const ctxFor = (text: string, desc: LocalStackDescription) => ({
      target: localTarget(desc, "test"),
      policy: parsePolicy(text),
      policyPath: "greenlight.yml",
      policyText: text,
    });
    expect((await githubCheck.run(ctxFor(policyText, description())))[0]?.status).toBe("skipped");
    const gh = `version: 1
rules:
  - { name: prod, match: { pipeline: p, stage: s, action: a }, github: { repo: o/r, approvers: { logins: [ana] } } }
`;
    const bad = await githubCheck.run(ctxFor(gh, description({ github: { appId: 1, webhookSecret: "w" } })));
    expect(bad).toMatchObject([{ id: "github.secret", status: "problem", summary: /no privateKey/ }]);
    const good = await githubCheck.run(
      ctxFor(gh, description({ github: { appId: 1, privateKey: "k", webhookSecret: "w" } })),
    );
    expect(good[0]?.status).toBe("ok");
  });
});

describe("greenlight doctor with the channel checks", () => {
  let dashboard: Server;
  afterEach(() => new Promise<void>((r) => dashboard.close(() => r())));

  it("exits 1 when the app is not in a channel, and 0 once it is invited", async () => {
    // Plays `npm start`'s dashboard: /local/stack.json is what connectLocal reads.
    dashboard = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(description()));
    });
    await new Promise<void>((r) => dashboard.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`;
    const policyPath = join(tmpdir(), `doctor-channels-${process.pid}.yml`);
    await writeFile(policyPath, policyText);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {} };
    const cmd = doctorFor(channelChecks);
    slack.setInvited(CHANNEL, false);
    expect(await cmd.run(["--policy", policyPath, "--local", url], io)).toBe(1);
    expect(out.join("\n")).toMatch(/PROBLEM {2}the app is not in #deploys\n\s+→ in Slack, open #deploys/);
    slack.setInvited(CHANNEL, true);
    expect(await cmd.run(["--policy", policyPath, "--local", url], io)).toBe(0);
  });
});
