import type { Approval } from "../../core/approval.js";
import { principalFor } from "../../core/authorize.js";
import { mutate } from "../../core/mutate.js";
import type { ApprovalStore, Clock, Random } from "../../core/ports.js";
import { hasVoted } from "../../core/reminders.js";
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

interface DueLink {
  key: string;
  recipient: string;
  reminder: number;
}

/**
 * Links that should go out: the first e-mail to every recipient, and the latest reminder to
 * recipients who have not voted yet.
 */
function due(approval: Approval, now: Date): DueLink[] {
  if (approval.state !== "pending" || !approval.rule.email) return [];
  const recipients = approval.rule.email.recipients;
  const wanted: DueLink[] = recipients.map((r) => ({ key: r, recipient: r, reminder: 0 }));
  const reminder = approval.reminders?.count ?? 0;
  if (reminder > 0) {
    for (const r of recipients) {
      if (hasVoted(approval, principalFor(approval.rule, { channel: "email", id: r }))) continue;
      wanted.push({ key: `${r}~${reminder}`, recipient: r, reminder });
    }
  }
  return wanted.filter(({ key }) => {
    const link = approval.links[key];
    return !link || (!link.sentAt && now.getTime() - Date.parse(link.issuedAt) > CLAIM_MS);
  });
}

/**
 * The links a new reminder link replaces: the recipient's earlier reminders. Each recipient keeps
 * two live links, the first e-mail's and the latest reminder's, so a record holds at most two
 * links per recipient however many reminders go out (docs/security.md#33-nothing-grows-without-bound; DynamoDB's 400 KB). An older
 * reminder's link then answers like any link that is not valid, a page that says a newer reminder
 * may have replaced it (docs/security.md#7-bad-links-look-alike: unknown and used links look the same).
 */
function replacedBy(links: Approval["links"], link: DueLink): string[] {
  return Object.entries(links)
    .filter(
      ([key, l]) => key !== link.key && key !== link.recipient && (l.recipient ?? key) === link.recipient,
    )
    .map(([key]) => key);
}

/**
 * One e-mail per recipient when an approval opens (and a reminder to those who have not acted,
 * when the sweeper raises one), each with the recipient's own link. Only the token's hash is
 * stored; the token itself exists in memory and in the e-mail. Claim (write the hashes) → send →
 * mark sent: a retry or a second projector run never sends twice.
 */
export class EmailChannel implements ChannelProjector {
  readonly name = "email";
  constructor(private readonly deps: EmailChannelDeps) {}

  async sync(approval: Approval): Promise<void> {
    const now = this.deps.clock.now();
    if (due(approval, now).length === 0) return;

    const issued = new Map<string, { link: DueLink; token: string }>();
    const claim = await mutate(this.deps.store, approval.id, (current) => {
      const wanted = due(current, now);
      if (wanted.length === 0) return undefined;
      issued.clear();
      const links = { ...current.links };
      for (const link of wanted) {
        if (link.reminder > 0) for (const key of replacedBy(links, link)) delete links[key];
        const token = mintLinkToken(this.deps.random);
        issued.set(link.key, { link, token });
        links[link.key] = {
          hash: hashLinkToken(token),
          issuedAt: now.toISOString(),
          recipient: link.recipient,
        };
      }
      return { ...current, links };
    });
    if (!claim.changed) return;

    const base = this.deps.publicUrl.replace(/\/+$/, "");
    const results = await Promise.allSettled(
      [...issued.values()].map(async ({ link, token }) => {
        const url = `${base}/a/${approval.id}?t=${token}`;
        await this.deps.mailer.send(link.recipient, approvalEmail(claim.approval, url, now, link.reminder));
        return link.key;
      }),
    );
    const sent = new Set(results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])));

    const sentAt = this.deps.clock.now().toISOString();
    await mutate(this.deps.store, approval.id, (current) => {
      const links = { ...current.links };
      for (const [key, { token }] of issued) {
        const link = links[key];
        if (link?.hash !== hashLinkToken(token)) continue; // re-issued meanwhile: not ours to mark
        if (sent.has(key)) links[key] = { ...link, sentAt };
        else delete links[key]; // release the claim so a retry sends it
      }
      return { ...current, links };
    });
    for (const key of sent) {
      const { recipient, reminder } = issued.get(key)?.link ?? {};
      this.deps.log.info(
        { approvalId: approval.id, channel: "email", to: recipient, reminder },
        "e-mail sent",
      );
    }
    const reasons = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    if (reasons.length > 0)
      throw new AggregateError(reasons, `e-mail to ${reasons.length} recipient(s) failed`);
  }
}
