import { App, Stack, Stage, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { acknowledge, MIN_REASON_LENGTH } from "../../infra/nag.js";
import { buildTestApp } from "../support/cdk.js";

const { app, greenlight, delivery } = buildTestApp();

/** Every acknowledgement recorded in the tree: where, which rule, why. */
function acknowledgements(root: IConstruct) {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([rule, reason]) => ({ construct, rule, reason })),
  );
}

describe("cdk-nag AwsSolutions", () => {
  it.each([
    ["Greenlight", greenlight],
    ["GreenlightDelivery", delivery],
  ])("%s has no unacknowledged finding", (_name, stack) => {
    if (!stack) throw new Error("stack missing");
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("every acknowledgement sits on a resource, names an AwsSolutions rule and gives a real reason", () => {
    const all = acknowledgements(app);
    expect(all.length).toBeGreaterThan(10);
    for (const { construct, rule, reason } of all) {
      const where = `${rule} on ${construct.node.path}`;
      expect(
        construct instanceof Stack || construct instanceof Stage || construct instanceof App,
        where,
      ).toBe(false);
      expect(rule, where).toMatch(/^(Annotation::)?AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(reason.trim().length, where).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
    }
  });

  it("refuses an acknowledgement without a reason worth the name", () => {
    const stack = new Stack(new App(), "Scratch");
    expect(() => acknowledge(stack, "AwsSolutions-IAM5", "because")).toThrow(/real reason/);
  });
});
