import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parsePolicyObject } from "../../core/policy.js";
import { castVote } from "../../core/state-machine.js";
import { makeEventsHandler } from "../../lambdas/handlers/events.js";
import { snsEvent } from "../../local/codepipeline/notification.js";
import type { Stack } from "../../local/stack.js";
import { captureLogs } from "../support/logs.js";
import { putCalls } from "../support/simulator.js";
import { ANA, BO, linksByRecipient, requestApproval, testStack } from "../support/stack.js";

const TARGET = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };
const HOUR = 3_600_000;

function fixture(name: string, executionId: string, patch: Record<string, unknown> = {}): unknown {
  const event = JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
  return { ...event, detail: { ...event.detail, "execution-id": executionId, ...patch } };
}
const actionEvent = (executionId: string, state: string) =>
  fixture("eventbridge-action-execution-state-change.json", executionId, { state });
const pipelineEvent = (executionId: string, state: string) =>
  fixture("eventbridge-pipeline-execution-state-change.json", executionId, { state });
const stageEvent = (executionId: string, stage: string, state: string) => ({
  ...(fixture("eventbridge-pipeline-execution-state-change.json", executionId, { state, stage }) as object),
  "detail-type": "CodePipeline Stage Execution State Change",
});
const tick = {
  version: "0",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  time: "2026-11-29T20:30:00Z",
};

describe("lifecycle: CodePipeline events and the scheduled sweep (local stack)", () => {
  let stack: Stack;
  let now: number;
  const clock = { now: () => new Date(now) };
  const logs = captureLogs();
  let events: ReturnType<typeof makeEventsHandler>;

  beforeAll(async () => {
    now = Date.parse("2026-11-29T20:22:00Z");
    const policy = parsePolicyObject({
      version: 1,
      people: [
        { name: "Ana Lima", email: ANA, github: false },
        { name: "Bo Chen", email: BO, github: false },
      ],
      // No GitHub on this stack, so authors cannot be read: the rule allows self-approval.
      rules: [
        {
          match: { pipeline: "shop-*" },
          quorum: 2,
          selfApproval: true,
          reminderEvery: "4h",
          email: { recipients: [ANA, BO] },
        },
      ],
    });
    stack = await testStack({ clock, log: logs.log, policy });
    events = makeEventsHandler({ store: stack.store, pipeline: stack.pipeline, clock, log: logs.log });
  });
  afterAll(() => stack.close());
  beforeEach(async () => {
    now = Date.parse("2026-11-29T20:22:00Z");
    await stack.ses.clear();
  });

  const post = (link: string, form: Record<string, string>) =>
    fetch(link.split("?")[0] ?? link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ t: new URL(link).searchParams.get("t") ?? "", ...form }).toString(),
    });
  const approveBoth = async () => {
    const links = await linksByRecipient(stack);
    for (const link of links.values()) await post(link, { verdict: "approve" });
  };

  it("records the production deploy: deploying, then succeeded, never undone by a late event", async () => {
    const { approvalId, executionId } = await requestApproval(stack);
    await approveBoth();

    await events(stageEvent(executionId, "Approve", "SUCCEEDED"));
    await events(stageEvent(executionId, "Production", "STARTED"));
    const deploying = await stack.store.get(approvalId);
    await events(pipelineEvent(executionId, "SUCCEEDED"));
    await events(stageEvent(executionId, "Production", "STARTED"));
    const done = await stack.store.get(approvalId);

    expect(deploying?.deployment).toMatchObject({ state: "deploying", stage: "Production" });
    expect(done?.state).toBe("approved");
    expect(done?.deployment).toMatchObject({ state: "succeeded" });
    expect(done?.deployment?.url).toContain(executionId);
  });

  it("records a failed production deploy", async () => {
    const { approvalId, executionId } = await requestApproval(stack);
    await approveBoth();

    await events(stageEvent(executionId, "Production", "FAILED"));

    expect((await stack.store.get(approvalId))?.deployment).toMatchObject({
      state: "failed",
      stage: "Production",
    });
  });

  it("an approval answered in the AWS console becomes closed-elsewhere, and its links say so", async () => {
    const { approvalId, executionId } = await requestApproval(stack);
    stack.simulator.completeInConsole({ ...TARGET, status: "Approved" });

    await events(actionEvent(executionId, "SUCCEEDED"));

    expect(await stack.store.get(approvalId)).toMatchObject({
      state: "closed-elsewhere",
      closedReason: "console",
    });
    const page = await fetch((await linksByRecipient(stack)).get(ANA) ?? "");
    expect(await page.text()).toContain("Someone answered it in the AWS console");
  });

  it("PARALLEL: a newer run reaching the action leaves the older approval open, its token still live", async () => {
    const older = await requestApproval(stack);
    const olderLink = (await linksByRecipient(stack)).get(ANA) ?? "";
    const newer = await requestApproval(stack);

    const result = await events(actionEvent(newer.executionId, "STARTED"));

    expect(result.changed).toBe(0);
    expect((await stack.store.get(older.approvalId))?.state).toBe("pending");
    expect((await stack.store.get(newer.approvalId))?.state).toBe("pending");
    expect(stack.simulator.approvalRun(TARGET, older.executionId)?.status).toBe("InProgress");
    expect(await (await fetch(olderLink)).text()).not.toContain("Replaced by a newer run");
  });

  it("its own run's ABANDONED event closes the approval as superseded; its link says replaced by a newer run", async () => {
    const older = await requestApproval(stack);
    const olderLink = (await linksByRecipient(stack)).get(ANA) ?? "";
    stack.simulator.stopExecution("shop-web", older.executionId);

    await events(actionEvent(older.executionId, "ABANDONED"));

    expect(await stack.store.get(older.approvalId)).toMatchObject({
      state: "closed-elsewhere",
      closedReason: "superseded",
    });
    const page = await fetch(olderLink);
    expect(await page.text()).toContain("Replaced by a newer run");
    const decided = await post(olderLink, { verdict: "approve" });
    expect(decided.status).toBe(409);
    expect(await decided.text()).toContain("Replaced by a newer run");
  });

  it("an approval whose run could not be looked up at intake is never closed by its own run starting (issue 12 item 7)", async () => {
    const expiresAt = new Date(now + 7 * 86_400_000);
    const { token, executionId } = stack.simulator.startApproval({ ...TARGET, expiresAt });
    stack.simulator.failNext("GetPipelineState", "AccessDeniedException", 20);
    stack.simulator.failNext("ListActionExecutions", "AccessDeniedException", 20);
    const summary = await stack.intake(snsEvent({ region: "us-east-2", ...TARGET, token, expiresAt }));
    stack.simulator.clearFaults();
    const id = summary.opened[0] ?? "";
    expect(await stack.store.get(id)).toMatchObject({
      state: "pending",
      contextProblem: expect.stringContaining("AccessDenied"),
    });

    await events(actionEvent(executionId, "STARTED"));

    expect((await stack.store.get(id))?.state).toBe("pending");
    expect((await stack.store.get(id))?.context).not.toHaveProperty("executionId");
  });

  it("handles a state CodePipeline adds later without dropping the event (issue 13 item 7)", async () => {
    const { approvalId, executionId } = await requestApproval(stack);

    const result = await events(actionEvent(executionId, "IN_REVIEW"));
    const stage = await events(stageEvent(executionId, "Production", "SKIPPED"));

    expect(result.changed).toBe(0);
    expect(stage.changed).toBe(0);
    expect((await stack.store.get(approvalId))?.state).toBe("pending");
    expect(logs.entries().some((e) => e.msg === "events: unreadable event dropped")).toBe(false);
    expect(
      logs.entries().filter((e) => e.msg === "events: state not in CodePipeline's documented list"),
    ).toEqual([
      expect.objectContaining({ kind: "action", state: "IN_REVIEW" }),
      expect.objectContaining({ kind: "stage", state: "SKIPPED" }),
    ]);
  });

  it("the sweep completes a decision left in deciding while CodePipeline still waits", async () => {
    const { approvalId } = await requestApproval(stack);
    const approval = await stack.store.get(approvalId);
    if (!approval) throw new Error("no approval");
    // A crash between the conditional write and PutApprovalResult leaves exactly this behind.
    const vote = (id: string) => ({
      principal: `email:${id}`,
      verdict: "approve" as const,
      actor: { channel: "email" as const, id },
      at: clock.now().toISOString(),
    });
    const one = castVote(approval, vote(ANA), clock.now()).approval;
    const stuck = await stack.store.update(castVote(one, vote(BO), clock.now()).approval);
    expect(stuck.state).toBe("deciding");
    const calls = putCalls(stack.simulator).length;

    await events(tick);
    const early = await stack.store.get(approvalId);
    now += 2 * 60_000;
    await events(tick);

    expect(early?.state).toBe("deciding");
    expect(putCalls(stack.simulator)).toHaveLength(calls + 1);
    expect((await stack.store.get(approvalId))?.state).toBe("approved");
  });

  it("the sweep records closed-elsewhere when the stuck approval was completed in the console meanwhile", async () => {
    const { approvalId } = await requestApproval(stack);
    const approval = await stack.store.get(approvalId);
    if (!approval) throw new Error("no approval");
    const actor = { channel: "email" as const, id: BO };
    const reject = {
      principal: `email:${BO}`,
      verdict: "reject" as const,
      actor,
      comment: "no",
      at: clock.now().toISOString(),
    };
    await stack.store.update(castVote(approval, reject, clock.now()).approval);
    stack.simulator.completeInConsole({ ...TARGET, status: "Approved" });

    now += 2 * 60_000;
    await events(tick);

    expect(await stack.store.get(approvalId)).toMatchObject({
      state: "closed-elsewhere",
      closedReason: "already-completed",
    });
  });

  it("reminds those who have not acted, once per interval, never after a decision", async () => {
    const { approvalId } = await requestApproval(stack);
    const links = await linksByRecipient(stack);
    await post(links.get(ANA) ?? "", { verdict: "approve" }); // quorum 2: still pending
    await stack.ses.clear();
    // Other tests' approvals share the stack: count only this approval's reminders.
    const reminders = async () =>
      (await stack.ses.emails()).filter(
        (e) => e.subject.startsWith("Reminder:") && e.body.text?.includes(`/a/${approvalId}?`),
      );

    now += 1 * HOUR;
    await events(tick);
    await stack.settled();
    const afterOneHour = (await reminders()).length;
    now += 3 * HOUR;
    await events(tick);
    await stack.settled();
    const afterFourHours = await reminders();
    now += 1 * HOUR;
    await events(tick);
    await stack.settled();
    const afterFiveHours = (await reminders()).length;

    expect(afterOneHour).toBe(0);
    expect(afterFourHours.map((e) => e.destination.to[0])).toEqual([BO]);
    expect(afterFiveHours).toBe(1);

    // The reminder's own link works, and after the decision no reminder goes out.
    const reminderLink = /Review and decide: (\S+)/.exec(afterFourHours[0]?.body.text ?? "")?.[1] ?? "";
    const decided = await post(reminderLink, { verdict: "approve", comment: "fine" });
    expect(decided.status).toBe(200);
    expect((await stack.store.get(approvalId))?.state).toBe("approved");
    now += 8 * HOUR;
    await events(tick);
    await stack.settled();
    expect((await reminders()).length).toBe(1);
  });

  it("the sweep expires a pending approval past its expiry; its link then says expired", async () => {
    const { approvalId } = await requestApproval(stack, { expiresAt: new Date(now + 2 * HOUR) });
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";

    now += 3 * HOUR;
    await events(tick);

    expect((await stack.store.get(approvalId))?.state).toBe("expired");
    expect(await (await fetch(link)).text()).toContain("This link has expired");
  });

  it("drops an event it cannot read, with a log line naming the field", async () => {
    const result = await events({
      "detail-type": "CodePipeline Pipeline Execution State Change",
      detail: {},
    });

    expect(result.changed).toBe(0);
    expect(logs.entries().some((e) => e.msg === "events: unreadable event dropped")).toBe(true);
  });
});
