import { createHash } from "node:crypto";
import type { WebClient } from "@slack/web-api";
import type { Approval, Deployment } from "../../core/approval.js";
import { mutate } from "../../core/mutate.js";
import type { ApprovalStore, Clock } from "../../core/ports.js";
import type { ChannelProjector } from "../channel.js";
import type { Log } from "../shared/log.js";
import { approvalMessage, type SlackMessage } from "./message.js";
import { type SlackRef, slackRef, withSlackRef } from "./message-ref.js";
import { kindOf, type PermanentError, permanentError, problemKey, reportPermanent } from "./problems.js";
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

const hashOf = (message: SlackMessage) =>
  createHash("sha256").update(JSON.stringify(message)).digest("base64url").slice(0, 22);

/**
 * An operator fixes a channel or credentials problem in Slack (invites the app, reinstalls it),
 * which Greenlight cannot see: after this long, the next change of the record tries once more.
 */
export const RECHECK_MS = 15 * 60_000;

const NO_PROBLEM = { problem: undefined, problemAt: undefined, problemKey: undefined } as const;

/**
 * The Slack message as a view of the approval: posted once when the approval opens (claim → post →
 * record channel and ts, so a retried projector never posts twice), then `chat.update`d whenever
 * what it shows changes, and a thread reply when the production deploy has an outcome.
 *
 * Slack's transient answers (rate limits, 5xx, network) throw, so the stream retries. Its permanent
 * ones (not in the channel, archived, blocks refused, token revoked …) are recorded on the approval
 * with the key of what the call depended on, logged once with the fix and counted in a metric; the
 * call is only tried again when that key changes (other content, other credentials) or, for what an
 * operator fixes in Slack itself, on a change of the record at least RECHECK_MS later.
 */
export class SlackChannel implements ChannelProjector {
  readonly name = "slack";
  constructor(private readonly deps: SlackChannelDeps) {}

  async sync(approval: Approval): Promise<void> {
    const channel = approval.rule.slack?.channel;
    if (!channel) return;
    const ref = slackRef(approval);
    if (ref.gone) return;
    if (ref.problem && (await this.stillRefused(approval, channel, ref))) return;
    const current = ref.ts ? approval : await this.post(approval, channel);
    if (!current || !slackRef(current).ts || slackRef(current).gone) return;
    await this.update(current);
    if (current.deployment) await this.announce(current, current.deployment);
  }

  /** Would the call that failed for good be the same call again? Then it would fail the same way. */
  private async stillRefused(approval: Approval, channel: string, ref: SlackRef): Promise<boolean> {
    const kind = ref.problem ? kindOf(ref.problem) : undefined;
    if (!kind || !ref.problemKey) return false;
    const since = this.deps.clock.now().getTime() - Date.parse(ref.problemAt ?? "");
    if ((kind === "channel" || kind === "credentials") && !(since < RECHECK_MS)) return false;
    const client = await this.deps.client();
    const key = problemKey(kind, {
      method: ref.ts ? "chat.update" : "chat.postMessage",
      slackChannel: ref.channel ?? channel,
      message: hashOf(approvalMessage(approval)),
      token: client.token,
    });
    return key === ref.problemKey;
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
      const problem = permanentError(e, channel);
      const key =
        problem &&
        problemKey(problem.kind, {
          method: "chat.postMessage",
          slackChannel: channel,
          message: hashOf(message),
          token: client.token,
        });
      // Release the claim so a retry posts (unless someone took it over meanwhile); a permanent
      // refusal is recorded in the same write, so the retry only happens once something changed.
      const released = await mutate(this.deps.store, approval.id, (a) =>
        slackRef(a).claimedAt === claimedAt
          ? withSlackRef(a, {
              claimedAt: undefined,
              ...(problem ? { problem: problem.code, problemAt: now.toISOString(), problemKey: key } : {}),
            })
          : undefined,
      );
      if (!problem) throw e;
      if (released.changed) this.report(problem, "chat.postMessage", approval, channel);
      return undefined;
    }
    const ref = {
      channel: posted.channel ?? channel,
      ts: posted.ts,
      postedAt: this.deps.clock.now().toISOString(),
    };
    const recorded = await mutate(this.deps.store, approval.id, (a) =>
      withSlackRef(a, { ...ref, ...NO_PROBLEM, claimedAt: undefined, rendered: hashOf(message) }),
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
      const problem = permanentError(e, channel);
      if (!problem) throw e;
      // Deleted, archived, no longer editable: the message is gone for good. Content or
      // credentials: worth another try once the message or the token changes.
      const gone = problem.kind === "message" || problem.kind === "channel";
      const key = problemKey(problem.kind, {
        method: "chat.update",
        slackChannel: channel,
        message: hash,
        token: client.token,
      });
      const recorded = await mutate(this.deps.store, approval.id, (a) =>
        slackRef(a).problemKey === key && (!gone || slackRef(a).gone)
          ? undefined
          : withSlackRef(a, {
              ...(gone ? { gone: problem.code } : {}),
              problem: problem.code,
              problemAt: this.deps.clock.now().toISOString(),
              problemKey: key,
            }),
      );
      if (recorded.changed) this.report(problem, "chat.update", approval, channel);
      return;
    }
    await mutate(this.deps.store, approval.id, (a) =>
      slackRef(a).ts === ts && (slackRef(a).rendered !== hash || slackRef(a).problem)
        ? withSlackRef(a, { rendered: hash, ...NO_PROBLEM })
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
      const problem = permanentError(e, channel);
      // A reply Slack refuses for good is not worth retrying: the claim stays, the operator hears.
      if (problem) return this.report(problem, "chat.postMessage", approval, channel);
      await mutate(this.deps.store, approval.id, (a) =>
        slackRef(a).deployReplied === state ? withSlackRef(a, { deployReplied: deployReplied }) : undefined,
      );
      throw e;
    }
  }

  private report(problem: PermanentError, method: string, approval: Approval, slackChannel: string): void {
    reportPermanent(
      this.deps.log,
      problem,
      { method, approvalId: approval.id, slackChannel },
      this.deps.clock.now(),
    );
  }
}
