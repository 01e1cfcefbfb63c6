import {
  ActionNotFoundException,
  ApprovalAlreadyCompletedException,
  type ApprovalStatus,
  CodePipelineClient,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  ListPipelineExecutionsCommand,
  PipelineExecutionNotFoundException,
  PipelineNotFoundException,
  PutApprovalResultCommand,
  StageNotFoundException,
  ValidationException,
} from "@aws-sdk/client-codepipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CodePipelineSimulator,
  startCodePipelineSimulator,
} from "../../local/codepipeline/simulator.js";
import type { ModelEvent } from "../../local/codepipeline/types.js";

const APPROVAL = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };
const REVISION = {
  commit: "9f2c1e7a0b3d4c5e6f708192a3b4c5d6e7f80912",
  summary: "Checkout: show delivery dates (#42)",
  url: "https://github.com/acme/shop/commit/9f2c1e7a0b3d4c5e6f708192a3b4c5d6e7f80912",
};
const T0 = new Date("2026-11-29T20:22:00.000Z");

describe("CodePipeline simulator (real SDK over HTTP)", () => {
  let sim: CodePipelineSimulator;
  let client: CodePipelineClient;
  let now: Date;

  const put = (token: string, status = "Approved", summary = "Approved by Ana via e-mail") =>
    client.send(
      new PutApprovalResultCommand({
        pipelineName: APPROVAL.pipeline,
        stageName: APPROVAL.stage,
        actionName: APPROVAL.action,
        token,
        // Invalid statuses on purpose: the SDK passes them through and the service refuses them.
        result: { status: status as ApprovalStatus, summary },
      }),
    );

  const sdkClient = (maxAttempts: number) =>
    new CodePipelineClient({
      endpoint: sim.url,
      region: "us-east-2",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts,
    });

  beforeEach(async () => {
    now = T0;
    sim = await startCodePipelineSimulator({ now: () => now });
    sim.definePipeline({
      name: "shop-web",
      stages: [
        { name: "Source", actions: [{ name: "Source", category: "Source" }] },
        { name: "Staging", actions: [{ name: "Deploy", category: "Deploy" }] },
        { name: "Approve", actions: ["StakeholderApproval"] },
        { name: "Production", actions: [{ name: "Deploy", category: "Deploy" }] },
      ],
    });
    client = sdkClient(1);
  });

  afterEach(async () => {
    client.destroy();
    await sim.close();
  });

  it("records an approval once and answers with approvedAt", async () => {
    const { token } = sim.startApproval({ ...APPROVAL, revision: REVISION });
    now = new Date(T0.getTime() + 60_000);

    const out = await put(token);

    expect(out.approvedAt).toEqual(now);
    const run = sim.latestRun(APPROVAL);
    expect(run).toMatchObject({ status: "Succeeded", summary: "Approved by Ana via e-mail" });
    expect(run?.answer).toEqual({ status: "Approved", at: now, via: "api" });
    expect(run?.lastUpdatedBy).toBe("arn:aws:iam::123456789012:user/test");
  });

  it("reports the waiting approval in GetPipelineState", async () => {
    const { executionId, token } = sim.startApproval({ ...APPROVAL, revision: REVISION });

    const state = await client.send(new GetPipelineStateCommand({ name: "shop-web" }));

    const stages = state.stageStates ?? [];
    expect(stages.map((s) => [s.stageName, s.latestExecution?.status])).toEqual([
      ["Source", "Succeeded"],
      ["Staging", "Succeeded"],
      ["Approve", "InProgress"],
      ["Production", undefined],
    ]);
    const approve = stages[2];
    expect(approve?.latestExecution?.pipelineExecutionId).toBe(executionId);
    expect(approve?.actionStates?.[0]?.latestExecution).toMatchObject({
      status: "InProgress",
      token,
      lastStatusChange: T0,
    });
  });

  it("reports the run's source revision in GetPipelineExecution and ListPipelineExecutions", async () => {
    const { executionId } = sim.startApproval({ ...APPROVAL, revision: REVISION });

    const got = await client.send(
      new GetPipelineExecutionCommand({ pipelineName: "shop-web", pipelineExecutionId: executionId }),
    );
    const listed = await client.send(new ListPipelineExecutionsCommand({ pipelineName: "shop-web" }));

    expect(got.pipelineExecution?.status).toBe("InProgress");
    expect(got.pipelineExecution?.artifactRevisions).toEqual([
      {
        name: "SourceArtifact",
        revisionId: REVISION.commit,
        revisionSummary: REVISION.summary,
        revisionUrl: REVISION.url,
        created: T0,
      },
    ]);
    expect(listed.pipelineExecutionSummaries?.[0]).toMatchObject({
      pipelineExecutionId: executionId,
      status: "InProgress",
      startTime: T0,
      sourceRevisions: [
        { actionName: "Source", revisionId: REVISION.commit, revisionSummary: REVISION.summary },
      ],
    });
  });

  it("pages ListPipelineExecutions newest first", async () => {
    const first = sim.startApproval({ ...APPROVAL, revision: REVISION });
    sim.stopExecution("shop-web", first.executionId);
    const second = sim.startApproval({ ...APPROVAL, revision: REVISION });

    const page1 = await client.send(
      new ListPipelineExecutionsCommand({ pipelineName: "shop-web", maxResults: 1 }),
    );
    const page2 = await client.send(
      new ListPipelineExecutionsCommand({
        pipelineName: "shop-web",
        maxResults: 1,
        nextToken: page1.nextToken,
      }),
    );

    expect(page1.pipelineExecutionSummaries?.map((s) => s.pipelineExecutionId)).toEqual([second.executionId]);
    expect(page2.pipelineExecutionSummaries?.map((s) => [s.pipelineExecutionId, s.status])).toEqual([
      [first.executionId, "Stopped"],
    ]);
    expect(page2.nextToken).toBeUndefined();
  });

  it("stops the run when the approval is rejected", async () => {
    const { executionId, token } = sim.startApproval({ ...APPROVAL, revision: REVISION });

    await put(token, "Rejected", "Rejected by Ana via Slack: wrong copy");

    expect(sim.latestRun(APPROVAL)?.status).toBe("Failed");
    expect(sim.execution("shop-web", executionId)).toMatchObject({
      status: "Failed",
      statusSummary: "Rejected by Ana via Slack: wrong copy",
    });
  });

  it("answers a second result for the same token with ApprovalAlreadyCompletedException", async () => {
    const { token } = sim.startApproval(APPROVAL);
    await put(token);

    const again = put(token, "Rejected");

    await expect(again).rejects.toBeInstanceOf(ApprovalAlreadyCompletedException);
  });

  it("refuses unknown, expired and abandoned tokens with InvalidApprovalTokenException", async () => {
    const expiring = sim.startApproval({ ...APPROVAL, expiresAt: new Date(T0.getTime() + 60_000) });
    now = new Date(T0.getTime() + 60_000);
    const expired = put(expiring.token);
    await expired.catch(() => undefined);
    const old = sim.startApproval(APPROVAL);
    sim.stopExecution("shop-web", old.executionId);

    await expect(expired).rejects.toBeInstanceOf(InvalidApprovalTokenException);
    await expect(put("3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d")).rejects.toBeInstanceOf(
      InvalidApprovalTokenException,
    );
    await expect(put(old.token)).rejects.toBeInstanceOf(InvalidApprovalTokenException);
    expect(sim.execution("shop-web", expiring.executionId)?.status).toBe("Failed");
    expect(sim.execution("shop-web", old.executionId)?.status).toBe("Stopped");
    expect(sim.approvalRun(APPROVAL, old.executionId)?.status).toBe("Abandoned");
  });

  it("answers ApprovalAlreadyCompletedException after someone approved in the console", async () => {
    const { token } = sim.startApproval(APPROVAL);
    sim.completeInConsole({ ...APPROVAL, status: "Approved", summary: "LGTM from the console" });

    const late = put(token);

    await expect(late).rejects.toBeInstanceOf(ApprovalAlreadyCompletedException);
    expect(sim.latestRun(APPROVAL)).toMatchObject({ status: "Succeeded", summary: "LGTM from the console" });
  });

  it.each([
    ["pipeline", { pipelineName: "nope" }, PipelineNotFoundException],
    ["stage", { stageName: "Nope" }, StageNotFoundException],
    ["action", { actionName: "Nope" }, ActionNotFoundException],
  ])("answers an unknown %s with its not-found exception", async (_what, override, exception) => {
    const { token } = sim.startApproval(APPROVAL);
    const input = {
      pipelineName: APPROVAL.pipeline,
      stageName: APPROVAL.stage,
      actionName: APPROVAL.action,
      token,
      result: { status: "Approved" as const, summary: "ok" },
    };

    const call = client.send(new PutApprovalResultCommand({ ...input, ...override }));

    await expect(call).rejects.toBeInstanceOf(exception);
  });

  it("answers an unknown execution with PipelineExecutionNotFoundException", async () => {
    const call = client.send(
      new GetPipelineExecutionCommand({ pipelineName: "shop-web", pipelineExecutionId: "no-such-run" }),
    );

    await expect(call).rejects.toBeInstanceOf(PipelineExecutionNotFoundException);
  });

  it.each([
    ["a 513-character summary", "Approved", "x".repeat(513), "result.summary"],
    ["an unknown status", "Maybe", "ok", "result.status"],
  ])("refuses %s with ValidationException", async (_what, status, summary, field) => {
    const { token } = sim.startApproval(APPROVAL);

    const call = put(token, status, summary);

    await expect(call).rejects.toBeInstanceOf(ValidationException);
    await expect(call).rejects.toThrow(field);
    expect(sim.latestRun(APPROVAL)?.status).toBe("InProgress");
  });

  it("accepts a summary of exactly 512 characters", async () => {
    const { token } = sim.startApproval(APPROVAL);

    await put(token, "Approved", "x".repeat(512));

    expect(sim.latestRun(APPROVAL)?.summary).toHaveLength(512);
  });

  it("injects throttling as a 400 and internal failures as a 500, then recovers", async () => {
    const { token } = sim.startApproval(APPROVAL);
    sim.failNext("PutApprovalResult", "ThrottlingException");
    sim.failNext("PutApprovalResult", "InternalFailure");

    const throttled = await put(token).catch((e: unknown) => e);
    const failed = await put(token).catch((e: unknown) => e);
    await put(token);

    expect(throttled).toMatchObject({ name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
    expect(failed).toMatchObject({
      name: "InternalFailure",
      $fault: "server",
      $metadata: { httpStatusCode: 500 },
    });
    expect(sim.calls.map((c) => [c.status, c.outcome, c.injected])).toEqual([
      [400, "ThrottlingException", true],
      [500, "InternalFailure", true],
      [200, "ok", false],
    ]);
  });

  it("lets the SDK's own retry get through an injected throttle", async () => {
    const { token } = sim.startApproval(APPROVAL);
    sim.failNext("PutApprovalResult", "ThrottlingException");
    const retrying = sdkClient(2);

    const out = await retrying.send(
      new PutApprovalResultCommand({
        pipelineName: APPROVAL.pipeline,
        stageName: APPROVAL.stage,
        actionName: APPROVAL.action,
        token,
        result: { status: "Approved", summary: "ok" },
      }),
    );

    expect(out.$metadata.attempts).toBe(2);
    expect(sim.calls.map((c) => c.outcome)).toEqual(["ThrottlingException", "ok"]);
    retrying.destroy();
  });

  it("can apply a call and lose only its answer", async () => {
    const { token } = sim.startApproval(APPROVAL);
    sim.failNext("PutApprovalResult", "InternalFailure", 1, { afterApplying: true });

    const lost = put(token);

    await expect(lost).rejects.toMatchObject({ name: "InternalFailure" });
    expect(sim.latestRun(APPROVAL)?.status).toBe("Succeeded");
  });

  it("drops the connection for ECONNRESET", async () => {
    const { token } = sim.startApproval(APPROVAL);
    sim.failNext("*", "ECONNRESET");

    const dropped = put(token);

    await expect(dropped).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(sim.latestRun(APPROVAL)?.status).toBe("InProgress");
  });

  it("speaks AWS JSON 1.1 errors on the wire and wants a signed request", async () => {
    const headers = { "content-type": "application/x-amz-json-1.1" };
    const target = "CodePipeline_20150709.GetPipelineState";

    const unsigned = await fetch(sim.url, {
      method: "POST",
      headers: { ...headers, "x-amz-target": target },
      body: JSON.stringify({ name: "shop-web" }),
    });
    const missing = await fetch(sim.url, {
      method: "POST",
      headers: {
        ...headers,
        "x-amz-target": target,
        authorization: "AWS4-HMAC-SHA256 Credential=test/20261129/us-east-2/codepipeline/aws4_request",
      },
      body: JSON.stringify({ name: "nope" }),
    });

    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" });
    expect(missing.status).toBe(400);
    expect(missing.headers.get("x-amzn-errortype")).toMatch(/^PipelineNotFoundException:/);
    expect(missing.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(await missing.json()).toEqual({
      __type: "PipelineNotFoundException",
      message: "Pipeline with name 'nope' not found",
    });
  });

  it("logs every call without the approval token", async () => {
    const { token } = sim.startApproval(APPROVAL);
    await put(token);
    await put(token).catch(() => undefined);

    const text = sim.callLog();

    expect(sim.calls).toHaveLength(2);
    expect(sim.calls[0]?.params).toMatchObject({ token: `${token.slice(0, 4)}…` });
    expect(text).toContain("PutApprovalResult");
    expect(text).toContain("→ 400 ApprovalAlreadyCompletedException");
    expect(text).not.toContain(token);
    expect(JSON.stringify(sim.calls)).not.toContain(token);
  });

  it("emits state changes a pipeline runner can follow", async () => {
    const events: ModelEvent[] = [];
    sim.onEvent((event) => events.push(event));
    const { executionId, token } = sim.startApproval(APPROVAL);

    await put(token);

    const approvalEvents = events.filter((e) => e.kind === "action" && e.category === "Approval");
    expect(approvalEvents.map((e) => e.kind === "action" && [e.action, e.status])).toEqual([
      ["StakeholderApproval", "InProgress"],
      ["StakeholderApproval", "Succeeded"],
    ]);
    expect(events.at(-1)).toMatchObject({
      kind: "stage",
      stage: "Approve",
      executionId,
      status: "Succeeded",
    });
  });
});
