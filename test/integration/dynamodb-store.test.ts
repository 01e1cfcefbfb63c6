import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { VersionConflict } from "../../core/errors.js";
import { castVote, markDelivered } from "../../core/state-machine.js";
import type { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";
import { NOW, testApproval } from "../support/approvals.js";
import { freshStore } from "../support/dynamo.js";

describe("DynamoApprovalStore (dynalite, real SDK)", () => {
  let store: DynamoApprovalStore;
  let setup: Awaited<ReturnType<typeof freshStore>>;

  beforeEach(async () => {
    setup = await freshStore();
    store = setup.store;
  });

  it("creates once and returns the stored record on a second create", async () => {
    const approval = testApproval();
    const first = await store.create(approval);
    const second = await store.create({ ...approval, history: [] });

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.approval).toEqual(approval);
    expect(await store.get(approval.id)).toEqual(approval);
  });

  it("returns undefined for an unknown id", async () => {
    expect(await store.get("no-such-approval")).toBeUndefined();
  });

  it("bumps the version on update and refuses a write from a stale read", async () => {
    const approval = testApproval();
    await store.create(approval);
    const read = await store.get(approval.id);
    if (!read) throw new Error("not stored");

    const updated = await store.update({ ...read, channels: { slack: { ts: "1.2" } } });
    const stale = store.update({ ...read, channels: { slack: { ts: "9.9" } } });

    expect(updated.version).toBe(1);
    await expect(stale).rejects.toBeInstanceOf(VersionConflict);
    expect((await store.get(approval.id))?.channels).toEqual({ slack: { ts: "1.2" } });
  });

  it("refuses to update a record that does not exist", async () => {
    await expect(store.update(testApproval())).rejects.toBeInstanceOf(VersionConflict);
  });

  it("stores TTL as expiry plus retention, and never the link token itself", async () => {
    const approval = testApproval();
    await store.create({
      ...approval,
      links: { "ana@acme.io": { hash: "h4sh", issuedAt: NOW.toISOString() } },
    });

    const raw = await setup.client.send(
      new GetCommand({ TableName: setup.tableName, Key: { pk: `approval#${approval.id}` } }),
    );

    const expiresS = Date.parse(approval.request.expiresAt) / 1000;
    expect(raw.Item?.ttl).toBe(expiresS + 90 * 86_400);
    expect(raw.Item?.openKey).toBe("open");
  });

  it("finds approvals by execution and lists only the open ones", async () => {
    const open = testApproval({ context: { executionId: "exec-1" } });
    const done = testApproval({ request: { token: "11111111-2222-4333-8444-555555555555" } });
    await store.create(open);
    await store.create(done);
    const { approval: deciding } = castVote(
      done,
      {
        principal: "email:person1@acme.io",
        verdict: "approve",
        actor: { channel: "email", id: "person1@acme.io" },
        at: NOW.toISOString(),
      },
      NOW,
    );
    const written = await store.update(deciding);
    await store.update(markDelivered(written, NOW));

    expect((await store.findByExecution("shop-web", "exec-1")).map((a) => a.id)).toEqual([open.id]);
    expect(await store.findByExecution("shop-web", "exec-2")).toEqual([]);
    expect((await store.listOpen()).map((a) => a.id)).toEqual([open.id]);
  });
});
