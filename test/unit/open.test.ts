import { beforeEach, describe, expect, it } from "vitest";
import { NoMatchingRule } from "../../core/errors.js";
import { parseApprovalMessage } from "../../core/notification.js";
import { type OpenDeps, openApproval } from "../../core/open.js";
import { parsePolicyObject } from "../../core/policy.js";
import { approvalIdFor } from "../../core/tokens.js";
import { aRequest, fixture, OPENED_AT } from "./builders.js";
import { FakeClock, FakePipeline, MemoryStore } from "./fakes.js";

const EXECUTION = "8e5f1a2b-3c4d-4e5f-9a8b-7c6d5e4f3a2b";
const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";

const policy = parsePolicyObject({
  version: 1,
  people: [
    { name: "Ana", email: "ana@acme.io", github: false },
    { name: "Bob", email: "bob@acme.io", github: false },
  ],
  rules: [
    { name: "shop production", match: { pipeline: "shop-*" }, email: { recipients: ["ana@acme.io"] } },
    { name: "billing", match: { pipeline: "billing" }, email: { recipients: ["bob@acme.io"] } },
  ],
});

describe("openApproval", () => {
  let store: MemoryStore;
  let pipeline: FakePipeline;
  let deps: OpenDeps;

  beforeEach(() => {
    store = new MemoryStore();
    pipeline = new FakePipeline();
    pipeline.actionState = { executionId: EXECUTION, status: "InProgress" };
    pipeline.revisions = [
      {
        commit: SHA,
        summary: JSON.stringify({ ProviderType: "GitHub", CommitMessage: "Add express checkout (#42)" }),
        url: `https://github.com/acme/shop/commit/${SHA}`,
      },
    ];
    deps = { store, pipeline, clock: new FakeClock(OPENED_AT), policy };
  });

  it("opens a pending approval for the recorded notification, with the change it carries", async () => {
    // Prepare
    const request = parseApprovalMessage(fixture("codepipeline-approval-message.json"));

    // Act
    const result = await openApproval(deps, request);

    // Assess
    expect(result.created).toBe(true);
    expect(result).not.toHaveProperty("contextProblem");
    const approval = result.approval;
    expect(approval).toMatchObject({
      id: approvalIdFor(request),
      version: 0,
      state: "pending",
      request,
      rule: { name: "shop production", quorum: 1 },
      votes: {},
      createdAt: OPENED_AT,
      context: {
        executionId: EXECUTION,
        commit: { sha: SHA, message: "Add express checkout (#42)" },
        repository: "acme/shop",
        pullRequest: { number: 42, url: "https://github.com/acme/shop/pull/42" },
      },
    });
    expect(store.peek(approval.id)).toEqual(approval);
    expect(pipeline.stateCalls).toEqual([
      { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" },
    ]);
    expect(pipeline.revisionCalls).toEqual([{ pipeline: "shop-web", executionId: EXECUTION }]);
  });

  it("uses the first rule that matches", async () => {
    const result = await openApproval(deps, aRequest({ pipeline: "billing" }));

    expect(result.approval.rule.name).toBe("billing");
  });

  it("is idempotent: five deliveries make one record and one set of look-ups", async () => {
    const request = aRequest();

    const results = [];
    for (let i = 0; i < 5; i++) results.push(await openApproval(deps, request));

    expect(results.map((r) => r.created)).toEqual([true, false, false, false, false]);
    expect(new Set(results.map((r) => r.approval.id)).size).toBe(1);
    expect(results[4]?.approval).toEqual(results[0]?.approval);
    expect(store.size).toBe(1);
    expect(store.calls.create).toBe(1);
    expect(pipeline.stateCalls).toHaveLength(1);
  });

  it("returns the record as it is now on redelivery, votes included", async () => {
    const first = await openApproval(deps, aRequest());
    await store.writeAsSomeoneElse(first.approval.id, (a) => ({ ...a, channels: { slack: { ts: "1.2" } } }));

    const again = await openApproval(deps, aRequest());

    expect(again.created).toBe(false);
    expect(again.approval.version).toBe(1);
    expect(again.approval.channels).toEqual({ slack: { ts: "1.2" } });
  });

  it("finds the record when a concurrent delivery creates it first", async () => {
    // Prepare: the other delivery's create lands between our read and our create.
    const request = aRequest();
    let raced = false;
    store.beforeCreate = async (approval) => {
      if (raced) return;
      raced = true;
      await store.create({
        ...approval,
        history: [{ at: OPENED_AT, event: "opened", detail: "other delivery" }],
      });
    };

    // Act
    const result = await openApproval(deps, request);

    // Assess
    expect(result.created).toBe(false);
    expect(result.approval.history[0]?.detail).toBe("other delivery");
    expect(store.size).toBe(1);
  });

  it("opens a different approval for a new run of the same action", async () => {
    await openApproval(deps, aRequest());

    const next = await openApproval(deps, aRequest({ token: "00000000-9a4d-4e7b-8c21-5d6f7a8b9c0d" }));

    expect(next.created).toBe(true);
    expect(store.size).toBe(2);
  });

  it("refuses an action no rule covers, storing nothing", async () => {
    const request = aRequest({ pipeline: "payroll" });

    const error = await openApproval(deps, request).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NoMatchingRule);
    expect(error).toMatchObject({ target: request });
    expect((error as Error).message).toBe(
      "No rule in greenlight.yml matches payroll/Approve/StakeholderApproval",
    );
    expect(store.size).toBe(0);
    expect(pipeline.stateCalls).toEqual([]);
  });

  describe("when CodePipeline cannot tell more", () => {
    it("opens anyway and says why the context is missing", async () => {
      pipeline.stateFailure = "unavailable";

      const result = await openApproval(deps, aRequest());

      expect(result.created).toBe(true);
      expect(result.contextProblem).toBe("fake CodePipeline: unavailable");
      expect(result.approval.context).toEqual({ authors: { logins: [], emails: [] } });
      expect(store.peek(result.approval.id)?.state).toBe("pending");
    });

    it("opens anyway when the pipeline is gone", async () => {
      pipeline.stateFailure = "not-found";

      const result = await openApproval(deps, aRequest());

      expect(result.created).toBe(true);
      expect(result.contextProblem).toBe("fake CodePipeline: not-found");
    });

    it("opens anyway when the run's revisions cannot be read", async () => {
      pipeline.revisionsFailure = new Error("AccessDenied");

      const result = await openApproval(deps, aRequest());

      expect(result.created).toBe(true);
      expect(result.contextProblem).toBe("AccessDenied");
    });

    it("opens anyway when no execution is waiting at the action", async () => {
      pipeline.actionState = {};

      const result = await openApproval(deps, aRequest());

      expect(result.contextProblem).toBe("no execution at the action");
      expect(pipeline.revisionCalls).toEqual([]);
    });
  });

  describe("a failed look-up at intake (issue 12 item 7)", () => {
    const accessDenied = () =>
      Object.assign(new Error("User is not authorized to perform: codepipeline:GetPipelineExecution"), {
        name: "AccessDeniedException",
      });

    it("tries again: one AccessDeniedException on GetPipelineExecution still gives the run and its commit", async () => {
      // Prepare
      let failures = 1;
      const read = pipeline.sourceRevisions.bind(pipeline);
      pipeline.sourceRevisions = async (target) => {
        if (failures-- > 0) throw accessDenied();
        return read(target);
      };
      const pauses: number[] = [];
      const retrying: OpenDeps = {
        ...deps,
        contextRetry: {
          attempts: 4,
          delayMs: (n) => 1000 * 3 ** (n - 1),
          pause: async (ms) => void pauses.push(ms),
        },
      };

      // Act
      const result = await openApproval(retrying, aRequest());

      // Assess
      expect(result).not.toHaveProperty("contextProblem");
      expect(result.approval.context).toMatchObject({ executionId: EXECUTION, commit: { sha: SHA } });
      expect(result.approval).not.toHaveProperty("contextProblem");
      expect(pauses).toEqual([1000]);
      // The run was found once; only the look-up that failed was repeated.
      expect(pipeline.stateCalls).toHaveLength(1);
    });

    it("after the last try opens with what is known and records the problem on the approval", async () => {
      pipeline.sourceRevisions = async () => {
        throw accessDenied();
      };
      const pauses: number[] = [];
      const retrying: OpenDeps = {
        ...deps,
        contextRetry: {
          attempts: 4,
          delayMs: (n) => 1000 * 3 ** (n - 1),
          pause: async (ms) => void pauses.push(ms),
        },
      };

      const result = await openApproval(retrying, aRequest());

      expect(pauses).toEqual([1000, 3000, 9000]);
      const stored = store.peek(result.approval.id);
      expect(stored).toMatchObject({
        state: "pending",
        context: { executionId: EXECUTION },
        contextProblem: expect.stringContaining("not authorized"),
      });
      expect(stored?.history.map((h) => h.event)).toContain("context-incomplete");
      expect(JSON.stringify(stored?.history)).not.toContain(aRequest().token);
    });

    it("asks CodePipeline for the run holding this approval's token", async () => {
      await openApproval(deps, aRequest());

      expect(pipeline.tokenCalls).toEqual([aRequest().token]);
    });
  });
});
