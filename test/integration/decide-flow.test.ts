import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Actor, Verdict } from "../../core/approval.js";
import { decide } from "../../core/decide.js";
import { AlreadyDecided, ClosedElsewhere, Expired, VersionConflict } from "../../core/errors.js";
import { openApproval } from "../../core/open.js";
import type { Clock } from "../../core/ports.js";
import type { CodePipelineAdapter } from "../../lambdas/aws/codepipeline.js";
import type { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";
import type { CodePipelineSimulator } from "../../local/codepipeline/simulator.js";
import { testPolicy, testRequest } from "../support/approvals.js";
import { freshStore } from "../support/dynamo.js";
import { putCalls, startSimulator } from "../support/simulator.js";

const person = (i: number): Actor => ({ channel: "email", id: `person${i}@acme.io`, name: `Person ${i}` });

describe("deciding against dynalite and the CodePipeline simulator (real SDK both ways)", () => {
  let sim: CodePipelineSimulator;
  let pipeline: CodePipelineAdapter;
  let store: DynamoApprovalStore;
  let now: Date;
  const clock: Clock = { now: () => now };

  beforeEach(async () => {
    now = new Date("2026-11-29T20:22:00Z");
    ({ sim, pipeline } = await startSimulator({ now: () => now }));
    ({ store } = await freshStore());
  });
  afterEach(() => sim.close());

  async function open(quorum = 1) {
    const { token } = sim.startApproval({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
      expiresAt: "2026-12-06T20:22:00Z",
      revision: { commit: "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d", summary: "Add checkout (#42)" },
    });
    const request = testRequest({ token });
    const { approval } = await openApproval(
      { store, pipeline, clock, policy: testPolicy({ quorum }) },
      request,
    );
    return approval;
  }

  const deps = () => ({ store, pipeline, clock });

  it("100 concurrent mixed decisions (quorum 1) → one final state, one PutApprovalResult, everyone else told who won", async () => {
    const approval = await open();
    const verdicts: Verdict[] = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? "reject" : "approve"));

    const results = await Promise.allSettled(
      verdicts.map((verdict, i) =>
        decide(deps(), { approvalId: approval.id, actor: person(i), verdict, comment: `vote ${i}` }),
      ),
    );

    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(99);
    const winner = won[0];
    if (!winner) throw new Error("no winner");
    expect(["approved", "rejected"]).toContain(winner.outcome);
    const final = await store.get(approval.id);
    expect(final?.state).toBe(winner.outcome);
    for (const e of lost) {
      expect(e).toBeInstanceOf(AlreadyDecided);
      expect((e as AlreadyDecided).decision.by.principal).toBe(final?.decision?.by.principal);
    }
    const calls = putCalls(sim);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.outcome).toBe("ok");
    const run = sim.latestRun({ pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" });
    // The summary names the person who won (by the name people: gives), and only them.
    expect(run?.summary).toContain(`by ${final?.decision?.by.actor.name} via e-mail`);
  });

  it("quorum 2: the same person twice counts once; a second approver decides; one call", async () => {
    const approval = await open(2);

    const first = await decide(deps(), { approvalId: approval.id, actor: person(1), verdict: "approve" });
    const again = await decide(deps(), { approvalId: approval.id, actor: person(1), verdict: "approve" });
    expect(putCalls(sim)).toHaveLength(0);
    const second = await decide(deps(), {
      approvalId: approval.id,
      actor: person(2),
      verdict: "approve",
      comment: "ship it",
    });

    expect(first).toMatchObject({ outcome: "vote-recorded", approvals: 1, quorum: 2 });
    expect(again.outcome).toBe("already-voted");
    expect(second.outcome).toBe("approved");
    expect(putCalls(sim)).toHaveLength(1);
    const run = sim.latestRun({ pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" });
    expect(run?.summary).toBe("Approved by Person 1 via e-mail and Person 2 via e-mail: ship it");
  });

  it("quorum 2: one rejection ends it", async () => {
    const approval = await open(2);

    await decide(deps(), { approvalId: approval.id, actor: person(1), verdict: "approve" });
    const rejected = await decide(deps(), {
      approvalId: approval.id,
      actor: person(2),
      verdict: "reject",
      comment: "broken",
    });
    const late = decide(deps(), { approvalId: approval.id, actor: person(3), verdict: "approve" });

    expect(rejected.outcome).toBe("rejected");
    await expect(late).rejects.toBeInstanceOf(AlreadyDecided);
    expect(putCalls(sim)).toHaveLength(1);
    expect(
      sim.latestRun({ pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" })?.status,
    ).toBe("Failed");
  });

  it("an approval past its expiresAt (item still there) is refused with no pipeline call, and recorded expired", async () => {
    const approval = await open();
    now = new Date("2026-12-06T20:22:00Z");

    const attempt = decide(deps(), { approvalId: approval.id, actor: person(1), verdict: "approve" });

    await expect(attempt).rejects.toBeInstanceOf(Expired);
    expect(putCalls(sim)).toHaveLength(0);
    expect((await store.get(approval.id))?.state).toBe("expired");
  });

  it("answered in the AWS console → ApprovalAlreadyCompleted → closed-elsewhere, told to the person", async () => {
    const approval = await open();
    sim.completeInConsole({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
      status: "Approved",
    });

    const attempt = decide(deps(), { approvalId: approval.id, actor: person(1), verdict: "approve" });

    await expect(attempt).rejects.toBeInstanceOf(ClosedElsewhere);
    const stored = await store.get(approval.id);
    expect(stored).toMatchObject({ state: "closed-elsewhere", closedReason: "already-completed" });
  });

  it("the run was stopped and abandoned → InvalidApprovalToken → closed-elsewhere (invalid-token)", async () => {
    const approval = await open();
    sim.stopExecution("shop-web", approval.context.executionId ?? "");

    const attempt = decide(deps(), {
      approvalId: approval.id,
      actor: person(1),
      verdict: "reject",
      comment: "old",
    });

    await expect(attempt).rejects.toBeInstanceOf(ClosedElsewhere);
    expect(await store.get(approval.id)).toMatchObject({
      state: "closed-elsewhere",
      closedReason: "invalid-token",
    });
  });

  it("the pipeline was deleted → not found → closed-elsewhere (pipeline-not-found)", async () => {
    const approval = await open();
    await store.update({ ...approval, request: { ...approval.request, pipeline: "shop-deleted" } });

    const attempt = decide(deps(), { approvalId: approval.id, actor: person(1), verdict: "approve" });

    await expect(attempt).rejects.toBeInstanceOf(ClosedElsewhere);
    expect(await store.get(approval.id)).toMatchObject({
      state: "closed-elsewhere",
      closedReason: "pipeline-not-found",
    });
  });

  it.each(["ThrottlingException", "InternalFailure", "ServiceUnavailable"])(
    "%s leaves the decision in deciding (recoverable), then a redelivery sends it exactly once",
    async (fault) => {
      const approval = await open();
      sim.failNext("PutApprovalResult", fault, 1);

      const result = await decide(deps(), { approvalId: approval.id, actor: person(1), verdict: "approve" });
      const stuck = await store.get(approval.id);
      const retry = decide(deps(), {
        approvalId: approval.id,
        actor: person(2),
        verdict: "reject",
        comment: "x",
      });

      expect(result.outcome).toBe("delivery-pending");
      expect(stuck?.state).toBe("deciding");
      expect(stuck?.decision?.by.principal).toBe("person:Person 1");
      await expect(retry).rejects.toBeInstanceOf(AlreadyDecided);
      expect(putCalls(sim).filter((c) => c.outcome === "ok")).toHaveLength(0);

      // What the sweeper does (issue 8): deliver the recorded decision.
      const { deliver } = await import("../../core/decide.js");
      const delivered = await deliver(deps(), stuck ?? approval);
      expect(delivered.outcome).toBe("approved");
      expect(putCalls(sim).filter((c) => c.outcome === "ok")).toHaveLength(1);
      expect((await store.get(approval.id))?.state).toBe("approved");
    },
  );

  it("a reply lost after CodePipeline applied the result is recognised as ours, not closed-elsewhere", async () => {
    const approval = await open();
    sim.failNext("PutApprovalResult", "ECONNRESET", 1, { afterApplying: true });

    const result = await decide(deps(), { approvalId: approval.id, actor: person(1), verdict: "approve" });
    const { deliver } = await import("../../core/decide.js");
    const stuck = await store.get(approval.id);
    const redelivered = stuck?.state === "deciding" ? await deliver(deps(), stuck) : result;

    expect(redelivered.outcome).toBe("approved");
    expect((await store.get(approval.id))?.state).toBe("approved");
    expect(
      sim.latestRun({ pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" })?.answer?.via,
    ).toBe("api");
  });

  it("a store that keeps losing conditional writes surfaces VersionConflict instead of spinning", async () => {
    const approval = await open();
    const flaky = {
      get: (id: string) => store.get(id),
      create: store.create.bind(store),
      update: async () => {
        throw new VersionConflict(approval.id, 0);
      },
    };

    const attempt = decide(
      { store: flaky, pipeline, clock },
      { approvalId: approval.id, actor: person(1), verdict: "approve" },
    );

    await expect(attempt).rejects.toBeInstanceOf(VersionConflict);
    expect(putCalls(sim)).toHaveLength(0);
  });
});
