import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, type Stack } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { buildApp } from "../../infra/app.js";
import { REPO_ROOT } from "../../infra/service/bundle-options.js";

/** The feature flags `cdk synth` runs with, so the tests see the same templates. */
const FLAGS: Record<string, unknown> = JSON.parse(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8")).context;

/**
 * Build the app as `infra/main.ts` does. Bundling is skipped unless asked for: CDK's documented
 * `aws:cdk:bundling-stacks` context (what `cdk synth --exclusively` uses) set to no stacks makes
 * each NodejsFunction a placeholder asset, so a template takes ~0.5 s instead of running esbuild.
 */
export function buildTestApp(
  context: Record<string, unknown> = {},
  options: { bundle?: boolean; outdir?: string } = {},
) {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...FLAGS,
      ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
      "greenlight:slack": true,
      "greenlight:github": true,
      ...context,
    },
  });
  return { app, ...buildApp(app) };
}

type Json = Record<string, unknown>;

/** Resources of one type from a template, by logical id. */
export function resourcesOf(template: Template, type: string): [string, Json][] {
  const all = template.toJSON().Resources as Record<string, { Type: string; Properties?: Json }>;
  return Object.entries(all)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** Every IAM statement in a template's inline policies, with the policy's logical id. */
export function statementsOf(template: Template): { policy: string; statement: Json }[] {
  return resourcesOf(template, "AWS::IAM::Policy").flatMap(([policy, props]) => {
    const doc = props.PolicyDocument as { Statement: Json[] };
    return doc.Statement.map((statement) => ({ policy, statement }));
  });
}

export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  const child = construct.node.defaultChild;
  if (!child || typeof child !== "object") throw new Error("no default child");
  return stack.getLogicalId(child as Parameters<Stack["getLogicalId"]>[0]);
}
