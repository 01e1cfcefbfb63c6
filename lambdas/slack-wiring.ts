import type { WebClient } from "@slack/web-api";
import { GroupMembers } from "../bot/slack/approvers.js";
import { SlackChannel } from "../bot/slack/channel.js";
import { SlackInteractions } from "../bot/slack/interactions.js";
import { ProfileEmails } from "../bot/slack/profiles.js";
import { slackRoutes } from "../bot/slack/routes.js";
import { slackWebClient } from "../bot/slack/web.js";
import type { Mount } from "./app.js";
import type { SlackConfig } from "./config-slack.js";
import type { CoreDeps } from "./core-deps.js";
import type { Logger } from "./log.js";

export interface SlackParts {
  mount: Mount;
  channel: SlackChannel;
  interactions: SlackInteractions;
}

/**
 * The Slack app's route and channel, sharing one settings read. The secret read starts now (cold
 * start), so the first click does not wait for it; Bolt itself is imported on the first
 * interaction only. Built by `buildChannels` (lambdas/channels.ts), once per container.
 */
export function slackParts(
  slack: SlackConfig,
  core: Pick<CoreDeps, "store" | "pipeline" | "clock">,
  log: Logger,
): SlackParts {
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
    ...core,
    log,
    groups: new GroupMembers({ clock: core.clock }),
    profiles: new ProfileEmails({ clock: core.clock, log }),
    settings: slack.settings,
  });
  return {
    interactions,
    mount: {
      path: "/slack",
      routes: slackRoutes({ interactions, settings: slack.settings, clock: core.clock, log }),
    },
    channel: new SlackChannel({ store: core.store, clock: core.clock, log, client: webClient }),
  };
}
