import type { Logger } from "pino";
import type { ApplicationFunction, Probot, ProbotOctokit } from "probot";
import { GitHubApi } from "./api.js";

/** What the GitHub App needs to run; read once per container (see lambdas/config-github.ts). */
export interface GitHubAppSettings {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** GitHub Enterprise or the local stand-in; api.github.com when absent. */
  baseUrl?: string;
}

export type OctokitClass = typeof ProbotOctokit;
export type OctokitOptions = NonNullable<ConstructorParameters<OctokitClass>[0]>;

/** A loaded Probot, and Octokit clients for the projector (which has no webhook context). */
export interface GitHubApp {
  probot: Probot;
  appId: number;
  /** The installation on `repo`, or undefined when the app is not installed there. */
  installationFor(repo: string): Promise<number | undefined>;
  api(installationId: number): Promise<GitHubApi>;
}

export interface LazyGitHubAppOptions {
  settings: () => Promise<GitHubAppSettings>;
  log: Logger;
  /** Tests pass ProbotOctokit with retries and throttling off. */
  Octokit?: OctokitClass;
  app?: (appId: number) => ApplicationFunction;
}

// Probot logs the whole event (payload and signature) with an error: keep what an operator needs.
function probotLog(log: Logger): Logger {
  const level = log.levelVal > 40 ? log.level : "warn";
  const err = (e: unknown) =>
    e instanceof Error
      ? { type: e.name, message: e.message.slice(0, 300), status: Reflect.get(e, "status") }
      : e;
  return log.child({}, { level, serializers: { err } });
}

// GitHub does not retry deliveries and gives up after 10 s: never sit out a long rate-limit wait.
function boundedOctokit(Octokit: OctokitClass): OctokitClass {
  return Octokit.defaults((o: OctokitOptions) => ({
    ...o,
    retry: { retries: 1, ...o.retry },
    throttle: {
      ...o.throttle,
      onRateLimit: (after: number) => after <= 2,
      onSecondaryRateLimit: () => false,
    },
  }));
}

/**
 * Probot, built on first use and memoised for the container: `probot` is imported only then, so
 * the e-mail and Slack paths never pay for it. A failed start (secrets unreadable) is not
 * memoised: the next request tries again.
 */
export function lazyGitHubApp(options: LazyGitHubAppOptions): () => Promise<GitHubApp> {
  let loading: Promise<GitHubApp> | undefined;
  const start = async (): Promise<GitHubApp> => {
    const [settings, { Probot, ProbotOctokit }] = await Promise.all([options.settings(), import("probot")]);
    const probot = new Probot({
      appId: settings.appId,
      privateKey: settings.privateKey,
      secret: settings.webhookSecret,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      Octokit: options.Octokit ?? boundedOctokit(ProbotOctokit),
      log: probotLog(options.log),
      // Only used if Probot builds a logger of its own: never the pretty, payload-echoing default.
      logFormat: "json",
    });
    if (options.app) await probot.load(options.app(settings.appId));
    else await probot.ready();
    return {
      probot,
      appId: settings.appId,
      async installationFor(repo) {
        const [owner = "", name = ""] = repo.split("/");
        const asApp = await probot.auth();
        try {
          const { data } = await asApp.rest.apps.getRepoInstallation({ owner, repo: name });
          return data.id;
        } catch (e: unknown) {
          if (typeof e === "object" && e !== null && "status" in e && e.status === 404) return undefined;
          throw e;
        }
      },
      api: async (installationId) => new GitHubApi(await probot.auth(installationId), settings.appId),
    };
  };
  return () => {
    loading ??= start().catch((e: unknown) => {
      loading = undefined;
      throw e;
    });
    return loading;
  };
}
