import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { awsChecks } from "../../cli/doctor/aws-checks.js";
import { type AwsReader, awsOnlyChecksWith } from "../../cli/doctor/aws-only.js";
import type { DoctorContext, Finding } from "../../cli/doctor/check.js";
import { runChecks } from "../../cli/doctor/run.js";
import { doctorFor } from "../../cli/doctor.js";
import { type LocalStackDescription, localTarget, type Target } from "../../cli/target.js";
import { parsePolicy, policyDigest, readPolicyYaml } from "../../core/policy-yaml.js";
import { newApproval } from "../../core/state-machine.js";
import { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";
import { ENV } from "../../lambdas/config-names.js";
import { type Stack, TABLE } from "../../local/stack.js";
import { testRequest, testRule } from "../support/approvals.js";
import { runnerOf, runnerStack } from "../support/pipelines.js";
import { ANA, BO, testStack } from "../support/stack.js";
import { waitFor } from "../support/wait.js";

const policyText = `version: 1
people:
  - { name: Ana Lima, email: ${ANA}, github: false }
  - { name: Bo Chen, email: ${BO}, github: false }
rules:
  - name: shop production
    match: { pipeline: "shop-*" }
    selfApproval: true
    email: { recipients: [${ANA}, ${BO}] }
`;
const digest = policyDigest(readPolicyYaml(policyText).data);

let stack: Stack;
beforeAll(async () => {
  stack = await testStack({
    policy: parsePolicy(policyText),
    policyDigest: digest,
    fromEmail: "Greenlight <approvals@acme.io>",
  });
});
afterAll(() => stack.close());

const domain = "acme.io";
afterEach(() => {
  // Back to the healthy account after each break.
  stack.ses.account.productionAccess = true;
  stack.ses.account.sendingEnabled = true;
  stack.ses.account.setIdentity(domain, { verification: "SUCCESS", dkim: "SUCCESS" });
  stack.ses.account.deleteIdentity(ANA).deleteIdentity(BO);
});

function context(text = policyText, description: LocalStackDescription = stack.describe()): DoctorContext {
  return {
    target: localTarget(description, "test"),
    policy: parsePolicy(text),
    policyPath: "greenlight.yml",
    policyText: text,
  };
}

async function findings(ctx = context()): Promise<Map<string, Finding>> {
  const reports = await runChecks(awsChecks, ctx);
  return new Map(reports.flatMap((r) => r.findings).map((f) => [f.id, f]));
}

const statusOf = (map: Map<string, Finding>) => Object.fromEntries([...map].map(([id, f]) => [id, f.status]));

const HEALTHY = {
  "stack.outputs": "ok",
  "stack.url": "ok",
  "policy.digest": "ok",
  "pipelines.action:shop-web/Approve/StakeholderApproval": "ok",
  "ses.account": "ok",
  "ses.sender": "ok",
  "ses.dkim": "ok",
  deciding: "ok",
  functions: "skipped",
  queues: "skipped",
  alarms: "skipped",
};

describe("doctor: the AWS side, on the local stack", () => {
  it("a healthy local stack: every AWS check is ok, the AWS-only ones say why they are skipped", async () => {
    const found = await findings();
    expect(statusOf(found)).toEqual(HEALTHY);
    expect(found.get("functions")?.summary).toContain("npm start runs the handlers in its own process");
    expect(found.get("pipelines.action:shop-web/Approve/StakeholderApproval")?.summary).toContain(
      'rule "shop production" guards it',
    );
  });

  it("a missing output and a public URL that does not answer are named, and the rest still runs", async () => {
    const healthy = stack.describe();
    const { EmailFrom: _, ...outputs } = healthy.outputs;
    const found = await findings(
      context(policyText, { ...healthy, outputs: { ...outputs, PublicUrl: "http://127.0.0.1:9/" } }),
    );
    expect(found.get("stack.outputs")).toMatchObject({
      status: "problem",
      summary: expect.stringContaining("EmailFrom"),
    });
    expect(found.get("stack.url")).toMatchObject({
      status: "problem",
      summary: expect.stringContaining("does not answer"),
    });
    expect(found.get("ses.sender")?.status).toBe("warning");
    expect(found.get("policy.digest")?.status).toBe("ok");
    expect(found.get("deciding")?.status).toBe("ok");
  });

  it("a greenlight.yml other than the one running is a problem with how to ship it", async () => {
    const edited = policyText.replace("selfApproval: true", "selfApproval: true\n    quorum: 2");
    const found = await findings(context(edited));
    expect(found.get("policy.digest")).toMatchObject({
      status: "problem",
      summary: expect.stringContaining("another policy"),
      fix: expect.stringContaining("restart npm start"),
    });
    expect(found.get("pipelines.action:shop-web/Approve/StakeholderApproval")?.status).toBe("ok");
    // Comments and layout are not the policy: the same document reformatted is still ok.
    const reformatted = `# our release policy\n${policyText.replace('match: { pipeline: "shop-*" }', "match:\n      pipeline: shop-*")}`;
    expect((await findings(context(reformatted))).get("policy.digest")?.status).toBe("ok");
  });

  it("pipelines: an action a rule expects that notifies no topic, one notifying Greenlight with no rule, a rule guarding nothing", async () => {
    stack.simulator.definePipeline({
      name: "shop-admin",
      stages: [
        { name: "Approve", actions: [{ name: "Release", category: "Approval", notificationArn: null }] },
      ],
    });
    stack.simulator.definePipeline({ name: "billing", stages: [{ name: "Gate", actions: ["Approve"] }] });
    stack.simulator.definePipeline({
      name: "internal",
      stages: [
        {
          name: "Gate",
          actions: [
            { name: "Ok", category: "Approval", notificationArn: "arn:aws:sns:us-east-2:123456789012:ops" },
          ],
        },
      ],
    });
    const text = `${policyText}  - name: legacy
    match: { pipeline: legacy-app }
    email: { recipients: [${ANA}] }
`;
    const found = await findings(context(text, stack.describe()));
    expect(found.get("pipelines.action:shop-admin/Approve/Release")).toMatchObject({
      status: "problem",
      summary: expect.stringContaining("notifies no SNS topic"),
      fix: expect.stringContaining(stack.describe().outputs.ApprovalTopicArn ?? "?"),
    });
    expect(found.get("pipelines.action:billing/Gate/Approve")).toMatchObject({
      status: "problem",
      summary: expect.stringContaining("no rule in greenlight.yml matches it"),
      fix: expect.stringContaining("match: { pipeline: billing, stage: Gate, action: Approve }"),
    });
    expect(found.get("pipelines.rule:legacy")?.status).toBe("warning");
    // Not Greenlight's (another topic, no rule): counted, not a problem.
    expect(found.get("pipelines.others")).toMatchObject({
      status: "ok",
      summary: expect.stringContaining("1 other"),
    });
    expect(found.get("pipelines.action:shop-web/Approve/StakeholderApproval")?.status).toBe("ok");
    expect(found.get("ses.sender")?.status).toBe("ok");
  });

  it("SES: an unverified sender is a problem; DKIM not set up a warning; in the sandbox each unverified recipient a problem", async () => {
    stack.ses.account.setIdentity(domain, { verification: "PENDING" });
    let found = await findings();
    expect(found.get("ses.sender")).toMatchObject({
      status: "problem",
      summary: "the sender approvals@acme.io is not verified (acme.io: PENDING): SES refuses every e-mail",
    });
    expect(found.has("ses.dkim")).toBe(false);

    stack.ses.account.deleteIdentity(domain).setIdentity("approvals@acme.io", { verification: "SUCCESS" });
    found = await findings();
    expect(found.get("ses.sender")?.summary).toContain("identity approvals@acme.io verified");
    expect(found.get("ses.dkim")).toMatchObject({
      status: "warning",
      summary: expect.stringContaining("NOT_STARTED"),
    });
    stack.ses.account.deleteIdentity("approvals@acme.io");

    stack.ses.account.productionAccess = false;
    stack.ses.account.setIdentity(ANA, { verification: "SUCCESS" });
    found = await findings();
    expect(found.get("ses.account")?.status).toBe("warning");
    expect(found.get(`ses.recipient:${ANA}`)?.status).toBe("ok");
    expect(found.get(`ses.recipient:${BO}`)).toMatchObject({
      status: "problem",
      fix: expect.stringContaining(BO),
    });

    stack.ses.account.sendingEnabled = false;
    expect((await findings()).get("ses.account")?.status).toBe("problem");
  });

  it("an approval decided long ago that CodePipeline never heard of is named; one deciding right now is not", async () => {
    const store = new DynamoApprovalStore({ tableName: TABLE, client: stack.dynamoClient });
    const open = (executionId: string, minutesAgo: number) => {
      const at = new Date(Date.now() - minutesAgo * 60_000);
      const request = testRequest({ token: crypto.randomUUID(), pipeline: "shop-web" });
      const approval = newApproval({
        id: `shop-web-${executionId}`,
        request,
        context: { executionId, authors: { logins: [], emails: [] } },
        rule: testRule(),
        now: at,
      });
      return store.create({ ...approval, state: "deciding", updatedAt: at.toISOString() });
    };
    await open("stuck", 30);
    await open("busy", 0);
    const found = await findings();
    expect(found.get("deciding:shop-web-stuck")).toMatchObject({
      status: "problem",
      summary: expect.stringContaining("was decided 30 min ago"),
    });
    expect(found.has("deciding:shop-web-busy")).toBe(false);
    expect(found.has("deciding")).toBe(false);
  });

  it("`greenlight doctor --local` exits 0 on a healthy stack and 1 once something is broken", async () => {
    const dir = await mkdtemp(join(tmpdir(), "doctor-"));
    await writeFile(join(dir, "greenlight.yml"), policyText);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {} };
    const doctor = doctorFor(awsChecks);
    const args = [
      "--local",
      stack.url,
      "--policy",
      join(dir, "greenlight.yml"),
      "--only",
      "stack,policy,ses",
    ];
    expect(await doctor.run(args, io)).toBe(0);
    stack.ses.account.setIdentity(domain, { verification: "FAILED" });
    out.length = 0;
    expect(await doctor.run([...args, "--json"], io)).toBe(1);
    const report = JSON.parse(out.join("\n")) as { ok: boolean; reports: { check: { id: string } }[] };
    expect(report.ok).toBe(false);
    expect(report.reports.map((r) => r.check.id)).toEqual(["stack", "policy", "ses"]);
  });
});

describe("the local pipeline runner tells Greenlight only when the approval action notifies its topic", () => {
  it("an action with no topic waits for the console: no approval opens", async () => {
    const local = await runnerStack({
      pipelines: {
        timeScale: 0.005,
        eventDelayMs: 20,
        sweepEveryMs: 60_000,
        definitions: [
          {
            name: "shop-web",
            stages: [
              { name: "Source", actions: [{ name: "Source", category: "Source" }] },
              {
                name: "Approval",
                actions: [{ name: "StakeholderApproval", category: "Approval", notificationArn: null }],
              },
            ],
          },
        ],
      },
    });
    try {
      const { executionId } = runnerOf(local).runner.start("shop-web");
      await waitFor(
        "the run waits at Approval",
        () =>
          local.simulator.runs("shop-web").find((r) => r.executionId === executionId)?.stages[1]?.status ===
            "InProgress" || undefined,
      );
      // Closing the runner waits for every notification on its way; then the projector settles.
      await runnerOf(local).runner.close();
      await local.settled();
      expect(await local.store.findByExecution("shop-web", executionId)).toEqual([]);
    } finally {
      await local.close();
    }
  });
});

describe("doctor: functions, queues and alarms of a deployed stack (through a reader of the documented answers)", () => {
  const target: Target = {
    kind: "aws",
    where: "Greenlight (eu-west-1)",
    stackName: "Greenlight",
    region: "eu-west-1",
    outputs: {
      PublicUrl: "https://x.lambda-url.eu-west-1.on.aws/",
      TableName: "Greenlight-Approvals",
      PolicySha256: digest,
    },
    client: () => ({ region: "eu-west-1" }),
    secret: async () => undefined,
  };
  const ctx: DoctorContext = {
    target,
    policy: parsePolicy(policyText),
    policyPath: "greenlight.yml",
    policyText,
  };
  const healthyEnv = { [ENV.tableName]: "Greenlight-Approvals", [ENV.policyDigest]: digest };

  function reader(overrides: Partial<AwsReader> = {}): AwsReader {
    return {
      resources: async () => [
        { type: "AWS::Lambda::Function", logicalId: "HttpFn", physicalId: "Greenlight-Http" },
        { type: "AWS::Lambda::Function", logicalId: "SyncFn", physicalId: "Greenlight-Sync" },
        { type: "AWS::SQS::Queue", logicalId: "IntakeDeadLetters", physicalId: "https://sqs/intake" },
        { type: "AWS::SQS::Queue", logicalId: "SyncDeadLetters", physicalId: "https://sqs/sync" },
        { type: "AWS::CloudWatch::Alarm", logicalId: "HttpErrors", physicalId: "Greenlight-HttpErrors" },
        { type: "AWS::CloudWatch::Alarm", logicalId: "SyncErrors", physicalId: "Greenlight-SyncErrors" },
      ],
      functionState: async () => ({
        state: "Active",
        lastUpdateStatus: "Successful",
        environment: healthyEnv,
      }),
      queueDepth: async () => 0,
      alarms: async (names) => names.map((name) => ({ name, state: "OK" })),
      ...overrides,
    };
  }
  const run = async (r: AwsReader) =>
    new Map(
      (
        await runChecks(
          awsOnlyChecksWith(() => r),
          ctx,
        )
      )
        .flatMap((x) => x.findings)
        .map((f) => [f.id, f]),
    );

  it("healthy: each function, each queue and the alarms are ok", async () => {
    expect(statusOf(await run(reader()))).toEqual({
      "functions:HttpFn": "ok",
      "functions:SyncFn": "ok",
      "queues:IntakeDeadLetters": "ok",
      "queues:SyncDeadLetters": "ok",
      alarms: "ok",
    });
  });

  it("a failed function, one on another policy, a queue with messages and a firing alarm are each named", async () => {
    const found = await run(
      reader({
        functionState: async (name) =>
          name === "Greenlight-Http"
            ? { state: "Failed", reason: "The role cannot be assumed", environment: healthyEnv }
            : {
                state: "Active",
                lastUpdateStatus: "Successful",
                environment: { ...healthyEnv, [ENV.policyDigest]: "0".repeat(64) },
              },
        queueDepth: async (url) => (url === "https://sqs/sync" ? 3 : 0),
        alarms: async (names) =>
          names.map((name) =>
            name === "Greenlight-SyncErrors"
              ? { name, state: "ALARM", reason: "Threshold crossed: 1 datapoint" }
              : { name, state: "OK" },
          ),
      }),
    );
    expect(found.get("functions:HttpFn")).toMatchObject({
      status: "problem",
      summary: "Greenlight-Http: state Failed (The role cannot be assumed)",
    });
    expect(found.get("functions:SyncFn")).toMatchObject({
      status: "problem",
      summary: expect.stringContaining("a policy other"),
    });
    expect(found.get("queues:IntakeDeadLetters")?.status).toBe("ok");
    expect(found.get("queues:SyncDeadLetters")).toMatchObject({
      status: "problem",
      summary: "SyncDeadLetters holds 3 message(s): events Greenlight gave up on",
      fix: expect.stringContaining("--queue-url https://sqs/sync"),
    });
    expect(found.get("alarms:Greenlight-SyncErrors")).toMatchObject({
      status: "problem",
      summary: "Greenlight-SyncErrors is firing: Threshold crossed: 1 datapoint",
    });
    expect(found.has("alarms:Greenlight-HttpErrors")).toBe(false);
  });
});
