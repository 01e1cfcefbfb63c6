import { Annotations, CfnOutput, Duration } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sns from "aws-cdk-lib/aws-sns";
import { LambdaSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { APPROVALS_TABLE } from "../../lambdas/aws/approvals-table.js";
import { ENV } from "../../lambdas/config-names.js";
import { acknowledge, nagArn } from "../nag.js";
import { APPROVAL_TOPIC_EXPORT, type ApprovalActionRef } from "../names.js";
import { ServiceAlarms } from "./alarms.js";
import { ApprovalTopic } from "./approval-topic.js";
import { createApprovalsTable } from "./approvals-table.js";
import { channelSecret } from "./channel-secret.js";
import { type EdgeOptions, GreenlightEdge } from "./edge.js";
import { grantPipelineAccess, grantSendEmail, grantTable, TABLE_ACCESS } from "./grants.js";
import { GreenlightFunction } from "./greenlight-function.js";
import { PolicyFile } from "./policy-file.js";

export interface GreenlightServiceProps {
  /** Path of `greenlight.yml`; validated now, shipped inside every function bundle. */
  policyFile: string;
  /** The approval actions Greenlight may answer: IAM is scoped to exactly these. */
  approvals: ApprovalActionRef[];
  /** SES: the verified identity (domain or address) and the From header mail is sent with. */
  email: { identity: string; from: string; sandboxRecipients?: boolean };
  /**
   * Channels besides email. Present = enabled: the functions get the secret's ARN and may read it.
   * Without an existing secret, an empty one is created for the operator to fill (README).
   */
  slack?: { secret?: secretsmanager.ISecret };
  github?: { secret?: secretsmanager.ISecret };
  /** Role ARN patterns, besides roles under the publisher path, that may publish approvals. */
  extraPublisherArns?: string[];
  /** The cap on concurrent http invocations: the public URL's blast radius. */
  httpReservedConcurrency?: number;
  /** Days an approval record outlives its expiry before TTL removes it. */
  recordRetentionDays?: number;
  logRetention?: logs.RetentionDays;
  logLevel?: "debug" | "info" | "warn";
  failedVerificationThreshold?: number;
  /** CloudFront + WAF in front of the function URL, which then refuses requests not through it. */
  edge?: EdgeOptions;
}

/**
 * Greenlight on AWS: CodePipeline → SNS → intake → DynamoDB → (stream) sync → email/Slack/GitHub;
 * people answer on the http function's URL; events keeps approvals in step with the pipeline.
 */
export class GreenlightService extends Construct {
  readonly table: dynamodb.Table;
  readonly topic: sns.Topic;
  readonly functions: Record<"intake" | "sync" | "http" | "events", GreenlightFunction>;
  readonly functionUrl: lambda.FunctionUrl;
  readonly slackSecret: secretsmanager.ISecret | undefined;
  readonly githubSecret: secretsmanager.ISecret | undefined;
  readonly alarms: ServiceAlarms;
  readonly edge: GreenlightEdge | undefined;

  constructor(scope: Construct, id: string, props: GreenlightServiceProps) {
    super(scope, id);
    if (props.approvals.length === 0) throw new Error("GreenlightService: no approval actions to guard");
    const policy = new PolicyFile(props.policyFile);
    policy.assertCovers(props.approvals);
    // `cdk synth` prints these with the policy line: approvers who can never approve, rules open
    // to their authors. They fail safe (rejecting works), so they warn rather than stop the deploy.
    for (const warning of policy.policy.warnings)
      Annotations.of(this).addWarningV2("greenlight:policy", `Greenlight policy: ${warning}`);

    this.table = createApprovalsTable(this, "Approvals", APPROVALS_TABLE.ttlAttribute);
    this.topic = new ApprovalTopic(this, "ApprovalTopic", {
      extraPublisherArns: props.extraPublisherArns ?? [],
    }).topic;
    this.slackSecret = props.slack && (props.slack.secret ?? channelSecret(this, "SlackSecret", "slack"));
    this.githubSecret =
      props.github && (props.github.secret ?? channelSecret(this, "GithubSecret", "github"));

    const common = {
      policy,
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    };
    const env = {
      [ENV.tableName]: this.table.tableName,
      [ENV.retentionDays]: String(props.recordRetentionDays ?? 90),
      [ENV.logLevel]: props.logLevel ?? "info",
    };
    const secretsEnv = {
      ...(this.slackSecret ? { [ENV.slackSecretArn]: this.slackSecret.secretArn } : {}),
      ...(this.githubSecret ? { [ENV.githubSecretArn]: this.githubSecret.secretArn } : {}),
    };

    const http = new GreenlightFunction(this, "Http", {
      ...common,
      entry: "lambdas/http.ts",
      description: "Greenlight: email pages, Slack interactivity and GitHub webhooks on the function URL",
      environment: { ...env, ...secretsEnv },
      timeout: Duration.seconds(10),
      // More memory is more CPU: cold starts stay inside Slack's 3 s.
      memorySize: 1024,
      reservedConcurrentExecutions: props.httpReservedConcurrency ?? 10,
    });
    this.functionUrl = http.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.edge =
      props.edge && new GreenlightEdge(this, "Edge", { ...props.edge, functionUrl: this.functionUrl });
    if (this.edge) {
      http.fn.addEnvironment(ENV.edgeSecretArn, this.edge.secret.secretArn);
      this.edge.secret.grantRead(http.fn);
    }
    const publicUrl = this.edge?.url ?? this.functionUrl.url;

    const intake = new GreenlightFunction(this, "Intake", {
      ...common,
      entry: "lambdas/intake.ts",
      description: "Greenlight: opens an approval for each CodePipeline approval notification",
      environment: env,
      timeout: Duration.seconds(30),
    });
    const sync = new GreenlightFunction(this, "Sync", {
      ...common,
      entry: "lambdas/sync.ts",
      description: "Greenlight: projects approval changes onto email, Slack and GitHub",
      environment: {
        ...env,
        ...secretsEnv,
        [ENV.publicUrl]: publicUrl,
        [ENV.fromEmail]: props.email.from,
      },
      timeout: Duration.minutes(1),
      memorySize: 512,
    });
    const eventsFn = new GreenlightFunction(this, "Events", {
      ...common,
      entry: "lambdas/events.ts",
      description:
        "Greenlight: CodePipeline state changes and the sweep (expiry, reminders, stuck deliveries)",
      environment: env,
      timeout: Duration.minutes(1),
    });
    this.functions = { intake, sync, http, events: eventsFn };

    // Data-plane access only, and only the calls the adapters make.
    for (const f of Object.values(this.functions)) grantTable(this.table, f.fn, TABLE_ACCESS.store);
    if (this.githubSecret) grantTable(this.table, http.fn, TABLE_ACCESS.githubDeliveries);
    for (const f of Object.values(this.functions)) {
      acknowledge(f.role, `AwsSolutions-IAM5[Resource::${nagArn(this.table)}/index/*]`, INDEX_REASON);
    }
    // Read-only, and only where a channel verifies requests (http) or posts updates (sync).
    for (const secret of [this.slackSecret, this.githubSecret]) {
      secret?.grantRead(http.fn);
      secret?.grantRead(sync.fn);
    }
    // In the SES sandbox, sending is also checked against each recipient's (verified) identity.
    grantSendEmail(this, sync.fn, [
      props.email.identity,
      ...(props.email.sandboxRecipients ? policy.emailRecipients() : []),
    ]);
    // Deciding (http: people; events: the sweeper finishing a stuck delivery) and reading context (intake).
    grantPipelineAccess(this, props.approvals, {
      putApprovalResult: [http.fn, eventsFn.fn],
      readState: [http.fn, eventsFn.fn, intake.fn],
      readExecution: [intake.fn],
    });

    const dlqs = {
      Intake: this.deadLetterQueue("IntakeDeadLetters"),
      Sync: this.deadLetterQueue("SyncDeadLetters"),
      Events: this.deadLetterQueue("EventsDeadLetters"),
    };

    // Intake: SNS → Lambda is an async invocation. SNS parks what it cannot deliver; Lambda retries
    // a failing run twice (opening is idempotent) and then parks the event too.
    this.topic.addSubscription(new LambdaSubscription(intake.fn, { deadLetterQueue: dlqs.Intake }));
    intake.fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(dlqs.Intake) });

    // Sync: the handler names the first record it could not project; Lambda retries from there,
    // halves a failing batch, and parks the batch's position after the last attempt.
    sync.fn.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(dlqs.Sync),
        // TTL deletions need no projection; the handler ignores them, so don't wake it for them.
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.or("INSERT", "MODIFY") })],
      }),
    );
    acknowledge(sync.role, "AwsSolutions-IAM5[Resource::*]", LIST_STREAMS_REASON);

    // Events: CodePipeline state changes of the guarded pipelines, and the sweep every 5 minutes.
    eventsFn.fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(dlqs.Events) });
    const target = new targets.LambdaFunction(eventsFn.fn, {
      retryAttempts: 3,
      maxEventAge: Duration.hours(2),
      deadLetterQueue: dlqs.Events,
    });
    new events.Rule(this, "PipelineStateChanges", {
      description: "Greenlight: CodePipeline pipeline, stage and action state changes of guarded pipelines",
      eventPattern: {
        source: ["aws.codepipeline"],
        detailType: [
          "CodePipeline Pipeline Execution State Change",
          "CodePipeline Stage Execution State Change",
          "CodePipeline Action Execution State Change",
        ],
        detail: { pipeline: [...new Set(props.approvals.map((a) => a.pipeline))] },
      },
      targets: [target],
    });
    new events.Rule(this, "Sweep", {
      description: "Greenlight: reminders, expiry and reconciling stuck approvals",
      schedule: events.Schedule.rate(Duration.minutes(5)),
      targets: [target],
    });

    this.alarms = new ServiceAlarms(this, "Alarms", {
      functions: { Intake: intake.fn, Sync: sync.fn, Http: http.fn, Events: eventsFn.fn },
      deadLetterQueues: dlqs,
      httpLogGroup: http.logGroup,
      failedVerificationThreshold: props.failedVerificationThreshold ?? 20,
    });

    new CfnOutput(this, "PublicUrl", { value: publicUrl, description: "Greenlight's public URL" });
    new CfnOutput(this, "SlackRequestUrl", {
      value: `${publicUrl}slack/events`,
      description: "Slack app: Interactivity & Shortcuts → Request URL",
    });
    new CfnOutput(this, "GithubWebhookUrl", {
      value: `${publicUrl}github/webhooks`,
      description: "GitHub App: Webhook URL",
    });
    new CfnOutput(this, "ApprovalTopicArn", {
      value: this.topic.topicArn,
      exportName: APPROVAL_TOPIC_EXPORT,
      description: "Point a CodePipeline manual approval action's notification at this topic",
    });
    if (this.slackSecret) new CfnOutput(this, "SlackSecretArn", { value: this.slackSecret.secretArn });
    if (this.githubSecret) new CfnOutput(this, "GithubSecretArn", { value: this.githubSecret.secretArn });
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarms.topic.topicArn });
    new CfnOutput(this, "TableName", { value: this.table.tableName });
    // What `greenlight doctor` compares: the sender SES must have verified, the policy bundled.
    new CfnOutput(this, "EmailFrom", { value: props.email.from, description: "The e-mails' From address" });
    new CfnOutput(this, "PolicySha256", {
      value: policy.digest,
      description: "SHA-256 of the bundled greenlight.yml (as JSON): greenlight doctor compares it",
    });
  }

  private deadLetterQueue(id: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(queue, "AwsSolutions-SQS3", DLQ_REASON);
    return queue;
  }
}

const INDEX_REASON =
  "Query on the approvals table's own indexes (byExecution, open): CDK's table grant covers them as " +
  "<table ARN>/index/*, which names no other table.";
const LIST_STREAMS_REASON =
  "dynamodb:ListStreams, which the stream event source needs, has no resource-level permissions; " +
  "reading records (GetRecords, GetShardIterator, DescribeStream) is scoped to this table's stream.";
const DLQ_REASON =
  "This queue is itself the dead-letter destination of a Greenlight function; a DLQ behind a DLQ " +
  "would only move the same messages again. Its depth raises an alarm.";
