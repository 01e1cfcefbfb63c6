import { createHash } from "node:crypto";
import { WebAPIPlatformError, type WebClient } from "@slack/web-api";
import type { Approval, Deployment } from "../../core/approval.js";
import { mutate } from "../../core/mutate.js";
import type { ApprovalStore, Clock } from "../../core/ports.js";
import type { ChannelProjector } from "../channel.js";
import type { Log } from "../shared/log.js";
import { approvalMessage, type SlackMessage } from "./message.js";
import { slackRef, withSlackRef } from "./message-ref.js";
import { deploymentReply } from "./status.js";

export interface SlackChannelDeps {
  store: ApprovalStore;
  clock: Clock;
  log: Log;
  /** The bot's Web API client; a function because on AWS the token arrives from Secrets Manager. */
  client: () => Promise<WebClient>;
}

/** Longer than a post can take (3 s timeout, one retry): an older claim was interrupted. */
const CLAIM_MS = 2 * 60_000;
/** Answers that mean the message cannot be updated any more, however often we retry. */
const GONE = new Set([
  "message_not_found",
  "channel_not_found",
  "is_archived",
  "is_inactive",
  "cant_update_message",
]);

const hashOf = (message: SlackMessage) =>
  createHash("sha256").update(JSON.stringify(message)).digest("base64url").slice(0, 22);

/**
 * The Slack message as a view of the approval: posted once when the approval opens (claim → post →
 * record channel and ts, so a retried projector never posts twice), then `chat.update`d whenever
 * what it shows changes, and a thread reply when the production deploy has an outcome.
 */
export class SlackChannel implements ChannelProjector {
  readonly name = "slack";
  constructor(private readonly deps: SlackChannelDeps) {}

  async sync(approval: Approval): Promise<void> {
    const channel = approval.rule.slack?.channel;
    if (!channel) return;
    const current = slackRef(approval).ts ? approval : await this.post(approval, channel);
    if (!current || slackRef(current).gone) return;
    await this.update(current);
    if (current.deployment) await this.announce(current, current.deployment);
  }

  private async post(approval: Approval, channel: string): Promise<Approval | undefined> {
    const now = this.deps.clock.now();
    // An approval that ended before it was announced stays unannounced: there is nothing to decide.
    const claimable = (a: Approval) => {
      const ref = slackRef(a);
      const stale = !ref.claimedAt || now.getTime() - Date.parse(ref.claimedAt) > CLAIM_MS;
      return a.state === "pending" && !ref.ts && stale;
    };
    if (!claimable(approval)) return undefined;
    const claimedAt = now.toISOString();
    const claim = await mutate(this.deps.store, approval.id, (a) =>
      claimable(a) ? withSlackRef(a, { claimedAt }) : undefined,
    );
    if (!claim.changed) return undefined;

    const message = approvalMessage(claim.approval);
    const client = await this.deps.client();
    let posted: { channel?: string; ts?: string };
    try {
      posted = await client.chat.postMessage({
        channel,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!posted.ts) throw new Error("chat.postMessage returned no ts");
    } catch (e: unknown) {
      // Release the claim so the retry posts; unless someone took it over meanwhile.
      await mutate(this.deps.store, approval.id, (a) =>
        slackRef(a).claimedAt === claimedAt ? withSlackRef(a, { claimedAt: undefined }) : undefined,
      );
      throw e;
    }
    const ref = {
      channel: posted.channel ?? channel,
      ts: posted.ts,
      postedAt: this.deps.clock.now().toISOString(),
    };
    const recorded = await mutate(this.deps.store, approval.id, (a) =>
      withSlackRef(a, { ...ref, claimedAt: undefined, rendered: hashOf(message) }),
    );
    this.deps.log.info(
      { approvalId: approval.id, channel: "slack", slackChannel: ref.channel },
      "slack: posted",
    );
    return recorded.approval;
  }

  private async update(approval: Approval): Promise<void> {
    const { channel, ts, rendered } = slackRef(approval);
    const message = approvalMessage(approval);
    const hash = hashOf(message);
    if (!channel || !ts || rendered === hash) return;
    const client = await this.deps.client();
    try {
      await client.chat.update({ channel, ts, ...message });
    } catch (e: unknown) {
      if (!(e instanceof WebAPIPlatformError) || !GONE.has(e.data.error)) throw e;
      this.deps.log.error(
        { approvalId: approval.id, channel: "slack", error: e.data.error },
        "slack: message can no longer be updated",
      );
      await mutate(this.deps.store, approval.id, (a) => withSlackRef(a, { gone: e.data.error }));
      return;
    }
    await mutate(this.deps.store, approval.id, (a) =>
      slackRef(a).ts === ts && slackRef(a).rendered !== hash
        ? withSlackRef(a, { rendered: hash })
        : undefined,
    );
  }

  /** At most once per outcome: claim, then reply; a failed reply gives the claim back for the retry. */
  private async announce(approval: Approval, deployment: Deployment): Promise<void> {
    const { channel, ts, deployReplied } = slackRef(approval);
    const state = deployment.state;
    if (!channel || !ts || state === "deploying" || deployReplied === state) return;
    const claim = await mutate(this.deps.store, approval.id, (a) =>
      a.deployment?.state === state && slackRef(a).deployReplied !== state
        ? withSlackRef(a, { deployReplied: state })
        : undefined,
    );
    if (!claim.changed) return;
    const client = await this.deps.client();
    try {
      await client.chat.postMessage({ channel, thread_ts: ts, text: deploymentReply(approval, deployment) });
    } catch (e: unknown) {
      await mutate(this.deps.store, approval.id, (a) =>
        slackRef(a).deployReplied === state ? withSlackRef(a, { deployReplied: deployReplied }) : undefined,
      );
      throw e;
    }
  }
}
