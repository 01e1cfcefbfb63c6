import type { Policy } from "../core/policy.js";
import type { ApprovalIndex, ApprovalStore, Clock, Pipeline } from "../core/ports.js";
import { ENV } from "../lambdas/config-names.js";
import { loadSlackConfig } from "../lambdas/config-slack.js";
import type { Logger } from "../lambdas/log.js";
import { slackParts } from "../lambdas/slack-wiring.js";
import { SlackStandIn } from "./slack/server.js";

export interface LocalSlackDeps {
  store: ApprovalStore & ApprovalIndex;
  pipeline: Pipeline;
  clock: Clock;
  log: Logger;
  policy: Policy;
  /**
   * The app `greenlight slack-app create --local` made (local/local-apps.ts): the stand-in runs as
   * that app (its bot token, signing secret and ids) instead of its built-in one.
   */
  app?: { botToken: string; signingSecret: string; appId: string; teamId: string };
}

/** Someone in the workspace who is not an approver: to see "not allowed" from the dashboard. */
const OUTSIDER = { id: "U0OUTSIDR", name: "Olly Outsider" };

/**
 * The Slack side of the local stack: the Web API stand-in, its workspace filled with the policy's
 * people, and Greenlight's real Slack route and channel wired to it through the same variables a
 * developer sets for a real workspace (only the API URL points at the stand-in).
 */
export async function startLocalSlack(deps: LocalSlackDeps) {
  const made = deps.app;
  const slack = await SlackStandIn.start({
    now: () => deps.clock.now(),
    ...(made
      ? {
          botToken: made.botToken,
          signingSecret: made.signingSecret,
          identity: { appId: made.appId, teamId: made.teamId },
        }
      : {}),
  });
  const people = new Map<string, string>();
  // Their Slack profile e-mail is the one `people:` gives them, so users.info links the identities.
  const emails = new Map<string, string>();
  for (const person of deps.policy.rules.flatMap((r) => r.people)) {
    if (person.slack) people.set(person.slack, person.name);
    if (person.slack && person.email) emails.set(person.slack, person.email);
  }
  for (const id of deps.policy.rules.flatMap((r) => r.slack?.approvers.users ?? [])) {
    if (!people.has(id)) people.set(id, id);
  }
  people.set(OUTSIDER.id, OUTSIDER.name);
  for (const [id, name] of people) {
    slack.addUser(id, name.toLowerCase().replace(/\s+/g, "."), name, emails.get(id));
  }
  // The app is invited to every channel the policy posts to, as an operator does with
  // `/invite @Greenlight`; anything else answers `not_in_channel`, as Slack would.
  for (const channel of new Set(deps.policy.rules.flatMap((r) => (r.slack ? [r.slack.channel] : [])))) {
    slack.addChannel(channel);
  }

  const config = loadSlackConfig({
    [ENV.slackSigningSecret]: slack.signingSecret,
    [ENV.slackBotToken]: slack.botToken,
    [ENV.slackAppId]: slack.workspace.identity.appId,
    [ENV.slackTeamId]: slack.workspace.identity.teamId,
    [ENV.slackApiUrl]: slack.apiUrl,
  });
  if (!config) throw new Error("Slack wiring refused the stand-in's settings");
  const parts = slackParts(config, deps, deps.log);
  return {
    standIn: slack,
    /** The app as the stack's Slack secret holds one (`greenlight --local` reads it). */
    secret: {
      signingSecret: slack.signingSecret,
      botToken: slack.botToken,
      appId: slack.workspace.identity.appId,
      teamId: slack.workspace.identity.teamId,
    },
    /** Slack user id → name: whom the dashboard can act as. */
    people,
    mount: parts.mount,
    channel: parts.channel,
    close: () => slack.close(),
  };
}

export type LocalSlack = Awaited<ReturnType<typeof startLocalSlack>>;
