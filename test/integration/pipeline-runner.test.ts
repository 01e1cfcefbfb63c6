import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parsePipelineEvent } from "../../core/pipeline-events.js";
import type { ModelEvent } from "../../local/codepipeline/simulator.js";
import type { Stack } from "../../local/stack.js";
import { approvalFor, quiet, runnerOf, runnerStack, runOf, stageOf } from "../support/pipelines.js";
import { ANA, linksByRecipient } from "../support/stack.js";
import { waitFor } from "../support/wait.js";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));

const decide = async (stack: Stack, verdict: "approve" | "reject", comment = "") => {
  const link = (await linksByRecipient(stack)).get(ANA);
  if (!link) throw new Error("no e-mail for Ana");
  const res = await fetch(link.split("?")[0] ?? link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ t: new URL(link).searchParams.get("t") ?? "", verdict, comment }).toString(),
  });
  expect(res.status).toBe(200);
};

describe("pipeline runner: shop-web through the simulator, intake and EventBridge (local stack)", () => {
  let stack: Stack;
  // The stack's clock runs `skew` ms ahead of real time, so a test can step past an expiry.
  let skew = 0;
  const events: ModelEvent[] = [];

  beforeAll(async () => {
    stack = await runnerStack({ clock: { now: () => new Date(Date.now() + skew) } });
    stack.simulator.onEvent((e) => events.push(e));
  });
  afterAll(() => stack.close());
  beforeEach(async () => {
    skew = 0;
    // A run left waiting at Approval by an earlier test holds the stage (SUPERSEDED mode locks it
    // until the approval is answered): stop it, as an operator would, so each test starts clean.
    for (const run of stack.simulator.runs("shop-web")) {
      if (run.status === "InProgress") stack.simulator.stopExecution("shop-web", run.executionId);
    }
    await quiet(stack);
    events.length = 0;
    await stack.ses.clear();
  });

  it("runs Source → Build → Staging, then waits at Approval with the notification intake expects", async () => {
    const { executionId } = runnerOf(stack).runner.start("shop-web");

    const approval = await approvalFor(stack, executionId);

    const started = events.filter((e) => e.kind === "stage" && e.status === "InProgress");
    expect(started.map((e) => e.kind === "stage" && e.stage)).toEqual([
      "Source",
      "Build",
      "Staging",
      "Approval",
    ]);
    expect(runOf(stack, executionId)?.stages.map((s) => [s.name, s.status])).toEqual([
      ["Source", "Succeeded"],
      ["Build", "Succeeded"],
      ["Staging", "Succeeded"],
      ["Approval", "InProgress"],
      ["Production", undefined],
    ]);
    expect(approval.request).toMatchObject({
      pipeline: "shop-web",
      stage: "Approval",
      action: "StakeholderApproval",
      externalLink: `${stack.publicUrl}/local/staging/shop-web/${executionId}`,
    });
    expect(approval.request.customData).toContain("staging");
    expect(approval.context).toMatchObject({
      executionId,
      repository: "acme/shop-web",
      commit: { message: "Add express checkout (#42)" },
      pullRequest: { number: 42, url: "https://github.com/acme/shop-web/pull/42" },
    });
    expect(approval.context.commit?.url).toBe(
      `https://github.com/acme/shop-web/commit/${approval.context.commit?.sha}`,
    );
    const staging = await fetch(approval.request.externalLink ?? "");
    expect(staging.status).toBe(200);
    expect(await staging.text()).toContain("Add express checkout (#42)");
  });

  it("approved: Production runs, the run succeeds, and the deploy outcome is recorded on the approval", async () => {
    const { executionId } = runnerOf(stack).runner.start("shop-web");
    const { id } = await approvalFor(stack, executionId);

    await decide(stack, "approve", "ship it");
    await waitFor("the run to succeed", () => runOf(stack, executionId)?.status === "Succeeded");
    await quiet(stack);

    expect(stageOf(stack, executionId, "Production")?.status).toBe("Succeeded");
    const approval = await stack.store.get(id);
    expect(approval?.state).toBe("approved");
    expect(approval?.deployment?.state).toBe("succeeded");
    expect(approval?.history.map((h) => h.event)).toEqual(
      expect.arrayContaining(["delivered-approved", "deploy-deploying", "deploy-succeeded"]),
    );
    const puts = stack.simulator.calls.filter((c) => c.operation === "PutApprovalResult");
    expect(puts.at(-1)?.params).toMatchObject({ result: { status: "Approved" } });
  });

  it("emits every state change to the events handler as EventBridge does, in the documented shapes", async () => {
    const { executionId } = runnerOf(stack).runner.start("shop-web");
    await approvalFor(stack, executionId);
    await decide(stack, "approve");
    await waitFor("the run to succeed", () => runOf(stack, executionId)?.status === "Succeeded");
    await quiet(stack);

    const mine = runnerOf(stack).bus.delivered.filter((e) => JSON.stringify(e).includes(executionId));
    const action = fixture("eventbridge-action-execution-state-change.json");
    const pipeline = fixture("eventbridge-pipeline-execution-state-change.json");
    for (const event of mine) {
      expect(() => parsePipelineEvent(event)).not.toThrow();
      expect(Object.keys(event as object).sort()).toEqual(Object.keys(action).sort());
    }
    const byType = (type: string) =>
      mine.flatMap((e) =>
        e && typeof e === "object" && "detail-type" in e && e["detail-type"] === type ? [e] : [],
      );
    const actions = byType("CodePipeline Action Execution State Change");
    const pipelines = byType("CodePipeline Pipeline Execution State Change");
    const stages = byType("CodePipeline Stage Execution State Change");
    for (const e of actions)
      expect(Object.keys(Reflect.get(e, "detail")).sort()).toEqual(Object.keys(action.detail).sort());
    for (const e of pipelines)
      expect(Object.keys(Reflect.get(e, "detail")).sort()).toEqual(Object.keys(pipeline.detail).sort());
    const states = (list: object[]) => list.map((e) => Reflect.get(Reflect.get(e, "detail"), "state"));
    expect(states(pipelines)).toEqual(["STARTED", "SUCCEEDED"]);
    expect(states(stages)).toEqual(Array(5).fill(["STARTED", "SUCCEEDED"]).flat());
    expect(
      actions.find((e) => Reflect.get(Reflect.get(e, "detail"), "action") === "StakeholderApproval"),
    ).toMatchObject({
      detail: {
        type: { owner: "AWS", provider: "Manual", category: "Approval", version: "1" },
        state: "STARTED",
      },
    });
  });

  it("rejected: the run stops at Approval and Production never starts", async () => {
    const { executionId } = runnerOf(stack).runner.start("shop-web");
    const { id } = await approvalFor(stack, executionId);

    await decide(stack, "reject", "totals are wrong");
    await waitFor("the run to stop", () => runOf(stack, executionId)?.status === "Failed");
    await quiet(stack);

    expect(stageOf(stack, executionId, "Approval")?.status).toBe("Failed");
    expect(stageOf(stack, executionId, "Production")?.status).toBeUndefined();
    expect(runOf(stack, executionId)?.statusSummary).toContain("totals are wrong");
    expect((await stack.store.get(id))?.state).toBe("rejected");
  });

  it("expired: CodePipeline times the approval out, the run fails and the approval says expired", async () => {
    const { executionId } = runnerOf(stack).runner.start("shop-web");
    const { id } = await approvalFor(stack, executionId);

    skew = 8 * 86_400_000;
    stack.simulator.expireApprovals();
    await waitFor("the run to fail", () => runOf(stack, executionId)?.status === "Failed");
    await quiet(stack);

    const approval = stageOf(stack, executionId, "Approval");
    expect(approval?.status).toBe("Failed");
    expect(approval?.actions[0]?.error).toBe("The approval request timed out");
    expect((await stack.store.get(id))?.state).toBe("expired");
  });

  it("SUPERSEDED mode: newer runs wait in front of the locked Approval stage, the newest replaces the one waiting, the waiting approval stays open", async () => {
    const first = runnerOf(stack).runner.start("shop-web");
    const older = await approvalFor(stack, first.executionId);
    const second = runnerOf(stack).runner.start("shop-web");
    await waitFor("the second run to wait in front of Approval", () =>
      stack.simulator
        .runs("shop-web")
        .some((r) => r.executionId === second.executionId && r.stages[2]?.status === "Succeeded"),
    );
    const third = runnerOf(stack).runner.start("shop-web");
    await waitFor(
      "the second run to be superseded",
      () => runOf(stack, second.executionId)?.status === "Superseded",
    );
    await quiet(stack);

    // "A stage with an approval action is locked until the approval action is approved or
    // rejected or has timed out"; "executions are only superseded in between stages".
    expect(runOf(stack, first.executionId)?.status).toBe("InProgress");
    expect(runOf(stack, third.executionId)?.status).toBe("InProgress");
    expect(stageOf(stack, third.executionId, "Approval")?.status).toBeUndefined();
    expect((await stack.store.get(older.id))?.state).toBe("pending");

    await decide(stack, "approve");
    const next = await approvalFor(stack, third.executionId);
    expect(next.context.executionId).toBe(third.executionId);
  });

  it("a failing production deploy fails the run and is recorded as a failed deployment", async () => {
    const { executionId } = runnerOf(stack).runner.start("shop-web", { failAt: "Production" });
    const { id } = await approvalFor(stack, executionId);

    await decide(stack, "approve");
    await waitFor("the run to fail", () => runOf(stack, executionId)?.status === "Failed");
    await quiet(stack);

    expect(stageOf(stack, executionId, "Production")?.status).toBe("Failed");
    expect((await stack.store.get(id))?.deployment?.state).toBe("failed");
  });
});
