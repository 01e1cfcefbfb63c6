import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PipelineError } from "../../core/errors.js";
import type { PutApprovalResultInput } from "../../core/ports.js";
import { CodePipelineAdapter } from "../../lambdas/aws/codepipeline.js";
import {
  type CodePipelineSimulator,
  startCodePipelineSimulator,
} from "../../local/codepipeline/simulator.js";

const APPROVAL = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };
const REVISION = {
  commit: "9f2c1e7a0b3d4c5e6f708192a3b4c5d6e7f80912",
  summary: '{"ProviderType":"GitHub","CommitMessage":"Checkout: show delivery dates (#42)"}',
  url: "https://github.com/acme/shop/commit/9f2c1e7a0b3d4c5e6f708192a3b4c5d6e7f80912",
};
const SUMMARY = "Approved by Ana Lima via e-mail: ship it";
const T0 = new Date("2026-11-29T20:22:00.000Z");

describe("CodePipelineAdapter (real SDK against the simulator)", () => {
  let sim: CodePipelineSimulator;
  let client: CodePipelineClient;
  let adapter: CodePipelineAdapter;
  let now: Date;

  const input = (token: string, extra: Partial<PutApprovalResultInput> = {}): PutApprovalResultInput => ({
    ...APPROVAL,
    token,
    status: "Approved",
    summary: SUMMARY,
    ...extra,
  });

  /** The PipelineError a call fails with (or the error itself, when it is something else). */
  const failure = (call: Promise<unknown>) =>
    call.then(
      () => expect.unreachable("the call succeeded"),
      (e: unknown) => e,
    );

  beforeEach(async () => {
    now = T0;
    sim = await startCodePipelineSimulator({ now: () => now });
    sim.definePipeline({
      name: "shop-web",
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
      maxAttempts: 1,
    });
    adapter = new CodePipelineAdapter(client);
  });

  afterEach(async () => {
    client.destroy();
    await sim.close();
  });

  describe("putApprovalResult", () => {
    it("approves once and returns CodePipeline's approvedAt", async () => {
      const { token } = sim.startApproval({ ...APPROVAL, revision: REVISION });
      now = new Date(T0.getTime() + 90_000);

      const out = await adapter.putApprovalResult(input(token));

      expect(out).toEqual({ approvedAt: "2026-11-29T20:23:30.000Z" });
      expect(sim.calls.filter((c) => c.operation === "PutApprovalResult" && c.outcome === "ok")).toHaveLength(
        1,
      );
      expect(sim.latestRun(APPROVAL)).toMatchObject({ status: "Succeeded", summary: SUMMARY });
    });

    it("rejects: the action fails", async () => {
      const { token } = sim.startApproval(APPROVAL);

      await adapter.putApprovalResult(input(token, { status: "Rejected", summary: "Rejected by Ana: typo" }));

      expect(sim.latestRun(APPROVAL)).toMatchObject({ status: "Failed", summary: "Rejected by Ana: typo" });
    });

    it("turns a second, different result for the token into already-completed", async () => {
      const { token } = sim.startApproval(APPROVAL);
      await adapter.putApprovalResult(input(token));

      const error = await failure(adapter.putApprovalResult(input(token, { status: "Rejected" })));

      expect(error).toBeInstanceOf(PipelineError);
      expect(error).toMatchObject({ kind: "already-completed" });
    });

    it("turns an answer given in the console into already-completed", async () => {
      const { token } = sim.startApproval(APPROVAL);
      sim.completeInConsole({ ...APPROVAL, status: "Approved", summary: "LGTM (console)" });

      const error = await failure(adapter.putApprovalResult(input(token)));

      expect(error).toMatchObject({ kind: "already-completed" });
    });

    it("counts our own result whose answer was lost as delivered, not as decided elsewhere", async () => {
      const { token } = sim.startApproval(APPROVAL);
      sim.failNext("PutApprovalResult", "InternalFailure", 1, { afterApplying: true });
      const lost = await failure(adapter.putApprovalResult(input(token)));
      now = new Date(T0.getTime() + 60_000);

      const retried = await adapter.putApprovalResult(input(token));

      expect(lost).toMatchObject({ kind: "unavailable" });
      expect(retried).toEqual({ approvedAt: T0.toISOString() });
      expect(sim.calls.map((c) => [c.operation, c.outcome])).toEqual([
        ["PutApprovalResult", "InternalFailure"],
        ["PutApprovalResult", "ApprovalAlreadyCompletedException"],
        ["GetPipelineState", "ok"],
      ]);
    });

    it("succeeds when the SDK's own retry finds the first attempt already landed", async () => {
      const { token } = sim.startApproval(APPROVAL);
      sim.failNext("PutApprovalResult", "InternalFailure", 1, { afterApplying: true });
      const retrying = new CodePipelineClient({
        endpoint: sim.url,
        region: "us-east-2",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 2,
      });

      const out = await new CodePipelineAdapter(retrying).putApprovalResult(input(token));

      expect(out).toEqual({ approvedAt: T0.toISOString() });
      expect(sim.calls.map((c) => c.outcome)).toEqual([
        "InternalFailure",
        "ApprovalAlreadyCompletedException",
        "ok",
      ]);
      retrying.destroy();
    });

    it("turns an unknown token into invalid-token", async () => {
      sim.startApproval(APPROVAL);

      const error = await failure(adapter.putApprovalResult(input("3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d")));

      expect(error).toMatchObject({ kind: "invalid-token" });
    });

    it("turns an expired token into invalid-token", async () => {
      const { token } = sim.startApproval({ ...APPROVAL, expiresAt: "2026-11-29T21:22Z" });
      now = new Date("2026-11-29T21:22:00.001Z");

      const error = await failure(adapter.putApprovalResult(input(token)));

      expect(error).toMatchObject({ kind: "invalid-token" });
    });

    it("turns an abandoned token (run stopped and abandoned) into invalid-token", async () => {
      const { token, executionId } = sim.startApproval(APPROVAL);
      sim.stopExecution("shop-web", executionId);

      const error = await failure(adapter.putApprovalResult(input(token)));

      expect(error).toMatchObject({ kind: "invalid-token" });
    });

    it.each([
      ["pipeline", { pipeline: "shop-api" }],
      ["stage", { stage: "Approval" }],
      ["action", { action: "QA" }],
    ])("turns an unknown %s into not-found", async (_what, target) => {
      const { token } = sim.startApproval(APPROVAL);

      const error = await failure(adapter.putApprovalResult(input(token, target)));

      expect(error).toMatchObject({ kind: "not-found" });
    });

    it.each([
      ["throttling", "ThrottlingException"],
      ["a 500", "InternalFailure"],
      ["a 503", "ServiceUnavailable"],
      ["a dropped connection", "ECONNRESET"],
    ])("turns %s into unavailable and leaves the approval waiting", async (_what, errorName) => {
      const { token } = sim.startApproval(APPROVAL);
      sim.failNext("PutApprovalResult", errorName);

      const error = await failure(adapter.putApprovalResult(input(token)));

      expect(error).toBeInstanceOf(PipelineError);
      expect(error).toMatchObject({ kind: "unavailable" });
      expect(sim.latestRun(APPROVAL)?.status).toBe("InProgress");
    });

    it("turns an unreachable endpoint into unavailable", async () => {
      const { token } = sim.startApproval(APPROVAL);
      await sim.close();

      const error = await failure(adapter.putApprovalResult(input(token)));

      expect(error).toMatchObject({ kind: "unavailable" });
      sim = await startCodePipelineSimulator();
    });

    it("rethrows a ValidationException as it is: a summary over 512 characters is our bug", async () => {
      const { token } = sim.startApproval(APPROVAL);

      const error = await failure(adapter.putApprovalResult(input(token, { summary: "x".repeat(513) })));

      expect(error).not.toBeInstanceOf(PipelineError);
      expect(error).toMatchObject({ name: "ValidationException" });
    });

    it("keeps the token out of the simulator's log and out of its own error messages", async () => {
      const { token } = sim.startApproval(APPROVAL);
      await adapter.putApprovalResult(input(token));
      const error = await failure(adapter.putApprovalResult(input(token, { status: "Rejected" })));

      expect(sim.callLog()).not.toContain(token);
      expect(JSON.stringify(sim.calls)).not.toContain(token);
      expect(String(error)).not.toContain(token);
    });
  });

  describe("approvalActionState", () => {
    it("reads the waiting run, its token and status", async () => {
      const { executionId, token } = sim.startApproval({ ...APPROVAL, revision: REVISION });

      const state = await adapter.approvalActionState(APPROVAL);

      expect(state).toEqual({ executionId, token, status: "InProgress" });
    });

    it("shows an answer given in the console", async () => {
      const { executionId, token } = sim.startApproval(APPROVAL);
      sim.completeInConsole({ ...APPROVAL, status: "Rejected", summary: "Not during the sale" });

      const state = await adapter.approvalActionState(APPROVAL);

      expect(state).toEqual({ executionId, token, status: "Failed", summary: "Not during the sale" });
    });

    it("shows the newer run's token once the older run was stopped", async () => {
      const old = sim.startApproval(APPROVAL);
      sim.stopExecution("shop-web", old.executionId);
      const newer = sim.startApproval(APPROVAL);

      const state = await adapter.approvalActionState(APPROVAL);

      expect(state).toEqual({ executionId: newer.executionId, token: newer.token, status: "InProgress" });
      expect(state.token).not.toBe(old.token);
    });

    it("reads an action that never ran as empty", async () => {
      expect(await adapter.approvalActionState(APPROVAL)).toEqual({});
    });

    it.each([
      ["pipeline", { pipeline: "shop-api" }],
      ["stage", { stage: "Approval" }],
      ["action", { action: "QA" }],
    ])("turns an unknown %s into not-found", async (_what, target) => {
      const error = await failure(adapter.approvalActionState({ ...APPROVAL, ...target }));

      expect(error).toMatchObject({ kind: "not-found" });
    });

    it("turns throttling into unavailable", async () => {
      sim.failNext("GetPipelineState", "ThrottlingException");

      const error = await failure(adapter.approvalActionState(APPROVAL));

      expect(error).toMatchObject({ kind: "unavailable" });
    });
  });

  describe("sourceRevisions", () => {
    it("reads the run's source revision as startApproval set it", async () => {
      const { executionId } = sim.startApproval({ ...APPROVAL, revision: REVISION });

      const revisions = await adapter.sourceRevisions({ pipeline: "shop-web", executionId });

      expect(revisions).toEqual([{ commit: REVISION.commit, summary: REVISION.summary, url: REVISION.url }]);
    });

    it("reads a run without source revisions as none", async () => {
      const { executionId } = sim.startApproval(APPROVAL);

      expect(await adapter.sourceRevisions({ pipeline: "shop-web", executionId })).toEqual([]);
    });

    it("turns an unknown execution into not-found", async () => {
      const error = await failure(adapter.sourceRevisions({ pipeline: "shop-web", executionId: "nope" }));

      expect(error).toMatchObject({ kind: "not-found" });
    });

    it("turns a 500 into unavailable", async () => {
      const { executionId } = sim.startApproval(APPROVAL);
      sim.failNext("GetPipelineExecution", "InternalFailure");

      const error = await failure(adapter.sourceRevisions({ pipeline: "shop-web", executionId }));

      expect(error).toMatchObject({ kind: "unavailable" });
    });
  });
});
