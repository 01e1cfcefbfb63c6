import { ScanCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AllChannels, startAllChannels } from "../../local/all-channels.js";
import { TABLE } from "../../local/stack.js";
import { putCalls } from "../support/simulator.js";
import { requestArbitrary } from "./requests.js";

/**
 * Random methods, paths, headers and bodies against the whole router, with every channel wired
 * (e-mail, Slack and GitHub on their stand-ins): oversized bodies, wrong content types, broken
 * encodings, forged and even correctly signed garbage. The answer is never a 5xx, and no approval,
 * CodePipeline, Slack message or GitHub comment changes. Deterministic: a fixed seed.
 */
describe("route fuzz over the router (all channels)", () => {
  let world: AllChannels;
  let approvalId: string;
  let realToken: string;

  beforeAll(async () => {
    world = await startAllChannels();
    approvalId = await world.open();
    await world.stack.settled();
    realToken = (await world.emailLink(approvalId)).searchParams.get("t") ?? "";
  });
  afterAll(() => world.stack.close());

  /** Approval records and what every channel shows; the GitHub delivery log may take claims. */
  async function snapshot(): Promise<string> {
    // The stack's own client and table: no credentials or table name written out here.
    const out = await world.stack.dynamoClient.send(
      new ScanCommand({ TableName: TABLE, ConsistentRead: true }),
    );
    const approvals = (out.Items ?? []).filter((i) => i.pk?.S?.startsWith("approval#"));
    const { messages, comments, checkRuns } = await world.views(approvalId);
    return JSON.stringify({
      approvals,
      messages,
      comments,
      checkRuns,
      calls: world.slack.standIn.calls.length,
    });
  }

  it("never answers 5xx and never changes state", async () => {
    const before = await snapshot();
    const calls = putCalls(world.stack.simulator).length;
    const secrets = {
      slack: world.slack.standIn.signingSecret,
      github: world.github.webhookSecret,
      now: () => Math.floor(Date.now() / 1000),
    };

    await fc.assert(
      fc.asyncProperty(requestArbitrary(approvalId, secrets), async (r) => {
        const res = await world.stack.app.request(r.path, {
          method: r.method,
          headers: r.headers,
          ...(r.method === "GET" || r.method === "HEAD" ? {} : { body: r.body }),
        });
        await res.arrayBuffer();
        expect(res.status, `${r.method} ${r.path} → ${res.status}`).toBeLessThan(500);
      }),
      { numRuns: 500, seed: 20261129 },
    );
    await world.stack.settled();

    expect(await snapshot()).toBe(before);
    expect(putCalls(world.stack.simulator)).toHaveLength(calls);
    // The real token was never guessed, so the one real approval is still waiting.
    expect((await world.stack.store.get(approvalId))?.state).toBe("pending");
    expect(realToken).toHaveLength(43);
  });
});
