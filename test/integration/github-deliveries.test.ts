import { beforeEach, describe, expect, it } from "vitest";
import { DynamoDeliveryLog } from "../../lambdas/aws/github-deliveries.js";
import { freshStore } from "../support/dynamo.js";

describe("DynamoDeliveryLog: X-GitHub-Delivery ids as conditional single items (dynalite)", () => {
  let now = 1_800_000_000_000;
  let log: DynamoDeliveryLog;
  let store: Awaited<ReturnType<typeof freshStore>>["store"];

  beforeEach(async () => {
    const fresh = await freshStore();
    store = fresh.store;
    log = new DynamoDeliveryLog(fresh.tableName, fresh.client, () => now);
  });

  it("20 concurrent claims of one id → exactly one wins", async () => {
    const wins = await Promise.all(Array.from({ length: 20 }, () => log.claim("d-1")));

    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it("done stays claimed; release frees the id for a redelivery", async () => {
    await log.claim("done-1");
    await log.done("done-1");
    await log.claim("failed-1");
    await log.release("failed-1");

    expect(await log.claim("done-1")).toBe(false);
    expect(await log.claim("failed-1")).toBe(true);
  });

  it("a claim left by a crash (still processing after a minute) can be taken over; a finished one cannot", async () => {
    await log.claim("crashed");
    await log.claim("finished");
    await log.done("finished");
    now += 61_000;

    expect(await log.claim("crashed")).toBe(true);
    expect(await log.claim("finished")).toBe(false);
  });

  it("a comment id is claimed once whatever delivery brings it, and apart from delivery ids", async () => {
    const first = await log.claimComment(123);
    await log.doneComment(123);
    const replay = await log.claimComment(123);
    await log.claimComment(456);
    await log.releaseComment(456);

    expect(first).toBe(true);
    expect(replay).toBe(false);
    expect(await log.claimComment(456)).toBe(true);
    expect(await log.claim("123")).toBe(true);
  });

  it("delivery items are invisible to the approval store", async () => {
    await log.claim("d-2");

    expect(await store.listOpen()).toEqual([]);
  });
});
