import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  ListActionExecutionsCommand,
  PutApprovalResultCommand,
} from "@aws-sdk/client-codepipeline";
import { afterEach, describe, expect, it } from "vitest";
import type { PutApprovalResultInput } from "../../core/ports.js";
import { CodePipelineAdapter } from "../../lambdas/aws/codepipeline.js";
import {
  type CodePipelineSimulator,
  type ExecutionMode,
  type SimulatorOptions,
  startCodePipelineSimulator,
} from "../../local/codepipeline/simulator.js";

// Execution modes as the CodePipeline user guide documents them ("How pipeline executions work",
// "Set or change the pipeline execution mode") and the API reference's PutApprovalResult "token"
// (PARALLEL: the token is ListActionExecutions' externalExecutionId, not in GetPipelineState).

const APPROVAL = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };
const SUMMARY = "Approved by Ana Lima via e-mail: ship it";
const T0 = new Date("2026-11-29T20:22:00.000Z");

let sim: CodePipelineSimulator;
let client: CodePipelineClient;

async function start(mode: ExecutionMode, options: SimulatorOptions = {}, maxAttempts = 1) {
  sim = await startCodePipelineSimulator({ now: () => T0, ...options });
  sim.definePipeline({
    name: "shop-web",
    executionMode: mode,
    stages: [
      { name: "Source", actions: [{ name: "Source", category: "Source" }] },
      { name: "Approve", actions: ["StakeholderApproval"] },
      { name: "Production", actions: [{ name: "Deploy", category: "Deploy" }] },
    ],
  });
  client = new CodePipelineClient({
    endpoint: sim.url,
    region: "us-east-2",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts,
  });
  return new CodePipelineAdapter(client);
}

const input = (token: string, executionId?: string): PutApprovalResultInput => ({
  ...APPROVAL,
  token,
  status: "Approved",
  summary: SUMMARY,
  ...(executionId ? { executionId } : {}),
});

afterEach(async () => {
  client?.destroy();
  await sim?.close();
});

describe("SUPERSEDED mode (the default)", () => {
  it("keeps the approval's stage locked: a newer run waits in front of it, the newest replaces the one waiting", async () => {
    await start("SUPERSEDED");
    const first = sim.startApproval(APPROVAL);

    const second = sim.arriveAtApproval(APPROVAL);
    const third = sim.arriveAtApproval(APPROVAL);

    expect(second.token).toBeUndefined();
    expect(third.token).toBeUndefined();
    expect(sim.execution("shop-web", second.executionId)?.status).toBe("Superseded");
    expect(sim.execution("shop-web", third.executionId)?.status).toBe("InProgress");
    expect(sim.approvalRun(APPROVAL, first.executionId)?.status).toBe("InProgress");
    // The waiting approval's token still works: the newer runs did not touch it.
    const out = await client.send(
      new PutApprovalResultCommand({
        pipelineName: "shop-web",
        stageName: "Approve",
        actionName: "StakeholderApproval",
        token: first.token,
        result: { status: "Approved", summary: SUMMARY },
      }),
    );
    expect(out.approvedAt).toEqual(T0);
    // Answered, the stage lets the newest run in; it now waits at the approval with its own token.
    const next = sim.approvalRun(APPROVAL, third.executionId);
    expect(next).toMatchObject({ status: "InProgress", token: expect.any(String) });
    expect(next?.token).not.toBe(first.token);
  });

  it("says SUPERSEDED in GetPipelineExecution", async () => {
    await start("SUPERSEDED");
    const { executionId } = sim.startApproval(APPROVAL);

    const out = await client.send(
      new GetPipelineExecutionCommand({ pipelineName: "shop-web", pipelineExecutionId: executionId }),
    );

    expect(out.pipelineExecution?.executionMode).toBe("SUPERSEDED");
  });
});

describe("QUEUED mode", () => {
  it("lets waiting runs in one by one, in the order they came, superseding none", async () => {
    await start("QUEUED");
    const first = sim.startApproval(APPROVAL);
    const second = sim.arriveAtApproval(APPROVAL);
    const third = sim.arriveAtApproval(APPROVAL);

    sim.completeInConsole({ ...APPROVAL, status: "Approved", summary: "ok" });

    expect(sim.approvalRun(APPROVAL, first.executionId)?.status).toBe("Succeeded");
    expect(sim.approvalRun(APPROVAL, second.executionId)?.status).toBe("InProgress");
    expect(sim.approvalRun(APPROVAL, third.executionId)).toBeUndefined();
    expect(sim.execution("shop-web", third.executionId)?.status).toBe("InProgress");
    sim.completeInConsole({ ...APPROVAL, status: "Rejected", summary: "no" });
    expect(sim.approvalRun(APPROVAL, third.executionId)?.status).toBe("InProgress");
  });

  it("needs a V2 pipeline, as CreatePipeline does", async () => {
    await start("SUPERSEDED");

    expect(() =>
      sim.definePipeline({ name: "legacy", executionMode: "QUEUED", pipelineType: "V1", stages: [] }),
    ).toThrow(/requires pipeline type V2/);
  });
});

describe("PARALLEL mode", () => {
  it("runs wait side by side, each with a live token; GetPipelineState does not give the token, ListActionExecutions does", async () => {
    await start("PARALLEL");
    const older = sim.startApproval(APPROVAL);
    const newer = sim.startApproval(APPROVAL);

    const state = await client.send(new GetPipelineStateCommand({ name: "shop-web" }));
    const listed = await client.send(new ListActionExecutionsCommand({ pipelineName: "shop-web" }));

    const action = state.stageStates?.find((s) => s.stageName === "Approve")?.actionStates?.[0];
    expect(action?.latestExecution?.status).toBe("InProgress");
    expect(action?.latestExecution?.token).toBeUndefined();
    const approvals = (listed.actionExecutionDetails ?? []).filter(
      (d) => d.actionName === "StakeholderApproval",
    );
    expect(
      approvals.map((d) => [d.pipelineExecutionId, d.output?.executionResult?.externalExecutionId]),
    ).toEqual([
      [newer.executionId, newer.token],
      [older.executionId, older.token],
    ]);
    expect(approvals[0]?.input?.actionTypeId).toMatchObject({ category: "Approval", provider: "Manual" });
    expect(sim.approvalRun(APPROVAL, older.executionId)?.status).toBe("InProgress");
    expect(sim.approvalRun(APPROVAL, newer.executionId)?.status).toBe("InProgress");
  });

  it("answers each run with its own token, in any order", async () => {
    const adapter = await start("PARALLEL");
    const older = sim.startApproval(APPROVAL);
    const newer = sim.startApproval(APPROVAL);

    await adapter.putApprovalResult(input(newer.token));
    await adapter.putApprovalResult({ ...input(older.token), status: "Rejected" });

    expect(sim.approvalRun(APPROVAL, newer.executionId)?.status).toBe("Succeeded");
    expect(sim.approvalRun(APPROVAL, older.executionId)?.status).toBe("Failed");
  });

  it("approvalActionState finds the run holding a token, not the latest run", async () => {
    const adapter = await start("PARALLEL");
    const older = sim.startApproval(APPROVAL);
    const newer = sim.startApproval(APPROVAL);

    const state = await adapter.approvalActionState({ ...APPROVAL, token: older.token });

    expect(state).toEqual({ executionId: older.executionId, token: older.token, status: "InProgress" });
    expect(state.executionId).not.toBe(newer.executionId);
  });

  it("recognises our own answer whose reply was lost, though GetPipelineState shows another run", async () => {
    const adapter = await start("PARALLEL");
    const ours = sim.startApproval(APPROVAL);
    sim.startApproval(APPROVAL);
    sim.failNext("PutApprovalResult", "InternalFailure", 1, { afterApplying: true });
    await adapter.putApprovalResult(input(ours.token)).catch(() => undefined);

    const retried = await adapter.putApprovalResult(input(ours.token, ours.executionId));

    expect(retried).toEqual({ approvedAt: T0.toISOString() });
    expect(sim.calls.map((c) => [c.operation, c.outcome])).toEqual([
      ["PutApprovalResult", "InternalFailure"],
      ["PutApprovalResult", "ApprovalAlreadyCompletedException"],
      ["GetPipelineState", "ok"],
      ["ListActionExecutions", "ok"],
    ]);
  });
});

describe("a lost reply answered with InvalidApprovalTokenException (issue 13 item 4)", () => {
  it.each<ExecutionMode>(["SUPERSEDED", "PARALLEL"])(
    "%s: our own earlier answer counts as delivered, not as an invalid token",
    async (mode) => {
      const adapter = await start(mode, { answeredTokenError: "InvalidApprovalTokenException" });
      const { token } = sim.startApproval(APPROVAL);
      sim.failNext("PutApprovalResult", "InternalFailure", 1, { afterApplying: true });
      const lost = await adapter.putApprovalResult(input(token)).catch((e: unknown) => e);

      const retried = await adapter.putApprovalResult(input(token));

      expect(lost).toMatchObject({ kind: "unavailable" });
      expect(retried).toEqual({ approvedAt: T0.toISOString() });
      expect(sim.calls.filter((c) => c.operation === "PutApprovalResult").map((c) => c.outcome)).toEqual([
        "InternalFailure",
        "InvalidApprovalTokenException",
      ]);
    },
  );

  it("an answer that is not ours stays invalid-token (someone answered with another summary)", async () => {
    const adapter = await start("SUPERSEDED", { answeredTokenError: "InvalidApprovalTokenException" });
    const { token } = sim.startApproval(APPROVAL);
    sim.completeInConsole({ ...APPROVAL, status: "Approved", summary: "LGTM (console)" });

    const error = await adapter.putApprovalResult(input(token)).catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: "invalid-token" });
  });

  it("the simulator answers an answered token with the configured documented error, on the wire", async () => {
    await start("SUPERSEDED", { answeredTokenError: "InvalidApprovalTokenException" });
    const { token } = sim.startApproval(APPROVAL);
    sim.completeInConsole({ ...APPROVAL, status: "Approved", summary: "ok" });

    const again = client.send(
      new PutApprovalResultCommand({
        pipelineName: "shop-web",
        stageName: "Approve",
        actionName: "StakeholderApproval",
        token,
        result: { status: "Approved", summary: SUMMARY },
      }),
    );

    await expect(again).rejects.toBeInstanceOf(InvalidApprovalTokenException);
  });
});

describe("the API reference's limits and errors", () => {
  it("refuses an approval timeout outside 5 minutes to 60 days (86,400 minutes)", async () => {
    await start("SUPERSEDED");
    const approval = (timeoutMinutes: number) => ({
      name: `p${timeoutMinutes}`,
      stages: [{ name: "A", actions: [{ name: "Ok", category: "Approval" as const, timeoutMinutes }] }],
    });

    expect(() => sim.definePipeline(approval(4))).toThrow(/5 to 86400 minutes/);
    expect(() => sim.definePipeline(approval(86_401))).toThrow(/5 to 86400 minutes/);
    expect(() => sim.definePipeline(approval(5))).not.toThrow();
    expect(() => sim.definePipeline(approval(86_400))).not.toThrow();
  });

  it("waits for the action's configured timeout", async () => {
    await start("SUPERSEDED");
    sim.definePipeline({
      name: "short",
      stages: [{ name: "A", actions: [{ name: "Ok", category: "Approval", timeoutMinutes: 5 }] }],
    });

    sim.startApproval({ pipeline: "short", stage: "A", action: "Ok" });

    expect(sim.latestRun({ pipeline: "short", stage: "A", action: "Ok" })?.expiresAt).toEqual(
      new Date(T0.getTime() + 5 * 60_000),
    );
  });

  it("refuses pipeline, stage and action names outside [A-Za-z0-9.@\\-_]{1,100}", async () => {
    await start("SUPERSEDED");

    expect(() => sim.definePipeline({ name: "shop web", stages: [] })).toThrow(/must match/);
    expect(() => sim.definePipeline({ name: "x".repeat(101), stages: [] })).toThrow(/must match/);
  });

  it("ListActionExecutions: ValidationException for maxResults and the filter's execution id, 400 on the wire", async () => {
    await start("PARALLEL");
    sim.startApproval(APPROVAL);

    const tooMany = client.send(
      new ListActionExecutionsCommand({ pipelineName: "shop-web", maxResults: 101 }),
    );
    const badId = client.send(
      new ListActionExecutionsCommand({ pipelineName: "shop-web", filter: { pipelineExecutionId: "run-1" } }),
    );
    const unknown = client.send(
      new ListActionExecutionsCommand({
        pipelineName: "shop-web",
        filter: { pipelineExecutionId: "00000000-0000-4000-8000-000000000000" },
      }),
    );

    await expect(tooMany).rejects.toMatchObject({
      name: "ValidationException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(badId).rejects.toMatchObject({ name: "ValidationException" });
    await expect(unknown).rejects.toMatchObject({ name: "PipelineExecutionNotFoundException" });
  });

  it("ListActionExecutions pages by maxResults and filters by pipeline execution", async () => {
    await start("PARALLEL");
    const a = sim.startApproval(APPROVAL);
    sim.startApproval(APPROVAL);

    const page1 = await client.send(
      new ListActionExecutionsCommand({ pipelineName: "shop-web", maxResults: 1 }),
    );
    const page2 = await client.send(
      new ListActionExecutionsCommand({
        pipelineName: "shop-web",
        maxResults: 1,
        nextToken: page1.nextToken,
      }),
    );
    const onlyA = await client.send(
      new ListActionExecutionsCommand({
        pipelineName: "shop-web",
        filter: { pipelineExecutionId: a.executionId },
      }),
    );

    expect(page1.actionExecutionDetails).toHaveLength(1);
    expect(page2.actionExecutionDetails?.[0]?.actionExecutionId).not.toBe(
      page1.actionExecutionDetails?.[0]?.actionExecutionId,
    );
    expect(new Set(onlyA.actionExecutionDetails?.map((d) => d.pipelineExecutionId))).toEqual(
      new Set([a.executionId]),
    );
    expect(onlyA.actionExecutionDetails?.map((d) => d.actionName).sort()).toEqual([
      "Source",
      "StakeholderApproval",
    ]);
  });

  it("keeps the token out of its call log for ListActionExecutions too", async () => {
    await start("PARALLEL");
    const { token } = sim.startApproval(APPROVAL);

    await client.send(new ListActionExecutionsCommand({ pipelineName: "shop-web" }));

    expect(sim.callLog()).not.toContain(token);
  });
});
