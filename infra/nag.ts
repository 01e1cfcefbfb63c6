import { CfnElement, Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** Acknowledgements must say why; a vague one is as bad as none. */
export const MIN_REASON_LENGTH = 20;

/**
 * Acknowledge a cdk-nag finding on one construct (and what it contains), never on a whole stack.
 * `id` is the rule id, or a finding id such as `AwsSolutions-IAM5[Resource::…]`.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`acknowledging ${id} on ${scope.node.path}: give a real reason`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag prints a resource's `Fn::GetAtt [Id, Arn]` inside a finding id: `<Id.Arn>`. */
export function nagArn(resource: IConstruct): string {
  const cfn = resource.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`${resource.node.path} has no CloudFormation resource`);
  return `<${Stack.of(resource).getLogicalId(cfn)}.Arn>`;
}

/** `<Id>` — a `Ref` inside a finding id. */
export function nagRef(resource: IConstruct): string {
  const cfn = resource.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`${resource.node.path} has no CloudFormation resource`);
  return `<${Stack.of(resource).getLogicalId(cfn)}>`;
}
