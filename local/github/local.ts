import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { greenlightApp } from "../../bot/github/app.js";
import { GitHubChannel } from "../../bot/github/channel.js";
import { lazyGitHubApp, type OctokitOptions } from "../../bot/github/probot.js";
import { githubRoutes } from "../../bot/github/routes.js";
import type { ApprovalStore, Clock, Pipeline, Random } from "../../core/ports.js";
import type { Mount } from "../../lambdas/app.js";
import { DynamoDeliveryLog } from "../../lambdas/aws/github-deliveries.js";
import { DynamoPullRequestIndex } from "../../lambdas/aws/github-pr-index.js";
import type { Logger } from "../../lambdas/log.js";
import { startGitHubStandIn } from "./server.js";
import type { Role } from "./state.js";
import { checkRunActionPayload, delivery, issueCommentPayload, send } from "./webhooks.js";

export interface LocalGitHubOptions {
  /** Repositories the app is installed on. */
  repos: string[];
  /** People and their role on every repo (e.g. the policy's approvers as maintainers). */
  people?: { login: string; role?: Role }[];
  /** Teams (`org/slug`) that exist on the stand-in, e.g. the policy's `approvers.team`s (no members). */
  teams?: string[];
  /** Commits the stand-in has not seen become merged PRs by this person (demo pipelines). */
  autoPullAuthor?: string;
  /**
   * Octokit's own retries (on by default: 3, after 1 s, 4 s, 9 s). Fault tests turn them off and
   * let the change feed retry, as the sync Lambda's stream retries do on AWS.
   */
  clientRetries?: boolean;
  /**
   * Check every call and answer against GitHub's OpenAPI description (`standIn.violations`).
   * Tests turn it on; `npm start` does not (reading the description takes about half a second).
   */
  contract?: boolean;
  /**
   * The App `greenlight github-app create --local` registered on the stand-in (local/local-apps.ts):
   * used instead of a fresh one, so its id, key and webhook secret work across starts.
   */
  app?: { appId: number; slug: string; privateKey: string; webhookSecret: string };
}

export interface LocalGitHubDeps {
  store: ApprovalStore;
  pipeline: Pipeline;
  clock: Clock;
  random: Random;
  log: Logger;
  dynamoClient: DynamoDBClient;
  tableName: string;
  /** Where the router listens; deliveries from the comment box go to `<url>/github/webhooks`. */
  routerUrl: string;
}

const APP_ID = 1;
export const INSTALLATION_ID = 1;

/**
 * The GitHub side of the local stack: the REST stand-in, a GitHub App registered and installed on
 * it (fresh key and webhook secret per start), and Greenlight's real route and channel wired to
 * it exactly as on AWS. `comment` / `press` act as a person on GitHub would: the stand-in records
 * it and a signed delivery goes to the router.
 */
export async function startLocalGitHub(deps: LocalGitHubDeps, options: LocalGitHubOptions) {
  const made = options.app;
  const privateKey =
    made?.privateKey ??
    generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey;
  const webhookSecret = made?.webhookSecret ?? randomBytes(24).toString("base64url");
  const appId = made?.appId ?? APP_ID;
  const standIn = await startGitHubStandIn({
    ...(options.autoPullAuthor ? { autoPullAuthor: options.autoPullAuthor } : {}),
    contract: options.contract ?? false,
    // Ids GitHub never gave before, even to a stand-in run an hour ago over the same table.
    firstId: Date.now(),
  });
  // One machine, one clock: GitHub's `created_at` and Greenlight's `createdAt` agree, as they do
  // (to NTP's precision) on AWS; a test that moves our clock moves GitHub's too.
  standIn.state.now = () => deps.clock.now();
  const contract = options.contract ? (await import("./contract.js")).loadContract() : undefined;
  /** With the contract on, what the stand-in sends is checked against GitHub's webhook schema too. */
  const checked = (event: string, payload: object) => {
    if (contract) standIn.violations.push(...contract.checkWebhook(event, payload));
    return payload;
  };
  const account = options.repos[0]?.split("/")[0] ?? "acme";
  standIn.installApp({
    appId,
    slug: made?.slug ?? "greenlight",
    privateKey,
    installationId: INSTALLATION_ID,
    account,
    repos: options.repos,
  });
  for (const person of options.people ?? [])
    for (const repo of options.repos)
      standIn.person(person.login, person.role ? { repo, role: person.role } : undefined);
  for (const team of options.teams ?? []) standIn.team(team);

  const { store, pipeline, clock, random, log } = deps;
  // The stand-in has no rate limits: without throttling, a demo does not wait seconds per comment.
  const { ProbotOctokit } = await import("probot");
  const Octokit = ProbotOctokit.defaults((o: OctokitOptions) => ({
    ...o,
    ...(options.clientRetries === false ? { retry: { enabled: false } } : {}),
    throttle: { ...o.throttle, enabled: false },
  }));
  const pullRequests = new DynamoPullRequestIndex({ tableName: deps.tableName, client: deps.dynamoClient });
  const app = lazyGitHubApp({
    settings: async () => ({ appId, privateKey, webhookSecret, baseUrl: standIn.url }),
    log,
    Octokit,
    app: greenlightApp({ store, pipeline, clock, log, pullRequests, replies: pullRequests }),
  });
  const webhooks = `${deps.routerUrl}/github/webhooks`;
  const mount: Mount = {
    path: "/github",
    routes: githubRoutes({
      github: app,
      deliveries: new DynamoDeliveryLog(deps.tableName, deps.dynamoClient),
      log,
    }),
  };

  return {
    standIn,
    /** The App's webhook secret: what GitHub signs deliveries with (the test side). */
    webhookSecret,
    /** The App as the stack's GitHub secret holds one (`greenlight --local` reads it). */
    secret: { appId, privateKey, webhookSecret },
    mount,
    /** The App, for the release step (which reads authors whatever channels a rule uses). */
    app,
    channel: new GitHubChannel({ store, clock, random, log, github: app, pullRequests }),
    /** `login` comments `text` on a pull request; GitHub delivers issue_comment.created. */
    comment(input: { repo: string; pr: number; login: string; text: string }) {
      const comment = standIn.userComment(input.repo, input.pr, input.login, input.text);
      const payload = issueCommentPayload({ comment, installationId: INSTALLATION_ID, merged: true });
      return send(webhooks, delivery("issue_comment", checked("issue_comment", payload), webhookSecret));
    },
    /** `login` presses Approve or Reject on a check run. */
    press(input: { repo: string; checkRunId: number; login: string; identifier: "approve" | "reject" }) {
      const run = standIn.state.checkRuns.find((r) => r.id === input.checkRunId);
      if (!run) throw new Error(`No check run ${input.checkRunId}`);
      const payload = checkRunActionPayload({
        repo: input.repo,
        checkRunId: run.id,
        headSha: run.headSha,
        externalId: run.externalId,
        appId: run.appId,
        identifier: input.identifier,
        sender: input.login,
        installationId: INSTALLATION_ID,
      });
      return send(webhooks, delivery("check_run", checked("check_run", payload), webhookSecret));
    },
    close: () => standIn.close(),
  };
}

export type LocalGitHub = Awaited<ReturnType<typeof startLocalGitHub>>;
