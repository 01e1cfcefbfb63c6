import type { Duration } from "aws-cdk-lib";
import * as actions from "aws-cdk-lib/aws-codepipeline-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import { PUBLISHER_ROLE_PATH } from "./names.js";

export interface GreenlightApprovalProps {
  /** Greenlight's approval topic: `Fn.importValue("GreenlightApprovalTopicArn")` in another app. */
  topicArn: string;
  actionName: string;
  /** What the reviewer should look at, usually the staging URL. */
  externalEntityLink?: string;
  /** Shown with the request in every channel. */
  customData?: string;
  /** How long the approval may wait: 5 minutes to 60 days; CodePipeline defaults to 7 days. */
  timeout?: Duration;
  /** The pipeline's role, when known: only it may assume the publisher role. */
  pipelineRole?: iam.IRole;
  runOrder?: number;
}

/**
 * A manual approval action routed to Greenlight, for a pipeline defined in CDK (the sample
 * pipeline uses it too). CodePipeline publishes the notification with the action's role; the
 * approval topic accepts only roles under the publisher path, so the action gets one.
 * The Greenlight stack must also list the action (`greenlight:guard`) to be allowed to answer it.
 */
export function greenlightApproval(scope: Construct, id: string, props: GreenlightApprovalProps) {
  const role = new iam.Role(scope, `${id}PublisherRole`, {
    path: PUBLISHER_ROLE_PATH,
    assumedBy: props.pipelineRole ?? new iam.AccountRootPrincipal(),
    description: `Publishes the ${props.actionName} approval request to Greenlight`,
  });
  const topic = sns.Topic.fromTopicArn(scope, `${id}Topic`, props.topicArn);
  return new actions.ManualApprovalAction({
    actionName: props.actionName,
    notificationTopic: topic,
    role,
    ...(props.externalEntityLink ? { externalEntityLink: props.externalEntityLink } : {}),
    ...(props.customData ? { additionalInformation: props.customData } : {}),
    ...(props.timeout ? { timeout: props.timeout } : {}),
    ...(props.runOrder ? { runOrder: props.runOrder } : {}),
  });
}
