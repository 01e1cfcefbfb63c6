import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { DynamoPullRequestIndex } from "../../lambdas/aws/github-pr-index.js";
import { freshStore } from "../support/dynamo.js";

const DAY_S = 86_400;

describe("DynamoPullRequestIndex: a PR's approvals and who was answered, as single items (dynalite)", () => {
  let fresh: Awaited<ReturnType<typeof freshStore>>;
  let index: DynamoPullRequestIndex;

  beforeEach(async () => {
    fresh = await freshStore();
    index = new DynamoPullRequestIndex({
      tableName: fresh.tableName,
      client: fresh.client,
      retentionDays: 1,
    });
  });

  const ttlOf = async (pk: string) => {
    const { Item } = await fresh.client.send(
      new GetItemCommand({ TableName: fresh.tableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
    );
    return Number(Item?.ttl?.N);
  };

  it("collects approval ids per PR, repository names case-insensitively, other PRs apart", async () => {
    await index.add("acme/shop-web", 42, ["a1"], "2026-12-06T20:22:00Z");
    await index.add("Acme/Shop-Web", 42, ["a2", "a1"], "2026-12-06T20:22:00Z");
    await index.add("acme/shop-web", 43, ["a3"], "2026-12-06T20:22:00Z");

    expect((await index.approvalsOn("ACME/shop-web", 42)).toSorted()).toEqual(["a1", "a2"]);
    expect(await index.approvalsOn("acme/shop-web", 43)).toEqual(["a3"]);
    expect(await index.approvalsOn("acme/shop-web", 44)).toEqual([]);
  });

  it("the PR item lives as long as its longest-lived approval (TTL = expiry + retention, never earlier)", async () => {
    await index.add("acme/shop-web", 42, ["late"], "2026-12-30T00:00:00Z");
    await index.add("acme/shop-web", 42, ["early"], "2026-12-01T00:00:00Z");

    expect(await ttlOf("github-pr#acme/shop-web#42")).toBe(Date.parse("2026-12-30T00:00:00Z") / 1000 + DAY_S);
    expect((await index.approvalsOn("acme/shop-web", 42)).toSorted()).toEqual(["early", "late"]);
  });

  it("a reply is first once per approval, login and reason, even with 20 at the same time", async () => {
    const until = "2026-12-06T20:22:00Z";
    const wins = await Promise.all(
      Array.from({ length: 20 }, () => index.first("a1", "drive-by", "not-approver", until)),
    );

    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await index.first("a1", "Drive-By", "not-approver", until)).toBe(false);
    expect(await index.first("a1", "drive-by", "self-approval", until)).toBe(true);
    expect(await index.first("a2", "drive-by", "not-approver", until)).toBe(true);
    expect(await ttlOf("github-replied#a1#drive-by#not-approver")).toBe(Date.parse(until) / 1000 + DAY_S);
  });

  it("its items are invisible to the approval store (no index attributes)", async () => {
    await index.add("acme/shop-web", 42, ["a1"], "2026-12-06T20:22:00Z");
    await index.first("a1", "drive-by", "not-approver", "2026-12-06T20:22:00Z");

    expect(await fresh.store.listOpen()).toEqual([]);
  });
});
