import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { greenlightApp } from "../bot/github/app.js";
import { GitHubChannel } from "../bot/github/channel.js";
import { type GitHubApp, lazyGitHubApp, type OctokitClass } from "../bot/github/probot.js";
import { githubRoutes } from "../bot/github/routes.js";
import type { Mount } from "./app.js";
import { DynamoDeliveryLog } from "./aws/github-deliveries.js";
import { DynamoPullRequestIndex } from "./aws/github-pr-index.js";
import type { GitHubConfig } from "./config-github.js";
import type { CoreDeps } from "./core-deps.js";
import type { Logger } from "./log.js";

export interface GitHubParts {
  app: () => Promise<GitHubApp>;
  mount: Mount;
  channel: GitHubChannel;
}

/**
 * The GitHub App's route and channel, sharing one lazily started Probot. The secret read starts
 * now (cold start) so the first webhook does not wait for it; Probot itself is imported on first
 * use only. Built by `buildChannels` (lambdas/channels.ts), once per container.
 */
export function githubParts(
  github: GitHubConfig,
  tableName: string,
  core: CoreDeps,
  log: Logger,
  options: { dynamoClient: DynamoDBClient; Octokit?: OctokitClass },
): GitHubParts {
  github.settings().catch((e: unknown) => {
    log.error(
      { error: e instanceof Error ? e.message : String(e) },
      "github: cannot read the App's settings",
    );
  });
  const pullRequests = new DynamoPullRequestIndex({ tableName, client: options.dynamoClient });
  const app = lazyGitHubApp({
    settings: github.settings,
    log,
    ...(options.Octokit ? { Octokit: options.Octokit } : {}),
    app: greenlightApp({ ...core, log, pullRequests, replies: pullRequests }),
  });
  return {
    app,
    mount: {
      path: "/github",
      routes: githubRoutes({
        github: app,
        deliveries: new DynamoDeliveryLog(tableName, options.dynamoClient),
        log,
      }),
    },
    channel: new GitHubChannel({ ...core, log, github: app, pullRequests }),
  };
}
