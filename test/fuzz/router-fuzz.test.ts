import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../local/stack.js";
import { putCalls } from "../support/simulator.js";
import { linksByRecipient, requestApproval, testStack } from "../support/stack.js";

/**
 * Random methods, paths, headers and bodies against the whole router: the answer is never a 5xx
 * and nothing changes in the table or at CodePipeline. Deterministic: a fixed seed.
 */
describe("route fuzz over the router", () => {
  let stack: Stack;
  let approvalId: string;
  let realToken: string;

  beforeAll(async () => {
    stack = await testStack();
    ({ approvalId } = await requestApproval(stack));
    const link = [...(await linksByRecipient(stack)).values()][0] ?? "";
    realToken = new URL(link).searchParams.get("t") ?? "";
  });
  afterAll(() => stack.close());

  async function snapshot(): Promise<string> {
    const client = new DynamoDBClient({
      endpoint: stack.dynamo.url,
      region: "us-east-2",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const out = await client.send(
      new ScanCommand({ TableName: "greenlight-approvals", ConsistentRead: true }),
    );
    return JSON.stringify(out.Items);
  }

  const method = fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
  const segment = fc.oneof(
    fc.constantFrom(
      "a",
      "slack",
      "events",
      "github",
      "webhooks",
      "healthz",
      "local",
      "..",
      "%2e%2e",
      "%00",
      "",
    ),
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
  );
  const path = fc.oneof(
    fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join("/")}`),
    fc.constant(null).map(() => `/a/${approvalId}`),
    fc.string({ maxLength: 60 }).map((t) => `/a/${approvalId}?t=${encodeURIComponent(t)}`),
    fc.constantFrom("/slack/events", "/github/webhooks", "/healthz", "/a/", "/a//x"),
  );
  const contentType = fc.constantFrom(
    "application/x-www-form-urlencoded",
    "application/json",
    "multipart/form-data; boundary=xyz",
    "text/plain; charset=latin1",
    "application/octet-stream",
    "",
  );
  const body = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")),
    fc.constantFrom(
      "t=&verdict=approve",
      "t=%ZZ&verdict=approve",
      "verdict=reject&comment=%E0%A4%A",
      '{"type":',
    ),
    fc
      .record({ t: fc.string({ maxLength: 50 }), verdict: fc.constantFrom("approve", "reject", "x") })
      .map((f) => new URLSearchParams(f).toString()),
    fc.nat({ max: 3 }).map((n) => "x".repeat(10_000 * (n + 1))),
  );

  it("never answers 5xx and never changes state", async () => {
    const before = await snapshot();
    const calls = putCalls(stack.simulator).length;

    await fc.assert(
      fc.asyncProperty(method, path, contentType, body, async (m, p, type, b) => {
        const hasBody = m !== "GET" && m !== "HEAD";
        const res = await stack.app.request(p, {
          method: m,
          headers: type ? { "content-type": type, "user-agent": "fuzz" } : { "user-agent": "fuzz" },
          ...(hasBody ? { body: b } : {}),
        });
        await res.arrayBuffer();
        expect(res.status, `${m} ${p} → ${res.status}`).toBeLessThan(500);
      }),
      { numRuns: 400, seed: 20261129 },
    );

    expect(await snapshot()).toBe(before);
    expect(putCalls(stack.simulator)).toHaveLength(calls);
    // The real token was never guessed, so the one real approval is still waiting.
    expect((await stack.store.get(approvalId))?.state).toBe("pending");
    expect(realToken).toHaveLength(43);
  });
});
