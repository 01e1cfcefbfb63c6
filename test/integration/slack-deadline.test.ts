import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GroupMembers } from "../../bot/slack/approvers.js";
import { fromObject } from "../../bot/slack/envelope.js";
import { SlackInteractions } from "../../bot/slack/interactions.js";
import { slackRoutes } from "../../bot/slack/routes.js";
import { Hold } from "../../local/hold.js";
import { OLLY, type SlackWorld, startSlackWorld } from "../support/slack.js";

/** The click's payload as the route hands it over, after verification. */
function interactionOf(body: string) {
  const parsed = fromObject(JSON.parse(new URLSearchParams(body).get("payload") ?? "{}"));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.interaction;
}

describe("Slack: the answer never waits past the deadline", () => {
  let world: SlackWorld;
  let interactions: SlackInteractions;

  beforeEach(async () => {
    world = await startSlackWorld();
    const { slack, store, pipeline, clock, logs } = world;
    const settings = { botToken: slack.botToken, apiUrl: slack.apiUrl };
    interactions = new SlackInteractions({
      store,
      pipeline,
      clock,
      log: logs.log,
      groups: new GroupMembers({ clock }),
      settings: async () => settings,
      deadlineMs: 50,
    });
  });
  afterEach(async () => {
    await interactions.idle();
    await world.close();
  });

  it("a slow Slack API: answered (200) at the deadline; the listener finishes afterwards", async () => {
    const { message } = await world.open();
    world.slack.delay("chat.postEphemeral", 400);
    const click = world.slack.click({ user: OLLY, message, actionId: "greenlight_approve" });

    const answer = await interactions.handle(interactionOf(click.body));
    const ephemeralsAtAnswer = world.slack.workspace.ephemerals.length;
    await interactions.idle();

    expect(answer).toEqual({ status: 200 });
    expect(ephemeralsAtAnswer).toBe(0);
    expect(world.slack.workspace.ephemerals).toHaveLength(1);
    expect(world.logs.entries()).toContainEqual(
      expect.objectContaining({ msg: "slack: answered at the deadline", acked: true }),
    );
  });
});

describe("Slack: the 3 seconds count from the request's arrival", () => {
  let world: SlackWorld;
  afterEach(async () => {
    await world.close();
  });

  /** A deadline timer that moves the world's clock instead of waiting: what it was asked, in order. */
  function fakeWait(waits: number[]) {
    return (ms: number) => {
      waits.push(ms);
      world.setNow(new Date(world.clock.now().getTime() + ms));
      return { done: Promise.resolve(), cancel: () => {} };
    };
  }

  function routesWith(options: { routeSecret?: Hold; boltSettings?: Hold; waits: number[] }) {
    const { slack, store, pipeline, clock, logs } = world;
    const interactions = new SlackInteractions({
      store,
      pipeline,
      clock,
      log: logs.log,
      groups: new GroupMembers({ clock }),
      settings: async () => {
        await options.boltSettings?.pass();
        return { botToken: slack.botToken, apiUrl: slack.apiUrl };
      },
      wait: fakeWait(options.waits),
    });
    const routes = slackRoutes({
      interactions,
      clock,
      log: logs.log,
      settings: async () => {
        await options.routeSecret?.pass();
        const { teamId, appId } = slack.workspace.identity;
        return { signingSecret: slack.signingSecret, teamId, appId };
      },
    });
    return { interactions, routes };
  }

  it("a cold start whose secret read takes 1.9 s: the listeners get the 0.1 s left, not another 2 s", async () => {
    world = await startSlackWorld();
    const { message } = await world.open();
    const secret = new Hold();
    const releaseSecret = secret.hang();
    const releaseSlack = world.slack.hang(); // the listener's Slack call cannot finish in time
    const waits: number[] = [];
    const { interactions, routes } = routesWith({ routeSecret: secret, waits });
    const click = world.slack.click({ user: OLLY, message, actionId: "greenlight_approve" });
    const arrivedAt = world.clock.now().getTime();

    const pending = routes.request("/events", { method: "POST", body: click.body, headers: click.headers });
    await vi.waitFor(() => expect(secret.waiting).toBe(1));
    world.setNow(new Date(arrivedAt + 1_900));
    releaseSecret();
    const res = await pending;
    const answeredAt = world.clock.now().getTime();
    releaseSlack();
    await interactions.idle();

    expect(res.status).toBe(200);
    expect(waits).toEqual([100]);
    expect(answeredAt - arrivedAt).toBe(2_000);
    expect(world.logs.entries()).toContainEqual(
      expect.objectContaining({ msg: "slack: answered at the deadline", sinceArrivalMs: 2_000 }),
    );
    expect(world.slack.workspace.ephemerals).toHaveLength(1); // the listener still finished afterwards
  });

  it("a Bolt start slower than the deadline: Slack is answered (200) while Bolt still loads", async () => {
    world = await startSlackWorld();
    const { message } = await world.open();
    const bolt = new Hold();
    const releaseBolt = bolt.hang();
    const waits: number[] = [];
    const { interactions, routes } = routesWith({ boltSettings: bolt, waits });
    const click = world.slack.click({ user: OLLY, message, actionId: "greenlight_approve" });

    const res = await routes.request("/events", { method: "POST", body: click.body, headers: click.headers });
    const boltStillLoading = bolt.waiting;
    releaseBolt();
    await interactions.idle();

    expect(res.status).toBe(200);
    expect(boltStillLoading).toBe(1);
    expect(waits).toEqual([2_000]);
    expect(world.slack.workspace.ephemerals.map((e) => e.text)).toEqual([
      expect.stringContaining("can decide on this deploy"),
    ]);
  });
});
