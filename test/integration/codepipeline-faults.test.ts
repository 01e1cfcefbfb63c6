import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AllChannels, BO, startAllChannels, TARGET } from "../../local/all-channels.js";
import { putCalls } from "../support/simulator.js";

// A scheduled tick, as EventBridge delivers it: the sweep finishes deliveries left in `deciding`.
const TICK = {
  version: "0",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  time: "2026-11-30T00:00:00Z",
};
const GRACE_MS = 2 * 60_000;

type Click = "ana-email" | "ana-slack" | "ana-github" | "bo-approves" | "bo-rejects";

/**
 * CodePipeline throttling, failing, or dropping the connection (before or after applying the
 * result) while people decide from every channel at once: whatever happens, CodePipeline ends up
 * with exactly one answer, the record agrees with it, and nobody sees a 5xx. Property-based over
 * fault plans and click mixes, with a fixed seed.
 */
describe("CodePipeline faults during a decision → no lost and no doubled decision", () => {
  let world: AllChannels;
  let skew = 0;

  beforeAll(async () => {
    // The sweep only takes over deliveries older than its grace period: time is moved on for it.
    world = await startAllChannels({ clock: { now: () => new Date(Date.now() + skew) } });
  });
  afterAll(() => world.stack.close());

  async function act(id: string, click: Click): Promise<number> {
    if (click === "ana-email") return world.approve(id, "email");
    if (click === "ana-slack") return world.approve(id, "slack");
    if (click === "ana-github") return world.approve(id, "github");
    return world.emailDecision(id, BO, click === "bo-approves" ? "approve" : "reject", "not today");
  }

  it("exactly one answer reaches CodePipeline, and the record says the same", async () => {
    const fault = fc.record({
      error: fc.constantFrom("ThrottlingException", "InternalFailure", "ServiceUnavailable", "ECONNRESET"),
      afterApplying: fc.boolean(),
    });
    const clicks = fc.uniqueArray(
      fc.constantFrom<Click>("ana-email", "ana-slack", "ana-github", "bo-approves", "bo-rejects"),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    const { simulator: sim, store } = world.stack;

    await fc.assert(
      fc.asyncProperty(fc.array(fault, { maxLength: 3 }), clicks, async (faults, who) => {
        const id = await world.open();
        await world.stack.settled();
        const accepted = putCalls(sim).filter((c) => c.outcome === "ok").length;
        for (const f of faults)
          sim.failNext("PutApprovalResult", f.error, 1, { afterApplying: f.afterApplying });

        const statuses = await Promise.all(who.map((click) => act(id, click)));
        await world.stack.settled();
        for (let i = 0; i < 3 && (await store.get(id))?.state === "deciding"; i++) {
          skew += GRACE_MS;
          await world.stack.events(TICK);
          await world.stack.settled();
        }
        sim.clearFaults();

        const answer = sim.latestRun(TARGET)?.answer;
        const record = await store.get(id);
        expect(statuses.filter((s) => s >= 500)).toEqual([]);
        expect(answer?.via).toBe("api");
        expect(record?.state).toBe(answer?.status === "Approved" ? "approved" : "rejected");
        expect(record?.decision?.verdict).toBe(answer?.status === "Approved" ? "approve" : "reject");
        expect(putCalls(sim).filter((c) => c.outcome === "ok").length - accepted).toBeLessThanOrEqual(1);
        // The decision is one of the clicks: Bo's, or Ana's from whichever channel won.
        const decider = record?.decision?.by.actor.id === BO ? "bo" : "ana";
        expect(who.some((w) => w.startsWith(decider))).toBe(true);
      }),
      { numRuns: 8, seed: 20261130 },
    );
  });
});
