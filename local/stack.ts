import type { AddressInfo } from "node:net";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { ChannelProjector } from "../bot/channel.js";
import { EmailChannel } from "../bot/email/channel.js";
import { emailRoutes } from "../bot/email/routes.js";
import { createProjector, type Projector } from "../bot/projector.js";
import type { AppEnv } from "../bot/shared/hono-env.js";
import type { Policy } from "../core/policy.js";
import type { Clock, Random } from "../core/ports.js";
import { createApp, type Mount } from "../lambdas/app.js";
import { ensureApprovalsTable } from "../lambdas/aws/approvals-table.js";
import { CodePipelineAdapter } from "../lambdas/aws/codepipeline.js";
import { DynamoApprovalStore } from "../lambdas/aws/dynamodb-store.js";
import { SesMailer } from "../lambdas/aws/ses-mailer.js";
import { cryptoRandom, systemClock } from "../lambdas/clients.js";
import { type IntakeSummary, makeIntakeHandler } from "../lambdas/handlers/intake.js";
import { createLogger, type Logger } from "../lambdas/log.js";
import { ChangeFeedStore } from "./change-feed.js";
import { CodePipelineSimulator } from "./codepipeline/simulator.js";
import { type LocalDynamo, startLocalDynamo } from "./dynamo/server.js";
import { type LocalSes, startLocalSes } from "./ses/server.js";

export interface StackOptions {
  policy: Policy;
  /** The router's port; 0 picks a free one. */
  port?: number;
  /** LevelDB folder for dynalite; in memory when absent. */
  dataDir?: string;
  /** The URL links point at; defaults to the router's own http://localhost:PORT. */
  publicUrl?: string;
  clock?: Clock;
  random?: Random;
  log?: Logger;
  region?: string;
  fromEmail?: string;
}

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
  const ses: LocalSes = await startLocalSes();
  const simulator = await CodePipelineSimulator.start({ now: () => clock.now() });

  const dynamoClient = new DynamoDBClient({ endpoint: dynamo.url, region, credentials: LOCAL_CREDENTIALS });
  await ensureApprovalsTable(dynamoClient, "greenlight-approvals");
  const store = new ChangeFeedStore(
    new DynamoApprovalStore({ tableName: "greenlight-approvals", client: dynamoClient }),
  );
  const pipeline = new CodePipelineAdapter(
    new CodePipelineClient({
      endpoint: simulator.url,
      region,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 2,
    }),
  );
  const mailer = new SesMailer(
    options.fromEmail ?? "Greenlight <greenlight@localhost>",
    new SESv2Client({ endpoint: ses.url, region, credentials: LOCAL_CREDENTIALS }),
  );
  const core = { store, pipeline, clock, random };

  // The router listens first so the public URL (which links are built from) is known.
  const mounts: Mount[] = [];
  let app: Hono<AppEnv> | undefined;
  const server = serve({
    fetch: (req) => (app ? app.fetch(req) : new Response("starting", { status: 503 })),
    port: options.port ?? 0,
    hostname: "127.0.0.1",
  });
  await new Promise<void>((resolve) =>
    server.listening ? resolve() : server.once("listening", () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const publicUrl = options.publicUrl ?? url;

  const channels: ChannelProjector[] = [new EmailChannel({ ...core, mailer, log, publicUrl })];
  mounts.push({ path: "/a", routes: emailRoutes({ ...core, log }) });
  const project: Projector = createProjector({ store, channels, log });
  store.listener = project;
  app = createApp({ log, mounts });

  const intake = makeIntakeHandler({ ...core, policy: options.policy, log });

  return {
    url,
    publicUrl,
    dynamo,
    ses,
    simulator,
    store,
    pipeline,
    clock,
    log,
    app,
    /** Deliver an SNS event (or raw message) to the intake handler, as SNS → Lambda does. */
    intake: (event: unknown): Promise<IntakeSummary> => intake(event),
    /** Wait until every change so far is projected onto the channels. */
    settled: () => store.idle(),
    async close(): Promise<void> {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.idle();
      await simulator.close();
      await ses.close();
      await dynamo.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
