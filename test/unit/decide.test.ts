import { beforeEach, describe, expect, it } from "vitest";
import type { Actor, Approval, ChangeContext } from "../../core/approval.js";
import { type DecideDeps, type DecideInput, decide, deliver } from "../../core/decide.js";
import {
  AlreadyDecided,
  ClosedElsewhere,
  Expired,
  InvalidTransition,
  NotAllowed,
  NotFound,
  VersionConflict,
} from "../../core/errors.js";
import type { Rule } from "../../core/policy.js";
import { castVote, closeElsewhere, markExpired } from "../../core/state-machine.js";
import { ANA, ANA_ON_SLACK, anApproval, aVote, BOB, CARA, EXPIRES_AT, OCTOCAT } from "./builders.js";
import { FakeClock, FakePipeline, MemoryStore } from "./fakes.js";

const NOW = "2026-12-01T10:00:00.000Z";

interface World {
  store: MemoryStore;
  pipeline: FakePipeline;
  clock: FakeClock;
  deps: DecideDeps;
  approval: Approval;
}

function world(options: { rule?: Partial<Rule>; context?: Partial<ChangeContext> } = {}): World {
  const store = new MemoryStore();
  const pipeline = new FakePipeline();
  const clock = new FakeClock(NOW);
  const approval = store.seed(anApproval(options));
  return { store, pipeline, clock, deps: { store, pipeline, clock }, approval };
}

function input(w: World, actor: Actor, overrides: Partial<DecideInput> = {}): DecideInput {
  return { approvalId: w.approval.id, actor, verdict: "approve", ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e: unknown) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Put the seeded approval into a `deciding` state, decided by `actor`, as another writer would. */
async function decidedBy(
  w: World,
  actor: Actor,
  verdict: "approve" | "reject" = "approve",
): Promise<Approval> {
  return w.store.writeAsSomeoneElse(w.approval.id, (a) => {
    const vote = aVote(actor, { verdict, principal: `${actor.channel}:${actor.id}` });
    return castVote(a, vote, new Date(NOW)).approval;
  });
}

describe("decide: one approver", () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it("approves, tells CodePipeline once with the human's name, and records the delivery", async () => {
    // Act
    const result = await decide(w.deps, input(w, ANA, { comment: "  ship it  " }));

    // Assess
    expect(result.outcome).toBe("approved");
    expect(w.pipeline.results).toEqual([
      {
        pipeline: "shop-web",
        stage: "Approve",
        action: "StakeholderApproval",
        token: "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d",
        status: "Approved",
        summary: "Approved by Ana Lima via e-mail: ship it",
      },
    ]);
    const stored = w.store.peek(w.approval.id);
    expect(stored).toEqual(result.approval);
    expect(stored?.state).toBe("approved");
    expect(stored?.version).toBe(2);
    expect(stored?.decision).toMatchObject({
      verdict: "approve",
      by: { principal: "person:Ana Lima", actor: ANA, comment: "ship it", at: NOW },
      at: NOW,
      deliveredAt: NOW,
    });
    expect(stored?.history.map((h) => h.event)).toEqual(["opened", "approved-vote", "delivered-approved"]);
  });

  it("rejects and tells CodePipeline 'Rejected'", async () => {
    const result = await decide(w.deps, input(w, BOB, { verdict: "reject", comment: "checkout broken" }));

    expect(result.outcome).toBe("rejected");
    expect(result.approval.state).toBe("rejected");
    expect(w.pipeline.results).toHaveLength(1);
    expect(w.pipeline.results[0]).toMatchObject({
      status: "Rejected",
      summary: "Rejected by Bob Stone via e-mail: checkout broken",
    });
  });

  it("stores no comment when only blanks were typed", async () => {
    const result = await decide(w.deps, input(w, ANA, { comment: " \n " }));

    expect(result.approval.decision?.by).not.toHaveProperty("comment");
    expect(w.pipeline.results[0]?.summary).toBe("Approved by Ana Lima via e-mail");
  });

  it("throws NotFound for an unknown approval, calling nobody", async () => {
    const error = await rejection(decide(w.deps, { approvalId: "nope", actor: ANA, verdict: "approve" }));

    expect(error).toBeInstanceOf(NotFound);
    expect(error).toMatchObject({ approvalId: "nope" });
    expect(w.pipeline.results).toEqual([]);
  });

  it("refuses someone who is not an approver and writes nothing", async () => {
    const error = await rejection(decide(w.deps, input(w, { channel: "email", id: "mallory@acme.io" })));

    expect(error).toBeInstanceOf(NotAllowed);
    expect(error).toMatchObject({ reason: "not-an-approver" });
    expect(w.store.peek(w.approval.id)).toEqual(w.approval);
    expect(w.store.calls.update).toBe(0);
    expect(w.pipeline.results).toEqual([]);
  });
});

describe("decide: self-approval", () => {
  const authoredByOctocat = {
    pullRequest: { number: 42, author: "octocat" },
    authors: { logins: [], emails: [] },
  };

  it("refuses the author's approval", async () => {
    const w = world({ context: authoredByOctocat });

    const error = await rejection(decide(w.deps, input(w, OCTOCAT)));

    expect(error).toMatchObject({ reason: "self-approval" });
    expect(w.pipeline.results).toEqual([]);
    expect(w.store.peek(w.approval.id)?.state).toBe("pending");
  });

  it("accepts the author's rejection", async () => {
    const w = world({ context: authoredByOctocat });

    const result = await decide(w.deps, input(w, OCTOCAT, { verdict: "reject", comment: "not ready" }));

    expect(result.outcome).toBe("rejected");
  });

  it("accepts the author's approval when the policy allows it", async () => {
    const w = world({ context: authoredByOctocat, rule: { selfApproval: true } });

    const result = await decide(w.deps, input(w, OCTOCAT));

    expect(result.outcome).toBe("approved");
  });
});

describe("decide: high-risk confirmation", () => {
  const risky = {
    rule: { highRisk: { confirm: "commit-prefix" as const, length: 4 } },
    context: {
      commit: { sha: "9f86d081884c7d65" },
      authors: { logins: [], emails: [] },
      authorsResolvedAt: "2026-11-29T20:22:00.000Z",
    },
  };

  it("refuses a decision without the typed confirmation", async () => {
    const w = world(risky);

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toMatchObject({ reason: "confirmation-required" });
    expect(w.pipeline.results).toEqual([]);
  });

  it("accepts it with the first characters of the commit", async () => {
    const w = world(risky);

    const result = await decide(w.deps, input(w, ANA, { confirmation: "9F86" }));

    expect(result.outcome).toBe("approved");
  });
});

describe("decide: quorum of 2", () => {
  let w: World;
  beforeEach(() => {
    w = world({ rule: { quorum: 2 } });
  });

  it("records the first approval without telling CodePipeline", async () => {
    const result = await decide(w.deps, input(w, ANA));

    expect(result).toMatchObject({ outcome: "vote-recorded", approvals: 1, quorum: 2 });
    expect(result.approval.state).toBe("pending");
    expect(w.store.peek(w.approval.id)?.version).toBe(1);
    expect(w.pipeline.results).toEqual([]);
  });

  it("decides on a second person's approval and names both", async () => {
    await decide(w.deps, input(w, BOB, { comment: "fine by me" }));
    w.clock.advance(60_000);

    const result = await decide(w.deps, input(w, ANA, { comment: "ship it" }));

    expect(result.outcome).toBe("approved");
    expect(w.pipeline.results).toHaveLength(1);
    expect(w.pipeline.results[0]?.summary).toBe(
      "Approved by Bob Stone via e-mail and Ana Lima via e-mail: ship it",
    );
  });

  it("counts the same person twice once", async () => {
    await decide(w.deps, input(w, BOB));

    const result = await decide(w.deps, input(w, BOB, { comment: "again" }));

    expect(result.outcome).toBe("already-voted");
    expect(result.approval.state).toBe("pending");
    expect(w.store.peek(w.approval.id)?.version).toBe(1);
    expect(w.pipeline.results).toEqual([]);
  });

  it("counts one person on two channels once", async () => {
    await decide(w.deps, input(w, ANA));

    const result = await decide(w.deps, input(w, ANA_ON_SLACK));

    expect(result.outcome).toBe("already-voted");
    expect(w.pipeline.results).toEqual([]);
  });

  it("decides on one rejection", async () => {
    await decide(w.deps, input(w, ANA));

    const result = await decide(w.deps, input(w, BOB, { verdict: "reject", comment: "no" }));

    expect(result.outcome).toBe("rejected");
    expect(w.pipeline.results).toHaveLength(1);
    expect(w.pipeline.results[0]).toMatchObject({
      status: "Rejected",
      summary: "Rejected by Bob Stone via e-mail: no",
    });
  });
});

describe("decide: an approval that is no longer open", () => {
  it("refuses an approval past its expiry without calling CodePipeline, and marks it expired", async () => {
    // Prepare
    const w = world();
    w.clock.set(EXPIRES_AT).advance(1);

    // Act
    const error = await rejection(decide(w.deps, input(w, ANA)));

    // Assess
    expect(error).toBeInstanceOf(Expired);
    expect(error).toMatchObject({ approvalId: w.approval.id, expiresAt: EXPIRES_AT });
    expect(w.pipeline.results).toEqual([]);
    expect(w.store.peek(w.approval.id)?.state).toBe("expired");
  });

  it("counts the expiry minute itself as expired", async () => {
    const w = world();
    w.clock.set(EXPIRES_AT);

    expect(await rejection(decide(w.deps, input(w, ANA)))).toBeInstanceOf(Expired);
    expect(w.pipeline.results).toEqual([]);
  });

  it("accepts a decision a millisecond before the expiry", async () => {
    const w = world();
    w.clock.set(EXPIRES_AT).advance(-1);

    expect((await decide(w.deps, input(w, ANA))).outcome).toBe("approved");
  });

  it("refuses a record already marked expired", async () => {
    const w = world();
    await w.store.writeAsSomeoneElse(w.approval.id, (a) => markExpired(a, new Date(NOW)));

    expect(await rejection(decide(w.deps, input(w, ANA)))).toBeInstanceOf(Expired);
    expect(w.pipeline.results).toEqual([]);
  });

  it("refuses a record closed in the console, with the reason", async () => {
    const w = world();
    await w.store.writeAsSomeoneElse(w.approval.id, (a) => closeElsewhere(a, "console", new Date(NOW)));

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toBeInstanceOf(ClosedElsewhere);
    expect(error).toMatchObject({ reason: "console" });
    expect(w.pipeline.results).toEqual([]);
  });

  it.each(["deciding", "approved"] as const)(
    "tells a latecomer who won when the record is %s",
    async (state) => {
      const w = world();
      await decidedBy(w, BOB);
      if (state === "approved") await deliver(w.deps, w.store.peek(w.approval.id) ?? w.approval);
      const callsBefore = w.pipeline.results.length;

      const error = await rejection(decide(w.deps, input(w, CARA, { verdict: "reject" })));

      expect(error).toBeInstanceOf(AlreadyDecided);
      const winner = (error as AlreadyDecided).decision;
      expect(winner.verdict).toBe("approve");
      expect(winner.by.actor).toEqual(BOB);
      expect(winner.at).toBe(NOW);
      expect((error as AlreadyDecided).message).toBe(`Approval ${w.approval.id} was already approved`);
      expect(w.pipeline.results).toHaveLength(callsBefore);
    },
  );

  it("tells the winner too that it is decided, rather than voting twice", async () => {
    const w = world();
    await decide(w.deps, input(w, ANA));

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toBeInstanceOf(AlreadyDecided);
    expect(w.pipeline.results).toHaveLength(1);
  });
});

describe("decide: CodePipeline's answers", () => {
  it("records 'already completed' as closed elsewhere and says so", async () => {
    const w = world();
    w.pipeline.failPutWith("already-completed");

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toBeInstanceOf(ClosedElsewhere);
    expect(error).toMatchObject({ reason: "already-completed" });
    expect(w.pipeline.results).toHaveLength(1);
    const stored = w.store.peek(w.approval.id);
    expect(stored?.state).toBe("closed-elsewhere");
    expect(stored?.closedReason).toBe("already-completed");
    expect(stored?.history.at(-1)).toMatchObject({ event: "closed-elsewhere", detail: "already-completed" });
  });

  it("records an invalid token before the expiry as closed elsewhere (a newer run replaced it)", async () => {
    const w = world();
    w.pipeline.failPutWith("invalid-token");

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toBeInstanceOf(ClosedElsewhere);
    expect(error).toMatchObject({ reason: "invalid-token" });
    expect(w.store.peek(w.approval.id)).toMatchObject({
      state: "closed-elsewhere",
      closedReason: "invalid-token",
    });
    expect(w.pipeline.results).toHaveLength(1);
  });

  it("records an invalid token after the expiry as expired", async () => {
    // Prepare: the expiry passes while the call is in flight.
    const w = world();
    w.pipeline.failPutWith("invalid-token");
    w.pipeline.duringPut = () => {
      w.clock.set(EXPIRES_AT).advance(1_000);
    };

    // Act
    const error = await rejection(decide(w.deps, input(w, ANA)));

    // Assess
    expect(error).toBeInstanceOf(Expired);
    expect(w.store.peek(w.approval.id)?.state).toBe("expired");
    expect(w.pipeline.results).toHaveLength(1);
  });

  it("records a missing pipeline, stage or action as closed elsewhere: pipeline-not-found", async () => {
    const w = world();
    w.pipeline.failPutWith("not-found");

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toBeInstanceOf(ClosedElsewhere);
    expect(error).toMatchObject({ reason: "pipeline-not-found" });
    expect(w.store.peek(w.approval.id)).toMatchObject({
      state: "closed-elsewhere",
      closedReason: "pipeline-not-found",
    });
    expect(w.pipeline.results).toHaveLength(1);
  });

  it("keeps the decision in 'deciding' when CodePipeline is unavailable, for the sweeper", async () => {
    const w = world();
    w.pipeline.failPutWith("unavailable");

    const result = await decide(w.deps, input(w, ANA, { comment: "ship it" }));

    expect(result.outcome).toBe("delivery-pending");
    expect(w.pipeline.results).toHaveLength(1);
    const stored = w.store.peek(w.approval.id);
    expect(stored?.state).toBe("deciding");
    expect(stored?.decision).toMatchObject({ verdict: "approve", by: { actor: ANA, comment: "ship it" } });
    expect(stored?.decision).not.toHaveProperty("deliveredAt");
    expect(result.approval).toEqual(stored);
  });

  it("lets the sweeper deliver a pending delivery later, once", async () => {
    const w = world();
    w.pipeline.failPutWith("unavailable");
    await decide(w.deps, input(w, ANA));
    const stuck = w.store.peek(w.approval.id);
    if (!stuck) throw new Error("record vanished");

    const result = await deliver(w.deps, stuck);

    expect(result.outcome).toBe("approved");
    expect(w.pipeline.results).toHaveLength(2);
    expect(w.pipeline.results[0]).toEqual(w.pipeline.results[1]);
    expect(w.store.peek(w.approval.id)?.state).toBe("approved");
  });

  it("lets an unexpected error through and leaves the record deciding", async () => {
    const w = world();
    w.pipeline.failPutWith(new TypeError("socket hang up"));

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toBeInstanceOf(TypeError);
    expect(w.store.peek(w.approval.id)?.state).toBe("deciding");
    expect(w.pipeline.results).toHaveLength(1);
  });
});

describe("decide: concurrency", () => {
  it("retries after a conflicting write that did not decide", async () => {
    // Prepare: a channel writes its "notified" mark just before our first write.
    const w = world();
    let interfered = false;
    w.store.beforeUpdate = async () => {
      if (interfered) return;
      interfered = true;
      await w.store.writeAsSomeoneElse(w.approval.id, (a) => ({ ...a, channels: { slack: { ts: "1.2" } } }));
    };

    // Act
    const result = await decide(w.deps, input(w, ANA));

    // Assess
    expect(result.outcome).toBe("approved");
    expect(w.pipeline.results).toHaveLength(1);
    expect(w.store.peek(w.approval.id)).toMatchObject({
      state: "approved",
      channels: { slack: { ts: "1.2" } },
    });
    expect(w.store.calls.get).toBe(2);
  });

  it("starts from the caller's fresh copy: no read of its own, two writes, one call", async () => {
    const w = world();

    const result = await decide(w.deps, input(w, ANA, { current: w.approval }));

    expect(result.outcome).toBe("approved");
    expect(w.store.calls).toMatchObject({ get: 0, update: 2 });
    expect(w.pipeline.results).toHaveLength(1);
  });

  it("a caller's copy that went stale costs a conflict and a read, never a second decision", async () => {
    // Prepare: Bob decided after the caller read the record.
    const w = world();
    const stale = w.approval;
    await decidedBy(w, BOB);

    const error = await rejection(decide(w.deps, input(w, ANA, { current: stale })));

    expect(error).toBeInstanceOf(AlreadyDecided);
    expect(w.store.calls.get).toBe(1);
    expect(w.pipeline.results).toHaveLength(0);
  });

  it("reports who won when another decision lands between our read and our write", async () => {
    const w = world();
    let interfered = false;
    w.store.beforeUpdate = async () => {
      if (interfered) return;
      interfered = true;
      await decidedBy(w, BOB, "reject");
    };

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toBeInstanceOf(AlreadyDecided);
    expect((error as AlreadyDecided).decision).toMatchObject({ verdict: "reject", by: { actor: BOB } });
    expect(w.pipeline.results).toEqual([]);
  });

  it("lets exactly one of many simultaneous deciders through, and tells the rest the same winner", async () => {
    // Prepare
    const w = world();
    const actors = [
      ANA,
      BOB,
      CARA,
      ANA_ON_SLACK,
      OCTOCAT,
      { channel: "slack", id: "U0MARIA" } satisfies Actor,
    ];

    // Act
    const settled = await Promise.allSettled(
      actors.map((actor, i) => decide(w.deps, input(w, actor, { verdict: i % 2 ? "reject" : "approve" }))),
    );

    // Assess
    const winners = settled.filter((s) => s.status === "fulfilled");
    const losers = settled.flatMap((s) => (s.status === "rejected" ? [s.reason] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(actors.length - 1);
    expect(w.pipeline.results).toHaveLength(1);
    const stored = w.store.peek(w.approval.id);
    for (const loser of losers) {
      expect(loser).toBeInstanceOf(AlreadyDecided);
      expect((loser as AlreadyDecided).decision.by).toEqual(stored?.decision?.by);
    }
  });

  it("reaches a quorum of 2 exactly once when approvals arrive together", async () => {
    const w = world({ rule: { quorum: 2 } });

    const settled = await Promise.allSettled(
      [ANA, BOB, CARA].map((actor) => decide(w.deps, input(w, actor))),
    );

    const outcomes = settled.map((s) => (s.status === "fulfilled" ? s.value.outcome : "error"));
    expect(outcomes.filter((o) => o === "approved")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "vote-recorded")).toHaveLength(1);
    expect(w.pipeline.results).toHaveLength(1);
  });

  it("gives up with VersionConflict when the store keeps losing, without calling CodePipeline", async () => {
    const w = world();
    w.store.alwaysConflict = true;

    const error = await rejection(decide(w.deps, input(w, ANA)));

    expect(error).toBeInstanceOf(VersionConflict);
    expect(w.store.calls.update).toBe(50);
    expect(w.pipeline.results).toEqual([]);
  });

  it("records the delivery even when a channel update bumps the version during the call", async () => {
    const w = world();
    w.pipeline.duringPut = async () => {
      await w.store.writeAsSomeoneElse(w.approval.id, (a) => ({
        ...a,
        channels: { email: { notifiedAt: NOW } },
      }));
    };

    const result = await decide(w.deps, input(w, ANA));

    expect(result.outcome).toBe("approved");
    expect(w.store.peek(w.approval.id)).toMatchObject({
      state: "approved",
      channels: { email: { notifiedAt: NOW } },
    });
    expect(w.pipeline.results).toHaveLength(1);
  });

  it("reports the verdict it delivered even if the sweeper settled the record meanwhile", async () => {
    // Prepare: while our call is in flight, a sweeper ends the record another way.
    const w = world();
    w.pipeline.duringPut = async () => {
      await w.store.writeAsSomeoneElse(w.approval.id, (a) =>
        closeElsewhere(a, "already-completed", new Date(NOW)),
      );
    };

    // Act
    const result = await decide(w.deps, input(w, ANA));

    // Assess: CodePipeline accepted our approval, so the outcome is "approved", not "rejected".
    expect(result.outcome).toBe("approved");
    expect(result.approval.state).toBe("closed-elsewhere");
    expect(w.pipeline.results).toHaveLength(1);
  });
});

describe("deliver", () => {
  it.each(["pending", "approved"] as const)("refuses a %s record", async (state) => {
    const w = world();
    const approval = state === "pending" ? w.approval : { ...w.approval, state };

    expect(await rejection(deliver(w.deps, approval))).toBeInstanceOf(InvalidTransition);
    expect(w.pipeline.results).toEqual([]);
  });
});
