import { generateKeyPairSync } from "node:crypto";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SlackChannel } from "../../bot/slack/channel.js";
import { slackWebClient } from "../../bot/slack/web.js";
import { openApproval } from "../../core/open.js";
import { parsePolicyObject } from "../../core/policy.js";
import { ensureApprovalsTable } from "../../lambdas/aws/approvals-table.js";
import { CodePipelineAdapter } from "../../lambdas/aws/codepipeline.js";
import { DynamoApprovalStore } from "../../lambdas/aws/dynamodb-store.js";
import { ENV } from "../../lambdas/config-names.js";
import { createLogger } from "../../lambdas/log.js";
import { CodePipelineSimulator } from "../../local/codepipeline/simulator.js";
import { startLocalDynamo } from "../../local/dynamo/server.js";
import { SlackStandIn } from "../../local/slack/server.js";

const TABLE = "bench-approvals";
const CHANNEL = "C0DEPLOYS1";
const MARIA = { id: "U0MARIA01", name: "maria" };
export const WEBHOOK_SECRET = "bench-webhook-secret-0123456789";

/** A function URL (payload 2.0) event, as Lambda hands it to the handler. */
export function functionUrlEvent(input: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}) {
  return {
    version: "2.0",
    rawPath: input.path,
    rawQueryString: "",
    isBase64Encoded: false,
    headers: input.headers,
    ...(input.body === undefined ? {} : { body: input.body }),
    requestContext: {
      http: { method: input.method, path: input.path, sourceIp: "127.0.0.1" },
      domainName: "bench.lambda-url.us-east-2.on.aws",
    },
  };
}

/**
 * What a freshly started function talks to on the Slack path: dynalite, the CodePipeline simulator
 * and the Slack stand-in, and the environment that points a Lambda entry file at them (Slack and
 * the GitHub App configured the local way, from variables).
 */
export async function startSlackWorld(policyFile: string) {
  const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
  const dynamo = await startLocalDynamo();
  const sim = await CodePipelineSimulator.start();
  sim.definePipeline({ name: "shop-web", stages: [{ name: "Approve", actions: ["Go"] }] });
  const slack = await SlackStandIn.start();
  slack.addUser(MARIA.id, MARIA.name).addChannel(CHANNEL);
  const dynamoClient = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-2", credentials });
  await ensureApprovalsTable(dynamoClient, TABLE);
  const store = new DynamoApprovalStore({ tableName: TABLE, client: dynamoClient });
  const pipelineClient = new CodePipelineClient({ endpoint: sim.url, region: "us-east-2", credentials });
  const pipeline = new CodePipelineAdapter(pipelineClient);
  const policy = parsePolicyObject({
    version: 1,
    rules: [{ match: {}, slack: { channel: CHANNEL, approvers: { users: [MARIA.id] } } }],
  });
  const log = createLogger({ level: "silent" });
  const client = slackWebClient(slack.botToken, log, slack.apiUrl);
  const clock = { now: () => new Date() };
  const channel = new SlackChannel({ store, clock, log, client: async () => client });
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: "us-east-2",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_CODEPIPELINE: sim.url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    [ENV.tableName]: TABLE,
    [ENV.policyFile]: policyFile,
    [ENV.publicUrl]: "https://bench.lambda-url.us-east-2.on.aws",
    [ENV.fromEmail]: "Greenlight <greenlight@bench.example>",
    [ENV.logLevel]: "error",
    [ENV.slackSigningSecret]: slack.signingSecret,
    [ENV.slackBotToken]: slack.botToken,
    [ENV.slackAppId]: slack.workspace.identity.appId,
    [ENV.slackTeamId]: slack.workspace.identity.teamId,
    [ENV.slackApiUrl]: slack.apiUrl,
    [ENV.githubAppId]: "1",
    [ENV.githubPrivateKey]: privateKey,
    [ENV.githubWebhookSecret]: WEBHOOK_SECRET,
  };

  return {
    env,
    sim,
    /** A waiting approval with its Slack message, and the signed click on Approve as a function URL event. */
    async click(): Promise<string> {
      const { token } = sim.startApproval({ pipeline: "shop-web", stage: "Approve", action: "Go" });
      const request = {
        region: "us-east-2",
        pipeline: "shop-web",
        stage: "Approve",
        action: "Go",
        token,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      };
      const { approval } = await openApproval({ store, pipeline, clock, policy }, request);
      await channel.sync(approval);
      const message = slack.messages(CHANNEL).at(-1);
      if (!message) throw new Error("no Slack message posted");
      const signed = slack.click({ user: MARIA, message, actionId: "greenlight_approve" });
      const event = functionUrlEvent({ method: "POST", path: "/slack/events", ...signed });
      return JSON.stringify(event);
    },
    async close() {
      await slack.close();
      await sim.close();
      await dynamo.close();
      dynamoClient.destroy();
      pipelineClient.destroy();
    },
  };
}

export type SlackWorld = Awaited<ReturnType<typeof startSlackWorld>>;
