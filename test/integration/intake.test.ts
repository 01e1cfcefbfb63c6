import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { approvalEmail } from "../../bot/email/message.js";
import { confirmationPage } from "../../bot/email/pages.js";
import { renderComment } from "../../bot/github/render.js";
import { approvalMessage } from "../../bot/slack/message.js";
import { parsePolicyObject } from "../../core/policy.js";
import type { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";
import { makeIntakeHandler } from "../../lambdas/handlers/intake.js";
import { snsEvent } from "../../local/codepipeline/notification.js";
import type { CodePipelineSimulator } from "../../local/codepipeline/simulator.js";
import { testPolicy } from "../support/approvals.js";
import { freshStore } from "../support/dynamo.js";
import { captureLogs } from "../support/logs.js";
import { startSimulator } from "../support/simulator.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
const FIXTURE_TOKEN = "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d";

describe("intake handler (SNS event → approval in dynalite)", () => {
  let sim: CodePipelineSimulator;
  let store: DynamoApprovalStore;
  let logs: ReturnType<typeof captureLogs>;
  let handler: ReturnType<typeof makeIntakeHandler>;
  let pipeline: Awaited<ReturnType<typeof startSimulator>>["pipeline"];
  const clock = { now: () => new Date("2026-11-29T20:22:00Z") };

  beforeEach(async () => {
    const started = await startSimulator({ now: clock.now });
    sim = started.sim;
    pipeline = started.pipeline;
    ({ store } = await freshStore());
    logs = captureLogs();
    handler = makeIntakeHandler({
      store,
      pipeline: started.pipeline,
      clock,
      policy: testPolicy(),
      log: logs.log,
    });
  });
  afterEach(() => sim.close());

  it("opens an approval from the documented SNS event", async () => {
    const summary = await handler(fixture("sns-lambda-event.json"));

    expect(summary.opened).toHaveLength(1);
    const approval = await store.get(summary.opened[0] ?? "");
    expect(approval).toMatchObject({
      state: "pending",
      request: {
        pipeline: "shop-web",
        stage: "Approve",
        action: "StakeholderApproval",
        expiresAt: "2026-12-06T20:22:00.000Z",
        externalLink: "https://staging.shop.example.com",
      },
    });
  });

  it("resolves the change context from the waiting run", async () => {
    const { token } = sim.startApproval({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
      revision: {
        commit: "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
        summary: JSON.stringify({
          ProviderType: "GitHub",
          CommitMessage: "Merge pull request #42 from acme/checkout",
        }),
        url: "https://github.com/acme/shop-web/commit/4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
      },
    });
    const event = fixture("sns-lambda-event.json") as { Records: { Sns: { Message: string } }[] };
    const record = event.Records[0];
    if (!record) throw new Error("fixture has no record");
    record.Sns.Message = record.Sns.Message.replaceAll(FIXTURE_TOKEN, token);

    const summary = await handler(event);

    const approval = await store.get(summary.opened[0] ?? "");
    expect(approval?.context).toMatchObject({
      commit: {
        sha: "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
        message: "Merge pull request #42 from acme/checkout",
      },
      repository: "acme/shop-web",
      pullRequest: { number: 42, url: "https://github.com/acme/shop-web/pull/42" },
    });
    expect(approval?.context.executionId).toBeTruthy();
  });

  it("the same SNS event delivered 5 times in sequence → one record", async () => {
    const event = fixture("sns-lambda-event.json");
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await handler(event));

    expect(results.flatMap((r) => r.opened)).toHaveLength(1);
    expect(results.flatMap((r) => r.existing)).toHaveLength(4);
    expect((await store.listOpen()).length).toBe(1);
  });

  it("the same SNS event delivered 5 times at once → one record", async () => {
    const event = fixture("sns-lambda-event.json");

    const results = await Promise.all(Array.from({ length: 5 }, () => handler(event)));

    expect(results.flatMap((r) => r.opened)).toHaveLength(1);
    expect(new Set(results.flatMap((r) => [...r.opened, ...r.existing])).size).toBe(1);
    expect((await store.listOpen()).length).toBe(1);
  });

  it("drops a malformed record with a structured error naming the field, without the token, and keeps the others", async () => {
    const good = fixture("sns-lambda-event.json") as { Records: { Sns: { Message: string } }[] };
    const goodRecord = good.Records[0];
    if (!goodRecord) throw new Error("fixture has no record");
    const badMessage = goodRecord.Sns.Message.replace(
      '"expires": "2026-12-06T20:22Z"',
      '"expires": "next tuesday"',
    );
    const event = {
      Records: [{ ...goodRecord, Sns: { ...goodRecord.Sns, Message: badMessage } }, goodRecord],
    };

    const summary = await handler(event);

    expect(summary).toMatchObject({ rejected: 1, opened: [expect.any(String)] });
    const dropped = logs
      .entries()
      .find((e) => e.msg === "intake: approval notification refused: it cannot be answered");
    expect(dropped).toMatchObject({ field: "approval.expires", level: 50 });
    expect(logs.text()).not.toContain(FIXTURE_TOKEN);
  });

  it("drops a notification no rule matches (nobody could approve it), and says so", async () => {
    const onlyOther = parsePolicyObject({
      version: 1,
      rules: [{ match: { pipeline: "billing-*" }, email: { recipients: ["ana@acme.io"] } }],
    });
    const strict = makeIntakeHandler({ store, pipeline, clock, policy: onlyOther, log: logs.log });

    const summary = await strict(fixture("sns-lambda-event.json"));

    expect(summary).toMatchObject({ rejected: 1, opened: [] });
    expect(logs.entries().some((e) => String(e.msg).includes("no greenlight.yml rule matches"))).toBe(true);
  });

  it("rethrows a transient store failure (so Lambda retries) after handling the rest", async () => {
    const broken = {
      get: async () => {
        throw new Error("DynamoDB is unreachable");
      },
      create: store.create.bind(store),
      update: store.update.bind(store),
    };
    const flaky = makeIntakeHandler({ store: broken, pipeline, clock, policy: testPolicy(), log: logs.log });

    await expect(flaky(fixture("sns-lambda-event.json"))).rejects.toBeInstanceOf(AggregateError);
    expect(logs.text()).not.toContain(FIXTURE_TOKEN);
  });

  it("answers a non-SNS event with a logged error, not a crash", async () => {
    const summary = await handler({ hello: "world" });

    expect(summary.rejected).toBe(1);
    expect(
      logs.entries().some((e) => e.msg === "intake: approval notification refused: not an SNS event"),
    ).toBe(true);
  });

  it("opens an approval with 1000 characters of custom data and a link typed without a scheme, and every channel shows it (issue 13 item 2)", async () => {
    // Prepare: what CodePipeline accepts in the action configuration (1–1000 characters each,
    // ExternalEntityLink need not be a URL).
    const target = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };
    const expiresAt = new Date("2026-12-06T20:22:00Z");
    const { token } = sim.startApproval({ ...target, expiresAt });
    const notes = `Check checkout totals. ${"n".repeat(977)}`;
    expect(notes).toHaveLength(1000);
    const event = snsEvent({
      region: "us-east-2",
      ...target,
      token,
      expiresAt,
      customData: notes,
      externalEntityLink: "staging.shop.example.com/checkout",
    });

    // Act
    const summary = await handler(event);

    // Assess: opened, nothing refused, and each channel renders the link as text, not as a link.
    expect(summary).toMatchObject({ rejected: 0, opened: [expect.any(String)] });
    const approval = await store.get(summary.opened[0] ?? "");
    if (!approval) throw new Error("no approval stored");
    expect(approval.request).toMatchObject({
      customData: notes,
      externalLink: "staging.shop.example.com/checkout",
      externalLinkIsText: true,
    });
    const now = clock.now();
    const email = approvalEmail(approval, "https://greenlight.example.com/a/x?t=y", now);
    expect(email.text).toContain("Staging: staging.shop.example.com/checkout");
    expect(email.text).toContain(notes);
    expect(email.html).toContain("staging.shop.example.com/checkout");
    expect(email.html).not.toContain('href="staging.shop.example.com');
    const page = confirmationPage(approval, "link-token", now);
    expect(page).toContain("staging.shop.example.com/checkout");
    expect(page).toContain(notes);
    expect(page).not.toMatch(/href="[^"]*staging\.shop\.example\.com/);
    const comment = renderComment(approval);
    expect(comment).toContain("staging.shop.example.com/checkout");
    expect(comment).not.toContain("<staging.shop.example.com");
    const slack = JSON.stringify(approvalMessage(approval).blocks);
    expect(slack).toContain("staging.shop.example.com/checkout");
    expect(slack).not.toContain("<staging.shop.example.com");
    expect(logs.entries().some((e) => String(e.msg).includes("refused"))).toBe(false);
  });

  it("one AccessDeniedException on GetPipelineExecution is retried: the approval still gets its run and commit (issue 12 item 7)", async () => {
    const target = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };
    const expiresAt = new Date("2026-12-06T20:22:00Z");
    const commit = "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d";
    const { token, executionId } = sim.startApproval({ ...target, expiresAt, revision: { commit } });
    sim.failNext("GetPipelineExecution", "AccessDeniedException", 1);

    const summary = await handler(snsEvent({ region: "us-east-2", ...target, token, expiresAt }));

    const approval = await store.get(summary.opened[0] ?? "");
    expect(approval?.context).toMatchObject({ executionId, commit: { sha: commit } });
    expect(approval).not.toHaveProperty("contextProblem");
    expect(sim.calls.filter((c) => c.operation === "GetPipelineExecution").map((c) => c.outcome)).toEqual([
      "AccessDeniedException",
      "ok",
    ]);
    expect(logs.text()).not.toContain(token);
  });
});
