import { CfnParameter, Duration, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { DeliveryPipeline } from "./delivery/delivery-pipeline.js";
import type { DeployStrategy } from "./delivery/sample-web-app.js";
import { type ApprovalActionRef, SAMPLE_PIPELINE } from "./names.js";
import type { EdgeOptions } from "./service/edge.js";
import { GreenlightService } from "./service/greenlight-service.js";

export interface GreenlightStackProps extends StackProps {
  policyFile: string;
  approvals: ApprovalActionRef[];
  extraPublisherArns: string[];
  httpReservedConcurrency: number;
  sesSandbox: boolean;
  slack: boolean;
  github: boolean;
  edge?: EdgeOptions;
}

/** The product. Deploy-time choices are CloudFormation parameters; structure comes from context. */
export class GreenlightStack extends Stack {
  readonly service: GreenlightService;

  constructor(scope: Construct, id: string, props: GreenlightStackProps) {
    super(scope, id, props);
    const identity = new CfnParameter(this, "SenderIdentity", {
      description: "The SES identity Greenlight mails from, verified in this region: a domain or an address",
      allowedPattern: "^[^\\s@]+(@[^\\s@]+)?$",
      constraintDescription: "a domain (acme.io) or an address (greenlight@acme.io)",
    });
    const from = new CfnParameter(this, "FromAddress", {
      description: 'The From header, inside the SES identity, e.g. "Greenlight <greenlight@acme.io>"',
      minLength: 3,
    });
    this.service = new GreenlightService(this, "Greenlight", {
      policyFile: props.policyFile,
      approvals: props.approvals,
      email: {
        identity: identity.valueAsString,
        from: from.valueAsString,
        sandboxRecipients: props.sesSandbox,
      },
      extraPublisherArns: props.extraPublisherArns,
      httpReservedConcurrency: props.httpReservedConcurrency,
      ...(props.slack ? { slack: {} } : {}),
      ...(props.github ? { github: {} } : {}),
      ...(props.edge ? { edge: props.edge } : {}),
    });
  }
}

export interface DeliveryStackProps extends StackProps {
  approvalTopicArn: string;
  strategy: DeployStrategy;
}

/** The sample delivery pipeline with its staging and production targets. */
export class DeliveryStack extends Stack {
  readonly delivery: DeliveryPipeline;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, props);
    const connection = new CfnParameter(this, "ConnectionArn", {
      description: "ARN of an available CodeConnections connection to GitHub",
      allowedPattern: "^arn:aws[a-z-]*:(codeconnections|codestar-connections):.+$",
    });
    const owner = new CfnParameter(this, "GitHubOwner", { description: "GitHub user or organisation" });
    const repo = new CfnParameter(this, "GitHubRepository", {
      description: "Repository (a fork of Greenlight)",
    });
    const branch = new CfnParameter(this, "Branch", { default: "main", description: "Branch to deliver" });
    this.delivery = new DeliveryPipeline(this, "Delivery", {
      names: SAMPLE_PIPELINE,
      connectionArn: connection.valueAsString,
      repository: { owner: owner.valueAsString, name: repo.valueAsString },
      branch: branch.valueAsString,
      approvalTopicArn: props.approvalTopicArn,
      approvalTimeout: Duration.days(3),
      strategy: props.strategy,
    });
  }
}
