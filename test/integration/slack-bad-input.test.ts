import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Approval } from "../../core/approval.js";
import { formBody, signInteraction } from "../../local/slack/interactions.js";
import type { PostedMessage } from "../../local/slack/workspace.js";
import { putCalls } from "../support/simulator.js";
import { MARIA, type SlackWorld, startSlackWorld } from "../support/slack.js";

const APPROVE = "greenlight_approve";

describe("Slack: bad or late input gets a clear answer, no crash, nothing written", () => {
  let world: SlackWorld;
  let approval: Approval;
  let message: PostedMessage;

  beforeEach(async () => {
    world = await startSlackWorld();
    ({ approval, message } = await world.open());
  });
  afterEach(() => world.close());

  async function unchanged() {
    expect((await world.store.get(approval.id))?.version).toBe(approval.version);
    expect(putCalls(world.sim)).toHaveLength(0);
  }
  const ephemeralTexts = () => world.slack.workspace.ephemerals.map((e) => e.text);

  it("an unknown action id → acknowledged, explained to the clicker", async () => {
    const res = await world.send(
      world.slack.click({ user: MARIA, message, actionId: "deploy_everything", value: "x" }),
    );

    expect(res.status).toBe(200);
    expect(ephemeralTexts()).toEqual([
      "Greenlight does not know this button (the message may be from an older version). Nothing was recorded.",
    ]);
    await unchanged();
  });

  it("our button with a value that is not an approval id", async () => {
    const res = await world.send(
      world.slack.click({ user: MARIA, message, actionId: APPROVE, value: "../../x" }),
    );

    expect(res.status).toBe(200);
    expect(ephemeralTexts()[0]).toMatch(/could not read this button/);
    await unchanged();
  });

  it("an approval Greenlight does not have (cleaned up, or never existed)", async () => {
    const res = await world.send(
      world.slack.click({ user: MARIA, message, actionId: APPROVE, value: "AAAAAAAAAAAAAAAAAAAAAA" }),
    );

    expect(res.status).toBe(200);
    expect(ephemeralTexts()).toEqual(["This approval is no longer in Greenlight. Nothing was recorded."]);
    await unchanged();
  });

  it("an expired approval: refused, no CodePipeline call; the expiry is recorded and the message says so", async () => {
    world.setNow(new Date("2026-12-06T20:22:00Z"));

    const res = await world.send(world.slack.click({ user: MARIA, message, actionId: APPROVE }));

    expect(res.status).toBe(200);
    expect(ephemeralTexts()[0]).toMatch(
      /^This approval expired at <!date\^\d+\^.*>; the release did not go ahead\.$/,
    );
    expect(putCalls(world.sim)).toHaveLength(0);
    const after = await world.store.get(approval.id);
    expect(after).toMatchObject({ state: "expired", votes: {} });
    expect(world.read(message).at(-1)).toMatch(/^⌛ Expired at /);
  });

  it("an expired approval, Reject clicked: no modal, the same answer", async () => {
    world.setNow(new Date("2026-12-07T00:00:00Z"));

    await world.send(world.slack.click({ user: MARIA, message, actionId: "greenlight_reject" }));

    expect(world.slack.workspace.views).toEqual([]);
    expect(ephemeralTexts()[0]).toMatch(/^This approval expired/);
  });

  it("answered in the AWS console meanwhile → told so; the message stops offering buttons", async () => {
    world.sim.completeInConsole({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
      status: "Approved",
    });

    await world.send(world.slack.click({ user: MARIA, message, actionId: APPROVE }));

    expect(ephemeralTexts()).toEqual(["This approval was answered in the AWS console."]);
    expect((await world.store.get(approval.id))?.state).toBe("closed-elsewhere");
    expect(world.read(message).at(-1)).toBe(
      "ℹ️ Answered in the AWS console: Greenlight did not decide this one.",
    );
  });

  it("a validly signed payload that is malformed JSON → 400", async () => {
    const signed = signInteraction(world.slack.signingSecret, "payload=%7B%22type%22%3A", world.clock.now());

    const res = await world.send(signed);

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "the payload is not valid JSON" });
    await unchanged();
  });

  it("a modal submission for a view Greenlight never opened (unknown callback) → 404, said plainly", async () => {
    const payload = {
      type: "view_submission",
      team: { id: world.slack.workspace.identity.teamId },
      api_app_id: world.slack.workspace.identity.appId,
      user: { id: MARIA.id, name: "maria" },
      view: { id: "V1", callback_id: "someone_elses_modal", private_metadata: "", state: { values: {} } },
    };

    const res = await world.send(
      signInteraction(world.slack.signingSecret, formBody(payload), world.clock.now()),
    );

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "no handler for this interaction" });
    await unchanged();
  });

  it("our modal, but its private metadata is not ours → the modal says it could not be read", async () => {
    const payload = {
      type: "view_submission",
      team: { id: world.slack.workspace.identity.teamId },
      api_app_id: world.slack.workspace.identity.appId,
      user: { id: MARIA.id, name: "maria" },
      view: {
        id: "V1",
        callback_id: "greenlight_reject_modal",
        private_metadata: "{}",
        state: { values: { reason: { reason: { type: "plain_text_input", value: "x" } } } },
      },
    };

    const res = await world.send(
      signInteraction(world.slack.signingSecret, formBody(payload), world.clock.now()),
    );

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      response_action: "update",
      view: { title: { text: "Not decided" } },
    });
    await unchanged();
  });

  it("a click whose ephemeral reply Slack refuses is still handled (logged, no crash)", async () => {
    world.slack.failNext("chat.postEphemeral", "channel_not_found");

    const res = await world.send(
      world.slack.click({ user: MARIA, message, actionId: "x_unknown", value: "v" }),
    );

    expect(res.status).toBe(200);
    expect(world.logs.entries()).toContainEqual(
      expect.objectContaining({ msg: "slack: ephemeral reply failed" }),
    );
  });

  it("Slack too slow to open the modal → the clicker is told to click again; nothing written", async () => {
    world.slack.failNext("views.open", "expired_trigger_id");

    await world.send(world.slack.click({ user: MARIA, message, actionId: "greenlight_reject" }));

    expect(ephemeralTexts()).toEqual(["Slack did not open the form in time. Please click again."]);
    await unchanged();
  });

  it("never calls auth.test, and never logs a token, a signature or a payload", async () => {
    const click = world.slack.click({ user: MARIA, message, actionId: APPROVE });
    await world.send(click);

    expect(world.slack.callsTo("auth.test")).toEqual([]);
    const logs = world.logs.text();
    expect(logs).not.toContain(world.slack.botToken);
    expect(logs).not.toContain(click.headers["x-slack-signature"]?.slice(3));
    expect(logs).not.toContain("trigger_id");
    expect(logs).not.toContain(world.slack.signingSecret);
  });
});
