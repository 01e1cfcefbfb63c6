import type { Approval } from "../../core/approval.js";
import { mutate } from "../../core/mutate.js";
import type { ApprovalStore, Clock, Random } from "../../core/ports.js";
import { hashLinkToken, mintLinkToken } from "../../core/tokens.js";
import type { ChannelProjector } from "../channel.js";
import type { Log } from "../shared/log.js";
import type { Mailer } from "./mailer.js";
import { approvalEmail } from "./message.js";

export interface EmailChannelDeps {
  store: ApprovalStore;
  mailer: Mailer;
  clock: Clock;
  random: Random;
  log: Log;
  /** Links are built from this, never from a request's Host header. */
  publicUrl: string;
}

/** A link issued but not marked sent after this long was interrupted (a crash mid-send) and is re-issued. */
const CLAIM_MS = 5 * 60_000;

function due(approval: Approval, now: Date): string[] {
  if (approval.state !== "pending" || !approval.rule.email) return [];
  return approval.rule.email.recipients.filter((r) => {
    const link = approval.links[r];
    return !link || (!link.sentAt && now.getTime() - Date.parse(link.issuedAt) > CLAIM_MS);
  });
}

/**
 * One e-mail per recipient when an approval opens, each with the recipient's own link. Only the
 * token's hash is stored; the token itself exists in memory and in the e-mail. Claim (write the
 * hashes) → send → mark sent: a retry or a second projector run never sends twice.
 */
export class EmailChannel implements ChannelProjector {
  readonly name = "email";
  constructor(private readonly deps: EmailChannelDeps) {}

  async sync(approval: Approval): Promise<void> {
    const now = this.deps.clock.now();
    if (due(approval, now).length === 0) return;

    const tokens = new Map<string, string>();
    const claim = await mutate(this.deps.store, approval.id, (current) => {
      const recipients = due(current, now);
      if (recipients.length === 0) return undefined;
      tokens.clear();
      const links = { ...current.links };
      for (const r of recipients) {
        const token = mintLinkToken(this.deps.random);
        tokens.set(r, token);
        links[r] = { hash: hashLinkToken(token), issuedAt: now.toISOString() };
      }
      return { ...current, links };
    });
    if (!claim.changed) return;

    const base = this.deps.publicUrl.replace(/\/+$/, "");
    const results = await Promise.allSettled(
      [...tokens].map(async ([to, token]) => {
        const link = `${base}/a/${approval.id}?t=${token}`;
        await this.deps.mailer.send(to, approvalEmail(claim.approval, link, now));
        return to;
      }),
    );
    const sent = new Set(results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])));
    const failed = [...tokens.keys()].filter((to) => !sent.has(to));

    const sentAt = this.deps.clock.now().toISOString();
    await mutate(this.deps.store, approval.id, (current) => {
      const links = { ...current.links };
      for (const [to, token] of tokens) {
        const link = links[to];
        if (link?.hash !== hashLinkToken(token)) continue; // re-issued meanwhile: not ours to mark
        if (sent.has(to)) links[to] = { ...link, sentAt };
        else delete links[to]; // release the claim so a retry sends it
      }
      return { ...current, links };
    });
    for (const to of sent)
      this.deps.log.info({ approvalId: approval.id, channel: "email", to }, "approval e-mail sent");
    if (failed.length > 0) {
      const reasons = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
      throw new AggregateError(reasons, `e-mail to ${failed.length} recipient(s) failed`);
    }
  }
}
