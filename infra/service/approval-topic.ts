import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { PUBLISHER_ROLE_PATH } from "../names.js";

export interface ApprovalTopicProps {
  /**
   * Extra role ARNs (or ARN patterns) allowed to publish, e.g. the service role of an existing
   * pipeline that cannot use a role under the publisher path.
   */
  extraPublisherArns?: string[];
}

/**
 * The topic CodePipeline approval actions notify. Only CodePipeline's publisher roles may publish
 * (a forged notification would mail approvers a request nobody made), only over TLS, and messages
 * are encrypted at rest with the account's SNS key — which, unlike a customer key, needs no key
 * policy for the publisher roles.
 */
export class ApprovalTopic extends Construct {
  readonly topic: sns.Topic;
  /** The ARN patterns `aws:PrincipalArn` must match to publish. */
  readonly publisherArns: string[];

  constructor(scope: Construct, id: string, props: ApprovalTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.publisherArns = [
      `arn:${stack.partition}:iam::${stack.account}:role${PUBLISHER_ROLE_PATH}*`,
      ...(props.extraPublisherArns ?? []),
    ];
    this.topic = new sns.Topic(this, "Topic", {
      displayName: "Greenlight approvals",
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, "SnsKey", "alias/aws/sns"),
    });
    const publishers = { ArnLike: { "aws:PrincipalArn": this.publisherArns } };
    // Same-account roles need no identity policy with this allow; anyone else is denied below even
    // if an identity policy says sns:Publish on "*".
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CodePipelinePublishersMayPublish",
        principals: [new iam.AccountPrincipal(stack.account)],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: publishers,
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "NobodyElsePublishes",
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: { ArnNotLike: { "aws:PrincipalArn": this.publisherArns } },
      }),
    );
  }
}
