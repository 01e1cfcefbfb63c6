import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { ChannelProjector } from "../bot/channel.js";
import { EmailChannel } from "../bot/email/channel.js";
import type { Mailer } from "../bot/email/mailer.js";
import { emailRoutes } from "../bot/email/routes.js";
import type { GitHubApp, OctokitClass } from "../bot/github/probot.js";
import { ReleaseStep } from "../bot/github/release-step.js";
import { createProjector, type Projector } from "../bot/projector.js";
import type { Mount } from "./app.js";
import { SesMailer } from "./aws/ses-mailer.js";
import { dynamoClient } from "./clients.js";
import { type Config, required } from "./config.js";
import { ENV } from "./config-names.js";
import type { CoreDeps } from "./core-deps.js";
import { type GitHubParts, githubParts } from "./github-wiring.js";
import type { Logger } from "./log.js";
import { type SlackParts, slackParts } from "./slack-wiring.js";

/** What a caller may swap: where the tables are, how mail leaves, the Octokit class, more channels. */
export interface ChannelOverrides {
  /** The DynamoDB client for GitHub's delivery log and pull-request index (dynalite locally). */
  dynamoClient?: DynamoDBClient;
  /** How e-mail leaves (SES by default, with `config.fromEmail` as the sender). */
  mailer?: Mailer;
  /** Probot's Octokit class: the stand-in has no rate limits, tests turn retries off. */
  Octokit?: OctokitClass;
  /** Channels built elsewhere (Slack over Socket Mode): projected after the configured ones. */
  extraChannels?: ChannelProjector[];
}

export interface Channels {
  /** Steps before the channels (reading the release from GitHub), in order. */
  prepare: ChannelProjector[];
  /** E-mail first, then GitHub and Slack as configured. */
  channels: ChannelProjector[];
  /** Every channel's routes on the function URL. */
  mounts: Mount[];
  /** The projector over all of them. */
  projector: Projector;
  github?: GitHubParts;
  slack?: SlackParts;
}

/**
 * The composition root: every channel, its routes and the projector, built once from the config
 * (which `loadConfig` read from the environment once). The Lambda entries, `npm start`, the tests
 * and the benchmarks all build through here, so a channel is wired in one place. E-mail needs a
 * sender and a public URL only to send: a function without them (the HTTP one) still serves the
 * e-mail routes, and projecting without them fails naming the variable.
 */
export function buildChannels(
  config: Config,
  core: CoreDeps,
  log: Logger,
  overrides: ChannelOverrides = {},
): Channels {
  const dynamo = overrides.dynamoClient ?? dynamoClient;
  const github = config.github
    ? githubParts(config.github, config.tableName, core, log, {
        dynamoClient: dynamo,
        ...(overrides.Octokit ? { Octokit: overrides.Octokit } : {}),
      })
    : undefined;
  const slack = config.slack ? slackParts(config.slack, core, log) : undefined;
  let email: EmailChannel | undefined;
  const emailChannel: ChannelProjector = {
    name: "email",
    sync: (approval) => {
      email ??= new EmailChannel({
        ...core,
        mailer: overrides.mailer ?? new SesMailer(required(config.fromEmail, ENV.fromEmail)),
        log,
        publicUrl: required(config.publicUrl, ENV.publicUrl),
      });
      return email.sync(approval);
    },
  };
  const prepare: ChannelProjector[] = [
    // Authors are read whenever a run's source is on GitHub, whatever channels its rule uses.
    new ReleaseStep({ ...core, log, ...(github ? { github: github.app } : {}) }),
  ];
  const channels = [
    emailChannel,
    ...(github ? [github.channel] : []),
    ...(slack ? [slack.channel] : []),
    ...(overrides.extraChannels ?? []),
  ];
  const mounts: Mount[] = [
    { path: "/a", routes: emailRoutes({ ...core, log }) },
    ...(github ? [github.mount] : []),
    ...(slack ? [slack.mount] : []),
  ];
  return {
    prepare,
    channels,
    mounts,
    projector: createProjector({ store: core.store, prepare, channels, log }),
    ...(github ? { github } : {}),
    ...(slack ? { slack } : {}),
  };
}

export type { GitHubApp };
