import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { DEPLOY_STRATEGIES } from "../../infra/delivery/sample-web-app.js";
import { APPROVAL_TOPIC_EXPORT, PUBLISHER_ROLE_PATH, SAMPLE_PIPELINE } from "../../infra/names.js";
import { asList, buildTestApp, logicalId, resourcesOf, statementsOf } from "../support/cdk.js";

const { delivery: stack } = buildTestApp();
if (!stack) throw new Error("the sample pipeline is on by default");
const template = Template.fromStack(stack);
const delivery = stack.delivery;
const id = (construct: { node: { defaultChild?: unknown } }) => logicalId(stack, construct);
const [[, pipeline] = ["", {}]] = resourcesOf(template, "AWS::CodePipeline::Pipeline");
type Action = {
  Name: string;
  ActionTypeId: Record<string, string>;
  Configuration?: Record<string, unknown>;
  TimeoutInMinutes?: number;
  RoleArn?: unknown;
};
const stages = pipeline.Stages as { Name: string; Actions: Action[] }[];
const action = (stage: string) => {
  const found = stages.find((s) => s.Name === stage)?.Actions[0];
  if (!found) throw new Error(`no stage ${stage}`);
  return found;
};

describe("delivery pipeline", () => {
  it("is a V2 pipeline with its stages in order", () => {
    expect(pipeline).toMatchObject({
      Name: SAMPLE_PIPELINE.pipeline,
      PipelineType: "V2",
      ExecutionMode: "SUPERSEDED",
    });
    expect(stages.map((s) => s.Name)).toEqual([
      "Source",
      "Build",
      "Staging",
      SAMPLE_PIPELINE.stage,
      "Production",
    ]);
  });

  it("takes GitHub through CodeConnections, all from parameters", () => {
    expect(action("Source")).toMatchObject({
      ActionTypeId: { Category: "Source", Provider: "CodeStarSourceConnection" },
      Configuration: {
        ConnectionArn: { Ref: "ConnectionArn" },
        FullRepositoryId: { "Fn::Join": ["", [{ Ref: "GitHubOwner" }, "/", { Ref: "GitHubRepository" }]] },
        BranchName: { Ref: "Branch" },
      },
    });
  });

  it("builds and tests in CodeBuild with a JUnit test report", () => {
    expect(action("Build")).toMatchObject({
      ActionTypeId: { Provider: "CodeBuild" },
      Configuration: { ProjectName: { Ref: id(delivery.node.findChild("BuildAndTest")) } },
    });
    template.hasResourceProperties("AWS::CodeBuild::ReportGroup", { Type: "TEST" });
    const [, project] =
      resourcesOf(template, "AWS::CodeBuild::Project").find(([key]) => key.includes("BuildAndTest")) ?? [];
    const spec = JSON.stringify(project?.Source);
    expect(spec).toContain("npx vitest run --reporter=default --reporter=junit");
    expect(spec).toContain("JUNITXML");
    expect(spec).toContain(id(delivery.testReports));
  });

  it("routes the approval to Greenlight's topic with the staging URL, custom data and a timeout", () => {
    const approval = action(SAMPLE_PIPELINE.stage);
    expect(approval).toMatchObject({
      Name: SAMPLE_PIPELINE.action,
      ActionTypeId: { Category: "Approval", Provider: "Manual" },
      Configuration: {
        NotificationArn: { "Fn::ImportValue": APPROVAL_TOPIC_EXPORT },
        ExternalEntityLink: { "Fn::GetAtt": [id(delivery.staging.url), "FunctionUrl"] },
      },
      TimeoutInMinutes: 3 * 24 * 60,
    });
    expect(approval.Configuration?.CustomData).toMatch(/#\{Source\.CommitId\}.*approve or reject/);
  });

  it("publishes the approval with a role under the path Greenlight's topic accepts, assumable by the pipeline only", () => {
    const roleId = (action(SAMPLE_PIPELINE.stage).RoleArn as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0];
    template.hasResourceProperties("AWS::IAM::Role", {
      Path: PUBLISHER_ROLE_PATH,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { AWS: { "Fn::GetAtt": [id(delivery.pipeline.role), "Arn"] } } }),
        ],
      },
    });
    expect(template.toJSON().Resources[roleId ?? ""].Properties.Path).toBe(PUBLISHER_ROLE_PATH);
    const publish = statementsOf(template).filter((s) => asList(s.statement.Action).includes("sns:Publish"));
    expect(publish.map((p) => p.statement.Resource)).toEqual([{ "Fn::ImportValue": APPROVAL_TOPIC_EXPORT }]);
  });

  it("deploys staging at once and production with the default strategy (canary), rolling back on errors", () => {
    const config = (app: typeof delivery.staging) =>
      template.toJSON().Resources[id(app.deploymentGroup)].Properties.DeploymentConfigName;
    expect(config(delivery.staging)).toBe("CodeDeployDefault.LambdaAllAtOnce");
    expect(config(delivery.production)).toBe("CodeDeployDefault.LambdaCanary10Percent5Minutes");
    for (const app of [delivery.staging, delivery.production]) {
      template.hasResourceProperties("AWS::CodeDeploy::DeploymentGroup", {
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
        },
        AlarmConfiguration: {
          Enabled: true,
          Alarms: [{ Name: { Ref: id(app.node.findChild("AliasErrors")) } }],
        },
        ApplicationName: { Ref: id(app.deploymentGroup.application) },
      });
    }
  });

  it("each environment is a Lambda on arm64 / Node.js 24 behind a live alias with a public URL", () => {
    for (const app of [delivery.staging, delivery.production]) {
      template.hasResourceProperties("AWS::Lambda::Alias", {
        FunctionName: { Ref: id(app.fn) },
        Name: "live",
      });
      template.hasResourceProperties("AWS::Lambda::Url", {
        AuthType: "NONE",
        Qualifier: "live",
        TargetFunctionArn: { "Fn::GetAtt": [id(app.fn), "Arn"] },
      });
      template.hasResourceProperties("AWS::Lambda::Function", {
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
      });
    }
    expect(action("Staging").Configuration?.ProjectName).toEqual({ Ref: id(delivery.staging.deployProject) });
    expect(action("Production").Configuration?.ProjectName).toEqual({
      Ref: id(delivery.production.deployProject),
    });
  });

  it("lets each deploy project touch only its own environment", () => {
    for (const [app, other] of [
      [delivery.staging, delivery.production],
      [delivery.production, delivery.staging],
    ] as const) {
      const policy = `${id(app.deployProject.role as never).slice(0, -8)}DefaultPolicy`;
      const statements = statementsOf(template)
        .filter((s) => s.policy.startsWith(policy))
        .map((s) => s.statement);
      const text = JSON.stringify(statements);
      expect(text).toContain(id(app.fn));
      expect(text).toContain(id(app.deploymentGroup));
      expect(text).not.toContain(id(other.fn));
      expect(text).not.toContain(id(other.deploymentGroup));
      const create = statements.find((s) => asList(s.Action).includes("codedeploy:CreateDeployment"));
      expect(JSON.stringify(create?.Resource)).toContain(`deploymentgroup:`);
    }
  });

  it("has no '*' resource in any policy", () => {
    expect(statementsOf(template).filter((s) => asList(s.statement.Resource).includes("*"))).toEqual([]);
  });

  it("encrypts artifacts with a rotating key and refuses plain HTTP", () => {
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});

describe("deploy strategy", () => {
  it("is chosen with greenlight:deployStrategy (one synth: linear)", { timeout: 60_000 }, () => {
    const { delivery: other } = buildTestApp({ "greenlight:deployStrategy": "linear" });
    if (!other) throw new Error("no delivery stack");
    const t = Template.fromStack(other);
    const group = logicalId(other, other.delivery.production.deploymentGroup);
    expect(t.toJSON().Resources[group].Properties.DeploymentConfigName).toBe(
      "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    );
  });

  it("maps every strategy to a CodeDeploy Lambda config", () => {
    expect(
      Object.fromEntries(Object.entries(DEPLOY_STRATEGIES).map(([k, v]) => [k, v.deploymentConfigName])),
    ).toEqual({
      canary: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
      linear: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
      "all-at-once": "CodeDeployDefault.LambdaAllAtOnce",
    });
  });

  it("rejects an unknown strategy", () => {
    expect(() => buildTestApp({ "greenlight:deployStrategy": "big-bang" })).toThrow(
      /canary, linear or all-at-once/,
    );
  });
});
