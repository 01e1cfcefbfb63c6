import { afterEach, describe, expect, it } from "vitest";
import { RECHECK_MS } from "../../bot/slack/channel.js";
import { mutate } from "../../core/mutate.js";
import { CHANNEL, MARIA, type SlackWorld, startSlackWorld } from "../support/slack.js";

/** A change to the record that does not change what the Slack message shows (a history entry). */
async function touch(world: SlackWorld, id: string, event = "touched") {
  await mutate(world.store, id, (a) => ({ ...a, history: [...a.history, { at: a.updatedAt, event }] }));
  await world.store.idle();
}

const permanentLines = (world: SlackWorld) =>
  world.logs.entries().filter((e) => typeof e.msg === "string" && e.msg.includes("not retried"));

describe("Slack's permanent errors: recorded, said once with the fix, counted, not retried forever", () => {
  let world: SlackWorld;
  afterEach(() => world.close());

  it("the app was never invited: not_in_channel recorded on the approval, one line with /invite, one metric", async () => {
    world = await startSlackWorld();
    world.slack.setInvited(CHANNEL, false);

    const approval = await world.openQuietly();
    await world.store.idle();

    const slack = (await world.store.get(approval.id))?.channels.slack;
    expect(world.slack.callsTo("chat.postMessage").map((c) => c.error)).toEqual(["not_in_channel"]);
    expect(slack).toMatchObject({ problem: "not_in_channel" });
    expect(slack?.claimedAt).toBeUndefined();
    expect(world.store.failures.size).toBe(0); // not thrown: the stream does not retry it to the DLQ
    const lines = permanentLines(world);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      approvalId: approval.id,
      error: "not_in_channel",
      slackChannel: CHANNEL,
      fix: `invite the app to channel ${CHANNEL}: in that channel, type /invite @Greenlight`,
      SlackPermanentErrors: 1,
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: "Greenlight",
            Dimensions: [[]],
            Metrics: [{ Name: "SlackPermanentErrors", Unit: "Count" }],
          },
        ],
      },
    });
  });

  it("later changes of the record do not call Slack again; once invited, a change after the recheck delay posts", async () => {
    world = await startSlackWorld();
    world.slack.setInvited(CHANNEL, false);
    const approval = await world.openQuietly();
    await world.store.idle();

    await touch(world, approval.id);
    await touch(world, approval.id);
    const callsWhileRefused = world.slack.callsTo("chat.postMessage").length;
    world.slack.setInvited(CHANNEL, true);
    world.setNow(new Date(world.clock.now().getTime() + RECHECK_MS));
    await touch(world, approval.id);

    expect(callsWhileRefused).toBe(1);
    expect(world.slack.callsTo("chat.postMessage").map((c) => c.ok)).toEqual([false, true]);
    expect(world.slack.messages(CHANNEL)).toHaveLength(1);
    const slack = (await world.store.get(approval.id))?.channels.slack;
    expect(slack?.problem).toBeUndefined();
    expect(slack?.ts).toBe(world.slack.messages(CHANNEL)[0]?.ts);
    expect(permanentLines(world)).toHaveLength(1);
  });

  it("an archived channel: is_archived, and the fix says to unarchive or move the rule", async () => {
    world = await startSlackWorld();
    world.slack.archiveChannel(CHANNEL);

    const approval = await world.openQuietly();
    await world.store.idle();

    expect((await world.store.get(approval.id))?.channels.slack?.problem).toBe("is_archived");
    expect(permanentLines(world)[0]?.fix).toContain("is archived: unarchive it or point slack.channel");
  });

  it("blocks refused (invalid_blocks): not retried for the same content, retried when the message changes", async () => {
    world = await startSlackWorld({ quorum: 2 });
    world.slack.failNext("chat.postMessage", "invalid_blocks");
    const approval = await world.openQuietly();
    await world.store.idle();

    await touch(world, approval.id);
    const callsForSameContent = world.slack.callsTo("chat.postMessage").length;
    // A vote changes what the message shows (the quorum progress line): worth another try.
    await mutate(world.store, approval.id, (a) => ({
      ...a,
      votes: {
        "slack:u0maria01": {
          principal: "slack:u0maria01",
          verdict: "approve",
          actor: { channel: "slack", id: MARIA.id },
          at: a.updatedAt,
        },
      },
    }));
    await world.store.idle();

    expect(callsForSameContent).toBe(1);
    expect(world.slack.callsTo("chat.postMessage").map((c) => c.error ?? "ok")).toEqual([
      "invalid_blocks",
      "ok",
    ]);
    expect(
      world.read(world.slack.messages(CHANNEL)[0] ?? ({ channel: "", ts: "", blocks: [] } as never)),
    ).toContain("1 of 2 approvals so far: @maria");
  });

  it("the channel archived after the post: chat.update answers is_inactive, the message is gone, not retried", async () => {
    world = await startSlackWorld();
    const { approval, message } = await world.open();
    world.slack.archiveChannel(CHANNEL);

    await world.send(world.slack.click({ user: MARIA, message, actionId: "greenlight_approve" }));
    await touch(world, approval.id);

    const slack = (await world.store.get(approval.id))?.channels.slack;
    expect(slack).toMatchObject({ gone: "is_inactive", problem: "is_inactive" });
    expect(world.slack.callsTo("chat.update").map((c) => c.error)).toEqual(["is_inactive"]);
    expect(world.store.failures.size).toBe(0);
  });

  it("a revoked token: token_revoked recorded with 'reinstall', rate limits and 5xx still retried", async () => {
    world = await startSlackWorld();
    world.slack.failNext("chat.postMessage", "token_revoked");
    const revoked = await world.openQuietly();
    await world.store.idle();
    world.slack.failNext("chat.postMessage", "http_503");
    const flaky = await world.openQuietly();
    await world.store.idle();

    expect((await world.store.get(revoked.id))?.channels.slack?.problem).toBe("token_revoked");
    expect(permanentLines(world).map((l) => l.fix)).toEqual([
      expect.stringContaining("reinstall the Slack app"),
    ]);
    // The 503 threw, so the change feed retried it and the second approval was posted.
    expect((await world.store.get(flaky.id))?.channels.slack?.ts).toEqual(expect.any(String));
  });
});
