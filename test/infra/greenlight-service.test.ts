import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import {
  APPROVAL_TOPIC_EXPORT,
  BUNDLED_POLICY_PATH,
  PUBLISHER_ROLE_PATH,
  SAMPLE_PIPELINE,
} from "../../infra/names.js";
import { REPO_ROOT } from "../../infra/service/bundle-options.js";
import { NOT_GRANTED, TABLE_ACCESS } from "../../infra/service/grants.js";
import { APPROVALS_TABLE, approvalsTableDefinition } from "../../lambdas/aws/approvals-table.js";
import { ENV } from "../../lambdas/config-names.js";
import { asList, buildTestApp, logicalId, resourcesOf, statementsOf } from "../support/cdk.js";

// One app for the whole file: building it is the slow part, assertions are cheap.
const { greenlight } = buildTestApp();
const template = Template.fromStack(greenlight);
const service = greenlight.service;
const id = (construct: { node: { defaultChild?: unknown } }) => logicalId(greenlight, construct);
const fnId = (name: keyof typeof service.functions) => id(service.functions[name].fn);
const roleId = (name: keyof typeof service.functions) => id(service.functions[name].role);
const ref = (construct: { node: { defaultChild?: unknown } }) => ({ Ref: id(construct) });
const arnOf = (logical: string, attribute = "Arn") => ({ "Fn::GetAtt": [logical, attribute] });

/** Statements in one function's role policy. */
const statementsFor = (name: keyof typeof service.functions) =>
  statementsOf(template)
    .filter((s) => s.policy.startsWith(roleId(name).replace(/[0-9A-F]{8}$/, "")))
    .map((s) => s.statement);
const actionsFor = (name: keyof typeof service.functions) =>
  statementsFor(name).flatMap((s) => asList(s.Action as string | string[]));

describe("approvals table", () => {
  it("is on-demand, encrypted, with TTL, point-in-time recovery and a keys-only stream, and kept on delete", () => {
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: APPROVALS_TABLE.ttlAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: "KEYS_ONLY" },
      },
    });
  });

  it("has exactly the keys and indexes of the shared table definition", () => {
    const definition = approvalsTableDefinition("x");
    const [[, table] = ["", {}]] = resourcesOf(template, "AWS::DynamoDB::Table");
    expect(table.KeySchema).toEqual(definition.KeySchema);
    expect(new Set(table.AttributeDefinitions as object[])).toEqual(new Set(definition.AttributeDefinitions));
    expect(table.GlobalSecondaryIndexes).toEqual(
      definition.GlobalSecondaryIndexes?.map((g) => ({
        IndexName: g.IndexName,
        KeySchema: g.KeySchema,
        Projection: g.Projection,
      })),
    );
  });
});

describe("approval topic", () => {
  const publishers = {
    "Fn::Join": [
      "",
      [
        "arn:",
        { Ref: "AWS::Partition" },
        ":iam::",
        { Ref: "AWS::AccountId" },
        `:role${PUBLISHER_ROLE_PATH}*`,
      ],
    ],
  };

  it("is encrypted with the account's SNS key", () => {
    template.hasResourceProperties("AWS::SNS::Topic", {
      DisplayName: "Greenlight approvals",
      KmsMasterKeyId: { "Fn::Join": ["", Match.arrayWith([":alias/aws/sns"])] },
    });
  });

  it("accepts publishes over TLS from CodePipeline's publisher roles only", () => {
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [ref(service.topic)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
          Match.objectLike({
            Effect: "Allow",
            Action: "sns:Publish",
            Condition: { ArnLike: { "aws:PrincipalArn": [publishers] } },
          }),
          Match.objectLike({
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "sns:Publish",
            Condition: { ArnNotLike: { "aws:PrincipalArn": [publishers] } },
          }),
        ]),
      },
    });
  });

  it("is exported for pipelines to attach", () => {
    template.hasOutput("*", { Value: ref(service.topic), Export: { Name: APPROVAL_TOPIC_EXPORT } });
  });
});

describe("functions", () => {
  const functions = resourcesOf(template, "AWS::Lambda::Function");

  it("are the four entry points on Node.js 24, arm64, ESM bundles with the policy file", () => {
    expect(functions).toHaveLength(4);
    for (const [, fn] of functions) {
      expect(fn).toMatchObject({
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        Environment: {
          Variables: { [ENV.policyFile]: BUNDLED_POLICY_PATH, NODE_OPTIONS: "--enable-source-maps" },
        },
      });
    }
  });

  it("carry the bundled policy's SHA-256, which is also the stack's PolicySha256 output (greenlight doctor)", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const digest = Object.entries(outputs).find(([k]) => k.includes("PolicySha256"))?.[1].Value;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    for (const [, fn] of functions) {
      expect((fn.Environment as { Variables: Record<string, unknown> }).Variables[ENV.policyDigest]).toBe(
        digest,
      );
    }
    expect(Object.keys(outputs).some((k) => k.includes("EmailFrom"))).toBe(true);
  });

  it("set only environment names from lambdas/config-names.ts", () => {
    const known = new Set<string>([...Object.values(ENV), "NODE_OPTIONS"]);
    for (const [, fn] of functions) {
      const names = Object.keys((fn.Environment as { Variables: object }).Variables);
      expect(names.filter((n) => !known.has(n))).toEqual([]);
      expect(names).toContain(ENV.tableName);
    }
  });

  it("get the table, the public URL and the secrets by reference, never a value", () => {
    const env = (name: keyof typeof service.functions) =>
      template.toJSON().Resources[fnId(name)].Properties.Environment.Variables;
    expect(env("intake")[ENV.tableName]).toEqual(ref(service.table));
    expect(env("sync")[ENV.publicUrl]).toEqual(arnOf(id(service.functionUrl), "FunctionUrl"));
    expect(env("sync")[ENV.fromEmail]).toEqual({ Ref: "FromAddress" });
    for (const name of ["http", "sync"] as const) {
      expect(env(name)[ENV.slackSecretArn]).toEqual({ Ref: id(service.slackSecret as never) });
      expect(env(name)[ENV.githubSecretArn]).toEqual({ Ref: id(service.githubSecret as never) });
    }
    for (const name of ["intake", "events"] as const) {
      expect(Object.keys(env(name))).not.toContain(ENV.slackSecretArn);
      expect(Object.keys(env(name))).not.toContain(ENV.githubSecretArn);
    }
  });

  it("write to their own log group, kept 90 days", () => {
    for (const name of ["intake", "sync", "http", "events"] as const) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        FunctionName: Match.absent(),
        LoggingConfig: { LogGroup: ref(service.functions[name].logGroup) },
      });
    }
    expect(resourcesOf(template, "AWS::Logs::LogGroup").map(([, g]) => g.RetentionInDays)).toEqual([
      90, 90, 90, 90,
    ]);
  });

  it("the http function has a public function URL (auth NONE) and a reserved-concurrency cap", () => {
    template.hasResourceProperties("AWS::Lambda::Url", {
      AuthType: "NONE",
      TargetFunctionArn: arnOf(fnId("http")),
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      LoggingConfig: { LogGroup: ref(service.functions.http.logGroup) },
      ReservedConcurrentExecutions: 10,
    });
  });
});

describe("event wiring", () => {
  it("intake: subscribed to the topic with a DLQ, two retries, then the same DLQ", () => {
    const dlq = arnOf(id(service.node.findChild("IntakeDeadLetters")));
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "lambda",
      TopicArn: ref(service.topic),
      Endpoint: arnOf(fnId("intake")),
      RedrivePolicy: { deadLetterTargetArn: dlq },
    });
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: fnId("intake") },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: dlq } },
    });
  });

  it("sync: on the table stream, bounded retries, bisect, batch item failures, on-failure DLQ", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: fnId("sync") },
      EventSourceArn: arnOf(id(service.table), "StreamArn"),
      StartingPosition: "TRIM_HORIZON",
      MaximumRetryAttempts: 5,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: { OnFailure: { Destination: arnOf(id(service.node.findChild("SyncDeadLetters"))) } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ["INSERT", "MODIFY"] }) }] },
    });
  });

  it("events: CodePipeline state changes of the guarded pipelines, and a sweep every 5 minutes", () => {
    const target = Match.objectLike({
      Arn: arnOf(fnId("events")),
      DeadLetterConfig: { Arn: arnOf(id(service.node.findChild("EventsDeadLetters"))) },
      RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
    });
    template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.codepipeline"],
        "detail-type": [
          "CodePipeline Pipeline Execution State Change",
          "CodePipeline Stage Execution State Change",
          "CodePipeline Action Execution State Change",
        ],
        detail: { pipeline: [SAMPLE_PIPELINE.pipeline] },
      },
      Targets: [target],
    });
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(5 minutes)",
      Targets: [target],
    });
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: fnId("events") },
      MaximumRetryAttempts: 2,
    });
  });

  it("dead-letter queues are encrypted, TLS-only and keep messages 14 days", () => {
    const queues = resourcesOf(template, "AWS::SQS::Queue");
    expect(queues).toHaveLength(3);
    for (const [, q] of queues)
      expect(q).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    expect(resourcesOf(template, "AWS::SQS::QueuePolicy").length).toBeGreaterThanOrEqual(3);
  });
});

describe("least privilege", () => {
  const pipelineArn = [
    "arn:",
    { Ref: "AWS::Partition" },
    ":codepipeline:",
    { Ref: "AWS::Region" },
    ":",
    { Ref: "AWS::AccountId" },
    `:${SAMPLE_PIPELINE.pipeline}`,
  ];

  it("PutApprovalResult only on the guarded approval action, only for http and events", () => {
    const grants = statementsOf(template).filter((s) =>
      asList(s.statement.Action).includes("codepipeline:PutApprovalResult"),
    );
    expect(grants.map((g) => g.policy.slice(0, -8)).sort()).toEqual(
      [roleId("events"), roleId("http")].map((r) => `${r.slice(0, -8)}DefaultPolicy`).sort(),
    );
    for (const { statement } of grants) {
      expect(statement).toEqual({
        Action: "codepipeline:PutApprovalResult",
        Effect: "Allow",
        Resource: {
          "Fn::Join": [
            "",
            [
              ...pipelineArn.slice(0, -1),
              `:${SAMPLE_PIPELINE.pipeline}/${SAMPLE_PIPELINE.stage}/${SAMPLE_PIPELINE.action}`,
            ],
          ],
        },
      });
    }
  });

  it("reads pipeline state and executions of the guarded pipeline only", () => {
    for (const action of [
      "codepipeline:GetPipelineState",
      "codepipeline:ListActionExecutions",
      "codepipeline:GetPipelineExecution",
    ]) {
      const grants = statementsOf(template).filter((s) => asList(s.statement.Action).includes(action));
      expect(grants.length).toBeGreaterThan(0);
      for (const { statement } of grants)
        expect(statement.Resource).toEqual({ "Fn::Join": ["", pipelineArn] });
    }
    const codepipeline = (name: keyof typeof service.functions) =>
      actionsFor(name).filter((a) => a.startsWith("codepipeline:"));
    expect(codepipeline("intake").sort()).toEqual([
      "codepipeline:GetPipelineExecution",
      "codepipeline:GetPipelineState",
      "codepipeline:ListActionExecutions",
    ]);
    expect(codepipeline("sync")).toEqual([]);
    expect(codepipeline("events")).not.toContain("codepipeline:GetPipelineExecution");
  });

  it("uses the table through the adapters' calls only", () => {
    for (const name of ["intake", "sync", "http", "events"] as const) {
      const dynamo = actionsFor(name).filter(
        (a) => a.startsWith("dynamodb:") && !a.includes("Stream") && a !== "dynamodb:DescribeStream",
      );
      const expected =
        name === "http" ? [...TABLE_ACCESS.store, ...TABLE_ACCESS.githubDeliveries] : TABLE_ACCESS.store;
      expect(
        new Set(dynamo.filter((a) => !["dynamodb:GetRecords", "dynamodb:GetShardIterator"].includes(a))),
      ).toEqual(new Set(expected));
    }
  });

  it("grants every DynamoDB command the adapters import (so a new one cannot ship ungranted)", () => {
    const adapters = {
      "dynamodb-store.ts": TABLE_ACCESS.store,
      "github-deliveries.ts": TABLE_ACCESS.githubDeliveries,
    };
    const ACTION_OF: Record<string, string> = {
      GetCommand: "dynamodb:GetItem",
      PutCommand: "dynamodb:PutItem",
      UpdateCommand: "dynamodb:UpdateItem",
      DeleteCommand: "dynamodb:DeleteItem",
      QueryCommand: "dynamodb:Query",
      ScanCommand: "dynamodb:Scan",
      BatchGetCommand: "dynamodb:BatchGetItem",
      BatchWriteCommand: "dynamodb:BatchWriteItem",
      TransactGetCommand: "dynamodb:TransactGetItems",
      TransactWriteCommand: "dynamodb:TransactWriteItems",
    };
    for (const [file, granted] of Object.entries(adapters)) {
      const source = readFileSync(join(REPO_ROOT, "lambdas/aws", file), "utf8");
      const imported = /import\s*{([^}]*)}\s*from\s*"@aws-sdk\/lib-dynamodb"/.exec(source)?.[1] ?? "";
      const commands = imported
        .split(",")
        .map((s) => s.replace(/^\s*type\s+/, "").trim())
        .filter((s) => s.endsWith("Command"));
      expect(commands.length, file).toBeGreaterThan(0);
      for (const command of commands) {
        const action = ACTION_OF[command];
        expect(action, `${file}: ${command} has no known IAM action`).toBeDefined();
        const covered =
          (granted as readonly string[]).includes(action ?? "") || Object.hasOwn(NOT_GRANTED, action ?? "");
        expect(covered, `${file} calls ${command}: grant ${action} in infra/service/grants.ts`).toBe(true);
      }
    }
  });

  it("reads secrets only (http and sync), and sends mail only as the SES identity (sync)", () => {
    const secretStatements = statementsOf(template).filter((s) =>
      JSON.stringify(s.statement.Action).includes("secretsmanager:"),
    );
    for (const { statement } of secretStatements) {
      expect(statement.Action).toEqual(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
    }
    expect(actionsFor("http")).toContain("secretsmanager:GetSecretValue");
    expect(actionsFor("sync")).toContain("secretsmanager:GetSecretValue");
    expect(actionsFor("intake")).not.toContain("secretsmanager:GetSecretValue");
    expect(actionsFor("events")).not.toContain("secretsmanager:GetSecretValue");
    const ses = statementsOf(template).filter((s) => asList(s.statement.Action).includes("ses:SendEmail"));
    expect(ses).toHaveLength(1);
    expect(JSON.stringify(ses[0]?.statement.Resource)).toContain(':identity/",{"Ref":"SenderIdentity"}');
    expect(actionsFor("sync")).toContain("ses:SendEmail");
  });

  it("has no '*' resource except dynamodb:ListStreams, which supports no resource scoping", () => {
    const wildcards = statementsOf(template).filter((s) => asList(s.statement.Resource).includes("*"));
    expect(wildcards.map((w) => w.statement.Action)).toEqual(["dynamodb:ListStreams"]);
  });

  it("puts no secret value in the template", () => {
    for (const [, secret] of resourcesOf(template, "AWS::SecretsManager::Secret")) {
      expect(secret.SecretString).toBeUndefined();
      expect(secret.GenerateSecretString).toMatchObject({ GenerateStringKey: "unused" });
    }
  });
});

describe("alarms", () => {
  const alarms = resourcesOf(template, "AWS::CloudWatch::Alarm");
  const alarmTopic = ref(service.alarms.topic);
  const dimensionsOf = (a: Record<string, unknown>) => JSON.stringify(a.Dimensions ?? []);

  it("watch every DLQ's depth, every function's errors and throttles, and failed verifications", () => {
    const metrics = alarms.map(([, a]) => `${a.Namespace}/${a.MetricName}`);
    expect(metrics.filter((m) => m === "AWS/SQS/ApproximateNumberOfMessagesVisible")).toHaveLength(3);
    expect(metrics.filter((m) => m === "AWS/Lambda/Errors")).toHaveLength(4);
    expect(metrics.filter((m) => m === "AWS/Lambda/Throttles")).toHaveLength(4);
    expect(metrics).toContain("Greenlight/FailedVerifications");
    for (const name of ["intake", "sync", "http", "events"] as const) {
      expect(
        alarms.some(([, a]) => a.MetricName === "Throttles" && dimensionsOf(a).includes(fnId(name))),
      ).toBe(true);
    }
  });

  it("all notify the alarm topic", () => {
    for (const [, a] of alarms) expect(a.AlarmActions).toEqual([alarmTopic]);
  });

  it("count refused signatures in the http function's log", () => {
    template.hasResourceProperties("AWS::Logs::MetricFilter", {
      LogGroupName: ref(service.functions.http.logGroup),
      FilterPattern: '"signature" "refused"',
      MetricTransformations: [
        Match.objectLike({ MetricNamespace: "Greenlight", MetricName: "FailedVerifications" }),
      ],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "FailedVerifications",
      Threshold: 20,
      Period: 300,
      Statistic: "Sum",
    });
  });
});

describe("refused approval notifications (issue 13 item 2)", () => {
  it("are counted from the intake function's log and alarm at the first one", () => {
    template.hasResourceProperties("AWS::Logs::MetricFilter", {
      LogGroupName: ref(service.functions.intake.logGroup),
      FilterPattern: '"approval" "notification" "refused"',
      MetricTransformations: [
        Match.objectLike({ MetricNamespace: "Greenlight", MetricName: "RefusedApprovalNotifications" }),
      ],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "Greenlight",
      MetricName: "RefusedApprovalNotifications",
      Threshold: 1,
      Period: 300,
      Statistic: "Sum",
      AlarmActions: [ref(service.alarms.topic)],
    });
  });

  it("the filter's terms match every refusal line intake writes, and no other", async () => {
    const { APPROVAL_REFUSED_TERMS } = await import("../../lambdas/intake-refused.js");
    const matches = (line: string) => APPROVAL_REFUSED_TERMS.every((t) => line.includes(t));
    for (const refused of [
      "intake: approval notification refused: it cannot be answered",
      "intake: approval notification refused: no greenlight.yml rule matches; nobody could approve",
      "intake: approval notification refused: not an SNS event",
    ]) {
      expect(matches(refused)).toBe(true);
    }
    expect(matches("intake: approval opened")).toBe(false);
    expect(matches("intake: change context incomplete; the approval opened without it")).toBe(false);
  });
});

describe("channels", () => {
  it("without Slack and GitHub, creates no secrets and sets no secret names", { timeout: 60_000 }, () => {
    const { greenlight: bare } = buildTestApp({
      "greenlight:slack": false,
      "greenlight:github": false,
      "greenlight:samplePipeline": true,
    });
    const t = Template.fromStack(bare);
    t.resourceCountIs("AWS::SecretsManager::Secret", 0);
    expect(JSON.stringify(t.toJSON())).not.toMatch(/GREENLIGHT_(SLACK|GITHUB)_SECRET_ARN|secretsmanager:/);
  });
});
