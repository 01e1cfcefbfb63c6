import { resolve } from "node:path";
import { type App, Fn } from "aws-cdk-lib";
import { isDeployStrategy } from "./delivery/sample-web-app.js";
import {
  APPROVAL_TOPIC_EXPORT,
  type ApprovalActionRef,
  parseApprovalActionRef,
  SAMPLE_PIPELINE,
} from "./names.js";
import { REPO_ROOT } from "./service/bundle-options.js";
import { DeliveryStack, GreenlightStack } from "./stacks.js";

/** Context keys (`cdk.json` or `-c key=value`), all optional. */
export const CONTEXT = {
  policyFile: "greenlight:policyFile",
  guard: "greenlight:guard",
  publishers: "greenlight:publishers",
  samplePipeline: "greenlight:samplePipeline",
  deployStrategy: "greenlight:deployStrategy",
  httpReservedConcurrency: "greenlight:httpReservedConcurrency",
  sesSandbox: "greenlight:sesSandbox",
  slack: "greenlight:slack",
  github: "greenlight:github",
  domain: "greenlight:domain",
  certificateArn: "greenlight:certificateArn",
  edgeRateLimit: "greenlight:edgeRateLimit",
  edgeSecretVersion: "greenlight:edgeSecretVersion",
} as const;

/** A list from context: a JSON array in cdk.json, or comma-separated on the command line. */
function list(app: App, key: string): string[] {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === "") return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function flag(app: App, key: string, fallback: boolean): boolean {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return fallback;
  return value === true || value === "true";
}

/** Both stacks, configured from context. Used by `infra/main.ts` and the tests alike. */
export function buildApp(app: App) {
  const sample = flag(app, CONTEXT.samplePipeline, true);
  const strategy: unknown = app.node.tryGetContext(CONTEXT.deployStrategy) ?? "canary";
  if (!isDeployStrategy(strategy)) {
    throw new Error(
      `${CONTEXT.deployStrategy}: expected canary, linear or all-at-once, got ${String(strategy)}`,
    );
  }
  const concurrency = Number(app.node.tryGetContext(CONTEXT.httpReservedConcurrency) ?? 10);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`${CONTEXT.httpReservedConcurrency}: expected a whole number of at least 1`);
  }
  const approvals: ApprovalActionRef[] = [
    ...(sample ? [SAMPLE_PIPELINE] : []),
    ...list(app, CONTEXT.guard).map(parseApprovalActionRef),
  ];
  const policyFile = String(app.node.tryGetContext(CONTEXT.policyFile) ?? "greenlight.yml");

  const domain: unknown = app.node.tryGetContext(CONTEXT.domain);
  const certificateArn: unknown = app.node.tryGetContext(CONTEXT.certificateArn);
  if (Boolean(domain) !== Boolean(certificateArn))
    throw new Error(`${CONTEXT.domain} and ${CONTEXT.certificateArn} go together (the edge needs both)`);
  const rateLimit = Number(app.node.tryGetContext(CONTEXT.edgeRateLimit) ?? 1000);
  if (!Number.isInteger(rateLimit) || rateLimit < 10)
    throw new Error(`${CONTEXT.edgeRateLimit}: expected a whole number of at least 10`);
  const secretVersion: unknown = app.node.tryGetContext(CONTEXT.edgeSecretVersion);
  if (secretVersion !== undefined && !/^[A-Za-z0-9-]{32,64}$/.test(String(secretVersion)))
    throw new Error(
      `${CONTEXT.edgeSecretVersion}: expected the VersionId that put-secret-value printed, got ${String(secretVersion)}`,
    );
  const edge = domain
    ? {
        domain: String(domain),
        certificateArn: String(certificateArn),
        rateLimit,
        ...(secretVersion ? { secretVersion: String(secretVersion) } : {}),
      }
    : undefined;

  const greenlight = new GreenlightStack(app, "Greenlight", {
    description: "Greenlight: approve CodePipeline manual approvals from email, Slack and GitHub",
    policyFile: resolve(REPO_ROOT, policyFile),
    approvals,
    extraPublisherArns: list(app, CONTEXT.publishers),
    httpReservedConcurrency: concurrency,
    sesSandbox: flag(app, CONTEXT.sesSandbox, false),
    slack: flag(app, CONTEXT.slack, false),
    github: flag(app, CONTEXT.github, false),
    ...(edge ? { edge } : {}),
  });
  const delivery = sample
    ? new DeliveryStack(app, "GreenlightDelivery", {
        description: "Greenlight sample delivery pipeline: build, test, staging, approval, production",
        // Through the export, the way any other pipeline attaches (README).
        approvalTopicArn: Fn.importValue(APPROVAL_TOPIC_EXPORT),
        strategy,
      })
    : undefined;
  delivery?.addStackDependency(greenlight, "imports the approval topic's export");
  return { greenlight, delivery };
}
