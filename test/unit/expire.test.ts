import { describe, expect, it } from "vitest";
import type { Approval } from "../../core/approval.js";
import { VersionConflict } from "../../core/errors.js";
import { expireApproval } from "../../core/expire.js";
import { castVote, markDelivered } from "../../core/state-machine.js";
import { ANA, anApproval, aVote, EXPIRES_AT } from "./builders.js";
import { FakeClock, MemoryStore } from "./fakes.js";

const AFTER = "2026-12-06T20:23:00.000Z";

function world(at: string, change: (a: Approval) => Approval = (a) => a) {
  const store = new MemoryStore();
  const clock = new FakeClock(at);
  const approval = store.seed(change(anApproval()));
  return { store, clock, approval };
}

const deciding = (a: Approval) => castVote(a, aVote(ANA), new Date("2026-12-01T10:00:00Z")).approval;

describe("expireApproval", () => {
  it("marks a pending approval past its expiry as expired", async () => {
    // Prepare
    const { store, clock, approval } = world(AFTER);

    // Act
    const result = await expireApproval({ store, clock }, approval.id);

    // Assess
    expect(result?.state).toBe("expired");
    expect(result?.version).toBe(1);
    expect(result?.history.at(-1)).toEqual({ at: AFTER, event: "expired" });
    expect(store.peek(approval.id)).toEqual(result);
  });

  it("expires at the expiry minute itself", async () => {
    const { store, clock, approval } = world(EXPIRES_AT);

    expect((await expireApproval({ store, clock }, approval.id))?.state).toBe("expired");
  });

  it("leaves an approval that is not due yet alone, writing nothing", async () => {
    const { store, clock, approval } = world("2026-12-06T20:21:59.999Z");

    const result = await expireApproval({ store, clock }, approval.id);

    expect(result).toEqual(approval);
    expect(store.calls.update).toBe(0);
  });

  it("leaves a deciding approval to the sweeper's delivery", async () => {
    const { store, clock, approval } = world(AFTER, deciding);

    const result = await expireApproval({ store, clock }, approval.id);

    expect(result?.state).toBe("deciding");
    expect(store.calls.update).toBe(0);
  });

  it("leaves a decided approval alone", async () => {
    const { store, clock, approval } = world(AFTER, (a) => markDelivered(deciding(a), new Date(AFTER)));

    expect((await expireApproval({ store, clock }, approval.id))?.state).toBe("approved");
    expect(store.calls.update).toBe(0);
  });

  it("returns undefined for an unknown approval", async () => {
    const { store, clock } = world(AFTER);

    expect(await expireApproval({ store, clock }, "nope")).toBeUndefined();
  });

  it("retries after a conflicting write", async () => {
    const { store, clock, approval } = world(AFTER);
    let interfered = false;
    store.beforeUpdate = async () => {
      if (interfered) return;
      interfered = true;
      await store.writeAsSomeoneElse(approval.id, (a) => ({ ...a, channels: { slack: { ts: "1.2" } } }));
    };

    const result = await expireApproval({ store, clock }, approval.id);

    expect(result).toMatchObject({ state: "expired", version: 2, channels: { slack: { ts: "1.2" } } });
    expect(store.calls.update).toBe(2);
  });

  it("gives up with VersionConflict when the store keeps losing, instead of spinning", async () => {
    const { store, clock, approval } = world(AFTER);
    store.alwaysConflict = true;

    const error = await expireApproval({ store, clock }, approval.id).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VersionConflict);
    expect(store.calls.update).toBe(50);
    expect(store.peek(approval.id)?.state).toBe("pending");
  });

  it("gives way to a decision that lands first", async () => {
    const { store, clock, approval } = world(AFTER);
    store.beforeUpdate = async () => {
      store.beforeUpdate = undefined;
      await store.writeAsSomeoneElse(approval.id, deciding);
    };

    const result = await expireApproval({ store, clock }, approval.id);

    expect(result?.state).toBe("deciding");
    expect(store.peek(approval.id)?.state).toBe("deciding");
  });
});
