import type { Actor, Approval, Verdict } from "../../core/approval.js";
import { confirmationPhrase, principalFor } from "../../core/authorize.js";
import { type DecideDeps, type DecideResult, decide } from "../../core/decide.js";
import { AlreadyDecided, ClosedElsewhere, Expired, NotAllowed } from "../../core/errors.js";
import type { Log } from "../shared/log.js";
import { approveSyntax, splitConfirmation } from "./commands.js";
import { stateLine } from "./markdown.js";
import type { PullRequestIndex, ReplyLog } from "./pr-index.js";

export interface GitHubHandlerDeps extends DecideDeps {
  log: Log;
  appId: number;
  /** Which approvals post on a pull request (Greenlight's record, not a scan of its comments). */
  pullRequests: PullRequestIndex;
  /** Who was told what, so a refusal is answered once per person, reason and approval. */
  replies: ReplyLog;
}

/**
 * What to tell the person: it counted, or why not (a refusal is written nowhere but the reply).
 * `reason` names the refusal (`not-approver`, `self-approval`, `already-decided`…) so it is said once.
 */
export type Answer =
  | { counted: true; outcome: DecideResult["outcome"] }
  | { counted: false; reason: string; text: string };

function refusalText(e: NotAllowed, approval: Approval): string {
  switch (e.reason) {
    case "self-approval":
      return "you cannot approve a deploy of your own change (you can still `/reject` it).";
    case "confirmation-required": {
      const phrase = confirmationPhrase(approval) ?? "";
      return `approving this high-risk deploy needs a typed confirmation: \`${approveSyntax(approval, phrase)}\` (\`/reject <reason>\` needs none).`;
    }
    default:
      return "you are not an approver for this deploy.";
  }
}

/**
 * Cast the vote through core's `decide` (authorization, quorum, exactly-once delivery) and turn
 * the outcome or the refusal into an answer. Every decision and refusal is an audit log line.
 */
export async function decideAs(
  deps: GitHubHandlerDeps,
  approval: Approval,
  input: { actor: Actor; verdict: Verdict; comment?: string; via: "comment" | "check-run" },
): Promise<Answer> {
  const who = principalFor(approval.rule, input.actor);
  const audit = { approvalId: approval.id, who, channel: "github", via: input.via };
  // High-risk rules: `/approve <first characters> [comment]`; a reject's whole text is its reason.
  const confirm = confirmationPhrase(approval) !== undefined && input.verdict === "approve";
  const words = confirm
    ? splitConfirmation(input.comment)
    : { ...(input.comment ? { comment: input.comment } : {}) };
  try {
    const result = await decide(deps, {
      approvalId: approval.id,
      current: approval,
      actor: input.actor,
      verdict: input.verdict,
      ...words,
    });
    deps.log.info({ ...audit, outcome: result.outcome }, "decision");
    return { counted: true, outcome: result.outcome };
  } catch (e: unknown) {
    if (e instanceof NotAllowed) {
      deps.log.warn({ ...audit, refused: e.reason }, "decision refused");
      return { counted: false, reason: e.reason, text: refusalText(e, approval) };
    }
    if (e instanceof AlreadyDecided || e instanceof Expired || e instanceof ClosedElsewhere) {
      deps.log.warn({ ...audit, refused: e.code }, "decision refused");
      const current = (await deps.store.get(approval.id)) ?? approval;
      const { headline, detail } = stateLine(current);
      return {
        counted: false,
        reason: e.code,
        text: `nothing changed: ${headline.replace(/^\S+\s/, "").toLowerCase()}. ${detail}`,
      };
    }
    throw e;
  }
}

/**
 * True when `login` has not been told `reason` about `approval` yet (and now counts as told).
 * Anyone may comment on a public PR: without this, each repeat of a refused command costs a reply.
 */
export async function firstTelling(
  deps: GitHubHandlerDeps,
  approval: Approval,
  login: string,
  reason: string,
): Promise<boolean> {
  if (await deps.replies.first(approval.id, login, reason, approval.request.expiresAt)) return true;
  deps.log.info(
    { approvalId: approval.id, channel: "github", who: login, refused: reason },
    "github: refusal already answered; no reply",
  );
  return false;
}
