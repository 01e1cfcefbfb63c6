import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupMembers } from "../../bot/slack/approvers.js";
import { fromObject } from "../../bot/slack/envelope.js";
import { SlackInteractions } from "../../bot/slack/interactions.js";
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
