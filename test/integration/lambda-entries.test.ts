import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBStreamEvent } from "aws-lambda";
import type { APIGatewayProxyResult } from "hono/aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Stack } from "../../local/stack.js";
import { stubEnvs } from "../support/env.js";
import { functionUrlEvent, lambdaContext } from "../support/function-url.js";
import { putCalls } from "../support/simulator.js";
import { ANA, linksByRecipient, testStack } from "../support/stack.js";

/**
 * The real entry files (`lambdas/intake.ts`, `sync.ts`, `http.ts`), configured only through the
 * environment as on AWS, with the SDK's AWS_ENDPOINT_URL_* variables pointing at the local stack.
 */
describe("Lambda entry files, wired from the environment", () => {
  let stack: Stack;
  const context = lambdaContext;

  beforeAll(async () => {
    stack = await testStack();
    stack.store.listener = undefined; // here the sync Lambda, not the in-process feed, projects
    const dir = mkdtempSync(join(tmpdir(), "greenlight-"));
    // The policy as cdk synth ships it: greenlight.yml, validated, written as JSON.
    const policyFile = join(dir, "greenlight.json");
    writeFileSync(
      policyFile,
      JSON.stringify({
        version: 1,
        people: [{ name: "Ana Lima", email: ANA, github: false }],
        // No GitHub App in this environment, so the authors cannot be read: self-approval allowed.
        rules: [{ match: { pipeline: "shop-*" }, selfApproval: true, email: { recipients: [ANA] } }],
      }),
    );
    stubEnvs({
      GREENLIGHT_TABLE: "greenlight-approvals",
      GREENLIGHT_POLICY_FILE: policyFile,
      GREENLIGHT_PUBLIC_URL: stack.url,
      GREENLIGHT_FROM_EMAIL: "Greenlight <greenlight@acme.io>",
      LOG_LEVEL: "silent",
      AWS_REGION: "us-east-2",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamo.url,
      AWS_ENDPOINT_URL_CODEPIPELINE: stack.simulator.url,
      AWS_ENDPOINT_URL_SESV2: stack.ses.url,
    });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await stack.close();
  });

  it("intake → sync → http: an SNS event becomes an e-mail whose link, POSTed as a function URL event, approves", async () => {
    const { token } = stack.simulator.startApproval({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
    });
    const sns = JSON.parse(
      readFileSync(new URL("../fixtures/sns-lambda-event.json", import.meta.url), "utf8"),
    );
    sns.Records[0].Sns.Message = sns.Records[0].Sns.Message.replaceAll(
      "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d",
      token,
    );
    const intake = await import("../../lambdas/intake.js");
    const sync = await import("../../lambdas/sync.js");
    const http = await import("../../lambdas/http.js");

    const opened = await intake.handler(sns);
    const approvalId = opened.opened[0] ?? "";
    const stream: DynamoDBStreamEvent = {
      Records: [
        {
          eventName: "INSERT",
          dynamodb: { Keys: { pk: { S: `approval#${approvalId}` } }, SequenceNumber: "1" },
        },
      ],
    };
    const synced = await sync.handler(stream);
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";
    const t = new URL(link).searchParams.get("t") ?? "";
    const page: Result = await http.handler(
      functionUrlEvent({ method: "GET", path: `/a/${approvalId}`, query: `t=${t}` }),
      context,
    );
    const body = new URLSearchParams({ t, verdict: "approve", comment: "from the function URL" }).toString();
    const decided: Result = await http.handler(
      functionUrlEvent({
        method: "POST",
        path: `/a/${approvalId}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
        base64: true,
      }),
      context,
    );
    const health: Result = await http.handler(functionUrlEvent({ method: "GET", path: "/healthz" }), context);

    expect(opened.opened).toHaveLength(1);
    expect(synced.batchItemFailures).toEqual([]);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Production approval: shop-web");
    expect(page.headers?.["referrer-policy"]).toBe("no-referrer");
    expect(decided.statusCode).toBe(200);
    expect(decided.body).toContain("Production deploy continues");
    expect(health.statusCode).toBe(200);
    expect(putCalls(stack.simulator)).toHaveLength(1);
    const run = stack.simulator.latestRun({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
    });
    expect(run?.summary).toBe("Approved by Ana Lima via e-mail: from the function URL");
  });

  it("events: CodePipeline's event for an approval answered in the console closes it as decided elsewhere", async () => {
    const target = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };
    const { token, executionId } = stack.simulator.startApproval(target);
    const sns = JSON.parse(
      readFileSync(new URL("../fixtures/sns-lambda-event.json", import.meta.url), "utf8"),
    );
    sns.Records[0].Sns.Message = sns.Records[0].Sns.Message.replaceAll(
      "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d",
      token,
    ).replaceAll("8e5f1a2b-3c4d-4e5f-9a8b-7c6d5e4f3a2b", executionId);
    const intake = await import("../../lambdas/intake.js");
    const events = await import("../../lambdas/events.js");
    const opened = await intake.handler(sns);
    const approvalId = opened.opened[0] ?? "";
    stack.simulator.completeInConsole({ ...target, executionId, status: "Rejected" });
    const event = JSON.parse(
      readFileSync(
        new URL("../fixtures/eventbridge-action-execution-state-change.json", import.meta.url),
        "utf8",
      ),
    );
    event.detail["execution-id"] = executionId;
    event.detail.state = "FAILED";

    const handled = await events.handler(event);

    expect(handled).toEqual({ changed: 1 });
    const approval = await stack.store.get(approvalId);
    expect(approval?.state).toBe("closed-elsewhere");
    expect(putCalls(stack.simulator)).toHaveLength(1); // the first test's, none from here
  });
});

type Result = APIGatewayProxyResult;
