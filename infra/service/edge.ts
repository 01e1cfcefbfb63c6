import {
  ArnFormat,
  Aws,
  CfnOutput,
  CfnRule,
  Fn,
  RemovalPolicy,
  SecretValue,
  Stack,
  Token,
} from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { EDGE_HEADER } from "../../lambdas/config-names.js";
import { acknowledge } from "../nag.js";

export interface EdgeOptions {
  domain: string;
  /** ACM certificate for `domain`; CloudFront only takes certificates from us-east-1. */
  certificateArn: string;
  /** Requests per IP per 5 minutes before WAF blocks that IP. */
  rateLimit?: number;
  /**
   * The origin secret's version CloudFront sends (`put-secret-value` prints it). CloudFormation
   * re-reads a dynamic reference only when its text changes, so a rotation redeploys with the new
   * version id pinned here (README: "Rotating the origin header"). Without it: the version labelled
   * AWSCURRENT when the distribution was last updated.
   */
  secretVersion?: string;
  /** Days WAF's request logs are kept. */
  logRetention?: logs.RetentionDays;
}

/** WAF only logs to a destination whose name starts with this (WAF developer guide, logging-cw-logs). */
export const WAF_LOG_PREFIX = "aws-waf-logs-";

/** Throws a message the operator can act on when the certificate is not in us-east-1. */
export function assertCertificateArn(arn: string): void {
  const m = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/.exec(arn);
  if (!m) throw new Error(`greenlight:certificateArn: expected an ACM certificate ARN, got ${arn}`);
  if (m[1] !== "us-east-1")
    throw new Error(
      `greenlight:certificateArn: CloudFront needs the certificate in us-east-1, this one is in ${m[1]}`,
    );
}

/**
 * CloudFront + WAF in front of the function URL. CloudFront adds a secret origin header the
 * function checks (lambdas/origin-check.ts). The WebACL has CLOUDFRONT scope, which AWS WAF only
 * accepts in us-east-1 ("Resources that you can protect with AWS WAF"): the stack must be there.
 */
export class GreenlightEdge extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly distribution: cloudfront.Distribution;
  readonly webAcl: wafv2.CfnWebACL;
  readonly url: string;
  readonly wafLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EdgeOptions & { functionUrl: lambda.IFunctionUrl }) {
    super(scope, id);
    assertCertificateArn(props.certificateArn);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== "us-east-1")
      throw new Error(
        `greenlight:domain: the edge's WAF WebACL must be in us-east-1; this stack is in ${region}`,
      );
    new CfnRule(this, "WafRegion", {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, "us-east-1"),
          assertDescription:
            "Greenlight's edge (greenlight:domain) needs the stack in us-east-1 (WAF CLOUDFRONT scope)",
        },
      ],
    });
    this.secret = new secretsmanager.Secret(this, "OriginHeader", {
      description: "Greenlight edge: the origin header value CloudFront sends (README: Behind CloudFront)",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ previous: "" }),
        generateStringKey: "current",
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    acknowledge(this.secret, "AwsSolutions-SMG4", ROTATION_REASON);
    const limit = props.rateLimit ?? 1000;
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      // Sampled requests show URIs; link tokens travel in query strings (docs/security.md#34-the-edge-logs-no-link-token).
      sampledRequestsEnabled: false,
    });
    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("greenlight-edge"),
      rules: [
        {
          name: "rate-per-ip",
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
          visibilityConfig: visibility("greenlight-rate-per-ip"),
        },
        {
          name: "aws-common",
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: "AWS",
              name: "AWSManagedRulesCommonRuleSet",
              // It blocks bodies over 8 KB; Slack interaction payloads and GitHub webhooks exceed that.
              ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility("greenlight-aws-common"),
        },
      ],
    });
    this.wafLogs = this.logging(props.logRetention ?? logs.RetentionDays.ONE_MONTH);
    // A versionless reference resolves to AWSCURRENT, and only when the distribution changes;
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html,
    // https://repost.aws/knowledge-center/cloudformation-stack-update-secrets
    const origin = SecretValue.secretsManager(this.secret.secretArn, {
      jsonField: "current",
      ...(props.secretVersion ? { versionId: props.secretVersion } : {}),
    });
    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: "Greenlight edge",
      domainNames: [props.domain],
      certificate: acm.Certificate.fromCertificateArn(this, "Certificate", props.certificateArn),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      webAclId: this.webAcl.attrArn,
      defaultBehavior: {
        origin: new origins.FunctionUrlOrigin(props.functionUrl, {
          // A dynamic reference: the template holds no secret value.
          customHeaders: { [EDGE_HEADER]: origin.unsafeUnwrap() },
        }),
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Function URLs reject a foreign Host; every other header (signatures included) goes through.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    acknowledge(this.distribution, "AwsSolutions-CFR3", LOG_REASON);
    acknowledge(this.distribution, "AwsSolutions-CFR1", GEO_REASON);
    this.url = `https://${props.domain}/`;
    new CfnOutput(this, "DnsTarget", {
      description: `Point ${props.domain} here: a CNAME, or a Route 53 alias A/AAAA record`,
      value: this.distribution.distributionDomainName,
    });
    new CfnOutput(this, "OriginSecretArn", {
      description: "The origin header's values (README: Rotating the origin header)",
      value: this.secret.secretArn,
    });
  }

  /**
   * WAF's request logs in CloudWatch Logs. They carry every header and the query string, so the
   * origin secret, credentials, cookies and the query (e-mail link tokens travel there, docs/security.md#34-the-edge-logs-no-link-token)
   * are redacted before WAF writes them.
   */
  private logging(retention: logs.RetentionDays): logs.LogGroup {
    const name = `${WAF_LOG_PREFIX}${Stack.of(this).stackName}`;
    const group = new logs.LogGroup(this, "WafLogs", {
      logGroupName: name,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The group's `Arn` attribute ends in `:*`, which WAF refuses as a destination (aws/aws-cdk#18253).
    const arn = Stack.of(this).formatArn({
      service: "logs",
      resource: "log-group",
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const config = new wafv2.CfnLoggingConfiguration(this, "WafLogging", {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [arn],
      redactedFields: [
        { singleHeader: { Name: EDGE_HEADER } },
        { singleHeader: { Name: "authorization" } },
        { singleHeader: { Name: "cookie" } },
        { queryString: {} },
      ],
    });
    config.node.addDependency(group);
    return group;
  }
}

const ROTATION_REASON =
  "The value must change in CloudFront's origin header and here together; the README describes the " +
  "rotation (put current+previous, redeploy), which the function's two accepted values make safe.";
const LOG_REASON =
  "CloudFront access logs record query strings, and e-mail link tokens travel there (docs/security.md#34-the-edge-logs-no-link-token); " +
  "WAF's request logs (query string and secrets redacted) and the function's own logs cover the traffic.";
const GEO_REASON =
  "Approvers, Slack and GitHub call from anywhere; a geographic restriction would refuse them.";
