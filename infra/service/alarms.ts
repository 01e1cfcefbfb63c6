import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { SLACK_METRIC_NAMESPACE, SLACK_PERMANENT_ERRORS_METRIC } from "../../bot/slack/metric-names.js";
import { APPROVAL_REFUSED_TERMS } from "../../lambdas/intake-refused.js";
import { SIGNATURE_REFUSED_TERMS } from "../names.js";

export const METRIC_NAMESPACE = "Greenlight";
export const FAILED_VERIFICATIONS_METRIC = "FailedVerifications";
export const REFUSED_APPROVALS_METRIC = "RefusedApprovalNotifications";

export interface ServiceAlarmsProps {
  functions: Record<string, lambda.IFunction>;
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** The http function's log group: refused signatures are counted from it. */
  httpLogGroup: logs.ILogGroup;
  /** Refused signatures per 5 minutes that count as a burst (an attack or a rotated secret). */
  failedVerificationThreshold: number;
}

/**
 * What an operator must hear about: anything parked in a DLQ (a notification or a channel update
 * that never happened), function errors, throttles (on the http function, the reserved concurrency
 * cap doing its job against a flood), and bursts of requests with bad signatures. Every alarm
 * notifies one topic; subscribe an address to it (README).
 */
export class ServiceAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    // Not encrypted with the account's SNS key: CloudWatch cannot publish to a topic using it, and
    // alarm notifications carry metric names, not approval data.
    this.topic = new sns.Topic(this, "Topic", { displayName: "Greenlight alarms", enforceSSL: true });
    const action = new SnsAction(this.topic);
    const add = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const alarm = new cloudwatch.Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };

    const fiveMinutes = { period: Duration.minutes(5) };
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      add(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ ...fiveMinutes, statistic: "Maximum" }),
        1,
        `Greenlight ${name}: failed events are parked in the DLQ; read them, fix the cause, redrive.`,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      add(
        `${name}Errors`,
        fn.metricErrors(fiveMinutes),
        1,
        `Greenlight ${name}: the function failed; see its log group.`,
      );
      add(
        `${name}Throttles`,
        fn.metricThrottles(fiveMinutes),
        1,
        `Greenlight ${name}: invocations were throttled (concurrency cap or account limit).`,
      );
    }

    const filter = new logs.MetricFilter(this, "FailedVerificationFilter", {
      logGroup: props.httpLogGroup,
      filterPattern: logs.FilterPattern.allTerms(...SIGNATURE_REFUSED_TERMS),
      metricNamespace: METRIC_NAMESPACE,
      metricName: FAILED_VERIFICATIONS_METRIC,
      metricValue: "1",
      defaultValue: 0,
    });
    add(
      "FailedVerificationBurst",
      filter.metric({ ...fiveMinutes, statistic: "Sum" }),
      props.failedVerificationThreshold,
      "Greenlight http: a burst of Slack/GitHub requests with bad signatures (an attack, or a secret " +
        "rotated on one side only).",
    );

    // Refused approval notifications: intake could not answer one (no valid names, token or
    // expiry) or no rule covers it. CodePipeline then waits with nobody asked until it times out,
    // so the first one alarms. Counted from the intake function's own log group.
    const intake = props.functions.Intake;
    const intakeLogs = intake instanceof lambda.Function ? intake.logGroup : undefined;
    if (intakeLogs) {
      const refused = new logs.MetricFilter(this, "RefusedApprovalFilter", {
        logGroup: intakeLogs,
        filterPattern: logs.FilterPattern.allTerms(...APPROVAL_REFUSED_TERMS),
        metricNamespace: METRIC_NAMESPACE,
        metricName: REFUSED_APPROVALS_METRIC,
        metricValue: "1",
        defaultValue: 0,
      });
      add(
        "RefusedApprovalNotification",
        refused.metric({ ...fiveMinutes, statistic: "Sum" }),
        1,
        "Greenlight intake: an approval notification was refused (see the intake log line); the " +
          "pipeline waits with nobody asked. Fix the notification or greenlight.yml, then approve in the console.",
      );
    }

    // Slack refused a call for good (app not invited, channel archived, token revoked, blocks
    // refused): not retried, so nothing reaches a DLQ. The Slack channel's log line carries the
    // count in embedded metric format (bot/slack/problems.ts); its `fix` field says what to do.
    add(
      "SlackPermanentErrors",
      new cloudwatch.Metric({
        namespace: SLACK_METRIC_NAMESPACE,
        metricName: SLACK_PERMANENT_ERRORS_METRIC,
        statistic: "Sum",
        ...fiveMinutes,
      }),
      1,
      "Greenlight Slack: Slack refused a call for good (not invited, archived, token revoked…); " +
        'search the function logs for "not retried": each line says what to fix.',
    );
  }
}
