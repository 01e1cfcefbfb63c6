import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../bot/shared/hono-env.js";
import { createApp } from "../../lambdas/app.js";
import { EDGE_HEADER } from "../../lambdas/config-names.js";
import { edgeSecretValues, matchesAny, originCheck } from "../../lambdas/origin-check.js";
import { functionUrlEvent, lambdaContext } from "../support/function-url.js";
import { captureLogs } from "../support/logs.js";

const CURRENT = "c".repeat(40);
const PREVIOUS = "p".repeat(40);

/** The router with the origin check and one route that counts how often it ran. */
function router(accepted: () => Promise<readonly string[]>) {
  const logs = captureLogs();
  let reached = 0;
  const routes = new Hono<AppEnv>();
  routes.post("/events", (c) => {
    reached++;
    return c.text("ok");
  });
  const app = createApp({
    log: logs.log,
    mounts: [{ path: "/slack", routes }],
    guard: originCheck({ accepted, log: logs.log }),
  });
  const lambda = handle(app);
  const send = async (headers: Record<string, string>) => {
    const res = await lambda(
      functionUrlEvent({ method: "POST", path: "/slack/events", headers, body: "payload=%7B%7D" }),
      lambdaContext,
    );
    return { status: res.statusCode, body: res.body };
  };
  return { send, reached: () => reached };
}

describe("the edge's origin check on the function URL", () => {
  it("refuses a request without the edge's header with 403 and a short plain body, before the route", async () => {
    const r = router(async () => [CURRENT]);
    const res = await r.send({ "content-type": "application/x-www-form-urlencoded" });
    expect(res).toEqual({ status: 403, body: "Forbidden" });
    expect(r.reached()).toBe(0);
  });

  it("refuses a wrong value", async () => {
    const r = router(async () => [CURRENT]);
    expect((await r.send({ [EDGE_HEADER]: `${CURRENT}x` })).status).toBe(403);
    expect(r.reached()).toBe(0);
  });

  it("passes the right value through to the normal route", async () => {
    const r = router(async () => [CURRENT]);
    expect(await r.send({ [EDGE_HEADER]: CURRENT })).toEqual({ status: 200, body: "ok" });
    expect(r.reached()).toBe(1);
  });

  it("accepts the previous value during a rotation window", async () => {
    const r = router(async () => [CURRENT, PREVIOUS]);
    expect((await r.send({ [EDGE_HEADER]: PREVIOUS })).status).toBe(200);
  });

  it("fails closed when the secret cannot be read", async () => {
    const r = router(async () => {
      throw new Error("throttled");
    });
    expect((await r.send({ [EDGE_HEADER]: CURRENT })).status).toBe(503);
    expect(r.reached()).toBe(0);
  });
});

describe("matchesAny", () => {
  it("never matches an empty value, whatever is configured", () => {
    expect(matchesAny("", [CURRENT, ""])).toBe(false);
    expect(matchesAny(CURRENT, [PREVIOUS, CURRENT])).toBe(true);
  });
});

describe("edgeSecretValues", () => {
  it("reads current and previous, and re-reads after the cache time", async () => {
    let now = 0;
    let reads = 0;
    let secret = JSON.stringify({ current: CURRENT, previous: "" });
    const values = edgeSecretValues(
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:edge",
      async () => {
        reads++;
        return secret;
      },
      () => now,
      1000,
    );
    expect(await values()).toEqual([CURRENT]);
    secret = JSON.stringify({ current: PREVIOUS, previous: CURRENT });
    expect(await values()).toEqual([CURRENT]);
    now = 1000;
    expect(await values()).toEqual([PREVIOUS, CURRENT]);
    expect(reads).toBe(2);
  });

  it("rejects a secret whose current value is too short", async () => {
    const values = edgeSecretValues("arn", async () => JSON.stringify({ current: "short" }));
    await expect(values()).rejects.toThrow(/current/);
  });
});
