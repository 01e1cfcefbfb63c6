import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as codebuild from "aws-cdk-lib/aws-codebuild";
import * as codepipeline from "aws-cdk-lib/aws-codepipeline";
import * as actions from "aws-cdk-lib/aws-codepipeline-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { greenlightApproval } from "../attach.js";
import { acknowledge, nagArn, nagRef } from "../nag.js";
import type { ApprovalActionRef } from "../names.js";
import { type DeployStrategy, SAMPLE_APP_BUNDLE_DIR, SampleWebApp } from "./sample-web-app.js";

export interface DeliveryPipelineProps {
  /** Pipeline, approval stage and approval action names (Greenlight's IAM is scoped to them). */
  names: ApprovalActionRef;
  /** A CodeConnections connection to GitHub (created in the console, then "Update pending connection"). */
  connectionArn: string;
  /** The GitHub repository to build (a fork of Greenlight: the build bundles its sample app). */
  repository: { owner: string; name: string };
  branch: string;
  /** Greenlight's approval topic. */
  approvalTopicArn: string;
  approvalTimeout: Duration;
  strategy: DeployStrategy;
  logRetention?: logs.RetentionDays;
}

/**
 * The pipeline Greenlight guards: GitHub → build and test (with test reports) → staging → the
 * stakeholder approval, routed to Greenlight with the staging URL → production, shifted by
 * CodeDeploy with the chosen strategy. The sample target is part of it, so it deploys as it is.
 */
export class DeliveryPipeline extends Construct {
  readonly pipeline: codepipeline.Pipeline;
  readonly staging: SampleWebApp;
  readonly production: SampleWebApp;
  readonly approval: actions.ManualApprovalAction;
  readonly testReports: codebuild.ReportGroup;

  constructor(scope: Construct, id: string, props: DeliveryPipelineProps) {
    super(scope, id);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const key = new kms.Key(this, "ArtifactKey", {
      description: "Greenlight delivery pipeline artifacts",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const artifactBucket = new s3.Bucket(this, "Artifacts", {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      // CloudFormation cannot delete a bucket with objects in it; emptying it on destroy would take
      // a custom-resource Lambda. Kept instead: its lifecycle rule empties it within 30 days.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      artifactBucket,
      "AwsSolutions-S1",
      "Holds only build artifacts that CodePipeline writes and expires after 30 days; CloudTrail " +
        "records who touched the pipeline, access logs would add a second bucket for nothing.",
    );

    this.staging = new SampleWebApp(this, "Staging", {
      environment: "staging",
      strategy: props.strategy,
      encryptionKey: key,
      logRetention,
    });
    this.production = new SampleWebApp(this, "Production", {
      environment: "production",
      strategy: props.strategy,
      encryptionKey: key,
      logRetention,
    });

    const role = new iam.Role(this, "PipelineRole", {
      assumedBy: new iam.ServicePrincipal("codepipeline.amazonaws.com"),
      description: "Greenlight delivery pipeline",
    });
    const sourceOutput = new codepipeline.Artifact("Source");
    const buildOutput = new codepipeline.Artifact("Build");
    const sourceRole = new iam.Role(this, "SourceRole", {
      assumedBy: role,
      description: "Greenlight delivery pipeline: fetch the commit through CodeConnections",
    });
    const source = new actions.CodeStarConnectionsSourceAction({
      role: sourceRole,
      actionName: "GitHub",
      connectionArn: props.connectionArn,
      owner: props.repository.owner,
      repo: props.repository.name,
      branch: props.branch,
      output: sourceOutput,
      variablesNamespace: "Source",
    });

    this.testReports = new codebuild.ReportGroup(this, "TestReports", {
      type: codebuild.ReportGroupType.TEST,
      removalPolicy: RemovalPolicy.DESTROY,
      deleteReports: true,
    });
    const build = new codebuild.PipelineProject(this, "BuildAndTest", {
      description: "Greenlight delivery: lint, type-check, test (JUnit report), bundle the sample app",
      environment: {
        // Debian, like CI: the browser tests drive Debian's Chromium, which the managed images lack.
        buildImage: codebuild.LinuxBuildImage.fromDockerRegistry(
          "public.ecr.aws/docker/library/node:20-bookworm",
        ),
        computeType: codebuild.ComputeType.MEDIUM,
      },
      encryptionKey: key,
      timeout: Duration.minutes(30),
      buildSpec: codebuild.BuildSpec.fromObject(buildSpec(this.testReports.reportGroupArn)),
      logging: {
        cloudWatch: { logGroup: new logs.LogGroup(this, "BuildLogs", { retention: logRetention }) },
      },
      // Only the report group below, not CodeBuild's implicit `<project>-*` ones.
      grantReportGroupPermissions: false,
    });
    this.testReports.grantWrite(build);
    acknowledge(
      build,
      "AwsSolutions-CB5",
      "The tests drive Debian's Chromium (apt), which the AWS-managed CodeBuild images do not " +
        "provide; the image is the official Node image from the ECR Public Docker library.",
    );

    this.approval = greenlightApproval(this, "Approval", {
      topicArn: props.approvalTopicArn,
      actionName: props.names.action,
      externalEntityLink: this.staging.url.url,
      customData: `Release ${source.variables.commitId} is on staging: review it, then approve or reject.`,
      timeout: props.approvalTimeout,
      pipelineRole: role,
    });

    this.pipeline = new codepipeline.Pipeline(this, "Pipeline", {
      pipelineName: props.names.pipeline,
      pipelineType: codepipeline.PipelineType.V2,
      // Greenlight closes approvals of superseded runs; a newer commit replaces a waiting one.
      executionMode: codepipeline.ExecutionMode.SUPERSEDED,
      artifactBucket,
      role,
      restartExecutionOnUpdate: false,
      stages: [
        { stageName: "Source", actions: [source] },
        {
          stageName: "Build",
          actions: [
            new actions.CodeBuildAction({
              actionName: "BuildAndTest",
              project: build,
              input: sourceOutput,
              outputs: [buildOutput],
              environmentVariables: {
                RELEASE: { value: source.variables.commitId },
              },
            }),
          ],
        },
        { stageName: "Staging", actions: [deployAction("DeployStaging", this.staging, buildOutput)] },
        { stageName: props.names.stage, actions: [this.approval] },
        {
          stageName: "Production",
          actions: [deployAction("DeployProduction", this.production, buildOutput)],
        },
      ],
    });

    const writes = ["Action::s3:DeleteObject*", "Action::s3:Abort*"];
    acknowledgeArtifactAccess(role, artifactBucket, writes);
    acknowledgeArtifactAccess(sourceRole, artifactBucket, writes);
    acknowledgeArtifactAccess(build, artifactBucket, writes);
    for (const app of [this.staging, this.production])
      acknowledgeArtifactAccess(app.deployProject, artifactBucket, []);
    for (const project of [build, this.staging.deployProject, this.production.deployProject]) {
      acknowledge(
        project,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/${nagRef(project)}:*]`,
        "CodeBuild's own log group for this project; each build writes a new stream, hence :* on the " +
          "project's group and nothing wider.",
      );
    }
  }
}

/**
 * CDK's artifact grants (read, or read-write) use action wildcards such as s3:GetObject* and
 * kms:GenerateDataKey*, on this pipeline's bucket objects and key only.
 */
function acknowledgeArtifactAccess(scope: Construct, bucket: s3.IBucket, extra: string[]) {
  const findings = [
    "Action::s3:GetObject*",
    "Action::s3:GetBucket*",
    "Action::s3:List*",
    `Resource::${nagArn(bucket)}/*`,
    "Action::kms:GenerateDataKey*",
    "Action::kms:ReEncrypt*",
    ...extra,
  ];
  for (const finding of findings) {
    acknowledge(
      scope,
      `AwsSolutions-IAM5[${finding}]`,
      "CDK's grant on the pipeline's own artifact bucket and key: object keys are generated per " +
        "execution and the action wildcards cover one bucket and one key, nothing else.",
    );
  }
}

function deployAction(name: string, app: SampleWebApp, input: codepipeline.Artifact) {
  return new actions.CodeBuildAction({ actionName: name, project: app.deployProject, input });
}

/** Build + test with a JUnit report, then bundle the sample app with the commit baked in. */
function buildSpec(reportGroupArn: string) {
  return {
    version: "0.2",
    env: {
      shell: "bash",
      variables: { CI: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    },
    phases: {
      install: { commands: ["apt-get update -qq", "apt-get install -y -qq chromium >/dev/null"] },
      pre_build: { commands: ["npm ci --no-audit --no-fund"] },
      build: {
        commands: [
          "npm run lint",
          "npm run typecheck",
          "npx vitest run --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml",
          `npx esbuild infra/delivery/sample-app/handler.ts --bundle --platform=node --format=esm --target=node24 --minify --define:__RELEASE__="\\"$RELEASE\\"" --outfile=dist/${SAMPLE_APP_BUNDLE_DIR}/index.mjs`,
        ],
      },
    },
    reports: {
      [reportGroupArn]: { files: ["junit.xml"], "base-directory": "reports", "file-format": "JUNITXML" },
    },
    artifacts: { "base-directory": "dist", files: [`${SAMPLE_APP_BUNDLE_DIR}/**/*`] },
  };
}
