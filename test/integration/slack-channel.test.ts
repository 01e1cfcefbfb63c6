import { afterEach, describe, expect, it } from "vitest";
import type { Deployment } from "../../core/approval.js";
import { mutate } from "../../core/mutate.js";
import { renderMrkdwn } from "../../local/slack/render.js";
import { putCalls } from "../support/simulator.js";
import { BO, CHANNEL, GIA, GROUP, MARIA, type SlackWorld, startSlackWorld } from "../support/slack.js";

const APPROVE = "greenlight_approve";

describe("Slack channel (projector): one post per approval, and the message stays true", () => {
  let world: SlackWorld;
  afterEach(() => world.close());

  it("five concurrent projector runs for a new approval → one chat.postMessage, channel and ts recorded", async () => {
    world = await startSlackWorld();
    world.store.listener = undefined;
    const approval = await world.openQuietly();

    const runs = await Promise.allSettled(Array.from({ length: 5 }, () => world.channel.sync(approval)));

    expect(runs.every((r) => r.status === "fulfilled")).toBe(true);
    expect(world.slack.callsTo("chat.postMessage")).toHaveLength(1);
    const [posted] = world.slack.messages(CHANNEL);
    expect((await world.store.get(approval.id))?.channels.slack).toMatchObject({
      channel: CHANNEL,
      ts: posted?.ts,
    });
  });

  it("a failed post releases its claim; the change feed's retry posts exactly once", async () => {
    world = await startSlackWorld();
    world.slack.failNext("chat.postMessage", "internal_error");

    const { approval } = await world.open();

    expect(world.slack.callsTo("chat.postMessage").map((c) => c.ok)).toEqual([false, true]);
    expect(world.slack.messages(CHANNEL)).toHaveLength(1);
    expect(approval.channels.slack?.claimedAt).toBeUndefined();
    expect(world.store.failures.size).toBe(0);
  });

  it("quorum 2: progress after the first approval, buttons kept; the second decides", async () => {
    world = await startSlackWorld({ quorum: 2 });
    const { message } = await world.open();
    const second = world.slack.click({ user: BO, message, actionId: APPROVE });

    await world.send(world.slack.click({ user: MARIA, message, actionId: APPROVE }));
    const midway = world.read(message);
    await world.send(second);

    expect(midway.slice(-2)).toEqual([
      "1 of 2 approvals so far: @maria",
      "[Approve] [Approve with comment…] [Reject]",
    ]);
    expect(world.slack.workspace.ephemerals.map((e) => e.text)).toEqual([
      "Your approval counts: 1 of 2. Waiting for 1 more.",
    ]);
    expect(world.read(message).at(-1)).toBe("✅ Approved by @maria and @bo at 20:22 UTC");
    expect(putCalls(world.sim)).toHaveLength(1);
  });

  it("two group members vote: usergroups.users.list is asked once (cached)", async () => {
    world = await startSlackWorld({ quorum: 2 });
    const other = { id: "U0GIBGRP2", name: "gib" };
    world.slack.addUser(other.id, other.name).setGroup(GROUP, "release-managers", [GIA.id, other.id]);
    const { message } = await world.open();
    const second = world.slack.click({ user: other, message, actionId: APPROVE });

    await world.send(world.slack.click({ user: GIA, message, actionId: APPROVE }));
    await world.send(second);

    expect(world.slack.callsTo("usergroups.users.list")).toHaveLength(1);
    expect(world.read(message).at(-1)).toBe("✅ Approved by @gia and @gib at 20:22 UTC");
  });

  it("Slack cannot tell who is in the group right now → refused politely, nothing written", async () => {
    world = await startSlackWorld();
    const { approval, message } = await world.open();
    world.slack.failNext("usergroups.users.list", "internal_error");

    await world.send(world.slack.click({ user: GIA, message, actionId: APPROVE }));

    expect(world.slack.workspace.ephemerals.map((e) => e.text)).toEqual([
      "Something went wrong and nothing was decided. Please try again in a minute.",
    ]);
    expect((await world.store.get(approval.id))?.version).toBe(approval.version);
  });

  it("the production deploy: shown on the message; its outcome replied in the thread, once", async () => {
    world = await startSlackWorld();
    const { approval, message } = await world.open();
    await world.send(world.slack.click({ user: MARIA, message, actionId: APPROVE }));
    const deploy = async (deployment: Deployment) => {
      await mutate(world.store, approval.id, (a) => ({ ...a, deployment }));
      await world.store.idle();
    };

    await deploy({ state: "deploying", at: "2026-11-29T20:25:00.000Z" });
    const deploying = world.read(message).at(-1);
    await deploy({ state: "succeeded", at: "2026-11-29T20:31:00.000Z", url: "https://console.aws/run/1" });
    await world.project(approval.id);

    expect(deploying).toBe("🚀 Deploying to production since 20:25 UTC…");
    expect(world.read(message).at(-1)).toBe("✅ Deployed to production at 20:31 UTC. View the run");
    const replies = world.slack.replies(CHANNEL, message.ts);
    expect(replies.map((r) => renderMrkdwn(r.text, world.slack.workspace))).toEqual([
      "✅ Deployed to production at 20:31 UTC. View the run Thanks, @maria.",
    ]);
  });

  it("a message someone deleted: recorded as gone and left alone, no endless retries", async () => {
    world = await startSlackWorld();
    const { approval, message } = await world.open();
    const click = world.slack.click({ user: MARIA, message, actionId: APPROVE });
    world.slack.workspace.messages.splice(world.slack.workspace.messages.indexOf(message), 1);

    await world.send(click);

    expect((await world.store.get(approval.id))?.channels.slack?.gone).toBe("message_not_found");
    expect(world.store.failures.size).toBe(0);
    expect(putCalls(world.sim)).toHaveLength(1);
  });

  it("a rate-limited chat.update is retried by the change feed, not waited out", async () => {
    world = await startSlackWorld();
    const { message } = await world.open();
    world.slack.failNext("chat.update", "ratelimited");

    await world.send(world.slack.click({ user: MARIA, message, actionId: APPROVE }));

    expect(world.slack.callsTo("chat.update").some((c) => c.error === "ratelimited")).toBe(true);
    expect(world.read(message).at(-1)).toBe("✅ Approved by @maria at 20:22 UTC");
  });

  it("high-risk: Approve opens the modal; a wrong confirmation is refused on the field, the right one approves", async () => {
    world = await startSlackWorld({ highRisk: true });
    const { approval, message } = await world.open();

    await world.send(world.slack.click({ user: MARIA, message, actionId: "greenlight_approve_comment" }));
    const [view] = world.slack.workspace.views;
    if (!view) throw new Error("no modal");
    const wrong = await world.send(
      world.slack.submit({ user: MARIA, viewId: view.id, values: { confirmation: "ffff" } }),
    );
    const afterWrong = await world.store.get(approval.id);
    const right = await world.send(
      world.slack.submit({ user: MARIA, viewId: view.id, values: { confirmation: "4F9C" } }),
    );

    expect(await wrong.json()).toEqual({
      response_action: "errors",
      errors: { confirmation: "Type the first 4 characters to confirm." },
    });
    expect(afterWrong?.version).toBe(approval.version);
    expect(right.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(1);
  });

  it("high-risk: Reject asks only for a reason, never the typed characters, and rejects", async () => {
    world = await startSlackWorld({ highRisk: true });
    const { approval, message } = await world.open();

    await world.send(world.slack.click({ user: MARIA, message, actionId: "greenlight_reject" }));
    const [view] = world.slack.workspace.views;
    if (!view) throw new Error("no modal");
    const submitted = await world.send(
      world.slack.submit({ user: MARIA, viewId: view.id, values: { reason: "Totals are wrong" } }),
    );

    expect(JSON.stringify(view)).not.toContain('"block_id":"confirmation"');
    expect(submitted.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(1);
    expect((await world.store.get(approval.id))?.state).toBe("rejected");
    expect(world.read(message).at(-1)).toBe("⛔ Rejected by @maria at 20:22 UTC: Totals are wrong");
  });

  it("the author of the change may not approve it from Slack, but may reject it", async () => {
    world = await startSlackWorld({ mariaAuthored: true });
    const { message } = await world.open();
    const reject = world.slack.click({ user: MARIA, message, actionId: "greenlight_reject" });

    await world.send(world.slack.click({ user: MARIA, message, actionId: APPROVE }));
    await world.send(reject);
    const [view] = world.slack.workspace.views;
    if (!view) throw new Error("no modal");
    await world.send(
      world.slack.submit({ user: MARIA, viewId: view.id, values: { reason: "Wrong branch" } }),
    );

    expect(world.slack.workspace.ephemerals.map((e) => e.text)).toEqual([
      "You can't approve a deploy of your own change. You can still reject it.",
    ]);
    expect(world.read(message).at(-1)).toBe("⛔ Rejected by @maria at 20:22 UTC: Wrong branch");
  });
});
