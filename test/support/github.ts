import { generateKeyPairSync, randomBytes } from "node:crypto";
import { ProbotOctokit } from "probot";
import { greenlightApp } from "../../bot/github/app.js";
import { GitHubChannel } from "../../bot/github/channel.js";
import { type GitHubApp, lazyGitHubApp, type OctokitOptions } from "../../bot/github/probot.js";
import { ReleaseStep } from "../../bot/github/release-step.js";
import { githubRoutes } from "../../bot/github/routes.js";
import { createProjector } from "../../bot/projector.js";
import type { Approval } from "../../core/approval.js";
import { openApproval } from "../../core/open.js";
import { parsePolicyObject } from "../../core/policy.js";
import type { Clock } from "../../core/ports.js";
import { createApp } from "../../lambdas/app.js";
import { DynamoDeployLog } from "../../lambdas/aws/deploy-log.js";
import { DynamoDeliveryLog } from "../../lambdas/aws/github-deliveries.js";
import { DynamoPullRequestIndex } from "../../lambdas/aws/github-pr-index.js";
import { ChangeFeedStore } from "../../local/change-feed.js";
import { loadContract, type Violation } from "../../local/github/contract.js";
import { startGitHubStandIn } from "../../local/github/server.js";
import { type Delivery, delivery, issueCommentPayload } from "../../local/github/webhooks.js";
import { connectionsRevisionUrl } from "../../local/pipeline/sample.js";
import { testRequest } from "./approvals.js";
import { freshStore } from "./dynamo.js";
import { captureLogs } from "./logs.js";
import { startSimulator } from "./simulator.js";

export const APP_ID = 4242;
export const INSTALLATION_ID = 77;
export const REPO = "acme/shop-web";
export const SECRET = "greenlight-test-webhook-secret-0123456789";
export const SHA = "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d";
export const PR = 42;

/** Retries and throttling off, or every failing test waits seconds (docs/toolchain.md). */
export const TestOctokit = ProbotOctokit.defaults((o: OctokitOptions) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...o.throttle, enabled: false },
}));

let key: string | undefined;
/** One RSA key per test file: generating one costs ~100 ms, and any key proves the JWT path. */
export const testPrivateKey = (): string => {
  key ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return key;
};

/** Fails the test with what GitHub's description says, when the stand-in or the app left it. */
export function assertContract(violations: Violation[]): void {
  if (violations.length === 0) return;
  const lines = violations
    .slice(0, 20)
    .map((v) => `${v.request} [${v.operation ?? "?"}] ${v.where}: ${v.problem}`);
  throw new Error(`GitHub contract violations (${violations.length}):\n${lines.join("\n")}`);
}

/**
 * A contract-checked GitHub stand-in with the App installed on REPO, and an installation token
 * for calling it directly (tests of the stand-in itself).
 */
export async function startInstalledStandIn(
  app: { repos?: string[]; permissions?: Record<string, string>; events?: string[] } = {},
) {
  const github = await startGitHubStandIn({ contract: true });
  github.installApp({
    appId: APP_ID,
    slug: "greenlight",
    privateKey: testPrivateKey(),
    installationId: INSTALLATION_ID,
    account: "acme",
    repos: [REPO],
    ...app,
  });
  return { github, token: github.auth.issue(INSTALLATION_ID).token };
}

export interface WorldOptions {
  quorum?: number;
  selfApproval?: boolean;
  highRisk?: boolean;
}

/**
 * Greenlight's GitHub side against real local servers: dynalite, the CodePipeline simulator and
 * the GitHub stand-in, with the projector run by the local change feed. PR #42 (by `octo-author`, a maintainer,
 * with a commit by `co-dev`) was merged as SHA; `maintainer` maintains the repo, `reader` reads,
 * `release-lead` is in the release team, `outsider` has no access.
 */
export async function startGitHubWorld(options: WorldOptions = {}) {
  const privateKey = testPrivateKey();
  // Every request and answer is checked against GitHub's OpenAPI description; close() asserts none failed.
  const github = await startGitHubStandIn({ contract: true });
  github.installApp({
    appId: APP_ID,
    slug: "greenlight",
    privateKey,
    installationId: INSTALLATION_ID,
    account: "acme",
    repos: [REPO],
  });
  github.person("octo-author", { repo: REPO, role: "maintain" });
  github.person("co-dev", { repo: REPO, role: "maintain" });
  github.person("maintainer", { repo: REPO, role: "maintain" });
  github.person("reader", { repo: REPO, role: "read" });
  github.person("outsider");
  github.teamMember("acme/release-managers", "release-lead");
  github.teamMember("acme/release-managers", "invitee", "pending");
  github.pullRequest(REPO, {
    number: PR,
    title: "Add checkout",
    author: "octo-author",
    headSha: "b".repeat(40),
    mergeCommitSha: SHA,
    commits: [
      {
        sha: "a".repeat(40),
        message: "Add checkout",
        author: { login: "octo-author", name: "Octo", email: "octo@acme.io" },
      },
      {
        sha: "b".repeat(40),
        message: "Fix totals\n\nCo-authored-by: Pair <pair@acme.io>",
        author: { login: "co-dev", name: "Co", email: "co@acme.io" },
      },
    ],
  });

  let now = new Date("2026-11-29T20:22:00Z");
  const clock: Clock = { now: () => now };
  // GitHub's clock and ours agree in tests; comments carry `created_at` from it.
  github.state.now = () => now;
  const { sim, pipeline } = await startSimulator({ now: () => now });
  const { store: dynamo, tableName, client } = await freshStore();
  const store = new ChangeFeedStore(dynamo, { retries: 2, backoffMs: 10 });
  const logs = captureLogs();
  const log = logs.log;
  const random = { bytes: (n: number) => randomBytes(n) };

  const pullRequests = new DynamoPullRequestIndex({ tableName, client });
  const app: () => Promise<GitHubApp> = lazyGitHubApp({
    settings: async () => ({ appId: APP_ID, privateKey, webhookSecret: SECRET, baseUrl: github.url }),
    log,
    Octokit: TestOctokit,
    app: greenlightApp({ store, pipeline, clock, log, pullRequests, replies: pullRequests }),
  });
  const channel = new GitHubChannel({ store, clock, random, log, github: app, pullRequests });
  const deploys = new DynamoDeployLog(tableName, client);
  const release = new ReleaseStep({ store, clock, log, pipeline, deploys, github: app });
  store.listener = createProjector({ store, prepare: [release], channels: [channel], log });
  const deliveries = new DynamoDeliveryLog(tableName, client);
  const router = createApp({
    log,
    mounts: [{ path: "/github", routes: githubRoutes({ github: app, deliveries, log }) }],
  });

  const policy = parsePolicyObject({
    version: 1,
    // Ana approves by e-mail; Greenlight knows her GitHub login, so it can tell her from the authors.
    // Pat co-authored a commit (a Co-authored-by trailer: an address only); people: ties it to a login.
    people: [
      { name: "Ana Lima", email: "ana@acme.io", github: "ana-lima" },
      { name: "Pat Pair", email: "pair@acme.io", github: "pat-pair" },
    ],
    rules: [
      {
        name: "shop production",
        match: { pipeline: "shop-*" },
        quorum: options.quorum ?? 1,
        selfApproval: options.selfApproval ?? false,
        highRisk: options.highRisk ?? false,
        email: { recipients: ["ana@acme.io"] },
        github: { repo: REPO, approvers: { minPermission: "maintain", team: "acme/release-managers" } },
      },
    ],
  });

  const world = {
    github,
    sim,
    pipeline,
    store,
    log,
    logs,
    app,
    channel,
    pullRequests,
    release,
    deploys,
    router,
    clock,
    setNow: (d: Date) => {
      now = d;
    },
    /**
     * A run waits at the approval; intake opens it; the projector posts the PR views. `commit`
     * defaults to PR #42's merge commit; pass e.g. `github.state.seedRelease(...).head`.
     */
    async open(commit: string = SHA): Promise<Approval> {
      const { token } = sim.startApproval({
        pipeline: "shop-web",
        stage: "Approve",
        action: "StakeholderApproval",
        expiresAt: "2026-12-06T20:22:00Z",
        revision: {
          commit,
          summary: "Merge pull request #42 from acme/checkout",
          // What CodePipeline's GitHub (CodeConnections) source really reports.
          url: connectionsRevisionUrl(REPO, commit),
        },
      });
      const { approval } = await openApproval({ store, pipeline, clock, policy }, testRequest({ token }));
      await store.idle();
      return (await store.get(approval.id)) ?? approval;
    },
    post: (d: Delivery) =>
      router.request("/github/webhooks", { method: "POST", headers: d.headers, body: d.body }),
    /** `login` writes `text` on PR #42; GitHub delivers issue_comment.created. */
    async comment(login: string, text: string, id?: string, pr = PR) {
      const comment = github.userComment(REPO, pr, login, text);
      const payload = issueCommentPayload({ comment, installationId: INSTALLATION_ID, merged: true });
      // What the stand-in sends must be what GitHub sends (@octokit/openapi-webhooks).
      github.violations.push(...loadContract().checkWebhook("issue_comment", payload));
      const d = delivery("issue_comment", payload, SECRET, id);
      const res = await world.post(d);
      await store.idle();
      return { res, comment, delivery: d };
    },
    statusComments: () =>
      github.state
        .commentsOn(REPO, PR)
        .filter((c) => c.appId === APP_ID && c.body.includes("greenlight:approval")),
    checkRuns: () => github.state.checkRunsFor(REPO, SHA),
    async close() {
      await store.idle();
      await sim.close();
      await github.close();
      assertContract(github.violations);
    },
  };
  return world;
}

export type GitHubWorld = Awaited<ReturnType<typeof startGitHubWorld>>;
