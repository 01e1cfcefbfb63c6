import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AllChannels, ANA, startAllChannels, type Via } from "../../local/all-channels.js";
import { putCalls } from "../support/simulator.js";
import { waitFor } from "../support/wait.js";

type Fault = "500" | "429" | "hang";
const MANY = 1_000_000;

/** Take one channel's service down in one way; returns the end of the outage. */
function outage(world: AllChannels, channel: Via, fault: Fault): () => void {
  const { ses } = world.stack;
  const { slack, github } = world;
  if (fault === "hang") {
    if (channel === "email") return ses.faults.hang();
    if (channel === "slack") return slack.standIn.hang();
    return github.standIn.faults.hang();
  }
  const retryAfter = { "retry-after": "1" };
  if (channel === "email") ses.faults.failNext(Number(fault), MANY, fault === "429" ? retryAfter : {});
  if (channel === "slack") slack.standIn.failNext("*", fault === "429" ? "ratelimited" : "http_500", MANY);
  if (channel === "github")
    github.standIn.faults.failNext(/./, Number(fault), MANY, fault === "429" ? retryAfter : {});
  return () => {
    ses.faults.clear();
    slack.standIn.faults.clear();
    github.standIn.faults.clear();
  };
}

/** Whether `channel` shows the approval (exactly once: more would be a duplicate). */
async function served(world: AllChannels, id: string, channel: Via): Promise<boolean> {
  const v = await world.views(id);
  const count = {
    email: v.emails.length / 2,
    slack: v.messages.length,
    github: (v.comments.length + v.checkRuns.length) / 2,
  };
  if (count[channel] > 1) throw new Error(`${channel} posted ${count[channel]} times for ${id}`);
  return count[channel] === 1;
}

const CHANNELS: Via[] = ["email", "slack", "github"];
const others = (channel: Via) => CHANNELS.filter((c) => c !== channel);

/**
 * Outages of the services behind each channel (SES, Slack, GitHub): an HTTP 500, a 429 with
 * Retry-After, or a hang. The other channels are served regardless, the failed one is retried and
 * ends up showing the approval once, and the approval can be decided throughout.
 */
describe("a channel's service fails: the others are served, it catches up, the approval stays decidable", () => {
  let world: AllChannels;
  const accepted = () => putCalls(world.stack.simulator).filter((c) => c.outcome === "ok").length;

  beforeAll(async () => {
    // The change feed retries like the sync Lambda's stream retries, quickly (5 ms, doubling).
    world = await startAllChannels({ changeFeed: { retries: 10, backoffMs: 5 } });
  });
  afterAll(() => world.stack.close());

  const rejectByEmail = (id: string) => world.emailDecision(id, ANA.email, "reject", "outage");

  describe.each(CHANNELS)("%s down", (channel) => {
    it.each<[string, Fault]>([
      ["answers 500", "500"],
      ["answers 429 with Retry-After", "429"],
      ["hangs", "hang"],
    ])(
      "%s → the others are served; once it is back it shows the approval once, and decides it",
      async (_what, fault) => {
        const end = outage(world, channel, fault);
        const id = await world.open();
        for (const other of others(channel)) await waitFor(`${other} served`, () => served(world, id, other));
        const duringOutage = await served(world, id, channel);

        end();
        await waitFor(`${channel} retried`, () => served(world, id, channel));
        await world.stack.settled();
        const decided = accepted();
        const status = await world.approve(id, channel);
        await world.stack.settled();

        expect(duringOutage).toBe(false);
        expect(world.stack.store.failures.has(id)).toBe(false);
        expect(status).toBe(200);
        expect(accepted()).toBe(decided + 1);
        expect((await world.stack.store.get(id))?.state).toBe("approved");
        for (const c of CHANNELS) expect(await served(world, id, c)).toBe(true);
      },
    );

    it("hanging → a decision through another channel still goes through meanwhile", async () => {
      const via = others(channel)[0] ?? "email";
      const end = outage(world, channel, "hang");
      const id = await world.open();
      // Every healthy channel first: GitHub (when up) must have named the change's authors before
      // anyone can approve, whichever channel they approve from.
      for (const other of others(channel)) await waitFor(`${other} served`, () => served(world, id, other));
      const decided = accepted();

      // With GitHub down nobody can tell who wrote the change, so approving waits (no blind
      // self-approval check, docs/security.md#19-no-self-approval-by-default); rejecting never waits.
      const refusedApproval = channel === "github" ? await world.approve(id, via) : undefined;
      const status = channel === "github" ? await rejectByEmail(id) : await world.approve(id, via);
      const state = (await world.stack.store.get(id))?.state;
      end();
      await world.stack.settled();

      expect(refusedApproval).toBe(channel === "github" ? 403 : undefined);
      expect(status).toBe(200);
      expect(state).toBe(channel === "github" ? "rejected" : "approved");
      expect(accepted()).toBe(decided + 1);
      expect(world.stack.store.failures.has(id)).toBe(false);
    });
  });
});
