import type { Approval, Verdict } from "../../core/approval.js";

export interface Command {
  verdict: Verdict;
  /** The rest of the comment: optional for /approve, the required reason for /reject. */
  comment?: string;
}

const COMMAND = /^\/(approve|reject)(?=\s|$)([\s\S]*)$/;
const MAX_COMMENT = 1000;

/**
 * `/approve [comment]` or `/reject <reason>` at the start of a comment (leading blank lines and
 * spaces allowed); anything else is a normal comment. Quoted replies (`> /approve`) don't count.
 */
export function parseCommand(body: string): Command | undefined {
  const m = COMMAND.exec(body.trim());
  if (!m?.[1]) return undefined;
  const verdict: Verdict = m[1] === "approve" ? "approve" : "reject";
  const comment = (m[2] ?? "").trim().slice(0, MAX_COMMENT);
  return comment ? { verdict, comment } : { verdict };
}

/**
 * On a high-risk rule the first word after `/approve` is the typed confirmation (the commit's
 * first characters) and the rest is the comment. `/reject` never takes one: the confirmation is
 * for approving only (docs/security.md#31-no-implicit-decision).
 */
export function splitConfirmation(comment: string | undefined): { confirmation: string; comment?: string } {
  const [confirmation = "", ...rest] = (comment ?? "").trim().split(/\s+/);
  const remainder = rest.join(" ");
  return remainder ? { confirmation, comment: remainder } : { confirmation };
}

/** How to write the high-risk approve, for replies and the status comment. */
export function approveSyntax(approval: Pick<Approval, "context">, phrase: string): string {
  const of = approval.context.commit ? "the commit" : "the pipeline name";
  return `/approve <first ${phrase.length} characters of ${of}> [comment]`;
}
