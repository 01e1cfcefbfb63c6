import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { greenlightApp } from "../bot/github/app.js";
import { GitHubChannel } from "../bot/github/channel.js";
import { type GitHubApp, lazyGitHubApp } from "../bot/github/probot.js";
import { githubRoutes } from "../bot/github/routes.js";
import type { ApprovalStore, Clock, Pipeline, Random } from "../core/ports.js";
import type { Mount } from "./app.js";
import { DynamoDeliveryLog } from "./aws/github-deliveries.js";
import { DynamoPullRequestIndex } from "./aws/github-pr-index.js";
import { dynamoClient } from "./clients.js";
import { loadGitHubConfig } from "./config-github.js";
import type { Logger } from "./log.js";

interface CoreDeps {
  store: ApprovalStore;
  pipeline: Pipeline;
  clock: Clock;
  random: Random;
}

export interface GitHubParts {
  app: () => Promise<GitHubApp>;
  mount(): Mount;
  channel(): GitHubChannel;
}

const built = new WeakMap<CoreDeps, GitHubParts | undefined>();

/**
 * The GitHub App's route and channel, sharing one lazily started Probot per container; undefined
 * when GitHub is not configured. The secret read starts now (cold start) so the first webhook
 * does not wait for it; Probot itself is imported on first use only.
 */
export function githubFor(
  tableName: string,
  deps: CoreDeps,
  log: Logger,
  env = process.env,
  dynamo: DynamoDBClient = dynamoClient,
): GitHubParts | undefined {
  if (built.has(deps)) return built.get(deps);
  const github = loadGitHubConfig(env);
  if (!github) {
    built.set(deps, undefined);
    return undefined;
  }
  github.settings().catch((e: unknown) => {
    log.error(
      { error: e instanceof Error ? e.message : String(e) },
      "github: cannot read the App's settings",
    );
  });
  const pullRequests = new DynamoPullRequestIndex({ tableName, client: dynamo });
  const app = lazyGitHubApp({
    settings: github.settings,
    log,
    app: greenlightApp({ ...deps, log, pullRequests, replies: pullRequests }),
  });
  const parts: GitHubParts = {
    app,
    mount: () => ({
      path: "/github",
      routes: githubRoutes({
        github: app,
        deliveries: new DynamoDeliveryLog(tableName, dynamo),
        log,
      }),
    }),
    channel: () => new GitHubChannel({ ...deps, log, github: app, pullRequests }),
  };
  built.set(deps, parts);
  return parts;
}
