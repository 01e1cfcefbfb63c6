// The checks of the AWS side of a deployment: the stack's outputs, the policy the functions run,
// the pipelines' approval actions, SES, approvals stuck in `deciding`; on AWS also the functions'
// state, the dead-letter queues and the alarms (AWS-only: aws-only.ts; SES: ses.ts). Each call is one the
// service documents; `npm start` answers the same calls at its local endpoints.
import { CodePipelineClient, GetPipelineCommand, paginateListPipelines } from "@aws-sdk/client-codepipeline";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { matchRule, type Rule } from "../../core/policy.js";
import { policyDigest, readPolicyYaml } from "../../core/policy-yaml.js";
import { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";
import { awsOnlyChecks } from "./aws-only.js";
import { type Check, clientOf, type Finding, ok, problem, REDEPLOY, skipped, warning } from "./check.js";
import { sesCheck } from "./ses.js";

// ── stack ────────────────────────────────────────────────────────────────────────────────────

const stackCheck: Check = {
  id: "stack",
  title: "Stack outputs and the public URL",
  async run(ctx) {
    const { outputs } = ctx.target;
    const uses = (channel: "slack" | "github") => ctx.policy.rules.some((r) => r[channel]);
    const wanted = [
      "PublicUrl",
      "TableName",
      "ApprovalTopicArn",
      "EmailFrom",
      "PolicySha256",
      ...(uses("slack") ? ["SlackRequestUrl"] : []),
      ...(uses("github") ? ["GithubWebhookUrl"] : []),
      ...(ctx.target.kind === "aws" ? ["AlarmTopicArn"] : []),
      ...(ctx.target.kind === "aws" && uses("slack") ? ["SlackSecretArn"] : []),
      ...(ctx.target.kind === "aws" && uses("github") ? ["GithubSecretArn"] : []),
    ];
    const missing = wanted.filter((k) => !outputs[k]);
    const findings: Finding[] = [
      missing.length === 0
        ? ok("stack.outputs", `the stack has every output Greenlight needs (${wanted.length})`)
        : problem(
            "stack.outputs",
            `the stack lacks the output(s) ${missing.join(", ")}`,
            missing.some((k) => k.endsWith("SecretArn"))
              ? `${REDEPLOY} with the channel on (-c greenlight:slack=true / greenlight:github=true)`
              : `${REDEPLOY}: a stack from an older Greenlight lacks them`,
          ),
    ];
    // The function URL answers GET /healthz without a signature (lambdas/app.ts).
    const health = new URL("healthz", outputs.PublicUrl).toString();
    try {
      const res = await fetch(health, { signal: AbortSignal.timeout(10_000) });
      findings.push(
        res.ok
          ? ok("stack.url", `${health} answers ${res.status}`)
          : problem(
              "stack.url",
              `${health} answers ${res.status}`,
              "open the Http function's log group in CloudWatch Logs; a 403 with the edge on means the request bypassed CloudFront",
            ),
      );
    } catch (e: unknown) {
      findings.push(
        problem(
          "stack.url",
          `${health} does not answer (${e instanceof Error ? e.message : String(e)})`,
          "check the PublicUrl output and, with a custom domain, its DNS record (the DnsTarget output)",
        ),
      );
    }
    return findings;
  },
};

// ── policy ───────────────────────────────────────────────────────────────────────────────────

const policyCheck: Check = {
  id: "policy",
  title: "The policy the functions run",
  async run(ctx) {
    const mine = policyDigest(readPolicyYaml(ctx.policyText, ctx.policyPath).data);
    const deployed = ctx.target.outputs.PolicySha256;
    if (!deployed)
      return [
        warning(
          "policy.digest",
          "the stack does not say which policy its functions run (no PolicySha256 output)",
          `${REDEPLOY}; a stack from an older Greenlight lacks the output`,
        ),
      ];
    if (deployed === mine)
      return [ok("policy.digest", `the functions run ${ctx.policyPath} (sha256 ${mine.slice(0, 12)}…)`)];
    return [
      problem(
        "policy.digest",
        `the functions run another policy than ${ctx.policyPath} (deployed sha256 ${deployed.slice(0, 12)}…, this file ${mine.slice(0, 12)}…)`,
        ctx.target.kind === "local"
          ? "restart npm start (it reads greenlight.yml at start), or pass --policy with the file it runs"
          : `${REDEPLOY} to ship ${ctx.policyPath}, or pass --policy with the file that was deployed`,
      ),
    ];
  },
};

// ── pipelines ────────────────────────────────────────────────────────────────────────────────

interface ApprovalAction {
  pipeline: string;
  stage: string;
  action: string;
  notificationArn?: string;
}

/** Every manual approval action in the account and region (ListPipelines, then GetPipeline each). */
async function approvalActions(cp: CodePipelineClient): Promise<ApprovalAction[]> {
  const found: ApprovalAction[] = [];
  for await (const page of paginateListPipelines({ client: cp }, {})) {
    for (const summary of page.pipelines ?? []) {
      if (!summary.name) continue;
      const { pipeline } = await cp.send(new GetPipelineCommand({ name: summary.name }));
      for (const stage of pipeline?.stages ?? []) {
        for (const action of stage.actions ?? []) {
          const type = action.actionTypeId;
          if (type?.category !== "Approval" || type.provider !== "Manual") continue;
          const arn = action.configuration?.NotificationArn;
          found.push({
            pipeline: summary.name,
            stage: stage.name ?? "",
            action: action.name ?? "",
            ...(arn ? { notificationArn: arn } : {}),
          });
        }
      }
    }
  }
  return found;
}

const pipelinesCheck: Check = {
  id: "pipelines",
  title: "Approval actions and the rules that guard them",
  async run(ctx) {
    const cp = clientOf(ctx, "codepipeline", (c) => new CodePipelineClient(c));
    if (!cp) return [skipped("pipelines", "this target has no CodePipeline endpoint")];
    const topic = ctx.target.outputs.ApprovalTopicArn;
    if (!topic)
      return [
        problem(
          "pipelines",
          "the stack has no ApprovalTopicArn output: cannot tell which actions notify Greenlight",
          REDEPLOY,
        ),
      ];
    try {
      const actions = await approvalActions(cp);
      const findings: Finding[] = [];
      const used = new Set<Rule>();
      let others = 0;
      for (const a of actions) {
        const where = `${a.pipeline}/${a.stage}/${a.action}`;
        const id = `pipelines.action:${where}`;
        const rule = matchRule(ctx.policy, a);
        const notifies = a.notificationArn === topic;
        if (notifies && rule) {
          used.add(rule);
          findings.push(ok(id, `${where} notifies Greenlight; rule "${rule.name}" guards it`));
        } else if (notifies)
          findings.push(
            problem(
              id,
              `${where} notifies Greenlight, but no rule in ${ctx.policyPath} matches it: nobody can approve it there`,
              `add a rule with match: { pipeline: ${a.pipeline}, stage: ${a.stage}, action: ${a.action} } to ${ctx.policyPath}, then ${REDEPLOY}`,
            ),
          );
        else if (rule)
          findings.push(
            problem(
              id,
              `rule "${rule.name}" matches ${where}, but the action notifies ${a.notificationArn ?? "no SNS topic"}: Greenlight never hears of it and the approval waits in the console`,
              `set the action's SNS topic to ${topic} (CDK: ManualApprovalAction notificationTopic; console: Edit the pipeline → the stage → the action → SNS topic ARN)`,
            ),
          );
        else others++;
      }
      if (others > 0)
        findings.push(
          ok(
            "pipelines.others",
            `${others} other approval action(s) are not Greenlight's (no rule, no topic)`,
          ),
        );
      for (const rule of ctx.policy.rules) {
        if (used.has(rule)) continue;
        const m = rule.match;
        findings.push(
          warning(
            `pipelines.rule:${rule.name}`,
            `rule "${rule.name}" (${m.pipeline}/${m.stage}/${m.action}) guards no approval action that notifies Greenlight`,
            `check its match: in ${ctx.policyPath} against the pipeline (names are case-sensitive), or remove the rule`,
          ),
        );
      }
      if (actions.length === 0)
        findings.push(
          warning(
            "pipelines",
            `no pipeline in ${ctx.target.region} has a manual approval action`,
            "add a manual approval action that notifies the ApprovalTopicArn topic (README: Deploy to AWS)",
          ),
        );
      return findings;
    } finally {
      cp.destroy();
    }
  },
};

// ── approvals stuck in deciding ──────────────────────────────────────────────────────────────

/** The sweep finishes a `deciding` approval after a minute; one still there after this is stuck. */
const STUCK_MS = 10 * 60_000;

const decidingCheck: Check = {
  id: "deciding",
  title: "Approvals stuck between a decision and CodePipeline",
  async run(ctx) {
    const client = clientOf(ctx, "dynamodb", (c) => new DynamoDBClient(c));
    if (!client) return [skipped("deciding", "this target has no DynamoDB endpoint")];
    try {
      const store = new DynamoApprovalStore({ tableName: ctx.target.outputs.TableName, client });
      const now = Date.now();
      const stuck = (await store.listOpen()).filter(
        (a) => a.state === "deciding" && now - Date.parse(a.updatedAt) >= STUCK_MS,
      );
      if (stuck.length === 0) return [ok("deciding", "no approval is stuck in deciding")];
      return stuck.map((a) =>
        problem(
          `deciding:${a.id}`,
          `${a.request.pipeline}/${a.request.stage}/${a.request.action} (approval ${a.id}) was decided ${Math.round((now - Date.parse(a.updatedAt)) / 60_000)} min ago and CodePipeline has not been told`,
          "the Events function's sweep retries every few minutes: read its log group for the PutApprovalResult error (often IAM or throttling); the console can still answer the action",
        ),
      );
    } finally {
      client.destroy();
    }
  },
};

export const awsChecks: Check[] = [
  stackCheck,
  policyCheck,
  pipelinesCheck,
  sesCheck,
  decidingCheck,
  ...awsOnlyChecks,
];
