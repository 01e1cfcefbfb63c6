import { join } from "node:path";
import type { Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { ENV } from "../../lambdas/config-names.js";
import { BUNDLED_POLICY_PATH } from "../names.js";
import { aliasArgs, LAMBDA_BUNDLE, LAZY_PACKAGES, lazyPackageCommands, REPO_ROOT } from "./bundle-options.js";
import type { PolicyFile } from "./policy-file.js";

export interface GreenlightFunctionProps {
  /** Entry file relative to the repository root, e.g. `lambdas/intake.ts`. */
  entry: string;
  description: string;
  policy: PolicyFile;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  timeout: Duration;
  memorySize?: number;
  reservedConcurrentExecutions?: number;
}

/**
 * One Greenlight Lambda: bundled locally by esbuild (no Docker) as minified ESM with source maps,
 * the pinned AWS SDK inside the bundle, the validated policy (as JSON) and Probot's own file next
 * to the handler, its own role and a log group with a retention. The role starts empty except for
 * writing its own logs; callers add exactly what the function does through `grant*`.
 */
export class GreenlightFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GreenlightFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", { retention: props.logRetention });
    // An own role instead of the default one: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole (logs in any group); this one writes to its own group only.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Greenlight ${id} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, "Function", {
      entry: join(REPO_ROOT, props.entry),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 256,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      environment: {
        ...props.environment,
        [ENV.policyFile]: BUNDLED_POLICY_PATH,
        [ENV.policyDigest]: props.policy.digest,
        // Stack traces point at the TypeScript sources, not the minified bundle.
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: {
        // Shared with bench/, which measures exactly these bundles (bundle-options.ts).
        format: OutputFormat.ESM,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourceMap,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        target: LAMBDA_BUNDLE.target,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner,
        esbuildArgs: aliasArgs(),
        // Imported on first use only: their own file next to the handler (bundle-options.ts).
        externalModules: Object.keys(LAZY_PACKAGES),
        // The runtime's SDK copy changes under us; the pinned one is what the tests ran against.
        bundleAwsSDK: true,
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            ...props.policy.commandHooks().afterBundling(inputDir, outputDir),
            ...lazyPackageCommands(outputDir),
          ],
        },
      },
    });
  }
}
