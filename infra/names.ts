/**
 * Names the stacks share with each other and with operators. Function environment names live in
 * `lambdas/config-names.ts` and the table's shape in `lambdas/aws/approvals-table.ts`.
 */

/** The approval action of a pipeline Greenlight guards. */
export interface ApprovalActionRef {
  pipeline: string;
  stage: string;
  action: string;
}

/** The sample delivery pipeline: its names are fixed so the service can scope IAM to them up front. */
export const SAMPLE_PIPELINE = {
  pipeline: "greenlight-sample",
  stage: "Approve",
  action: "StakeholderApproval",
} as const satisfies ApprovalActionRef;

/**
 * Roles under this path may publish to the approval topic. A path, rather than role ARNs, keeps the
 * service stack free of references to the pipelines that use it (no cycle, no redeploy per pipeline).
 */
export const PUBLISHER_ROLE_PATH = "/greenlight-publishers/";

/** The export other stacks and teams import the approval topic's ARN by. */
export const APPROVAL_TOPIC_EXPORT = "GreenlightApprovalTopicArn";

/**
 * The words a channel's log message carries when it refuses a request whose signature (or
 * signature timestamp) does not verify, e.g. "github: webhook signature does not match; refused".
 * The http function's metric filter counts log lines holding all of them; the alarm fires on a burst.
 */
export const SIGNATURE_REFUSED_TERMS = ["signature", "refused"] as const;

/** Where the policy sits inside each function bundle (the Lambda task root): greenlight.yml as JSON. */
export const BUNDLED_POLICY_PATH = "/var/task/greenlight.json";

/** Parse `pipeline/stage/action`, the form operators pass on the command line. */
export function parseApprovalActionRef(text: string): ApprovalActionRef {
  const parts = text.split("/").map((p) => p.trim());
  const [pipeline, stage, action] = parts;
  if (parts.length !== 3 || !pipeline || !stage || !action) {
    throw new Error(`expected pipeline/stage/action, got "${text}"`);
  }
  return { pipeline, stage, action };
}
