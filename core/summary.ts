import type { Actor, Decision } from "./approval.js";
import { neutralLine } from "./untrusted.js";

export const SUMMARY_LIMIT = 512;

const CHANNEL_LABEL = { email: "e-mail", slack: "Slack", github: "GitHub" } as const;

/**
 * A person as every channel and CodePipeline's summary name them: the name `people:` (or the
 * channel) gives, else the handle: `Ana Lima`; `ana@acme.io`, `@octocat`, `Slack user U012AB`.
 * Which account acted is in the audit record (channel and id), not in this line.
 */
export function describeActor(actor: Actor): string {
  const handle =
    actor.channel === "email"
      ? actor.id
      : actor.channel === "github"
        ? `@${actor.id}`
        : `Slack user ${actor.id}`;
  // Neutral first: a name of only blanks, controls or bidi marks is no name.
  const name = actor.name ? neutralLine(actor.name) : "";
  return name && name !== actor.id ? name : handle;
}

/** Cut to `limit` characters without splitting a surrogate pair, marking the cut with `…`. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > limit - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * The summary CodePipeline records with the result: CodePipeline itself only sees our Lambda's
 * role, so this line (and our audit record) is what names the human.
 * "Approved by Ana Lima via e-mail: ship it"
 */
export function buildSummary(decision: Decision): string {
  const verb = decision.verdict === "approve" ? "Approved" : "Rejected";
  const voters =
    decision.verdict === "approve" && decision.approvals.length > 0 ? decision.approvals : [decision.by];
  const names = voters.map((v) => `${describeActor(v.actor)} via ${CHANNEL_LABEL[v.actor.channel]}`);
  const who = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
  const comment = decision.by.comment ? neutralLine(decision.by.comment) : "";
  return truncate(`${verb} by ${who}${comment ? `: ${comment}` : ""}`, SUMMARY_LIMIT);
}
