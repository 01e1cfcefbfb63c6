import type { WebClient } from "@slack/web-api";
import { GroupMembers } from "../bot/slack/approvers.js";
import { SlackChannel } from "../bot/slack/channel.js";
import { SlackInteractions } from "../bot/slack/interactions.js";
import { ProfileEmails } from "../bot/slack/profiles.js";
import { slackRoutes } from "../bot/slack/routes.js";
import { slackWebClient } from "../bot/slack/web.js";
import type { ApprovalStore, Clock, Pipeline } from "../core/ports.js";
import type { Mount } from "./app.js";
import { loadSlackConfig } from "./config-slack.js";
import type { Logger } from "./log.js";

interface CoreDeps {
  store: ApprovalStore;
  pipeline: Pipeline;
  clock: Clock;
}

export interface SlackParts {
  mount(): Mount;
  channel(): SlackChannel;
  interactions: SlackInteractions;
}

const built = new WeakMap<CoreDeps, SlackParts | undefined>();

/**
 * The Slack app's route and channel, sharing one settings read per container; undefined when Slack
 * is not configured. The secret read starts now (cold start), so the first click does not wait for
 * it; Bolt itself is imported on the first interaction only.
 */
export function slackFor(deps: CoreDeps, log: Logger, env = process.env): SlackParts | undefined {
  if (built.has(deps)) return built.get(deps);
  const slack = loadSlackConfig(env);
  if (!slack) {
    built.set(deps, undefined);
    return undefined;
  }
  slack.settings().catch((e: unknown) => {
    log.error({ error: e instanceof Error ? e.message : String(e) }, "slack: cannot read the app's settings");
  });
  let client: Promise<WebClient> | undefined;
  const webClient = () => {
    client ??= slack.settings().then((s) => slackWebClient(s.botToken, log, s.apiUrl));
    client.catch(() => {
      client = undefined;
    });
    return client;
  };
  const interactions = new SlackInteractions({
    ...deps,
    log,
    groups: new GroupMembers({ clock: deps.clock }),
    profiles: new ProfileEmails({ clock: deps.clock, log }),
    settings: slack.settings,
  });
  const parts: SlackParts = {
    interactions,
    mount: () => ({
      path: "/slack",
      routes: slackRoutes({ interactions, settings: slack.settings, clock: deps.clock, log }),
    }),
    channel: () => new SlackChannel({ store: deps.store, clock: deps.clock, log, client: webClient }),
  };
  built.set(deps, parts);
  return parts;
}
