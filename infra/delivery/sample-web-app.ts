import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as codebuild from "aws-cdk-lib/aws-codebuild";
import * as codedeploy from "aws-cdk-lib/aws-codedeploy";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";

/** How production traffic moves to a new version (staging always shifts at once). */
export type DeployStrategy = "canary" | "linear" | "all-at-once";

export const DEPLOY_STRATEGIES: Record<DeployStrategy, codedeploy.ILambdaDeploymentConfig> = {
  canary: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  linear: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  "all-at-once": codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
};

export function isDeployStrategy(value: unknown): value is DeployStrategy {
  return typeof value === "string" && Object.hasOwn(DEPLOY_STRATEGIES, value);
}

/** Where the build puts the bundled sample app, relative to the build artifact's root. */
export const SAMPLE_APP_BUNDLE_DIR = "sample-app";

const ALIAS = "live";

// What the first `cdk deploy` serves, before the pipeline has shipped anything. After that the
// pipeline owns the code; CloudFormation leaves it alone unless this construct changes.
const PLACEHOLDER_CODE = `exports.handler = async () => ({
  statusCode: 200,
  headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  body: "<!doctype html><title>Greenlight sample</title><h1>Greenlight sample app</h1><p>" +
    process.env.APP_ENVIRONMENT + ": waiting for the first pipeline run.</p>",
});`;

export interface SampleWebAppProps {
  environment: "staging" | "production";
  strategy: DeployStrategy;
  /** Encrypts the deploy project's artifacts (the pipeline's key). */
  encryptionKey: kms.IKey;
  logRetention: logs.RetentionDays;
}

/**
 * One environment of the sample target: a Lambda behind a `live` alias with a public function URL,
 * a CodeDeploy deployment group that shifts the alias's traffic (and rolls back when the alias
 * reports errors), and the CodeBuild project the pipeline runs to publish a version and start that
 * deployment. Every permission names this environment's function, alias and deployment group.
 */
export class SampleWebApp extends Construct {
  readonly fn: lambda.Function;
  readonly alias: lambda.Alias;
  readonly url: lambda.FunctionUrl;
  readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  readonly deployProject: codebuild.PipelineProject;

  constructor(scope: Construct, id: string, props: SampleWebAppProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, "Logs", { retention: props.logRetention });
    const role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Greenlight sample app (${props.environment})`,
    });
    logGroup.grantWrite(role);
    this.fn = new lambda.Function(this, "Function", {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: "index.handler",
      code: lambda.Code.fromInline(PLACEHOLDER_CODE),
      description: `Greenlight sample web app (${props.environment})`,
      environment: { APP_ENVIRONMENT: props.environment },
      role,
      logGroup,
      timeout: Duration.seconds(5),
      memorySize: 128,
    });
    this.alias = new lambda.Alias(this, "Alias", { aliasName: ALIAS, version: this.fn.currentVersion });
    this.url = this.alias.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    const errors = new cloudwatch.Alarm(this, "AliasErrors", {
      metric: this.alias.metricErrors({ period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Sample app (${props.environment}) errors: CodeDeploy rolls the alias back`,
    });
    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, "DeploymentGroup", {
      alias: this.alias,
      deploymentConfig:
        props.environment === "production"
          ? DEPLOY_STRATEGIES[props.strategy]
          : codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
      alarms: [errors],
      autoRollback: { failedDeployment: true, deploymentInAlarm: true },
    });
    acknowledge(
      this.deploymentGroup,
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]",
      "CodeDeploy's documented service policy for Lambda traffic shifting; AWS keeps it in step with " +
        "what a deployment calls, and only codedeploy.amazonaws.com can assume this role.",
    );

    this.deployProject = new codebuild.PipelineProject(this, "Deploy", {
      description: `Greenlight sample: ship the built app to ${props.environment} through CodeDeploy`,
      environment: {
        buildImage: codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
        computeType: codebuild.ComputeType.SMALL,
      },
      encryptionKey: props.encryptionKey,
      timeout: Duration.hours(1),
      logging: {
        cloudWatch: { logGroup: new logs.LogGroup(this, "DeployLogs", { retention: props.logRetention }) },
      },
      grantReportGroupPermissions: false,
      environmentVariables: {
        FUNCTION_NAME: { value: this.fn.functionName },
        ALIAS_NAME: { value: ALIAS },
        APPLICATION_NAME: { value: this.deploymentGroup.application.applicationName },
        DEPLOYMENT_GROUP_NAME: { value: this.deploymentGroup.deploymentGroupName },
      },
      buildSpec: codebuild.BuildSpec.fromObject({
        version: "0.2",
        env: { shell: "bash" },
        phases: { build: { commands: [DEPLOY_SCRIPT] } },
      }),
    });
    this.grantDeploy(this.deployProject);
  }

  /** Publish a version and start (and wait for) a CodeDeploy deployment: nothing more. */
  private grantDeploy(project: codebuild.PipelineProject) {
    const group = this.deploymentGroup;
    const add = (actions: string[], resources: string[]) =>
      project.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
    add(["lambda:GetAlias"], [this.fn.functionArn, this.alias.functionArn]);
    add(["lambda:UpdateFunctionCode", "lambda:PublishVersion"], [this.fn.functionArn]);
    add(["codedeploy:CreateDeployment", "codedeploy:GetDeployment"], [group.deploymentGroupArn]);
    add(["codedeploy:GetDeploymentConfig"], [group.deploymentConfig.deploymentConfigArn]);
    add(
      [
        "codedeploy:GetApplication",
        "codedeploy:GetApplicationRevision",
        "codedeploy:RegisterApplicationRevision",
      ],
      [group.application.applicationArn],
    );
  }
}

// Runs in the deploy project with the build artifact as its source. The alias keeps serving the
// current version until CodeDeploy has shifted all traffic; a rollback puts it back.
const DEPLOY_SCRIPT = `set -euo pipefail
cd "$CODEBUILD_SRC_DIR/${SAMPLE_APP_BUNDLE_DIR}"
zip -q -X app.zip index.mjs
CURRENT=$(aws lambda get-alias --function-name "$FUNCTION_NAME" --name "$ALIAS_NAME" --query FunctionVersion --output text)
TARGET=$(aws lambda update-function-code --function-name "$FUNCTION_NAME" --zip-file fileb://app.zip --publish --query Version --output text)
if [ "$CURRENT" = "$TARGET" ]; then
  echo "Version $TARGET is already live; nothing to shift."
else
  APPSPEC=$(jq -cn --arg f "$FUNCTION_NAME" --arg a "$ALIAS_NAME" --arg c "$CURRENT" --arg t "$TARGET" \\
    '{version: 0.0, Resources: [{app: {Type: "AWS::Lambda::Function", Properties: {Name: $f, Alias: $a, CurrentVersion: $c, TargetVersion: $t}}}]}')
  REVISION=$(jq -cn --arg s "$APPSPEC" '{revisionType: "AppSpecContent", appSpecContent: {content: $s}}')
  ID=$(aws deploy create-deployment --application-name "$APPLICATION_NAME" \\
    --deployment-group-name "$DEPLOYMENT_GROUP_NAME" --revision "$REVISION" --query deploymentId --output text)
  echo "CodeDeploy deployment $ID: version $CURRENT -> $TARGET"
  aws deploy wait deployment-successful --deployment-id "$ID"
fi`;
