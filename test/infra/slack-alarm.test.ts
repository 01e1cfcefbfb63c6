import { WebAPIPlatformError } from "@slack/web-api";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as logs from "aws-cdk-lib/aws-logs";
import { describe, expect, it } from "vitest";
import { SLACK_METRIC_NAMESPACE, SLACK_PERMANENT_ERRORS_METRIC } from "../../bot/slack/metric-names.js";
import { permanentError, reportPermanent } from "../../bot/slack/problems.js";
import { ServiceAlarms } from "../../infra/service/alarms.js";
import { captureLogs } from "../support/logs.js";

function alarmsTemplate() {
  const stack = new Stack(new App(), "Alarms");
  const alarms = new ServiceAlarms(stack, "Alarms", {
    functions: {},
    deadLetterQueues: {},
    httpLogGroup: new logs.LogGroup(stack, "Logs"),
    failedVerificationThreshold: 20,
  });
  return { template: Template.fromStack(stack), topic: stack.resolve(alarms.topic.topicArn) };
}

/** The error @slack/web-api raises for Slack's `{ ok: false, error }` answers. */
const platformError = (error: string) => new WebAPIPlatformError({ ok: false, error });

describe("alarm on Slack's permanent errors", () => {
  it("an alarm on Greenlight/SlackPermanentErrors (sum over 5 minutes ≥ 1) notifies the alarm topic", () => {
    const { template, topic } = alarmsTemplate();

    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "Greenlight",
      MetricName: "SlackPermanentErrors",
      Statistic: "Sum",
      Period: 300,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
      AlarmActions: [topic],
    });
  });

  it("watches exactly the metric the Slack channel's log line emits (embedded metric format)", () => {
    const { template } = alarmsTemplate();
    const logs = captureLogs();
    const problem = permanentError(platformError("not_in_channel"), "C0DEPLOYS1");
    if (!problem) throw new Error("not_in_channel should be permanent");

    reportPermanent(
      logs.log,
      problem,
      { method: "chat.postMessage", slackChannel: "C0DEPLOYS1" },
      new Date(0),
    );

    const [line] = logs.entries();
    const emf = line?._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
    const declared = emf.CloudWatchMetrics[0];
    expect(declared?.Namespace).toBe(SLACK_METRIC_NAMESPACE);
    expect(declared?.Metrics.map((m) => m.Name)).toEqual([SLACK_PERMANENT_ERRORS_METRIC]);
    expect(line?.[SLACK_PERMANENT_ERRORS_METRIC]).toBe(1);
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm"));
    expect(
      alarms.filter(
        (a) =>
          a.Properties.Namespace === declared?.Namespace &&
          a.Properties.MetricName === declared?.Metrics[0]?.Name,
      ),
    ).toHaveLength(1);
  });
});
