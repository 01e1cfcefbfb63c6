import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidInput } from "../../core/errors.js";
import { loadGitHubConfig } from "../../lambdas/config-github.js";
import { stubEnvs } from "../support/env.js";
import { testPrivateKey } from "../support/github.js";

const KEY = testPrivateKey();
const SECRET = "a-webhook-secret-of-some-length";
const ENV = {
  GREENLIGHT_GITHUB_APP_ID: "4242",
  GREENLIGHT_GITHUB_PRIVATE_KEY: KEY,
  GREENLIGHT_GITHUB_WEBHOOK_SECRET: SECRET,
};

describe("GitHub App configuration (lambdas/config-github.ts)", () => {
  it("not configured → undefined (GitHub off)", () => {
    expect(loadGitHubConfig({})).toBeUndefined();
  });

  it("from the environment; a key with literal \\n or base64 works too", async () => {
    const plain = await loadGitHubConfig(ENV)?.settings();
    const escaped = await loadGitHubConfig({
      ...ENV,
      GREENLIGHT_GITHUB_PRIVATE_KEY: KEY.replace(/\n/g, "\\n"),
    })?.settings();
    const base64 = await loadGitHubConfig({
      ...ENV,
      GREENLIGHT_GITHUB_PRIVATE_KEY: Buffer.from(KEY).toString("base64"),
      GREENLIGHT_GITHUB_API_URL: "http://127.0.0.1:3001/",
    })?.settings();

    expect(plain).toEqual({ appId: 4242, privateKey: KEY.trim(), webhookSecret: SECRET });
    expect(escaped?.privateKey).toBe(KEY.trim());
    expect(base64).toMatchObject({ privateKey: KEY.trim(), baseUrl: "http://127.0.0.1:3001" });
  });

  it.each([
    [{ GREENLIGHT_GITHUB_APP_ID: "4242" }, "GREENLIGHT_GITHUB_PRIVATE_KEY"],
    [{ ...ENV, GREENLIGHT_GITHUB_APP_ID: "my-app" }, "GREENLIGHT_GITHUB_APP_ID"],
    [{ ...ENV, GREENLIGHT_GITHUB_PRIVATE_KEY: "not a key" }, "GREENLIGHT_GITHUB_PRIVATE_KEY"],
    [{ ...ENV, GREENLIGHT_GITHUB_WEBHOOK_SECRET: "development" }, "GREENLIGHT_GITHUB_WEBHOOK_SECRET"],
  ])("a broken setting names the variable, never the value (%#)", (env, field) => {
    const attempt = () => loadGitHubConfig(env);

    expect(attempt).toThrow(InvalidInput);
    expect(attempt).toThrow(field);
    try {
      attempt();
    } catch (e: unknown) {
      expect(String(e)).not.toContain("my-app");
      expect(String(e)).not.toContain("not a key");
    }
  });

  describe("on AWS: one Secrets Manager secret, read once (the real SDK against a local endpoint)", () => {
    let url = "";
    let reads = 0;
    let secret = JSON.stringify({ appId: 4242, privateKey: KEY, webhookSecret: SECRET });
    const server = createServer((req, res) => {
      reads++;
      req.resume();
      req.on("end", () => {
        res.setHeader("content-type", "application/x-amz-json-1.1");
        res.end(
          JSON.stringify({
            ARN: "arn:aws:secretsmanager:us-east-2:1:secret:gh",
            Name: "gh",
            SecretString: secret,
          }),
        );
      });
    });
    beforeAll(async () => {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // The zero-config variables the SDK reads, as on AWS (endpoint aside).
      stubEnvs({
        AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
        AWS_REGION: "us-east-2",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      });
    });
    afterAll(async () => {
      vi.unstubAllEnvs();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it("reads the secret once, however often it is asked", async () => {
      const config = loadGitHubConfig({
        GREENLIGHT_GITHUB_SECRET_ARN: "arn:aws:secretsmanager:us-east-2:1:secret:gh",
      });
      reads = 0;

      const [a, b] = await Promise.all([config?.settings(), config?.settings()]);
      await config?.settings();

      expect(a).toEqual({ appId: 4242, privateKey: KEY.trim(), webhookSecret: SECRET });
      expect(b).toBe(a);
      expect(reads).toBe(1);
    });

    it("a secret missing a key fails with the key's name, and is read again next time", async () => {
      secret = JSON.stringify({ appId: 4242, privateKey: KEY });
      const config = loadGitHubConfig({ GREENLIGHT_GITHUB_SECRET_ARN: "arn:gh" });

      await expect(config?.settings()).rejects.toThrow("secret key webhookSecret");
      secret = JSON.stringify({ privateKey: KEY, webhookSecret: SECRET });
      await expect(config?.settings()).rejects.toThrow("secret key appId");
      const withEnvId = loadGitHubConfig({
        GREENLIGHT_GITHUB_SECRET_ARN: "arn:gh",
        GREENLIGHT_GITHUB_APP_ID: "99",
      });
      await expect(withEnvId?.settings()).resolves.toMatchObject({ appId: 99 });
    });
  });
});
