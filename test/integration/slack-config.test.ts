import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InvalidInput } from "../../core/errors.js";
import { loadSlackConfig, loadSocketModeSettings } from "../../lambdas/config-slack.js";
import { stubEnvs } from "../support/env.js";

const SECRET = {
  signingSecret: "8f742231b10e8888abcd99yyyzzz85a5",
  botToken: "xoxb-1234-5678-abcdefghijkl",
  appId: "A0GREENLT",
  teamId: "T0ACME001",
};
const LOCAL = {
  SLACK_SIGNING_SECRET: SECRET.signingSecret,
  SLACK_BOT_TOKEN: SECRET.botToken,
  SLACK_APP_ID: SECRET.appId,
  SLACK_TEAM_ID: SECRET.teamId,
};

describe("Slack configuration", () => {
  it("absent → Slack is not configured (no route, no channel)", () => {
    expect(loadSlackConfig({})).toBeUndefined();
  });

  it("locally: the four Slack variables, plus the stand-in's URL", async () => {
    const config = loadSlackConfig({ ...LOCAL, GREENLIGHT_SLACK_API_URL: "http://127.0.0.1:9/api/" });

    expect(await config?.settings()).toEqual({ ...SECRET, apiUrl: "http://127.0.0.1:9/api/" });
  });

  it.each([
    ["a missing variable", { ...LOCAL, SLACK_TEAM_ID: undefined }, "SLACK_TEAM_ID"],
    ["a user token instead of the bot token", { ...LOCAL, SLACK_BOT_TOKEN: "xoxp-123" }, "SLACK_BOT_TOKEN"],
    ["a short signing secret", { ...LOCAL, SLACK_SIGNING_SECRET: "short" }, "SLACK_SIGNING_SECRET"],
  ])("%s → an error naming the variable, never its value", (_, env, name) => {
    let error: unknown;
    try {
      loadSlackConfig(env);
    } catch (e: unknown) {
      error = e;
    }

    expect(error).toBeInstanceOf(InvalidInput);
    expect(error).toMatchObject({ field: name });
    expect(String(error)).not.toContain("xoxp-123");
    expect(String(error)).not.toContain("short");
  });

  it("Socket Mode only when SLACK_APP_TOKEN is set, and then it needs the bot token", () => {
    expect(loadSocketModeSettings(LOCAL)).toBeUndefined();
    expect(loadSocketModeSettings({ ...LOCAL, SLACK_APP_TOKEN: "xapp-1-A0-1-abc" })).toEqual({
      appToken: "xapp-1-A0-1-abc",
      botToken: SECRET.botToken,
      appId: SECRET.appId,
      teamId: SECRET.teamId,
    });
    expect(() => loadSocketModeSettings({ SLACK_APP_TOKEN: "xapp-1" })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => loadSocketModeSettings({ ...LOCAL, SLACK_APP_TOKEN: SECRET.botToken })).toThrow(/xapp-/);
  });

  describe("on AWS: one Secrets Manager secret, read once through the real SDK", () => {
    let server: Server;
    let requests: { target: string | undefined; body: string }[];
    let secretString: string;

    beforeEach(async () => {
      requests = [];
      secretString = JSON.stringify(SECRET);
      // Secrets Manager speaks JSON 1.1: POST / with X-Amz-Target: secretsmanager.GetSecretValue.
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => {
          body += c;
        });
        req.on("end", () => {
          requests.push({ target: req.headers["x-amz-target"]?.toString(), body });
          res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
          res.end(
            JSON.stringify({
              ARN: "arn:aws:secretsmanager:us-east-2:1:secret:slack",
              SecretString: secretString,
            }),
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
      stubEnvs({
        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AWS_REGION: "us-east-2",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      });
    });
    afterEach(async () => {
      vi.unstubAllEnvs();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("reads the secret at most once per container", async () => {
      const config = loadSlackConfig({
        GREENLIGHT_SLACK_SECRET_ARN: "arn:aws:secretsmanager:us-east-2:1:secret:slack",
      });

      const [first, second] = await Promise.all([config?.settings(), config?.settings()]);
      const third = await config?.settings();

      expect(first).toEqual(SECRET);
      expect(second).toBe(first);
      expect(third).toBe(first);
      expect(requests).toHaveLength(1);
      expect(requests[0]?.target).toBe("secretsmanager.GetSecretValue");
      expect(JSON.parse(requests[0]?.body ?? "{}")).toEqual({
        SecretId: "arn:aws:secretsmanager:us-east-2:1:secret:slack",
      });
    });

    it("a secret missing a key → an error naming the key; the next call reads again", async () => {
      secretString = JSON.stringify({ ...SECRET, botToken: undefined });
      const config = loadSlackConfig({ GREENLIGHT_SLACK_SECRET_ARN: "arn:slack" });

      await expect(config?.settings()).rejects.toMatchObject({
        source: "GREENLIGHT_SLACK_SECRET_ARN",
        field: "secret key botToken",
      });
      secretString = JSON.stringify(SECRET);
      await expect(config?.settings()).resolves.toEqual(SECRET);
      expect(requests).toHaveLength(2);
    });

    it("a secret that is not JSON → a clear error without its content", async () => {
      secretString = "xoxb-not-json";
      const config = loadSlackConfig({ GREENLIGHT_SLACK_SECRET_ARN: "arn:slack" });

      const error = await config?.settings().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(InvalidInput);
      expect(String(error)).toContain("expected a JSON secret");
      expect(String(error)).not.toContain("xoxb-not-json");
    });
  });
});
