import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePolicyObject } from "../../core/policy.js";
import { startGitHubStandIn } from "../../local/github/server.js";
import type { Stack } from "../../local/stack.js";
import { requestApproval, testStack } from "../support/stack.js";

/**
 * `npm start` with a GitHub App's credentials uses the same wiring as the Lambdas (settings from
 * the environment, Probot, the delivery log) instead of the stand-in's. GitHub itself is out of
 * reach here, so its REST API is the stand-in, named through GREENLIGHT_GITHUB_API_URL as a GitHub
 * Enterprise server would be.
 */
describe("local stack with real GitHub App credentials", () => {
  let stack: Stack;
  let github: Awaited<ReturnType<typeof startGitHubStandIn>>;

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    github = await startGitHubStandIn({ autoPullAuthor: "dev-dana" });
    github.installApp({
      appId: 4242,
      slug: "greenlight",
      privateKey,
      installationId: 7,
      account: "acme",
      repos: ["acme/shop-web"],
    });
    const policy = parsePolicyObject({
      version: 1,
      rules: [
        {
          match: { pipeline: "shop-*" },
          github: { repo: "acme/shop-web", approvers: { logins: ["bo-chen"] } },
        },
      ],
    });
    stack = await testStack({
      policy,
      githubEnv: {
        GREENLIGHT_GITHUB_APP_ID: "4242",
        GREENLIGHT_GITHUB_PRIVATE_KEY: privateKey,
        GREENLIGHT_GITHUB_WEBHOOK_SECRET: randomBytes(24).toString("base64url"),
        GREENLIGHT_GITHUB_API_URL: github.url,
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await github?.close();
  });

  it("posts the status comment and the check run through the configured App, and mounts its webhook route", async () => {
    await requestApproval(stack);

    const comments = github.state.comments;
    const unsigned = await fetch(`${stack.url}/github/webhooks`, { method: "POST", body: "{}" });

    expect(comments.some((c) => c.body.includes("Greenlight"))).toBe(true);
    expect(github.state.checkRuns.map((r) => r.name)).toContain("Greenlight · production approval");
    expect(stack.github).toBeUndefined();
    expect(unsigned.status).toBe(401);
  });
});
