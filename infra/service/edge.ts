import { Aws, CfnRule, Fn, Stack, Token } from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import type * as lambda from "aws-cdk-lib/aws-lambda";
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
}

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
      // Sampled requests show URIs; link tokens travel in query strings (SECURITY 34).
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
    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: "Greenlight edge",
      domainNames: [props.domain],
      certificate: acm.Certificate.fromCertificateArn(this, "Certificate", props.certificateArn),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      webAclId: this.webAcl.attrArn,
      defaultBehavior: {
        origin: new origins.FunctionUrlOrigin(props.functionUrl, {
          // A dynamic reference: the template holds no secret value.
          customHeaders: { [EDGE_HEADER]: this.secret.secretValueFromJson("current").unsafeUnwrap() },
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
  }
}

const ROTATION_REASON =
  "The value must change in CloudFront's origin header and here together; the README describes the " +
  "rotation (put current+previous, redeploy), which the function's two accepted values make safe.";
const LOG_REASON =
  "CloudFront access logs record query strings, and e-mail link tokens travel there (SECURITY 34); " +
  "WAF metrics and the function's own structured logs cover the traffic.";
const GEO_REASON =
  "Approvers, Slack and GitHub call from anywhere; a geographic restriction would refuse them.";
