import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { OUTSIDE_VARIABLES } from "../support/outside-variables.js";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("tests are hermetic: the developer's Slack, GitHub and AWS settings never reach them", () => {
  it("probe: none of the outside variables is set, and the SDK has no config file or metadata to fall back on", () => {
    expect(OUTSIDE_VARIABLES.filter((name) => process.env[name] !== undefined)).toEqual([]);
    expect(Object.keys(process.env).filter((k) => k.startsWith("AWS_ENDPOINT_URL_"))).toEqual([]);
    expect(process.env.AWS_EC2_METADATA_DISABLED).toBe("true");
    expect(process.env.AWS_SHARED_CREDENTIALS_FILE).toContain("greenlight-tests-no-aws-config");
  });

  it("with real-looking tokens exported in the shell, the check above still holds in a fresh run", () => {
    const exported = {
      SLACK_BOT_TOKEN: "xoxb-developer-real-token",
      SLACK_APP_TOKEN: "xapp-developer-real-token",
      GREENLIGHT_GITHUB_APP_ID: "12345",
      GREENLIGHT_GITHUB_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----",
      AWS_PROFILE: "production-admin",
      AWS_ENDPOINT_URL_DYNAMODB: "https://dynamodb.eu-west-1.amazonaws.com",
    };
    const run = spawnSync(
      "npx",
      ["vitest", "run", "test/unit/hermetic.test.ts", "-t", "probe", "--coverage.enabled=false"],
      { cwd: ROOT, env: { ...process.env, ...exported, CI: "true" }, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.stdout + run.stderr).toMatch(/1 passed/);
    expect(run.status).toBe(0);
  }, 60_000);
});
