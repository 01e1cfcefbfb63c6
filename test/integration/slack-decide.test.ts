import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decide } from "../../core/decide.js";
import { putCalls } from "../support/simulator.js";
import { BO, CHANNEL, GIA, MARIA, OLLY, type SlackWorld, startSlackWorld } from "../support/slack.js";

const APPROVE = "greenlight_approve";
const REJECT = "greenlight_reject";

describe("Slack: deciding with buttons (route → Bolt → core → CodePipeline, projector → chat.update)", () => {
  let world: SlackWorld;
  afterEach(() => world.close());

  describe("quorum 1", () => {
    beforeEach(async () => {
      world = await startSlackWorld();
    });

    it("posts one message when the approval opens: header, context, who can approve, Approve and Reject", async () => {
      const { message } = await world.open();

      expect(world.slack.callsTo("chat.postMessage")).toHaveLength(1);
      expect(message.channel).toBe(CHANNEL);
      const lines = world.read(message);
      expect(lines[0]).toBe("Production approval: shop-web");
      expect(lines).toContain("Pipeline: shop-web · Approve");
      expect(lines.some((l) => l.startsWith("Commit: 4f9c2d1"))).toBe(true);
      expect(lines).toContain("Who can approve: @maria, @bo or anyone in @release-managers");
      expect(lines.at(-1)).toBe("[Approve] [Approve with comment…] [Reject]");
    });

    it("an approver approves → exactly one PutApprovalResult; the message names them and loses its buttons", async () => {
      const { approval, message } = await world.open();

      const res = await world.send(world.slack.click({ user: MARIA, message, actionId: APPROVE }));

      expect(res.status).toBe(200);
      expect(putCalls(world.sim)).toHaveLength(1);
      const run = world.sim.latestRun({
        pipeline: "shop-web",
        stage: "Approve",
        action: "StakeholderApproval",
      });
      expect(run?.status).toBe("Succeeded");
      expect(run?.summary).toBe("Approved by Maria Souza via Slack");
      expect((await world.store.get(approval.id))?.state).toBe("approved");
      const lines = world.read(message);
      expect(lines.at(-1)).toBe("✅ Approved by @maria at 20:22 UTC");
      expect(lines.join("\n")).not.toContain("[Approve]");
      expect(world.slack.workspace.ephemerals).toHaveLength(0);
    });

    it("two approvers click at once → one PutApprovalResult; the later one hears who won", async () => {
      const { message } = await world.open();
      const first = world.slack.click({ user: MARIA, message, actionId: APPROVE });
      const second = world.slack.click({ user: BO, message, actionId: APPROVE });
      await world.send(first);

      const res = await world.send(second);

      expect(res.status).toBe(200);
      expect(putCalls(world.sim)).toHaveLength(1);
      const [ephemeral] = world.slack.workspace.ephemerals;
      expect(ephemeral).toMatchObject({ channel: CHANNEL, user: BO.id });
      expect(ephemeral?.text).toMatch(
        /^Already approved by <@U0MARIA01> at <!date\^\d+\^\{time\}\|20:22 UTC>\.$/,
      );
    });

    it("someone who is not an approver → ephemeral refusal naming the approvers; nothing written", async () => {
      const { approval, message } = await world.open();

      const res = await world.send(world.slack.click({ user: OLLY, message, actionId: APPROVE }));

      expect(res.status).toBe(200);
      const after = await world.store.get(approval.id);
      expect(after?.version).toBe(approval.version);
      expect(after?.votes).toEqual({});
      expect(putCalls(world.sim)).toHaveLength(0);
      expect(world.slack.workspace.ephemerals).toEqual([
        expect.objectContaining({
          user: OLLY.id,
          text: "Only <@U0MARIA01>, <@U0BOCHEN1> or anyone in <!subteam^S0RELEASE1> can decide on this deploy. Nothing was recorded.",
        }),
      ]);
      expect(world.slack.callsTo("chat.update")).toHaveLength(0);
      expect(world.logs.entries()).toContainEqual(
        expect.objectContaining({
          msg: "decision refused",
          who: "slack:u0ollyout",
          reason: "not-an-approver",
        }),
      );
    });

    it("a user-group approver is resolved through usergroups.users.list and may approve", async () => {
      const { message } = await world.open();

      await world.send(world.slack.click({ user: GIA, message, actionId: APPROVE }));

      expect(world.slack.callsTo("usergroups.users.list")).toEqual([
        expect.objectContaining({ args: expect.objectContaining({ usergroup: "S0RELEASE1" }), ok: true }),
      ]);
      expect(putCalls(world.sim)).toHaveLength(1);
      expect(world.read(message).at(-1)).toBe("✅ Approved by @gia at 20:22 UTC");
    });

    it("reject: the confirm dialog leads to a modal; its reason is required and reaches CodePipeline", async () => {
      const { approval, message } = await world.open();

      const click = await world.send(world.slack.click({ user: BO, message, actionId: REJECT }));
      const [opened] = world.slack.workspace.views;
      if (!opened) throw new Error("no modal opened");
      const blank = await world.send(
        world.slack.submit({ user: BO, viewId: opened.id, values: { reason: "  " } }),
      );
      const afterBlank = await world.store.get(approval.id);
      const submitted = await world.send(
        world.slack.submit({ user: BO, viewId: opened.id, values: { reason: "Checkout 500s on staging" } }),
      );

      expect(click.status).toBe(200);
      expect(opened.view).toMatchObject({
        callback_id: "greenlight_reject_modal",
        title: { text: "Reject deploy" },
      });
      expect(await blank.json()).toEqual({
        response_action: "errors",
        errors: { reason: "Please say why you are rejecting this deploy." },
      });
      expect(afterBlank?.version).toBe(approval.version);
      expect(submitted.status).toBe(200);
      expect(await submitted.text()).toBe("");
      expect(putCalls(world.sim)).toHaveLength(1);
      const run = world.sim.latestRun({
        pipeline: "shop-web",
        stage: "Approve",
        action: "StakeholderApproval",
      });
      expect(run?.status).toBe("Failed");
      expect(run?.summary).toBe("Rejected by bo via Slack: Checkout 500s on staging");
      expect(world.read(message).at(-1)).toBe("⛔ Rejected by @bo at 20:22 UTC: Checkout 500s on staging");
    });

    it("approve with a comment, through the approve modal", async () => {
      const { message } = await world.open();

      await world.send(world.slack.click({ user: MARIA, message, actionId: "greenlight_approve_comment" }));
      const [opened] = world.slack.workspace.views;
      if (!opened) throw new Error("no modal opened");
      await world.send(
        world.slack.submit({ user: MARIA, viewId: opened.id, values: { comment: "looks good" } }),
      );

      expect(world.read(message).at(-1)).toBe("✅ Approved by @maria at 20:22 UTC: looks good");
      expect(putCalls(world.sim)).toHaveLength(1);
    });

    it("decided by e-mail → the Slack message loses its buttons and names who decided", async () => {
      const { approval, message } = await world.open();

      await decide(
        { store: world.store, pipeline: world.pipeline, clock: world.clock },
        {
          approvalId: approval.id,
          actor: { channel: "email", id: "ana@acme.io", name: "Ana Lima" },
          verdict: "approve",
          comment: "ship it",
        },
      );
      await world.store.idle();

      expect(world.read(message).at(-1)).toBe("✅ Approved by Ana Lima via e-mail at 20:22 UTC: ship it");
      expect(world.read(message).join("\n")).not.toContain("[Approve]");
    });
  });
});
