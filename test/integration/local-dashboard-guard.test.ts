import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../local/stack.js";
import { linksByRecipient, requestApproval, testStack } from "../support/stack.js";

interface Answer {
  status: number;
  body: string;
}

/** A raw HTTP request, so the test sets Host and Origin as a browser under DNS rebinding would. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/**
 * docs/security.md (issue 14, item 5): `/local/inbox` shows live link tokens, and the dashboard starts
 * runs and presses buttons. A rebound DNS name, another site or a form post must get nothing.
 */
describe("the local dashboard answers only its own pages (Host, Origin, JSON)", () => {
  let stack: Stack;
  let port: string;
  let token: string;

  beforeAll(async () => {
    stack = await testStack();
    port = new URL(stack.url).port;
    await requestApproval(stack);
    const link = [...(await linksByRecipient(stack)).values()][0] ?? "";
    token = new URL(link).searchParams.get("t") ?? "";
  });
  afterAll(() => stack.close());

  const inbox = (headers: Record<string, string>) => send(`${stack.url}/local/inbox`, { headers });

  it.each(["localhost", "127.0.0.1", "[::1]"])("Host %s (with the port) is served", async (name) => {
    const res = await inbox({ host: `${name}:${port}` });

    expect(res.status).toBe(200);
    expect(res.body).toContain(token);
  });

  it.each([
    "evil.example",
    "localhost.evil.example",
    "127.0.0.1.nip.io",
    "attacker.localhost.evil",
    "192.168.1.20",
  ])("Host %j:port (a rebound name, or the LAN address) → 403 with a reason, and no token", async (name) => {
    const res = await inbox({ host: `${name}:${port}` });

    expect(res.status).toBe(403);
    expect(res.body).not.toContain(token);
    expect(JSON.parse(res.body).error).toMatch(/answers only to localhost, 127\.0\.0\.1 or \[::1\]/);
  });

  it.each([
    "http://evil.example",
    "http://localhost:{another port}",
    "https://127.0.0.1:{port}",
    "http://127.0.0.1",
    "null",
  ])("a foreign Origin %s → 403 on a read too", async (pattern) => {
    const origin = pattern.replace("{another port}", String(Number(port) + 1)).replace("{port}", port);

    const res = await inbox({ host: `127.0.0.1:${port}`, origin });

    expect(res.status).toBe(403);
    expect(res.body).not.toContain(token);
    expect(JSON.parse(res.body).error).toContain("requests from another site are refused");
  });

  it("the dashboard's own Origin is served", async () => {
    const res = await inbox({ host: `localhost:${port}`, origin: `http://localhost:${port}` });

    expect(res.status).toBe(200);
  });

  it.each([
    ["text/plain", "{}"],
    ["application/x-www-form-urlencoded", "failAt="],
    ["multipart/form-data; boundary=x", "--x--"],
    [undefined, ""],
  ])("a POST as %s (what a form or no-cors fetch can send) → 415, nothing started", async (type, body) => {
    const runs = stack.simulator.runs("shop-web").length;

    const res = await send(`${stack.url}/local/pipelines/shop-web/runs`, {
      method: "POST",
      headers: { host: `127.0.0.1:${port}`, ...(type ? { "content-type": type } : {}) },
      body,
    });

    expect(res.status).toBe(415);
    expect(JSON.parse(res.body).error).toBe("POST a JSON body, with Content-Type: application/json");
    expect(stack.simulator.runs("shop-web")).toHaveLength(runs);
  });

  it("a JSON POST from the dashboard's origin reaches the route", async () => {
    const res = await send(`${stack.url}/local/pipelines/shop-web/runs`, {
      method: "POST",
      headers: {
        host: `127.0.0.1:${port}`,
        origin: `http://127.0.0.1:${port}`,
        "content-type": "application/json; charset=utf-8",
      },
      body: "{}",
    });

    // This stack runs no pipelines: the route itself answers, past the guard.
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body).error).toBe("this stack runs no pipelines");
  });
});
