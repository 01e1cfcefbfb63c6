import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { MemoryDeliveryLog } from "../../bot/github/deliveries.js";
import { lazyGitHubApp } from "../../bot/github/probot.js";
import { githubRoutes } from "../../bot/github/routes.js";
import { TestOctokit, testPrivateKey } from "../support/github.js";
import { captureLogs } from "../support/logs.js";
import { githubSignature } from "../support/sign.js";

/**
 * Properties of GitHub's webhook verification as the route runs it (size cap → `sha256=` →
 * Probot's HMAC over the raw body, fail closed): never a 5xx or a throw, every correctly signed
 * delivery accepted, any single-byte change to the body or the signature refused (401).
 */
const SECRET = "property-test-webhook-secret-0123";
const RUNS = { numRuns: 150, seed: 20261130 };
const utf8 = new TextEncoder();

const logs = captureLogs();
const deliveries = new MemoryDeliveryLog();
const routes = githubRoutes({
  github: lazyGitHubApp({
    settings: async () => ({ appId: 1, privateKey: testPrivateKey(), webhookSecret: SECRET }),
    log: logs.log,
    Octokit: TestOctokit,
  }),
  deliveries,
  log: logs.log,
  maxBodyBytes: 64 * 1024,
});

const sign = (body: Uint8Array) => githubSignature(SECRET, body);
const post = (body: Uint8Array, headers: Record<string, string>) =>
  routes.request("/webhooks", { method: "POST", headers, body });
const ping = (signature: string) => ({
  "content-type": "application/json",
  "x-github-event": "ping",
  "x-github-delivery": randomUUID(),
  "x-hub-signature-256": signature,
});

// GitHub sends UTF-8 JSON, never an empty body (which is refused even when signed: fail closed).
// U+FFFD is left out: bytes that are not UTF-8 decode to it, so a changed byte next to one could
// decode to the same text (the same payload, so nothing to refuse).
const body = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 400 })
  .filter((s) => !s.includes("\uFFFD"))
  .map((s) => utf8.encode(s));

describe("GitHub webhook verification through the route: properties", () => {
  beforeAll(async () => {
    // Load Probot once, outside the properties' time.
    await post(utf8.encode("{}"), ping(sign(utf8.encode("{}"))));
  });

  it("never answers 5xx or throws, whatever the headers and body", async () => {
    const header = fc.option(
      fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^sha256=[0-9a-f]{0,70}$/)),
    );
    const event = fc.constantFrom("ping", "issue_comment", "check_run", "push", "", "ISSUE_COMMENT", "a b");
    await fc.assert(
      fc.asyncProperty(body, header, event, fc.boolean(), async (b, signature, name, signed) => {
        const headers: Record<string, string> = { "x-github-event": name, "x-github-delivery": randomUUID() };
        const sig = signed ? sign(b) : signature;
        if (sig !== null) headers["x-hub-signature-256"] = sig;
        const res = await post(b, headers);
        expect(res.status).toBeLessThan(500);
      }),
      RUNS,
    );
  });

  it("accepts every delivery signed as GitHub signs", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        expect((await post(b, ping(sign(b)))).status).toBe(202);
      }),
      RUNS,
    );
  });

  it("refuses any single-byte change to the body", async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.nat(), fc.integer({ min: 1, max: 255 }), async (b, at, delta) => {
        const tampered = Uint8Array.from(b);
        const i = at % tampered.length;
        tampered[i] = ((tampered[i] ?? 0) + delta) % 256;
        expect((await post(tampered, ping(sign(b)))).status).toBe(401);
      }),
      RUNS,
    );
  });

  it("refuses any single-character change to the signature", async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.nat(),
        fc.constantFrom(..."0123456789abcdefABCDEF=:s-x "),
        async (b, at, c) => {
          const signature = sign(b);
          const i = at % signature.length;
          fc.pre(signature[i] !== c);
          const tampered = `${signature.slice(0, i)}${c}${signature.slice(i + 1)}`;
          expect((await post(b, ping(tampered))).status).toBe(401);
        },
      ),
      RUNS,
    );
    expect(logs.text()).not.toContain(SECRET);
  });
});
