// Which Greenlight a command talks to: a deployed stack (the user's AWS credentials, the stack's
// CloudFormation outputs) or `npm start` on this machine (the same SDK calls pointed at the local
// endpoints that the dashboard lists at /local/stack.json). Commands ask the target, never the
// environment, for where things are.
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** The AWS services the commands call; locally only some have a stand-in. */
export type AwsService = "dynamodb" | "codepipeline" | "sesv2" | "secretsmanager" | "cloudformation";

export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The stack outputs the commands read (infra/service/greenlight-service.ts writes them). */
export interface StackOutputs {
  PublicUrl: string;
  TableName: string;
  ApprovalTopicArn?: string;
  AlarmTopicArn?: string;
  SlackRequestUrl?: string;
  GithubWebhookUrl?: string;
  SlackSecretArn?: string;
  GithubSecretArn?: string;
  [key: string]: string | undefined;
}

/** What /local/stack.json answers; also the shape a test can hand to `localTarget` directly. */
export interface LocalStackDescription {
  region: string;
  outputs: StackOutputs;
  /** AWS service → the local endpoint speaking its protocol (absent: no stand-in). */
  endpoints: Partial<Record<AwsService, string>>;
  /** The Slack Web API base (trailing `/api/`) and GitHub REST base of the stand-ins, when running. */
  slackApiUrl?: string;
  githubApiUrl?: string;
  /** The channel secrets as the stack's secrets hold them (JSON), for the stand-ins' apps. */
  secrets: { slack?: Record<string, unknown>; github?: Record<string, unknown> };
}

export interface Target {
  kind: "aws" | "local";
  /** Where this is, for messages: the stack name and region, or the dashboard URL. */
  where: string;
  /** The CloudFormation stack, on AWS. */
  stackName?: string;
  region: string;
  outputs: StackOutputs;
  /** Config for an SDK client of `service`; undefined when the target has no such service (local). */
  client(service: AwsService): ClientConfig | undefined;
  /** A channel secret's JSON (Secrets Manager on AWS, the stand-in's app locally); undefined if unset. */
  secret(which: "slack" | "github"): Promise<Record<string, unknown> | undefined>;
  slackApiUrl?: string;
  githubApiUrl?: string;
}

const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export function localTarget(description: LocalStackDescription, where: string): Target {
  return {
    kind: "local",
    where,
    region: description.region,
    outputs: description.outputs,
    client: (service) => {
      const endpoint = description.endpoints[service];
      return endpoint ? { region: description.region, endpoint, credentials: LOCAL_CREDENTIALS } : undefined;
    },
    secret: async (which) => description.secrets[which],
    ...(description.slackApiUrl ? { slackApiUrl: description.slackApiUrl } : {}),
    ...(description.githubApiUrl ? { githubApiUrl: description.githubApiUrl } : {}),
  };
}

/** `npm start`'s description, read from its dashboard (which answers only on localhost). */
export async function connectLocal(dashboardUrl = "http://localhost:3000"): Promise<Target> {
  const url = `${dashboardUrl.replace(/\/+$/, "")}/local/stack.json`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new Error(
      `nothing answers at ${dashboardUrl}: is \`npm start\` running? (--local URL to point elsewhere)`,
    );
  }
  if (!res.ok) throw new Error(`${url} answered ${res.status}: is this Greenlight's \`npm start\`?`);
  return localTarget((await res.json()) as LocalStackDescription, dashboardUrl);
}

/** The deployed stack `stackName` in `region`, through the user's credentials (the SDK's default chain). */
export async function connectAws(stackName: string, region: string): Promise<Target> {
  const cfn = new CloudFormationClient({ region });
  let outputs: StackOutputs;
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack) throw new Error(`stack ${stackName} not found in ${region}`);
    const map: Record<string, string> = {};
    for (const o of stack.Outputs ?? []) if (o.OutputKey && o.OutputValue) map[o.OutputKey] = o.OutputValue;
    if (!map.PublicUrl || !map.TableName)
      throw new Error(
        `stack ${stackName} has no PublicUrl/TableName outputs: is it Greenlight's service stack?`,
      );
    outputs = map as StackOutputs;
  } catch (e: unknown) {
    const name = e instanceof Error ? e.name : "";
    if (name === "ValidationError")
      throw new Error(
        `stack ${stackName} is not deployed in ${region} (cdk deploy first, or --stack / --region)`,
      );
    throw e;
  } finally {
    cfn.destroy();
  }
  const secrets = new SecretsManagerClient({ region });
  return {
    kind: "aws",
    where: `${stackName} (${region})`,
    stackName,
    region,
    outputs,
    client: () => ({ region }),
    secret: async (which) => {
      const arn = which === "slack" ? outputs.SlackSecretArn : outputs.GithubSecretArn;
      if (!arn) return undefined;
      const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
      if (!SecretString) return undefined;
      try {
        return JSON.parse(SecretString) as Record<string, unknown>;
      } catch {
        throw new Error(`the ${which} secret (${arn}) is not JSON`);
      }
    },
  };
}

/** The options every command that talks to a Greenlight shares. */
export const TARGET_OPTIONS = {
  local: { type: "string" },
  stack: { type: "string", default: "Greenlight" },
  region: { type: "string" },
} as const;

export const TARGET_USAGE = `  --local [URL]     talk to \`npm start\` on this machine (default http://localhost:3000)
  --stack NAME      the deployed service stack (default Greenlight)
  --region REGION   its region (default AWS_REGION / AWS_DEFAULT_REGION)`;

/**
 * `--local` (with or without a URL) or `--stack`/`--region` → the target. parseArgs has no
 * optional-value strings, so a bare `--local` is spotted in argv before parsing.
 */
export function splitLocalFlag(argv: string[]): string[] {
  return argv.flatMap((arg, i) => {
    const next = argv[i + 1];
    return arg === "--local" && (next === undefined || next.startsWith("--")) ? ["--local", ""] : [arg];
  });
}

export async function connect(
  values: { local?: string | undefined; stack?: string | undefined; region?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<Target> {
  if (values.local !== undefined) return connectLocal(values.local || undefined);
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error("which region? pass --region or set AWS_REGION (or --local for npm start)");
  return connectAws(values.stack ?? "Greenlight", region);
}
