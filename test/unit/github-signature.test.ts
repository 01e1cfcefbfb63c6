import { describe, expect, it } from "vitest";
import { MemoryDeliveryLog } from "../../bot/github/deliveries.js";
import { lazyGitHubApp } from "../../bot/github/probot.js";
import { githubRoutes } from "../../bot/github/routes.js";
import { signWebhook } from "../../local/github/webhooks.js";
import { TestOctokit, testPrivateKey } from "../support/github.js";
import { captureLogs } from "../support/logs.js";
import { githubSignature } from "../support/sign.js";

// GitHub's documented example ("Validating webhook deliveries"), docs/security.md#18-every-github-delivery-is-verified.
const DOC_SECRET = "It's a Secret to Everybody";
const DOC_PAYLOAD = "Hello, World!";
const DOC_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

function routes() {
  const logs = captureLogs();
  const privateKey = testPrivateKey();
  const github = lazyGitHubApp({
    settings: async () => ({
      appId: 1,
      privateKey,
      webhookSecret: DOC_SECRET,
      baseUrl: "http://127.0.0.1:9",
    }),
    log: logs.log,
    Octokit: TestOctokit,
  });
  const deliveries = new MemoryDeliveryLog();
  return {
    app: githubRoutes({ github, deliveries, log: logs.log, maxBodyBytes: 1024 }),
    logs,
    github,
    deliveries,
  };
}

const post = (app: ReturnType<typeof routes>["app"], body: string, signature?: string, id = "d-1") =>
  app.request("/webhooks", {
    method: "POST",
    headers: {
      "x-github-delivery": id,
      "x-github-event": "issue_comment",
      ...(signature !== undefined ? { "x-hub-signature-256": signature } : {}),
    },
    body,
  });

describe("GitHub webhook signatures (X-Hub-Signature-256)", () => {
  it("our signer reproduces GitHub's documented example", () => {
    expect(signWebhook(DOC_SECRET, DOC_PAYLOAD)).toBe(DOC_SIGNATURE);
  });

  it("the tests' signer reproduces it too, over text and over the same bytes", () => {
    expect(githubSignature(DOC_SECRET, DOC_PAYLOAD)).toBe(DOC_SIGNATURE);
    expect(githubSignature(DOC_SECRET, new TextEncoder().encode(DOC_PAYLOAD))).toBe(DOC_SIGNATURE);
  });

  it("Probot's verifier accepts GitHub's documented example", async () => {
    const { probot } = await routes().github();

    expect(await probot.webhooks.verify(DOC_PAYLOAD, DOC_SIGNATURE)).toBe(true);
  });

  it("the route accepts the documented signature (then refuses the body: it is not JSON, 400 not 401)", async () => {
    const { app } = routes();

    const res = await post(app, DOC_PAYLOAD, DOC_SIGNATURE);

    expect(res.status).toBe(400);
  });

  it.each([
    ["tampered body", "Hello, World?", DOC_SIGNATURE],
    ["truncated signature", DOC_PAYLOAD, DOC_SIGNATURE.slice(0, -1)],
    ["signature of another body", DOC_PAYLOAD, signWebhook(DOC_SECRET, "Hello, World")],
    ["upper-case hex", DOC_PAYLOAD, DOC_SIGNATURE.toUpperCase().replace("SHA256", "sha256")],
    ["empty signature", DOC_PAYLOAD, ""],
    ["no signature header", DOC_PAYLOAD, undefined],
    ["empty body", "", DOC_SIGNATURE],
  ])("%s → 401, fail closed, nothing claimed", async (_what, body, signature) => {
    const { app, deliveries, logs } = routes();

    const res = await post(app, body, signature);

    expect(res.status).toBe(401);
    expect(await deliveries.claim("d-1")).toBe(true); // the id was never used up
    expect(logs.text()).not.toContain(DOC_SIGNATURE.slice(7));
  });

  it("an oversized body is refused before the HMAC (413)", async () => {
    const { app, logs } = routes();

    const res = await post(app, "x".repeat(2048), DOC_SIGNATURE);

    expect(res.status).toBe(413);
    expect(logs.text()).toContain("github: webhook body over the size limit ignored");
  });
});
