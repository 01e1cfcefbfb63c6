import { Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import type { ApprovalActionRef } from "../names.js";

/**
 * DynamoDB calls per adapter, and nothing else: no scans or batch writes on request paths.
 * A test reads each adapter's imports, so a new command there fails the build until it is
 * granted (or listed as not granted) here.
 */
export const TABLE_ACCESS = {
  /** `lambdas/aws/dynamodb-store.ts`, in every function. */
  store: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
  /** `lambdas/aws/github-deliveries.ts` (webhook de-duplication), in the http function. */
  githubDeliveries: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
} as const;

/** Commands an adapter has that no deployed function may call, and why. */
export const NOT_GRANTED: Record<string, string> = {
  "dynamodb:Scan": "the store's listAll serves the local dashboard and operators' tools only",
};

export function grantTable(table: dynamodb.ITable, grantee: iam.IGrantable, actions: readonly string[]) {
  return table.grant(grantee, ...actions);
}

/** SES v2 SendEmail as the given identities only (no `*`: other identities in the account stay out of reach). */
export function grantSendEmail(scope: Construct, grantee: iam.IGrantable, identities: string[]) {
  const stack = Stack.of(scope);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ["ses:SendEmail"],
    resourceArns: [...new Set(identities)].map((name) =>
      stack.formatArn({ service: "ses", resource: "identity", resourceName: name }),
    ),
  });
}

/**
 * What `lambdas/aws/codepipeline.ts` calls, scoped to the guarded pipelines: PutApprovalResult on
 * their approval actions only; GetPipelineState and ListActionExecutions (is our answer in? who
 * answered? which run holds this token? — in PARALLEL mode only ListActionExecutions knows) and
 * GetPipelineExecution (the commit behind a run) on those pipelines only.
 */
export function grantPipelineAccess(
  scope: Construct,
  approvals: readonly ApprovalActionRef[],
  who: Record<"putApprovalResult" | "readState" | "readExecution", iam.IGrantable[]>,
) {
  const stack = Stack.of(scope);
  const pipelineArn = (name: string) => stack.formatArn({ service: "codepipeline", resource: name });
  const pipelines = [...new Set(approvals.map((a) => a.pipeline))].map(pipelineArn);
  const actions = approvals.map((a) => `${pipelineArn(a.pipeline)}/${a.stage}/${a.action}`);
  const grant = (grantees: iam.IGrantable[], action: string, resourceArns: string[]) => {
    for (const grantee of grantees) iam.Grant.addToPrincipal({ grantee, actions: [action], resourceArns });
  };
  grant(who.putApprovalResult, "codepipeline:PutApprovalResult", actions);
  grant(who.readState, "codepipeline:GetPipelineState", pipelines);
  grant(who.readState, "codepipeline:ListActionExecutions", pipelines);
  grant(who.readExecution, "codepipeline:GetPipelineExecution", pipelines);
}
