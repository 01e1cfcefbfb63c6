// The checks only a deployed stack can answer: its functions' state and configuration, its
// dead-letter queues and its alarms. `npm start` runs the handlers in its own process, has no
// queues and no CloudWatch, so locally these say "skipped" and why.
//
// The calls (API references): CloudFormation ListStackResources (ResourceType, PhysicalResourceId:
// a function's name, a queue's URL, an alarm's name); Lambda GetFunctionConfiguration (State:
// Pending | Active | Inactive | Failed, LastUpdateStatus: Successful | Failed | InProgress,
// Environment.Variables); SQS GetQueueAttributes (ApproximateNumberOfMessages); CloudWatch
// DescribeAlarms by AlarmNames (StateValue OK | ALARM | INSUFFICIENT_DATA, StateReason).
import { CloudFormationClient, paginateListStackResources } from "@aws-sdk/client-cloudformation";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ENV } from "../../lambdas/config-names.js";
import { type Check, type DoctorContext, type Finding, ok, problem, skipped } from "./check.js";

export interface StackResource {
  type: string;
  logicalId: string;
  physicalId: string;
}

export interface FunctionState {
  state?: string;
  lastUpdateStatus?: string;
  reason?: string;
  environment: Record<string, string>;
}

export interface AlarmState {
  name: string;
  state?: string;
  reason?: string;
}

/** What the AWS-only checks read, one method per call; `sdkReader` is the real one. */
export interface AwsReader {
  resources(): Promise<StackResource[]>;
  functionState(name: string): Promise<FunctionState>;
  queueDepth(url: string): Promise<number>;
  alarms(names: string[]): Promise<AlarmState[]>;
}

export function sdkReader(stackName: string, region: string): AwsReader {
  const config = { region, maxAttempts: 3 };
  return {
    async resources() {
      const cfn = new CloudFormationClient(config);
      try {
        const found: StackResource[] = [];
        for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackName }))
          for (const r of page.StackResourceSummaries ?? [])
            if (r.ResourceType && r.LogicalResourceId && r.PhysicalResourceId)
              found.push({
                type: r.ResourceType,
                logicalId: r.LogicalResourceId,
                physicalId: r.PhysicalResourceId,
              });
        return found;
      } finally {
        cfn.destroy();
      }
    },
    async functionState(name) {
      const lambda = new LambdaClient(config);
      try {
        const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
        return {
          ...(c.State ? { state: c.State } : {}),
          ...(c.LastUpdateStatus ? { lastUpdateStatus: c.LastUpdateStatus } : {}),
          ...((c.StateReason ?? c.LastUpdateStatusReason)
            ? { reason: String(c.StateReason ?? c.LastUpdateStatusReason) }
            : {}),
          environment: c.Environment?.Variables ?? {},
        };
      } finally {
        lambda.destroy();
      }
    },
    async queueDepth(url) {
      const sqs = new SQSClient(config);
      try {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }),
        );
        return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
      } finally {
        sqs.destroy();
      }
    },
    async alarms(names) {
      const cw = new CloudWatchClient(config);
      try {
        const found: AlarmState[] = [];
        // DescribeAlarms takes up to 100 names per call.
        for (let i = 0; i < names.length; i += 100) {
          const res = await cw.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100) }));
          for (const a of res.MetricAlarms ?? [])
            if (a.AlarmName)
              found.push({
                name: a.AlarmName,
                ...(a.StateValue ? { state: a.StateValue } : {}),
                ...(a.StateReason ? { reason: a.StateReason } : {}),
              });
        }
        return found;
      } finally {
        cw.destroy();
      }
    },
  };
}

const LOCAL = "npm start runs the handlers in its own process: no Lambda, SQS or CloudWatch to look at";

/** The AWS-only checks, reading through `readerFor` (the SDK by default; tests pass their own). */
export function awsOnlyChecksWith(readerFor: (ctx: DoctorContext) => AwsReader | undefined): Check[] {
  const memo = new WeakMap<DoctorContext, Promise<StackResource[]>>();
  const resources = (ctx: DoctorContext, reader: AwsReader) => {
    const known = memo.get(ctx);
    if (known) return known;
    const found = reader.resources();
    memo.set(ctx, found);
    return found;
  };
  const ofType = async (ctx: DoctorContext, reader: AwsReader, type: string) =>
    (await resources(ctx, reader)).filter((r) => r.type === type);

  const functions: Check = {
    id: "functions",
    title: "The functions' state and configuration",
    async run(ctx) {
      const reader = readerFor(ctx);
      if (!reader) return [skipped("functions", LOCAL)];
      const fns = await ofType(ctx, reader, "AWS::Lambda::Function");
      if (fns.length === 0)
        return [problem("functions", "the stack has no Lambda functions", "cdk deploy the Greenlight stack")];
      const findings: Finding[] = [];
      for (const fn of fns) {
        const id = `functions:${fn.logicalId}`;
        const s = await reader.functionState(fn.physicalId);
        const env = s.environment;
        const wrong: string[] = [];
        if (s.state !== "Active") wrong.push(`state ${s.state ?? "?"}${s.reason ? ` (${s.reason})` : ""}`);
        if (s.lastUpdateStatus && s.lastUpdateStatus !== "Successful")
          wrong.push(`last update ${s.lastUpdateStatus}${s.reason ? ` (${s.reason})` : ""}`);
        if (env[ENV.tableName] !== ctx.target.outputs.TableName)
          wrong.push(
            `table ${env[ENV.tableName] ?? "unset"}, not the stack's ${ctx.target.outputs.TableName}`,
          );
        const digest = ctx.target.outputs.PolicySha256;
        if (digest && env[ENV.policyDigest] !== digest)
          wrong.push("a policy other than the stack's PolicySha256 (a deploy half done, or edited by hand)");
        findings.push(
          wrong.length === 0
            ? ok(id, `${fn.physicalId} is active, on the stack's table and policy`)
            : problem(
                id,
                `${fn.physicalId}: ${wrong.join("; ")}`,
                "cdk deploy the Greenlight stack again; if the function stays Failed, read StateReason in the Lambda console",
              ),
        );
      }
      return findings;
    },
  };

  const queues: Check = {
    id: "queues",
    title: "Dead-letter queues",
    async run(ctx) {
      const reader = readerFor(ctx);
      if (!reader) return [skipped("queues", LOCAL)];
      const findings: Finding[] = [];
      for (const q of await ofType(ctx, reader, "AWS::SQS::Queue")) {
        const depth = await reader.queueDepth(q.physicalId);
        const id = `queues:${q.logicalId}`;
        findings.push(
          depth === 0
            ? ok(id, `${q.logicalId} is empty`)
            : problem(
                id,
                `${q.logicalId} holds ${depth} message(s): events Greenlight gave up on`,
                `read them (aws sqs receive-message --queue-url ${q.physicalId} --max-number-of-messages 10), fix the cause in the function's log, then redrive them (SQS console → the queue → Start DLQ redrive) or purge`,
              ),
        );
      }
      return findings.length > 0 ? findings : [skipped("queues", "the stack has no queues")];
    },
  };

  const alarms: Check = {
    id: "alarms",
    title: "Alarms",
    async run(ctx) {
      const reader = readerFor(ctx);
      if (!reader) return [skipped("alarms", LOCAL)];
      const names = (await ofType(ctx, reader, "AWS::CloudWatch::Alarm")).map((a) => a.physicalId);
      if (names.length === 0) return [skipped("alarms", "the stack has no alarms")];
      const states = await reader.alarms(names);
      const firing = states.filter((a) => a.state === "ALARM");
      if (firing.length === 0) return [ok("alarms", `none of the ${names.length} alarm(s) is firing`)];
      return firing.map((a) =>
        problem(
          `alarms:${a.name}`,
          `${a.name} is firing${a.reason ? `: ${a.reason}` : ""}`,
          "CloudWatch console → Alarms → the alarm: its metric names the function; read that function's log group",
        ),
      );
    },
  };
  return [functions, queues, alarms];
}

export const awsOnlyChecks = awsOnlyChecksWith((ctx) =>
  ctx.target.kind === "aws" && ctx.target.stackName
    ? sdkReader(ctx.target.stackName, ctx.target.region)
    : undefined,
);
