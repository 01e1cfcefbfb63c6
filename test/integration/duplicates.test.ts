import type { DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSyncHandler } from "../../lambdas/handlers/sync.js";
import { type AllChannels, startAllChannels } from "../../local/all-channels.js";
import { captureLogs } from "../support/logs.js";
import { putCalls } from "../support/simulator.js";

/**
 * Everything upstream delivers at least once: SNS, DynamoDB Streams, GitHub (redeliveries) and
 * Slack (retries). Each duplicate must end in one approval, one decision and one message per
 * channel — on the local stack with every channel wired.
 */
describe("duplicates everywhere → one decision, one message per channel", () => {
  let world: AllChannels;
  const posts = () => ({
    slack: world.slack.standIn.callsTo("chat.postMessage").length,
    comments: world.github.standIn.faults.count(/^POST .*\/issues\/\d+\/comments$/),
    checkRuns: world.github.standIn.faults.count(/^POST .*\/check-runs$/),
  });
  const accepted = () => putCalls(world.stack.simulator).filter((c) => c.outcome === "ok").length;

  beforeAll(async () => {
    world = await startAllChannels();
  });
  afterAll(() => world.stack.close());

  async function opened(): Promise<string> {
    const id = await world.open();
    await world.stack.settled();
    return id;
  }

  it("SNS delivers one notification five times at once → one record, one e-mail each, one post per channel", async () => {
    const before = posts();
    const event = world.notification();

    const summaries = await Promise.all(Array.from({ length: 5 }, () => world.stack.intake(event)));
    await world.stack.settled();

    const ids = new Set(summaries.flatMap((s) => [...s.opened, ...s.existing]));
    expect(ids.size).toBe(1);
    expect(summaries.flatMap((s) => s.opened)).toHaveLength(1);
    const views = await world.views([...ids][0] ?? "");
    expect(views.emails.map((e) => e.destination.to[0]).sort()).toEqual(["ana@acme.io", "bo@acme.io"]);
    expect(views.messages).toHaveLength(1);
    expect(views.comments).toHaveLength(1);
    expect(views.checkRuns).toHaveLength(1);
    expect(posts()).toEqual({
      slack: before.slack + 1,
      comments: before.comments + 1,
      checkRuns: before.checkRuns + 1,
    });
  });

  it("DynamoDB Streams delivers the same batch five times at once → nothing is posted again", async () => {
    const id = await opened();
    const before = posts();
    const emails = (await world.views(id)).emails.length;
    const { log } = captureLogs();
    const project = world.stack.store.listener;
    if (!project) throw new Error("no projector");
    const sync = makeSyncHandler({ project, log });
    const batch: DynamoDBStreamEvent = {
      Records: [
        { eventName: "MODIFY", dynamodb: { Keys: { pk: { S: `approval#${id}` } }, SequenceNumber: "7" } },
      ],
    };

    const results = await Promise.all(Array.from({ length: 5 }, () => sync(batch)));

    expect(results).toEqual(Array.from({ length: 5 }, () => ({ batchItemFailures: [] })));
    expect(posts()).toEqual(before);
    expect((await world.views(id)).emails).toHaveLength(emails);
  });

  it("Slack retries a click (X-Slack-Retry-Num 1 and 2) while the first is handled → one decision", async () => {
    const id = await opened();
    const click = await world.slackClick(id);
    const decided = accepted();
    const before = posts();

    const statuses = await Promise.all(
      ["", "1", "2"].map((n) =>
        world.post("/slack/events", {
          body: click.body,
          headers: {
            ...click.headers,
            ...(n ? { "x-slack-retry-num": n, "x-slack-retry-reason": "http_timeout" } : {}),
          },
        }),
      ),
    );
    await world.stack.settled();

    expect(statuses).toEqual([200, 200, 200]);
    expect(accepted()).toBe(decided + 1);
    expect((await world.stack.store.get(id))?.state).toBe("approved");
    expect(posts().slack).toBe(before.slack);
    expect((await world.views(id)).messages).toHaveLength(1);
  });

  it("GitHub redelivers a comment delivery (same X-GitHub-Delivery) three times at once → one decision, one reaction", async () => {
    const id = await opened();
    const delivery = await world.githubApprove(id);
    const decided = accepted();
    const reactions = () => world.github.standIn.faults.count(/\/reactions$/);
    const before = reactions();

    const statuses = await Promise.all([1, 2, 3].map(() => world.post("/github/webhooks", delivery)));
    await world.stack.settled();

    expect(statuses).toEqual([200, 200, 200]);
    expect(accepted()).toBe(decided + 1);
    expect(reactions()).toBe(before + 1);
    expect((await world.views(id)).comments).toHaveLength(1);
  });
});
