import { afterEach, describe, expect, it } from "vitest";
import { mutate } from "../../core/mutate.js";
import { putCalls } from "../support/simulator.js";
import { BO, MARIA, type SlackWorld, startSlackWorld } from "../support/slack.js";

const BO_EMAIL = "bo.chen@acme.io";

/** The change was written by whoever commits as `email`, and GitHub has said so. */
async function authoredBy(world: SlackWorld, id: string, email: string) {
  await mutate(world.store, id, (a) => ({
    ...a,
    context: { ...a.context, authors: { logins: [], emails: [email] }, authorsResolvedAt: a.updatedAt },
  }));
  await world.store.idle();
}

const ephemerals = (world: SlackWorld) => world.slack.workspace.ephemerals.map((e) => e.text);

describe("Slack: the acting person's profile e-mail (users.info) joins their identities", () => {
  let world: SlackWorld;
  afterEach(() => world.close());

  it("an approver whose Slack profile e-mail is a commit author's is recognised: approve refused, reject works", async () => {
    world = await startSlackWorld();
    world.slack.addUser(BO.id, BO.name, "Bo Chen", BO_EMAIL);
    const { approval, message } = await world.open();
    await authoredBy(world, approval.id, BO_EMAIL);
    const reject = world.slack.click({ user: BO, message, actionId: "greenlight_reject" });

    await world.send(world.slack.click({ user: BO, message, actionId: "greenlight_approve" }));
    await world.send(reject);
    const [view] = world.slack.workspace.views;
    if (!view) throw new Error("no modal");
    await world.send(
      world.slack.submit({ user: BO, viewId: view.id, values: { reason: "Not mine to ship" } }),
    );

    expect(ephemerals(world)).toEqual([
      "You can't approve a deploy of your own change. You can still reject it.",
    ]);
    expect(world.read(message).at(-1)).toBe("⛔ Rejected by @bo at 20:22 UTC: Not mine to ship");
    expect(putCalls(world.sim)).toHaveLength(1);
    const decision = (await world.store.get(approval.id))?.decision;
    expect(decision?.by.actor).toMatchObject({ channel: "slack", id: BO.id, email: BO_EMAIL });
  });

  it("users.info failing does not block a rejection: the e-mail stays unknown, the failure is logged", async () => {
    world = await startSlackWorld();
    world.slack.addUser(BO.id, BO.name, "Bo Chen", BO_EMAIL);
    const { approval, message } = await world.open();
    world.slack.failNext("users.info", "internal_error", 5);

    await world.send(world.slack.click({ user: BO, message, actionId: "greenlight_reject" }));
    const [view] = world.slack.workspace.views;
    if (!view) throw new Error("no modal");
    await world.send(
      world.slack.submit({ user: BO, viewId: view.id, values: { reason: "Broken on staging" } }),
    );

    const decision = (await world.store.get(approval.id))?.decision;
    expect(decision?.verdict).toBe("reject");
    expect(decision?.by.actor.email).toBeUndefined();
    expect(world.logs.entries()).toContainEqual(
      expect.objectContaining({ msg: "slack: profile look-up failed", method: "users.info" }),
    );
  });

  it("a token without users:read.email: Slack leaves the e-mail out, so the actor has none", async () => {
    world = await startSlackWorld({ quorum: 2 });
    world.slack.addUser(MARIA.id, MARIA.name, "Maria Souza", "maria.personal@example.com");
    world.slack.scopes.delete("users:read.email");
    const { approval, message } = await world.open();

    await world.send(world.slack.click({ user: MARIA, message, actionId: "greenlight_approve" }));

    const vote = Object.values((await world.store.get(approval.id))?.votes ?? {})[0];
    expect(vote?.actor).toMatchObject({ channel: "slack", id: MARIA.id });
    expect(vote?.actor.email).toBeUndefined();
    expect(world.slack.callsTo("users.info").map((c) => c.ok)).toEqual([true]);
  });

  it("two clicks by one person ask users.info once (cached per container)", async () => {
    world = await startSlackWorld({ quorum: 2 });
    world.slack.addUser(BO.id, BO.name, "Bo Chen", BO_EMAIL);
    const { message } = await world.open();

    await world.send(world.slack.click({ user: BO, message, actionId: "greenlight_approve" }));
    await world.send(world.slack.click({ user: BO, message, actionId: "greenlight_approve" }));

    expect(world.slack.callsTo("users.info")).toHaveLength(1);
  });
});
