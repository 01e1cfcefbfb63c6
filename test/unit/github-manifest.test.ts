import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const manifest: unknown = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8"));
const get = (key: string): unknown =>
  typeof manifest === "object" && manifest !== null ? Reflect.get(manifest, key) : undefined;

describe("app.yml: the GitHub App asks only for what Greenlight uses (SECURITY.md 21)", () => {
  it("subscribes to exactly the two events the app handles", () => {
    expect(get("default_events")).toEqual(["issue_comment", "check_run"]);
  });

  it("writes only checks and pull requests; reads contents, metadata and team membership", () => {
    expect(get("default_permissions")).toEqual({
      checks: "write",
      pull_requests: "write",
      contents: "read",
      metadata: "read",
      members: "read",
    });
  });

  it("is private and points its webhook at /github/webhooks", () => {
    expect(get("public")).toBe(false);
    expect(JSON.stringify(get("hook_attributes"))).toContain("/github/webhooks");
  });
});
