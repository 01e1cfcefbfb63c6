import { GroupMembers } from "../../bot/slack/approvers.js";
import { SlackChannel } from "../../bot/slack/channel.js";
import { ProfileEmails } from "../../bot/slack/profiles.js";
import { startSocketMode } from "../../bot/slack/socket-mode.js";
import { slackWebClient } from "../../bot/slack/web.js";
import type { ApprovalStore, Clock, Pipeline } from "../../core/ports.js";
import { loadSocketModeSettings } from "../../lambdas/config-slack.js";
import type { Logger } from "../../lambdas/log.js";

export interface RealWorkspace {
  /** The Slack channel, posting to the real workspace through Slack's own Web API. */
  channel: SlackChannel;
  close(): Promise<void>;
}

/**
 * `npm start` against a real Slack workspace, without a public URL: when `SLACK_APP_TOKEN` (and
 * `SLACK_BOT_TOKEN`) are set, interactions arrive over Socket Mode and messages go to slack.com.
 * Undefined when `SLACK_APP_TOKEN` is not set: the local stack then uses the stand-in.
 */
export async function startRealWorkspace(
  deps: { store: ApprovalStore; pipeline: Pipeline; clock: Clock; log: Logger },
  env: NodeJS.ProcessEnv = process.env,
): Promise<RealWorkspace | undefined> {
  const settings = loadSocketModeSettings(env);
  if (!settings) return undefined;
  const { store, clock, log } = deps;
  const socket = await startSocketMode({
    ...deps,
    groups: new GroupMembers({ clock }),
    profiles: new ProfileEmails({ clock, log }),
    ...settings,
  });
  const client = slackWebClient(settings.botToken, log);
  return { channel: new SlackChannel({ store, clock, log, client: async () => client }), close: socket.stop };
}
