import { createProjector } from "../../bot/projector.js";
import type { Approval } from "../../core/approval.js";
import { openApproval } from "../../core/open.js";
import { parsePolicyObject } from "../../core/policy.js";
import type { Clock } from "../../core/ports.js";
import { createApp } from "../../lambdas/app.js";
import { ENV } from "../../lambdas/config-names.js";
import { loadSlackConfig } from "../../lambdas/config-slack.js";
import { slackParts } from "../../lambdas/slack-wiring.js";
import { ChangeFeedStore } from "../../local/change-feed.js";
import type { SignedInteraction } from "../../local/slack/interactions.js";
import { SlackStandIn } from "../../local/slack/server.js";
import type { PostedMessage } from "../../local/slack/workspace.js";
import { NOW, testRequest } from "./approvals.js";
import { freshStore } from "./dynamo.js";
import { captureLogs } from "./logs.js";
import { startSimulator } from "./simulator.js";

export const CHANNEL = "C0DEPLOYS1";
export const GROUP = "S0RELEASE1";
export const SHA = "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d";
/** An approver by user id, named in the policy's `people`. */
export const MARIA = { id: "U0MARIA01", name: "maria" };
/** An approver by user id. */
export const BO = { id: "U0BOCHEN1", name: "bo" };
/** An approver through the user group only. */
export const GIA = { id: "U0GIAGRP1", name: "gia" };
/** In the workspace, not an approver. */
export const OLLY = { id: "U0OLLYOUT", name: "olly" };

export interface SlackWorldOptions {
  quorum?: number;
  highRisk?: boolean;
  /** The PR author's GitHub login is maria's: she may not approve her own change. */
  mariaAuthored?: boolean;
}

/**
 * Greenlight's Slack side against real local servers: dynalite, the CodePipeline simulator and the
 * Slack Web API stand-in, wired by the same `slackParts` as on AWS (settings from the environment),
 * with the projector run by the local change feed.
 */
export async function startSlackWorld(options: SlackWorldOptions = {}) {
  let now = NOW;
  const clock: Clock = { now: () => now };
  const { sim, pipeline } = await startSimulator({ now: clock.now });
  const store = new ChangeFeedStore((await freshStore()).store, { retries: 2, backoffMs: 10 });
  const slack = await SlackStandIn.start({ now: clock.now });
  slack.addUser(MARIA.id, MARIA.name, "Maria Souza").addUser(BO.id, BO.name).addUser(GIA.id, GIA.name);
  slack.addUser(OLLY.id, OLLY.name).setGroup(GROUP, "release-managers", [GIA.id]);
  slack.addChannel(CHANNEL, { name: "deploys" });
  const logs = captureLogs();

  const deps = { store, pipeline, clock };
  const config = loadSlackConfig({
    [ENV.slackSigningSecret]: slack.signingSecret,
    [ENV.slackBotToken]: slack.botToken,
    [ENV.slackAppId]: slack.workspace.identity.appId,
    [ENV.slackTeamId]: slack.workspace.identity.teamId,
    [ENV.slackApiUrl]: slack.apiUrl,
  });
  if (!config) throw new Error("Slack is not configured");
  const parts = slackParts(config, deps, logs.log);
  const channel = parts.channel;
  const project = createProjector({ store, channels: [channel], log: logs.log });
  store.listener = project;
  const app = createApp({ log: logs.log, mounts: [parts.mount] });

  const policy = parsePolicyObject({
    version: 1,
    // Everyone who approves is someone Greenlight can tell apart from the authors.
    people: [
      { name: "Maria Souza", slack: MARIA.id, email: "maria@acme.io", github: "maria-s" },
      { name: "bo", slack: BO.id, github: false },
      { name: "gia", slack: GIA.id, github: false },
      // A second member of the release group (slack-channel.test.ts).
      { name: "gib", slack: "U0GIBGRP2", github: false },
      { name: "Ana Lima", email: "ana@acme.io", github: false },
    ],
    rules: [
      {
        name: "shop production",
        match: { pipeline: "shop-*" },
        quorum: options.quorum ?? 1,
        ...(options.highRisk ? { highRisk: true } : {}),
        email: { recipients: ["ana@acme.io", "maria@acme.io"] },
        slack: { channel: CHANNEL, approvers: { users: [MARIA.id, BO.id], group: GROUP } },
      },
    ],
  });

  return {
    sim,
    pipeline,
    store,
    channel,
    project,
    slack,
    logs,
    app,
    interactions: parts.interactions,
    clock,
    setNow: (at: Date) => {
      now = at;
    },
    /** A run waits at the approval; intake opens it; the projector posts the Slack message. */
    async open(): Promise<{ approval: Approval; message: PostedMessage }> {
      const approval = await this.openQuietly();
      await store.idle();
      const message = slack.messages(CHANNEL).at(-1);
      if (!message) throw new Error("nothing was posted to Slack");
      return { approval: (await store.get(approval.id)) ?? approval, message };
    },
    /** The approval opened, its projection left to the caller (the change feed still runs it). */
    async openQuietly(): Promise<Approval> {
      const { token } = sim.startApproval({
        pipeline: "shop-web",
        stage: "Approve",
        action: "StakeholderApproval",
        expiresAt: "2026-12-06T20:22:00Z",
        revision: { commit: SHA, summary: "Add checkout (#42)" },
      });
      const { approval } = await openApproval({ store, pipeline, clock, policy }, testRequest({ token }));
      // What the release step would have read on GitHub (this world has none): the change is on
      // acme/shop-web, written by dana-dev (or, when asked, in maria's pull request).
      const context = {
        ...approval.context,
        repository: "acme/shop-web",
        authors: { logins: ["dana-dev"], emails: [] },
        authorsResolvedAt: approval.createdAt,
        ...(options.mariaAuthored ? { pullRequest: { number: 42, author: "maria-s" } } : {}),
      };
      return store.update({ ...approval, context });
    },
    /** Slack delivers an interaction to `/slack/events`; resolves once everything it caused is projected. */
    async send(signed: SignedInteraction | { body: string | Uint8Array; headers: Record<string, string> }) {
      const res = await app.request("/slack/events", {
        method: "POST",
        body: signed.body,
        headers: signed.headers,
      });
      await parts.interactions.idle();
      await store.idle();
      return res;
    },
    /** The message as it reads now, one line per block. */
    read(message: PostedMessage): string[] {
      const current = slack.workspace.message(message.channel, message.ts);
      return current ? slack.render(current) : [];
    },
    async close() {
      await parts.interactions.idle();
      await store.idle();
      await slack.close();
      await sim.close();
    },
  };
}

export type SlackWorld = Awaited<ReturnType<typeof startSlackWorld>>;
