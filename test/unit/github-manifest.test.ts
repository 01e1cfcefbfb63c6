import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

type Level = "read" | "write";
type Grant = Record<string, Level>;
/** Any one of the alternatives is enough (GitHub: "at least one of the following permission sets"). */
type Requirement = Grant[];

const manifest: unknown = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8"));
const get = (key: string): unknown =>
  typeof manifest === "object" && manifest !== null ? Reflect.get(manifest, key) : undefined;
const events = (): string[] => {
  const value = get("default_events");
  return Array.isArray(value) ? value.map(String) : [];
};
const permissions = (): Grant => {
  const value = get("default_permissions");
  const out: Grant = {};
  if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) if (v === "read" || v === "write") out[k] = v;
  return out;
};

/**
 * The permission GitHub documents for each webhook event a GitHub App subscribes to. Source:
 * GitHub Docs, "Webhook events and payloads" (docs.github.com/en/webhooks/webhook-events-and-payloads),
 * each event's "To subscribe to this event, a GitHub App must have …" line; the same sentence is in
 * the `summary` of each webhook in @octokit/openapi-webhooks, which the last test reads to keep this
 * table honest. check_run: "To receive the rerequested and requested_action event types, the app
 * must have at least write-level access for the Checks permission" — we need requested_action.
 */
const EVENT_PERMISSION: Record<string, Grant> = {
  issue_comment: { issues: "read" },
  check_run: { checks: "write" },
  check_suite: { checks: "write" },
  pull_request: { pull_requests: "read" },
  pull_request_review: { pull_requests: "read" },
  push: { contents: "read" },
  issues: { issues: "read" },
};

/**
 * The permission each REST operation the app calls needs, from the "Fine-grained access tokens for
 * …" section of each operation's page in GitHub's REST reference (docs.github.com/en/rest/...):
 * issues/comments, reactions, pulls, commits, collaborators, teams/members, checks/runs. Keyed by
 * Octokit's `rest.<scope>.<method>` name; operations the app does not call yet (compare, get a PR)
 * are listed so the client can start using them without a manifest change going unnoticed.
 */
const OPERATION_PERMISSION: Record<string, Requirement> = {
  // Authenticated as the app (a JWT), not as an installation: no installation permission applies.
  "apps.getRepoInstallation": [{}],
  "repos.listPullRequestsAssociatedWithCommit": [{ contents: "read", pull_requests: "read" }],
  "repos.getCommit": [{ contents: "read" }],
  "repos.compareCommits": [{ contents: "read" }],
  "repos.compareCommitsWithBasehead": [{ contents: "read" }],
  "repos.getCollaboratorPermissionLevel": [{ metadata: "read" }],
  "pulls.listCommits": [{ pull_requests: "read" }],
  "pulls.get": [{ pull_requests: "read" }],
  "issues.listComments": [{ issues: "read" }, { pull_requests: "read" }],
  "issues.createComment": [{ issues: "write" }, { pull_requests: "write" }],
  "issues.updateComment": [{ issues: "write" }, { pull_requests: "write" }],
  "reactions.createForIssueComment": [{ issues: "write" }, { pull_requests: "write" }],
  "checks.listForRef": [{ checks: "read" }],
  "checks.create": [{ checks: "write" }],
  "checks.update": [{ checks: "write" }],
  "teams.getMembershipForUserInOrg": [{ members: "read" }],
};

/** Every `octokit.rest.<scope>.<method>` the app's GitHub code calls (read from its source). */
function operationsUsed(): string[] {
  const dir = new URL("../../bot/github/", import.meta.url);
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts")))
    for (const m of readFileSync(new URL(file, dir), "utf8").matchAll(/\.rest\.(\w+)\.(\w+)/g))
      found.add(`${m[1]}.${m[2]}`);
  return [...found].sort();
}

const covers = (granted: Grant, need: Grant) =>
  Object.entries(need).every(([k, level]) => granted[k] === "write" || granted[k] === level);
const satisfied = (granted: Grant, requirement: Requirement) => requirement.some((g) => covers(granted, g));

/** Everything the app needs: its events and the operations it calls. */
function requirements(): { what: string; requirement: Requirement }[] {
  return [
    ...events().map((e) => ({
      what: `event ${e}`,
      requirement: [EVENT_PERMISSION[e] ?? { unknown: "write" }],
    })),
    ...operationsUsed().map((op) => ({
      what: `call ${op}`,
      requirement: OPERATION_PERMISSION[op] ?? [{ unknown: "write" } satisfies Grant],
    })),
  ];
}

describe("app.yml: the GitHub App asks only for what Greenlight uses (docs/security.md#21-the-github-app-asks-for-little)", () => {
  it("subscribes to the two events the app handles, and never to installation events (always delivered)", () => {
    expect(events()).toEqual(["issue_comment", "check_run"]);
    expect(events().some((e) => e.startsWith("installation"))).toBe(false);
  });

  it("grants every subscribed event the permission GitHub documents for it", () => {
    const granted = permissions();
    for (const event of events()) {
      const need = EVENT_PERMISSION[event];
      expect(need, `no documented permission recorded for ${event}`).toBeDefined();
      expect(covers(granted, need ?? {}), `${event} needs ${JSON.stringify(need)}`).toBe(true);
    }
  });

  it("grants every REST operation the app calls (a new call without its permission fails here)", () => {
    const granted = permissions();
    const used = operationsUsed();
    expect(used.length).toBeGreaterThan(5);
    for (const op of used) {
      expect(OPERATION_PERMISSION[op], `${op}: add its documented permission to the table`).toBeDefined();
      expect(satisfied(granted, OPERATION_PERMISSION[op] ?? []), `${op} is not granted`).toBe(true);
    }
  });

  it("asks for no permission nothing uses: dropping or downgrading any one breaks an event or a call", () => {
    const granted = permissions();
    const needs = requirements();
    for (const [name, level] of Object.entries(granted)) {
      const weaker: Grant = { ...granted };
      if (level === "write") weaker[name] = "read";
      else delete weaker[name];
      const broken = needs.filter((n) => !satisfied(weaker, n.requirement)).map((n) => n.what);
      expect(broken, `${name}: ${level} is more than anything needs`).not.toEqual([]);
    }
  });

  it("matches GitHub's own wording in @octokit/openapi-webhooks for every subscribed event", () => {
    const spec: unknown = JSON.parse(
      readFileSync(
        new URL(
          "../../node_modules/@octokit/openapi-webhooks/generated/api.github.com.json",
          import.meta.url,
        ),
        "utf8",
      ),
    );
    const webhooks = Object(Reflect.get(Object(spec), "webhooks"));
    const label: Record<string, string> = {
      issues: "Issues",
      checks: "Checks",
      pull_requests: "Pull requests",
    };
    for (const event of events()) {
      const key = Object.keys(webhooks).find((k) => k.startsWith(`${event.replaceAll("_", "-")}-`));
      const summary = String(
        Reflect.get(Object(Reflect.get(Object(webhooks[key ?? ""]), "post")), "summary"),
      );
      for (const [name, level] of Object.entries(EVENT_PERMISSION[event] ?? {})) {
        expect(summary).toContain(`"${label[name]}"`);
        if (level === "write") expect(summary).toContain(`write-level access for the "${label[name]}"`);
        else expect(summary).toContain(`read-level access for the "${label[name]}"`);
      }
    }
  });

  it("the README lists the same permissions as the manifest", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const line = /Permissions exactly as listed:([^\n]*(?:\n {5}[^\n]*)*)/.exec(readme)?.[1] ?? "";
    const named: Record<string, string> = {
      checks: "Checks",
      pull_requests: "Pull requests",
      issues: "Issues",
      contents: "Contents",
      metadata: "Metadata",
      members: "Members",
    };
    for (const [name, level] of Object.entries(permissions()))
      expect(line).toContain(`${named[name]} ${level}`);
    expect(readme).toContain("*Issue comment* and *Check run*");
  });

  it("is private and points its webhook at /github/webhooks", () => {
    expect(get("public")).toBe(false);
    expect(JSON.stringify(get("hook_attributes"))).toContain("/github/webhooks");
  });
});
