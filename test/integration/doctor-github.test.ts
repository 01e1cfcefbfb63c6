import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Finding } from "../../cli/doctor/check.js";
import { githubCheck } from "../../cli/doctor/github.js";
import { doctorFor } from "../../cli/doctor.js";
import { type LocalStackDescription, localTarget } from "../../cli/target.js";
import { parsePolicy } from "../../core/policy-yaml.js";
import type { GitHubStandIn } from "../../local/github/server.js";
import { APP_PERMISSIONS } from "../../local/github/shapes.js";
import {
  APP_ID,
  assertContract,
  INSTALLATION_ID,
  REPO,
  startInstalledStandIn,
  testPrivateKey,
} from "../support/github.js";

const OTHER = "acme/shop-api";
const TEAM = "acme/release-managers";
const policyText = `version: 1
people:
  - { name: Ana Lima, email: ana@acme.io, github: ana-lima }
rules:
  - name: web
    match: { pipeline: shop-web, stage: s, action: a }
    github: { repo: ${REPO}, approvers: { logins: [maintainer], team: ${TEAM} } }
  - name: api
    match: { pipeline: shop-api, stage: s, action: a }
    github: { repo: ${OTHER}, approvers: { logins: [maintainer] } }
`;

const ALL = [
  "github.secret",
  "github.app",
  "github.app.permissions",
  "github.app.events",
  `github.repo:${REPO}`,
  `github.repo.read:${REPO}`,
  `github.repo:${OTHER}`,
  `github.repo.read:${OTHER}`,
  `github.team:${TEAM}`,
  "github.user:maintainer",
  "github.user:ana-lima",
];

let github: GitHubStandIn;

/** A contract-checked stand-in with the App installed on both policy repositories. */
async function start(app: { permissions?: Record<string, string>; events?: string[] } = {}) {
  ({ github } = await startInstalledStandIn({ repos: [REPO, OTHER], ...app }));
  github.person("maintainer", { repo: REPO, role: "maintain" });
  github.person("ana-lima");
  github.teamMember(TEAM, "release-lead");
}

const description = (privateKey = testPrivateKey()): LocalStackDescription => ({
  region: "eu-west-1",
  outputs: { PublicUrl: "http://x", TableName: "t" },
  endpoints: {},
  githubApiUrl: github.url,
  secrets: { github: { appId: APP_ID, privateKey, webhookSecret: "w" } },
});

async function findings(desc = description()): Promise<Map<string, Finding>> {
  const ctx = {
    target: localTarget(desc, "test"),
    policy: parsePolicy(policyText),
    policyPath: "greenlight.yml",
    policyText,
  };
  return new Map((await githubCheck.run(ctx)).map((f) => [f.id, f]));
}

/** Every finding but `except` is ok. */
function othersOk(found: Map<string, Finding>, ...except: string[]) {
  const others = [...found.values()].filter((f) => !except.includes(f.id));
  expect(others.map((f) => [f.id, f.status])).toEqual(
    ALL.filter((id) => !except.includes(id)).map((id) => [id, "ok"]),
  );
}

afterEach(async () => {
  await github.close();
  assertContract(github.violations);
});

describe("doctor: GitHub against the stand-in", () => {
  describe("a healthy App", () => {
    beforeEach(() => start());

    it("reports every item ok", async () => {
      const found = await findings();
      expect([...found.keys()]).toEqual(ALL);
      expect([...found.values()].map((f) => f.status)).toEqual(Array(ALL.length).fill("ok"));
    });

    it("stops at a private key GitHub does not accept, with the step that makes a new one", async () => {
      const other = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      }).privateKey;
      const found = await findings(description(other));
      expect([...found.keys()]).toEqual(["github.secret", "github.app"]);
      expect(found.get("github.app")).toMatchObject({
        status: "problem",
        summary: /GitHub refused the App's JWT/,
        fix: /"Generate a private key"/,
      });
    });

    it("names a private key that is not a key at all, before asking GitHub", async () => {
      const found = await findings(description("not a PEM key"));
      expect([...found.keys()]).toEqual(["github.secret", "github.app"]);
      expect(found.get("github.app")).toMatchObject({
        status: "problem",
        summary: /^the private key cannot sign a JWT: /,
        fix: /"Generate a private key"/,
      });
    });

    it("names the repository the App is not installed on, with the install link, and checks the rest", async () => {
      github.uninstall(OTHER);
      const found = await findings();
      expect(found.get(`github.repo:${OTHER}`)).toEqual({
        id: `github.repo:${OTHER}`,
        status: "problem",
        summary: `the App is not installed on ${OTHER}`,
        fix: `install it: https://github.com/apps/greenlight/installations/new (choose acme, then ${OTHER})`,
      });
      // Not installed: its token cannot be had, so readability is not asked.
      othersOk(found, `github.repo:${OTHER}`, `github.repo.read:${OTHER}`);
      expect(found.has(`github.repo.read:${OTHER}`)).toBe(false);
    });

    it("reports a missing team and an unknown login on their own", async () => {
      github.state.teams.delete(TEAM.toLowerCase());
      github.state.users.delete("ana-lima");
      const found = await findings();
      expect(found.get(`github.team:${TEAM}`)).toMatchObject({
        status: "problem",
        summary: `there is no team ${TEAM} the App can see`,
        fix: /check the team slug in greenlight\.yml/,
      });
      expect(found.get("github.user:ana-lima")).toMatchObject({
        status: "problem",
        summary: "no GitHub user ana-lima",
        fix: /correct the login in greenlight\.yml/,
      });
      othersOk(found, `github.team:${TEAM}`, "github.user:ana-lima");
    });

    it("names an installation that has not accepted the App's new permissions", async () => {
      const { members: _members, ...older } = APP_PERMISSIONS;
      github.acceptedPermissions(INSTALLATION_ID, older);
      const found = await findings();
      for (const repo of [REPO, OTHER])
        expect(found.get(`github.repo:${repo}`)).toMatchObject({
          status: "problem",
          summary: `the installation on ${repo} has not been granted members: read`,
          fix: /review and accept the App's requested permissions/,
        });
      // Without members the installation token may not read the team: GitHub answers 403.
      expect(found.get(`github.team:${TEAM}`)).toMatchObject({
        status: "problem",
        summary: /lacks the members: read permission/,
        fix: /Members: read/,
      });
      othersOk(found, `github.repo:${REPO}`, `github.repo:${OTHER}`, `github.team:${TEAM}`);
    });
  });

  it("names a permission the App lacks, with the settings step", async () => {
    const { checks: _checks, ...lacking } = APP_PERMISSIONS;
    await start({ permissions: { ...lacking, checks: "read" } });
    const found = await findings();
    expect(found.get("github.app.permissions")).toEqual({
      id: "github.app.permissions",
      status: "problem",
      summary: "the App lacks checks: write (app.yml asks for it)",
      fix: expect.stringMatching(/Permissions & events: set checks: write, then accept the new permissions/),
    });
    // The installations hold what the App has: both lack it too.
    expect(found.get(`github.repo:${REPO}`)?.status).toBe("problem");
    othersOk(found, "github.app.permissions", `github.repo:${REPO}`, `github.repo:${OTHER}`);
  });

  it("names an event the App does not subscribe to", async () => {
    await start({ events: ["issue_comment"] });
    const found = await findings();
    expect(found.get("github.app.events")).toEqual({
      id: "github.app.events",
      status: "problem",
      summary: "the App does not subscribe to check_run (app.yml asks for it)",
      fix: expect.stringMatching(/Subscribe to events: tick check_run/),
    });
    othersOk(found, "github.app.events");
  });
});

describe("greenlight doctor with the GitHub check", () => {
  let dashboard: Server;
  beforeEach(() => start());
  afterEach(() => new Promise<void>((r) => dashboard.close(() => r())));

  it("exits 1 when a login is unknown, and 0 once it exists", async () => {
    dashboard = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(description()));
    });
    await new Promise<void>((r) => dashboard.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`;
    const policyPath = join(tmpdir(), `doctor-github-${process.pid}.yml`);
    await writeFile(policyPath, policyText);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {} };
    const cmd = doctorFor([githubCheck]);
    github.state.users.delete("ana-lima");
    expect(await cmd.run(["--policy", policyPath, "--local", url], io)).toBe(1);
    expect(out.join("\n")).toMatch(/PROBLEM {2}no GitHub user ana-lima\n\s+→ correct the login/);
    github.person("ana-lima");
    expect(await cmd.run(["--policy", policyPath, "--local", url], io)).toBe(0);
  });
});

describe("greenlight doctor --local: the stack creates the policy's approver teams on its stand-in", () => {
  it("a policy naming a team finds it on npm start's GitHub", async () => {
    const text = `version: 1
rules:
  - name: shop
    match: { pipeline: shop-web }
    github: { repo: acme/shop-web, approvers: { team: acme/release-managers } }
`;
    const { startStack } = await import("../../local/stack.js");
    const stack = await startStack({ policy: parsePolicy(text), github: {} });
    try {
      const findings = await githubCheck.run({
        target: localTarget(stack.describe(), "test"),
        policy: parsePolicy(text),
        policyPath: "greenlight.yml",
        policyText: text,
      });
      const team = findings.find((f) => f.id === "github.team:acme/release-managers");
      expect(team?.status).toBe("ok");
      expect(findings.filter((f) => f.status === "problem")).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
