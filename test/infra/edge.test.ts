import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { EDGE_HEADER, ENV } from "../../lambdas/config-names.js";
import { buildTestApp, resourcesOf } from "../support/cdk.js";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f56-7890-abcd-ef0123456789";
const { app, greenlight } = buildTestApp({
  "greenlight:domain": "approvals.acme.io",
  "greenlight:certificateArn": CERT,
});
const template = Template.fromStack(greenlight);

describe("the edge", () => {
  it("puts CloudFront with the secret origin header, all viewer headers but Host, no caching in front", () => {
    const [[, d] = ["", {}]] = resourcesOf(template, "AWS::CloudFront::Distribution");
    const config = JSON.stringify(d);
    expect(config).toContain('"approvals.acme.io"');
    expect(config).toContain(EDGE_HEADER);
    expect(config).toContain("{{resolve:secretsmanager:");
    expect(config).toContain("b689b0a8-53d0-40ab-baf2-68738e2966ac"); // AllViewerExceptHostHeader
    expect(config).toContain("4135ea2d-6df8-44a3-9df3-4b5a84be39ad"); // CachingDisabled
    expect(config).not.toContain('"Logging"');
  });

  it("has a WAF WebACL with the per-IP rate rule and the common rule set, large bodies only counted", () => {
    const [[, acl] = ["", {}]] = resourcesOf(template, "AWS::WAFv2::WebACL");
    expect(acl.Scope).toBe("CLOUDFRONT");
    const rules = JSON.stringify(acl.Rules);
    expect(rules).toContain('"RateBasedStatement":{');
    expect(rules).toContain('"Limit":1000');
    expect(rules).toContain('"AggregateKeyType":"IP"');
    expect(rules).toContain("AWSManagedRulesCommonRuleSet");
    expect(rules).toMatch(
      /"ActionToUse":\{"Count":\{\}\},"Name":"SizeRestrictions_BODY"|"Name":"SizeRestrictions_BODY","ActionToUse":\{"Count":\{\}\}/,
    );
  });

  it("keeps no sampled requests, for the ACL or any rule: they would show link tokens in query strings", () => {
    const [[, acl] = ["", {}]] = resourcesOf(template, "AWS::WAFv2::WebACL");
    const configs = [
      acl.VisibilityConfig,
      ...(acl.Rules as { VisibilityConfig: unknown }[]).map((r) => r.VisibilityConfig),
    ] as { SampledRequestsEnabled?: boolean }[];
    expect(configs.length).toBeGreaterThan(2);
    for (const config of configs) expect(config.SampledRequestsEnabled).toBe(false);
  });

  it("logs WAF requests to an aws-waf-logs- group with a retention, secrets and the query string redacted", () => {
    const [[groupId, group] = ["", {}]] = resourcesOf(template, "AWS::Logs::LogGroup").filter(([, g]) =>
      String(g.LogGroupName).startsWith("aws-waf-logs-"),
    );
    expect(group.RetentionInDays).toBe(30);
    const [[, logging] = ["", {}]] = resourcesOf(template, "AWS::WAFv2::LoggingConfiguration");
    expect(JSON.stringify(logging.ResourceArn)).toContain("WebAcl");
    // The destination is the group's ARN without the `:*` of its Arn attribute, which WAF refuses.
    const destination = JSON.stringify(logging.LogDestinationConfigs);
    expect(destination).toContain(`:log-group:${group.LogGroupName}"`);
    expect(destination).not.toContain(":*");
    expect(logging.RedactedFields).toEqual(
      expect.arrayContaining([
        { SingleHeader: { Name: EDGE_HEADER } },
        { SingleHeader: { Name: "authorization" } },
        { SingleHeader: { Name: "cookie" } },
        { QueryString: {} },
      ]),
    );
    const resources = template.toJSON().Resources as Record<string, { DependsOn?: string[]; Type: string }>;
    const config = Object.values(resources).find((r) => r.Type === "AWS::WAFv2::LoggingConfiguration");
    expect(config?.DependsOn).toContain(groupId);
  });

  it("outputs the CloudFront domain name to point the custom domain at, and the origin secret", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
    const dns = Object.entries(outputs).filter(([id]) => id.includes("DnsTarget"));
    expect(dns).toHaveLength(1);
    const [[, out] = ["", { Value: "", Description: "" }]] = dns;
    expect(JSON.stringify(out.Value)).toMatch(/"Fn::GetAtt":\["[^"]*Distribution[^"]*","DomainName"\]/);
    expect(out.Description).toContain("approvals.acme.io");
    const secret = Object.entries(outputs).find(([id]) => id.includes("OriginSecretArn"))?.[1];
    expect(JSON.stringify(secret?.Value)).toMatch(/^\{"Ref":"[^"]*OriginHeader[^"]*"\}$/);
  });

  it("sends the AWSCURRENT value by default, and the pinned version when given (rotation)", () => {
    // The value is a dynamic reference joined around the secret's Ref: its text ends with the version.
    const header = (t: Template) => {
      const config = JSON.stringify(resourcesOf(t, "AWS::CloudFront::Distribution")[0]?.[1]);
      return /"HeaderName":"x-greenlight-edge","HeaderValue":\{"Fn::Join":\["",\[(.*?)\]\]\}/.exec(
        config,
      )?.[1];
    };
    expect(header(template)).toMatch(/"\{\{resolve:secretsmanager:",.*":SecretString:current::\}\}"$/);
    const version = "a1b2c3d4-e5f6-7890-abcd-ef0123456789";
    const pinned = Template.fromStack(
      buildTestApp({
        "greenlight:domain": "approvals.acme.io",
        "greenlight:certificateArn": CERT,
        "greenlight:edgeSecretVersion": version,
      }).greenlight,
    );
    expect(header(pinned)).toMatch(new RegExp(`":SecretString:current::${version}\\}\\}"$`));
    expect(() =>
      buildTestApp({
        "greenlight:domain": "a.acme.io",
        "greenlight:certificateArn": CERT,
        "greenlight:edgeSecretVersion": "AWSPREVIOUS",
      }),
    ).toThrow(/VersionId/);
  });

  it("tells the http function which secret to check, and mails links on the team's domain", () => {
    const env = resourcesOf(template, "AWS::Lambda::Function").map(([, f]) => JSON.stringify(f.Environment));
    expect(env.filter((e) => e.includes(ENV.edgeSecretArn))).toHaveLength(1);
    expect(env.some((e) => e.includes('"GREENLIGHT_PUBLIC_URL":"https://approvals.acme.io/"'))).toBe(true);
  });

  it("stays clean under cdk-nag", () => {
    const report = new AwsSolutionsChecks(app).validateScope(greenlight);
    expect(
      report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
    ).toEqual([]);
  });

  it("is absent without the context", () => {
    const plain = Template.fromStack(buildTestApp().greenlight);
    expect(resourcesOf(plain, "AWS::CloudFront::Distribution")).toEqual([]);
    expect(resourcesOf(plain, "AWS::WAFv2::WebACL")).toEqual([]);
  });

  it("refuses a certificate outside us-east-1 at synth", () => {
    expect(() =>
      buildTestApp({
        "greenlight:domain": "a.acme.io",
        "greenlight:certificateArn": CERT.replace("us-east-1", "eu-west-1"),
      }),
    ).toThrow(/us-east-1/);
  });
});
