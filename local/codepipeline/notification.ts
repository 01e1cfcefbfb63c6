import { randomUUID } from "node:crypto";

export interface ApprovalNotificationInput {
  region: string;
  pipeline: string;
  stage: string;
  action: string;
  token: string;
  expiresAt: Date;
  externalEntityLink?: string;
  customData?: string;
  topicArn?: string;
}

/** `2026-12-06T20:22Z`: CodePipeline's minute precision. */
const minutePrecision = (d: Date) => `${d.toISOString().slice(0, 16)}Z`;

/** The JSON CodePipeline publishes to the approval action's SNS topic. */
export function approvalMessage(input: ApprovalNotificationInput): string {
  const console = `https://console.aws.amazon.com/codepipeline/home?region=${input.region}#/view/${input.pipeline}`;
  return JSON.stringify({
    region: input.region,
    consoleLink: console,
    approval: {
      pipelineName: input.pipeline,
      stageName: input.stage,
      actionName: input.action,
      token: input.token,
      expires: minutePrecision(input.expiresAt),
      externalEntityLink: input.externalEntityLink ?? null,
      approvalReviewLink: `${console}/${input.stage}/${input.action}/approve/${input.token}`,
      customData: input.customData ?? null,
    },
  });
}

/** The message as a Lambda receives it from SNS. */
export function snsEvent(input: ApprovalNotificationInput) {
  const topicArn = input.topicArn ?? `arn:aws:sns:${input.region}:123456789012:greenlight-approvals`;
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
        Sns: {
          Type: "Notification",
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Subject: `APPROVAL NEEDED: AWS CodePipeline ${input.pipeline} for action ${input.action}`,
          Message: approvalMessage(input),
          Timestamp: new Date().toISOString(),
          SignatureVersion: "1",
          Signature: "LOCAL",
          SigningCertUrl: "https://sns.local/cert.pem",
          UnsubscribeUrl: "https://sns.local/unsubscribe",
          MessageAttributes: {},
        },
      },
    ],
  };
}
