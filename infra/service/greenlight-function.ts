import { join } from "node:path";
import type { Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { boltBundleAliases } from "../../bot/slack/bundle.js";
import { ENV } from "../../lambdas/config-names.js";
import { BUNDLED_POLICY_PATH } from "../names.js";
import type { PolicyFile } from "./policy-file.js";

/** The repository root: entry files and the lock file are found from here. */
export const REPO_ROOT = join(import.meta.dirname, "..", "..");

/**
 * esbuild's ESM output turns `require()` in CommonJS dependencies (pino, Probot, Bolt) into a
 * helper that throws "Dynamic require … is not supported" unless a real `require` exists.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

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
 * the pinned AWS SDK inside the bundle, `greenlight.yml` next to the handler, its own role and a
 * log group with a retention. The role starts empty except for writing its own logs; callers add
 * exactly what the function does through `grant*`.
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
        // Stack traces point at the TypeScript sources, not the minified bundle.
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: "node24",
        mainFields: ["module", "main"],
        banner: ESM_REQUIRE_BANNER,
        // Bolt's own receivers and OAuth installer never run here: empty modules stand in for
        // them (about 1 MB less to parse on every cold start; bench/slack-cold-start.ts).
        esbuildArgs: Object.fromEntries(
          Object.entries(boltBundleAliases(REPO_ROOT)).map(([name, path]) => [`--alias:${name}`, path]),
        ),
        // The runtime's SDK copy changes under us; the pinned one is what the tests ran against.
        bundleAwsSDK: true,
        forceDockerBundling: false,
        commandHooks: props.policy.commandHooks(),
      },
    });
  }
}
