import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Policy } from "../core/policy.js";
import { policyDigest, readPolicyYaml } from "../core/policy-yaml.js";
import { ENV } from "../lambdas/config-names.js";
import { createLogger } from "../lambdas/log.js";
import { activityLine } from "./activity.js";
import { friendlyDestination } from "./console-log.js";
import { lockDataDir } from "./data-lock.js";
import type { Role } from "./github/state.js";
import { localAppFile, readLocalApp } from "./local-apps.js";
import { type Stack, startStack } from "./stack.js";

export interface LaunchOptions {
  /** 0 picks a free port. */
  port: number;
  /** The data folder (dynalite's LevelDB files are in its `dynamodb/`); in memory when absent. */
  dataDir?: string;
  policyFile: string;
  /** Stage durations × this. */
  timeScale: number;
  logLevel: string;
  /** friendly: short lines for a person (LOG_LEVEL unset); json: pino's JSON lines, as on AWS. */
  logFormat: "friendly" | "json";
  /** The scheduled sweep's period. */
  sweepEveryMs: number;
}

export const USAGE = `Usage: npm start [-- options]
  --memory          keep nothing: approvals live in memory only
  --data DIR        where approvals are kept (default .data)
  --fast            stages take a tenth of their usual time
  --time-scale N    stage durations × N (e.g. 0.01 for tests)
  --help            print this and exit
Environment:
  PORT                          where the dashboard and router listen (default 3000)
  ${ENV.policyFile}        the policy (default greenlight.yml)
  ${ENV.logLevel}                     trace|debug|info|warn|error|fatal|silent: JSON logs at that level
                                (unset: warnings and errors only, as one short line each)
  ${ENV.slackBotToken} + ${ENV.slackAppToken}
                                a real Slack workspace over Socket Mode instead of the stand-in
  ${ENV.githubAppId} + ${ENV.githubPrivateKey} + ${ENV.githubWebhookSecret}
                                a real GitHub App instead of the stand-in (${ENV.githubApiUrl}
                                for GitHub Enterprise)`;

/** `npm start -- --help` (or `-h`): print the usage and exit 0 instead of starting. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** Command line and environment → options; a mistake throws with the usage text. */
export function parseLaunchArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      memory: { type: "boolean", default: false },
      data: { type: "string", default: ".data" },
      fast: { type: "boolean", default: false },
      "time-scale": { type: "string" },
    },
    strict: true,
  });
  const port = Number(env.PORT ?? 3000);
  const timeScale = Number(values["time-scale"] ?? (values.fast ? 0.1 : 1));
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT: not a port: ${env.PORT}\n${USAGE}`);
  if (!(timeScale > 0)) throw new Error(`--time-scale: expected a positive number\n${USAGE}`);
  return {
    port,
    ...(values.memory ? {} : { dataDir: resolve(values.data) }),
    policyFile: env[ENV.policyFile] ?? "greenlight.yml",
    timeScale,
    logLevel: env[ENV.logLevel] ?? "warn",
    logFormat: env[ENV.logLevel] ? "json" : "friendly",
    sweepEveryMs: 30_000,
  };
}

/**
 * What `npm start` does: validate the policy, start the whole stack with the sample pipeline,
 * and say where to look. `stop()` ends every part; nothing is left holding the process open.
 */
export async function launch(options: LaunchOptions, say: (line: string) => void = console.log) {
  const { policy, data } = readPolicyYaml(readFileSync(options.policyFile, "utf8"), options.policyFile);
  const log = createLogger({
    level: options.logLevel,
    name: "greenlight",
    ...(options.logFormat === "friendly" ? { destination: friendlyDestination() } : {}),
  });
  let release = async () => {};
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    release = await lockDataDir(options.dataDir);
  }
  // The apps `greenlight github-app|slack-app create --local` made, unless real ones are configured.
  const githubApp =
    options.dataDir && !realGitHubConfigured(process.env)
      ? await readLocalApp(options.dataDir, "github")
      : undefined;
  const slackApp =
    options.dataDir && !realSlackConfigured(process.env)
      ? await readLocalApp(options.dataDir, "slack")
      : undefined;
  let stack: Stack;
  try {
    stack = await startStack({
      policy,
      policyDigest: policyDigest(data),
      port: options.port,
      log,
      ...(options.dataDir ? { dataDir: join(options.dataDir, "dynamodb"), stateDir: options.dataDir } : {}),
      pipelines: { timeScale: options.timeScale, sweepEveryMs: options.sweepEveryMs },
      slack: realSlackConfigured(process.env) ? "real" : true,
      ...(slackApp ? { slackApp } : {}),
      ...(realGitHubConfigured(process.env)
        ? { githubEnv: process.env }
        : {
            github: {
              autoPullAuthor: SAMPLE_AUTHOR,
              people: githubPeople(policy),
              ...(githubApp ? { app: githubApp } : {}),
            },
          }),
    });
  } catch (e: unknown) {
    await release();
    if (e instanceof Error && "code" in e && e.code === "EADDRINUSE") {
      throw new Error(
        `port ${options.port} is in use (another npm start?): stop it, or run PORT=3001 npm start`,
      );
    }
    throw e;
  }
  const unsubscribe = stack.simulator.onEvent((event) => {
    const line = activityLine(event);
    if (line) say(line);
  });
  say(banner(stack, options));
  for (const warning of policy.warnings) say(`Policy warning: ${warning}`);
  for (const note of credentialNotes(process.env)) say(note);
  if (githubApp && options.dataDir)
    say(
      `GitHub: the stand-in runs the App "${githubApp.slug}" (App ID ${githubApp.appId}) from ${localAppFile(options.dataDir, "github")}.`,
    );
  if (slackApp && options.dataDir)
    say(`Slack: the stand-in runs the app ${slackApp.appId} from ${localAppFile(options.dataDir, "slack")}.`);
  return {
    stack,
    async stop(): Promise<void> {
      unsubscribe();
      await stack.close();
      await release();
    },
  };
}

/** The developer whose merged PRs the sample pipeline deploys (an approver, refused on her own change). */
const SAMPLE_AUTHOR = "dev-dana";

/** On the GitHub stand-in: the policy's approvers maintain the repositories; the author writes. */
function githubPeople(policy: Policy): { login: string; role?: Role }[] {
  const approvers = new Set(policy.rules.flatMap((r) => r.github?.approvers.logins ?? []));
  return [
    ...[...approvers].map((login) => ({ login, role: "maintain" as const })),
    ...(approvers.has(SAMPLE_AUTHOR) ? [] : [{ login: SAMPLE_AUTHOR, role: "write" as const }]),
    { login: "outsider" },
  ];
}

/** With the App's id, key and webhook secret set, `npm start` uses the real GitHub App. */
function realGitHubConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env[ENV.githubAppId] && env[ENV.githubPrivateKey] && env[ENV.githubWebhookSecret]);
}

/** With both tokens set, `npm start` talks to a real Slack workspace over Socket Mode. */
function realSlackConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env[ENV.slackBotToken] && env[ENV.slackAppToken]);
}

/**
 * Say which real services the local stack talks to, rather than leave a developer wondering why
 * nothing arrives where they look.
 */
function credentialNotes(env: NodeJS.ProcessEnv): string[] {
  const notes: string[] = [];
  if (realSlackConfigured(env)) {
    notes.push(
      "Slack: SLACK_BOT_TOKEN and SLACK_APP_TOKEN are set: using your real workspace over Socket Mode.",
    );
  }
  if (realGitHubConfigured(env)) {
    notes.push(
      "GitHub: App credentials are set: comments and check runs go to your real GitHub App's repositories;" +
        " its webhooks reach /github/webhooks here only through a forwarder you run.",
    );
  }
  return notes;
}

function banner(stack: Stack, options: LaunchOptions): string {
  const kept = options.dataDir
    ? `approvals, runs, the inbox, Slack and GitHub are kept in ${options.dataDir} (--memory keeps nothing)`
    : "in memory: nothing is kept";
  return `
Greenlight is running locally: DynamoDB (dynalite), the SES inbox, the CodePipeline simulator,
Slack and GitHub stand-ins, and the router.

  Dashboard  ${stack.url}/local
  Policy     ${options.policyFile}; ${kept}

What to try:
  1. Press "Start a run" on the dashboard: shop-web builds, deploys to staging and waits for approval (~30 s).
  2. In the Inbox panel, open the e-mail's "Review and decide" link and approve: the run goes on to Production.
  3. Start another run and decide in the Slack panel or on the pull request (/reject <reason>), then read the audit trail.

Ctrl-C stops everything.
`;
}

export type Launched = Awaited<ReturnType<typeof launch>>;
