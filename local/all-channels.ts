import { randomUUID } from "node:crypto";
import { parsePolicyObject } from "../core/policy.js";
import { snsEvent } from "./codepipeline/notification.js";
import type { Revision } from "./codepipeline/simulator.js";
import { INSTALLATION_ID } from "./github/local.js";
import { type Delivery, delivery, issueCommentPayload } from "./github/webhooks.js";
import { type Stack, type StackOptions, startStack } from "./stack.js";

export const REPO = "acme/shop-web";
export const SLACK_CHANNEL = "C0SHOPREL";
/** The one approver, on every channel; Bo only gets the e-mail. */
export const ANA = { name: "Ana Lima", email: "ana@acme.io", slack: "U0AAALIMA", github: "ana-lima" };
export const BO = "bo@acme.io";
/** The approval action every run waits at. */
export const TARGET = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" } as const;

export const ALL_CHANNELS_POLICY = parsePolicyObject({
  version: 1,
  // Bo is a stakeholder with no GitHub account: known to Greenlight, so he can approve too.
  people: [
    { name: ANA.name, email: ANA.email, slack: ANA.slack, github: ANA.github },
    { name: "Bo Chen", email: BO, github: false },
  ],
  rules: [
    {
      name: "shop-web production",
      match: { pipeline: "shop-*" },
      email: { recipients: [ANA.email, BO] },
      slack: { channel: SLACK_CHANNEL, approvers: { users: [ANA.slack] } },
      github: { repo: REPO, approvers: { logins: [ANA.github] } },
    },
  ],
});

export type Via = "email" | "slack" | "github";

/**
 * The local stack with all three channels (e-mail, the Slack and GitHub stand-ins) and what
 * people do on it: a run waits at the approval and CodePipeline notifies intake; Ana decides from
 * one channel, over real HTTP to the router. Benchmarks and the fault tests drive it.
 */
export async function startAllChannels(options: Partial<StackOptions> = {}) {
  const stack: Stack = await startStack({
    policy: ALL_CHANNELS_POLICY,
    slack: true,
    github: {
      people: [{ login: ANA.github, role: "maintain" }],
      autoPullAuthor: "dev-dana",
      clientRetries: false,
    },
    ...options,
  });
  // PARALLEL: every notification() is a new run waiting on its own (SUPERSEDED would lock the stage).
  stack.simulator.definePipeline({
    name: "shop-web",
    executionMode: "PARALLEL",
    stages: [{ name: "Approve", actions: [TARGET.action] }],
  });
  if (!stack.slack || !stack.github) throw new Error("the stack was started without Slack or GitHub");
  const slack = stack.slack;
  const github = stack.github;

  /**
   * The SNS event CodePipeline publishes for a new run waiting at the approval: a new commit
   * each (with a github.com revision URL, the GitHub OAuth source's form), or `revision`.
   */
  function notification(revision?: Revision) {
    const commit = randomUUID().replaceAll("-", "").padEnd(40, "0");
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { token } = stack.simulator.startApproval({
      ...TARGET,
      expiresAt,
      revision: revision ?? {
        commit,
        summary: "Add checkout",
        url: `https://github.com/${REPO}/commit/${commit}`,
      },
    });
    return snsEvent({ region: "us-east-2", ...TARGET, token, expiresAt });
  }

  /** A new run waits; intake opens its approval (channels are projected in the background). */
  async function open(revision?: Revision): Promise<string> {
    const summary = await stack.intake(notification(revision));
    const id = summary.opened[0];
    if (!id) throw new Error(`intake opened nothing: ${JSON.stringify(summary)}`);
    return id;
  }

  /** The approval's pull request: the one whose status comment carries its id (GitHub's own view). */
  function pullFor(id: string): number {
    const state = github.standIn.state;
    const pr = state.pulls.find((p) => state.commentsOn(REPO, p.number).some((c) => c.body.includes(id)));
    return pr?.number ?? 0;
  }

  /** What each channel shows for the approval right now. */
  async function views(id: string) {
    const emails = (await stack.ses.emails()).filter((e) => e.body.text?.includes(`/a/${id}?`));
    const ts = (await stack.store.get(id))?.channels.slack?.ts;
    const messages = slack.standIn.messages(SLACK_CHANNEL).filter((m) => ts !== undefined && m.ts === ts);
    const pr = pullFor(id);
    const comments = pr ? github.standIn.state.commentsOn(REPO, pr).filter((c) => c.body.includes(id)) : [];
    const checkRuns = github.standIn.state.checkRuns.filter((r) => r.externalId === id);
    return { emails, messages, pr, comments, checkRuns };
  }

  /** A recipient's e-mail link for the approval (Ana's by default). */
  async function emailLink(id: string, recipient = ANA.email): Promise<URL> {
    const mail = (await stack.ses.emails()).find(
      (e) => e.destination.to[0] === recipient && e.body.text?.includes(`/a/${id}?`),
    );
    const link = /Review and decide: (\S+)/.exec(mail?.body.text ?? "")?.[1];
    if (!link) throw new Error(`no e-mail link for ${id} to ${recipient}`);
    return new URL(link);
  }

  /** A recipient decides on the page their link opens (a reason is required to reject). */
  async function emailDecision(id: string, recipient: string, verdict: "approve" | "reject", comment = "") {
    const link = await emailLink(id, recipient);
    const t = link.searchParams.get("t") ?? "";
    return post(link.pathname, {
      body: new URLSearchParams({ t, verdict, ...(comment ? { comment } : {}) }),
    });
  }

  /** A click on Approve in Slack (Ana's by default): the signed request Slack sends to the router. */
  async function slackClick(id: string, user = { id: ANA.slack, name: "ana" }) {
    // The message that still offers the buttons: their value is the approval's id.
    const message = slack.standIn.messages(SLACK_CHANNEL).find((m) => JSON.stringify(m.blocks).includes(id));
    if (!message) throw new Error(`no Slack message for ${id}`);
    return slack.standIn.click({
      user,
      message,
      actionId: "greenlight_approve",
    });
  }

  /** `/approve` (Ana's by default) on the approval's pull request: the signed delivery GitHub sends (not sent yet). */
  async function githubApprove(id: string, login = ANA.github, text = "/approve"): Promise<Delivery> {
    const pr = pullFor(id);
    if (!pr) throw new Error(`no pull request for ${id}`);
    const comment = github.standIn.userComment(REPO, pr, login, text);
    const payload = issueCommentPayload({ comment, installationId: INSTALLATION_ID, merged: true });
    return delivery("issue_comment", payload, github.webhookSecret);
  }

  /** POST to the router over HTTP, as Slack, GitHub or a browser would; resolves with the status. */
  async function post(
    path: string,
    request: { headers?: Record<string, string>; body: string | URLSearchParams },
  ) {
    const res = await fetch(`${stack.url}${path}`, { method: "POST", ...request });
    await res.arrayBuffer();
    return res.status;
  }

  /** Ana approves from `via`; resolves with the HTTP status once the router answered. */
  async function approve(id: string, via: Via): Promise<number> {
    if (via === "slack") return post("/slack/events", await slackClick(id));
    if (via === "github") return post("/github/webhooks", await githubApprove(id));
    return emailDecision(id, ANA.email, "approve");
  }

  return {
    stack,
    slack,
    github,
    notification,
    open,
    views,
    emailLink,
    emailDecision,
    slackClick,
    githubApprove,
    post,
    approve,
  };
}

export type AllChannels = Awaited<ReturnType<typeof startAllChannels>>;
