import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { ChannelProjector } from "../bot/channel.js";
import { EmailChannel } from "../bot/email/channel.js";
import { emailRoutes } from "../bot/email/routes.js";
import { ReleaseStep } from "../bot/github/release-step.js";
import { createProjector, type Projector } from "../bot/projector.js";
import type { LocalStackDescription } from "../cli/target.js";
import type { Policy } from "../core/policy.js";
import type { Clock, Random } from "../core/ports.js";
import { createApp, type Mount } from "../lambdas/app.js";
import { ensureApprovalsTable } from "../lambdas/aws/approvals-table.js";
import { CodePipelineAdapter } from "../lambdas/aws/codepipeline.js";
import { DynamoDeployLog } from "../lambdas/aws/deploy-log.js";
import { DynamoApprovalStore } from "../lambdas/aws/dynamodb-store.js";
import { SesMailer, senderAddress } from "../lambdas/aws/ses-mailer.js";
import { cryptoRandom, systemClock } from "../lambdas/clients.js";
import { loadGitHubConfig } from "../lambdas/config-github.js";
import { githubParts } from "../lambdas/github-wiring.js";
import { makeEventsHandler } from "../lambdas/handlers/events.js";
import { type IntakeSummary, makeIntakeHandler } from "../lambdas/handlers/intake.js";
import { createLogger, type Logger } from "../lambdas/log.js";
import { ChangeFeedStore } from "./change-feed.js";
import { parseCalls, serializeCalls } from "./codepipeline/call-log.js";
import { CodePipelineSimulator } from "./codepipeline/simulator.js";
import { githubPanel } from "./dashboard/github-panel.js";
import type { DashboardPanel } from "./dashboard/panel.js";
import { corePanels } from "./dashboard/panels.js";
import { dashboardRoutes } from "./dashboard/routes.js";
import { slackPanel } from "./dashboard/slack-panel.js";
import { type LocalDynamo, startLocalDynamo } from "./dynamo/server.js";
import { type LocalGitHub, type LocalGitHubOptions, startLocalGitHub } from "./github/local.js";
import { localApp } from "./local-app.js";
import { type LocalPipelines, type LocalPipelinesOptions, startPipelines } from "./pipeline/start.js";
import type { SesAccountState } from "./ses/account.js";
import { loadInbox, saveInbox } from "./ses/archive.js";
import { type LocalSes, startLocalSes } from "./ses/server.js";
import { type RealWorkspace, startRealWorkspace } from "./slack/socket-mode.js";
import { type LocalSlack, startLocalSlack } from "./slack-local.js";
import { loadStateFile, writeAtomically } from "./state-file.js";

export interface StackOptions {
  policy: Policy;
  /** The router's port; 0 picks a free one. */
  port?: number;
  /** LevelDB folder for dynalite; in memory when absent. */
  dataDir?: string;
  /**
   * Where the simulator's runs and call log, the inbox and the Slack and GitHub stand-ins' state
   * are kept between restarts (they live in memory otherwise): with `dataDir`, a restarted stack
   * carries on where it stopped.
   */
  stateDir?: string;
  /** The URL links point at; defaults to the router's own http://localhost:PORT. */
  publicUrl?: string;
  clock?: Clock;
  random?: Random;
  log?: Logger;
  region?: string;
  fromEmail?: string;
  /**
   * The SES account as GetAccount and GetEmailIdentity report it. By default: out of the sandbox,
   * with the sender's domain verified and DKIM signing (a set-up `greenlight doctor` finds ok).
   */
  ses?: Partial<SesAccountState>;
  /** The SHA-256 of the policy as `cdk synth` bundles it (`policyDigest`); the PolicySha256 output. */
  policyDigest?: string;
  /**
   * Run pipelines (the sample shop-web by default) with the pipeline runner, and carry their
   * state changes and the sweep's tick to the events handler as EventBridge does (npm start).
   * Off by default: tests that drive the simulator and the events handler by hand need quiet.
   */
  pipelines?: LocalPipelinesOptions;
  /**
   * The GitHub stand-in with the GitHub App channel and `/github/webhooks` wired to it. The app
   * is installed on the policy's `github.repo`s unless `repos` says otherwise.
   */
  github?: Partial<LocalGitHubOptions>;
  /**
   * A real GitHub App instead of the stand-in: its settings as the functions read them
   * (GREENLIGHT_GITHUB_APP_ID, _PRIVATE_KEY, _WEBHOOK_SECRET, optionally _API_URL).
   */
  githubEnv?: NodeJS.ProcessEnv;
  /**
   * `true`: the Slack stand-in with the Slack channel and `/slack/events` wired to it. `"real"`: a
   * real workspace over Socket Mode (SLACK_APP_TOKEN + SLACK_BOT_TOKEN from the environment).
   */
  slack?: boolean | "real";
  /** With `slack: true`: run the stand-in as the app `greenlight slack-app create --local` made. */
  slackApp?: { botToken: string; signingSecret: string; appId: string; teamId: string };
  /**
   * The change feed's retries of a failed projection (3, backing off from 200 ms by default), as
   * the sync Lambda's bounded stream retries on AWS; fault tests make them quick.
   */
  changeFeed?: { retries?: number; backoffMs?: number };
  /** Extra dashboard panels (channel stand-ins), after the core ones. */
  panels?: (stack: { publicUrl: string }) => DashboardPanel[];
}

/** The approvals table on the local dynalite (the tests read it by this name too). */
export const TABLE = "greenlight-approvals";

const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * The whole of Greenlight on one machine: dynalite, the CodePipeline simulator, the SES inbox and
 * the router, wired with the same handlers and adapters as on AWS, pointed at local endpoints.
 * The change feed runs the projector in-process after each committed write (Streams on AWS).
 */
export async function startStack(options: StackOptions) {
  const region = options.region ?? "us-east-2";
  const log = options.log ?? createLogger({ level: "silent" });
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;

  const dynamo: LocalDynamo = await startLocalDynamo(options.dataDir ? { path: options.dataDir } : {});
  const stateFile = (name: string) => (options.stateDir ? join(options.stateDir, name) : undefined);
  const inboxFile = stateFile("inbox.json");
  const fromEmail = options.fromEmail ?? "Greenlight <greenlight@localhost>";
  const fromDomain = senderAddress(fromEmail).split("@")[1] ?? "localhost";
  const ses: LocalSes = await startLocalSes({
    ...(inboxFile ? { archive: await loadInbox(inboxFile, log) } : {}),
    account: options.ses ?? { identities: { [fromDomain]: { verification: "SUCCESS", dkim: "SUCCESS" } } },
  });
  // The topic CDK creates for the approval actions (infra/service/approval-topic.ts), by its ARN.
  const approvalTopicArn = `arn:aws:sns:${region}:123456789012:Greenlight-ApprovalTopic`;
  const simulator = await CodePipelineSimulator.start({ now: () => clock.now(), approvalTopicArn });
  // What the simulator received before the restart: the dashboard's call log goes on from there.
  const callsFile = stateFile("codepipeline-calls.json");
  await loadStateFile(callsFile, (text) => simulator.calls.push(...parseCalls(text)), log);

  const dynamoClient = new DynamoDBClient({ endpoint: dynamo.url, region, credentials: LOCAL_CREDENTIALS });
  await ensureApprovalsTable(dynamoClient, TABLE);
  const store = new ChangeFeedStore(
    new DynamoApprovalStore({ tableName: TABLE, client: dynamoClient }),
    options.changeFeed,
  );
  const codePipelineClient = new CodePipelineClient({
    endpoint: simulator.url,
    region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 2,
  });
  const pipeline = new CodePipelineAdapter(codePipelineClient);
  const sesClient = new SESv2Client({ endpoint: ses.url, region, credentials: LOCAL_CREDENTIALS });
  const mailer = new SesMailer(fromEmail, sesClient);
  // Destroyed on close, so no keep-alive socket outlives the stack.
  const sdkClients = [dynamoClient, codePipelineClient, sesClient];
  const deploys = new DynamoDeployLog(TABLE, dynamoClient);
  const core = { store, pipeline, clock, random, deploys };

  // The router listens first so the public URL (which links are built from) is known.
  const mounts: Mount[] = [];
  let served: Hono | undefined;
  const server = serve({
    fetch: (req) => (served ? served.fetch(req) : new Response("starting", { status: 503 })),
    port: options.port ?? 0,
    hostname: "127.0.0.1",
  });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once("listening", () => resolve());
    server.once("error", reject);
  }).catch(async (e: unknown) => {
    // The port is taken: stop what already started, so the caller can report and exit cleanly.
    await Promise.allSettled([simulator.close(), ses.close(), dynamo.close()]);
    for (const client of sdkClients) client.destroy();
    throw e;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const publicUrl = options.publicUrl ?? url;

  const channels: ChannelProjector[] = [new EmailChannel({ ...core, mailer, log, publicUrl })];
  mounts.push({ path: "/a", routes: emailRoutes({ ...core, log }) });
  const policyRepos = [
    ...new Set(options.policy.rules.flatMap((r) => (r.github?.repo ? [r.github.repo] : []))),
  ];
  // The policy's approver teams exist on the stand-in (without members), as they would on GitHub.
  const policyTeams = [
    ...new Set(
      options.policy.rules.flatMap((r) => (r.github?.approvers.team ? [r.github.approvers.team] : [])),
    ),
  ];
  const github: LocalGitHub | undefined = options.github
    ? await startLocalGitHub(
        { ...core, log, dynamoClient, tableName: TABLE, routerUrl: url },
        { repos: policyRepos, teams: policyTeams, ...options.github },
      )
    : undefined;
  // Comments and check runs Greenlight wrote before the restart, so it can go on editing them.
  const githubFile = github ? stateFile("github.json") : undefined;
  if (github) await loadStateFile(githubFile, (text) => github.standIn.state.load(text), log);
  if (github) {
    channels.push(github.channel);
    mounts.push(github.mount);
  }
  // Same wiring as the Lambdas; only the table's client points at dynalite. Webhooks reach
  // `/github/webhooks` on this machine only through a forwarder the developer runs.
  const realGitHubConfig = options.githubEnv ? loadGitHubConfig(options.githubEnv) : undefined;
  if (options.githubEnv && !realGitHubConfig)
    throw new Error("GitHub App settings are incomplete (see README, GitHub App)");
  const realGitHub = realGitHubConfig
    ? githubParts(realGitHubConfig, TABLE, core, log, { dynamoClient })
    : undefined;
  if (realGitHub) {
    channels.push(realGitHub.channel);
    mounts.push(realGitHub.mount);
  }
  const slack: LocalSlack | undefined =
    options.slack === true
      ? await startLocalSlack({
          ...core,
          log,
          policy: options.policy,
          ...(options.slackApp ? { app: options.slackApp } : {}),
        })
      : undefined;
  // Messages (and the rest of the workspace) posted before the restart, so updates find them.
  const slackFile = slack ? stateFile("slack.json") : undefined;
  if (slack) await loadStateFile(slackFile, (text) => slack.standIn.workspace.load(text), log);
  if (slack) {
    channels.push(slack.channel);
    mounts.push(slack.mount);
  }
  // Socket Mode: interactions arrive over a WebSocket, so nothing is mounted on the router.
  const realSlack: RealWorkspace | undefined =
    options.slack === "real" ? await startRealWorkspace({ ...core, log }) : undefined;
  if (realSlack) channels.push(realSlack.channel);
  // Authors are read whenever a run's source is on GitHub, whatever channels its rule uses.
  const prepare = [
    new ReleaseStep({
      ...core,
      log,
      ...(github ? { github: github.app } : realGitHub ? { github: realGitHub.app } : {}),
    }),
  ];
  const project: Projector = createProjector({ store, prepare, channels, log });
  store.listener = project;
  const app = createApp({ log, mounts });

  const intake = makeIntakeHandler({ ...core, policy: options.policy, log });
  const events = makeEventsHandler({ ...core, log });
  const pipelinesFile = stateFile("codepipeline.json");
  const pipelines: LocalPipelines | undefined = options.pipelines
    ? await startPipelines(
        { simulator, intake, events, region, publicUrl, random, clock, log },
        { ...options.pipelines, ...(pipelinesFile ? { stateFile: pipelinesFile } : {}) },
      )
    : undefined;
  const panels = [
    ...corePanels({ simulator, ses, store, clock, ...(pipelines ? { runner: pipelines.runner } : {}) }),
    ...(slack
      ? [slackPanel({ slack: slack.standIn, interactionsUrl: `${url}/slack/events`, people: slack.people })]
      : []),
    ...(github ? [githubPanel({ github, people: githubPeople(options) })] : []),
    ...(options.panels?.({ publicUrl }) ?? []),
  ];
  const describe = (): LocalStackDescription => ({
    region,
    outputs: {
      PublicUrl: `${publicUrl}/`,
      TableName: TABLE,
      ApprovalTopicArn: approvalTopicArn,
      EmailFrom: fromEmail,
      ...(options.policyDigest ? { PolicySha256: options.policyDigest } : {}),
      SlackRequestUrl: `${publicUrl}/slack/events`,
      GithubWebhookUrl: `${publicUrl}/github/webhooks`,
    },
    endpoints: { dynamodb: dynamo.url, codepipeline: simulator.url, sesv2: ses.url },
    ...(slack ? { slackApiUrl: slack.standIn.apiUrl } : {}),
    ...(github ? { githubApiUrl: github.standIn.url } : {}),
    secrets: { ...(slack ? { slack: slack.secret } : {}), ...(github ? { github: github.secret } : {}) },
  });
  served = localApp({ functionApp: app, local: dashboardRoutes({ panels, simulator, describe }) });

  return {
    url,
    publicUrl,
    dynamo,
    /** The SDK client every adapter shares (benchmarks read consumed capacity through it). */
    dynamoClient,
    ses,
    simulator,
    store,
    /** What production last received from each approval action (the base of the next release). */
    deploys,
    /** The channels the projector brings up to date, in order (e-mail first). */
    channels,
    pipeline,
    clock,
    log,
    app,
    /** The GitHub stand-in, and `comment` / `press` as a person on GitHub, when `github` was asked for. */
    github,
    /** The Slack stand-in and whom it knows, when `slack` was asked for. */
    slack,
    /** The pipeline runner and the EventBridge stand-in, when `pipelines` was asked for. */
    pipelines,
    /** Where each part listens, as `/local/stack.json` answers (the `greenlight` command's `--local`). */
    describe,
    /** Deliver an SNS event (or raw message) to the intake handler, as SNS → Lambda does. */
    intake: (event: unknown): Promise<IntakeSummary> => intake(event),
    /** Deliver an EventBridge event to the events handler, as EventBridge → Lambda does. */
    events: (event: unknown) => events(event),
    /** Wait until every change so far is projected onto the channels. */
    settled: () => store.idle(),
    async close(): Promise<void> {
      await pipelines?.runner.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A dashboard left open keeps polling on keep-alive connections: end them, or close waits.
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
      await pipelines?.close();
      await store.idle();
      if (inboxFile) await saveInbox(inboxFile, await ses.emails());
      if (githubFile && github) await writeAtomically(githubFile, github.standIn.state.save());
      if (slackFile && slack) await writeAtomically(slackFile, slack.standIn.workspace.save());
      if (callsFile) await writeAtomically(callsFile, serializeCalls(simulator.calls));
      await github?.close();
      await slack?.close();
      await realSlack?.close();
      await simulator.close();
      await ses.close();
      await dynamo.close();
      for (const client of sdkClients) client.destroy();
    },
  };
}

/** GitHub logins the dashboard can act as: the policy's approvers, the PR author, an outsider. */
function githubPeople(options: StackOptions): string[] {
  const logins = options.policy.rules.flatMap((r) => r.github?.approvers.logins ?? []);
  const extra = [options.github?.autoPullAuthor, ...(options.github?.people?.map((p) => p.login) ?? [])];
  return [...new Set([...logins, ...extra.filter((l): l is string => typeof l === "string")])];
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
