import type { Verdict } from "../../core/approval.js";

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
