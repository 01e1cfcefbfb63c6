import type { WebClient } from "@slack/web-api";
import type { Approval, Verdict } from "../../core/approval.js";
import { authorize, confirmationPhrase, principalFor } from "../../core/authorize.js";
import { type DecideDeps, type DecideResult, decide } from "../../core/decide.js";
import {
  AlreadyDecided,
  ClosedElsewhere,
  DomainError,
  Expired,
  NotAllowed,
  NotFound,
} from "../../core/errors.js";
import { expireApproval } from "../../core/expire.js";
import type { Log } from "../shared/log.js";
import { actorFor, type GroupMembers } from "./approvers.js";
import { type Refusal, refusalText, resultText } from "./feedback.js";
import type { SlackUser } from "./payloads.js";
import type { ProfileEmails } from "./profiles.js";

export interface VoteDeps extends DecideDeps {
  log: Log;
  groups: GroupMembers;
  /** Profile e-mails from users.info; without it the actor has no e-mail. */
  profiles?: ProfileEmails;
}

/** The acting Slack user as an Actor, with group membership and profile e-mail looked up. */
function actorOf(deps: VoteDeps, client: WebClient, rule: Approval["rule"], user: SlackUser) {
  return actorFor(
    rule,
    user,
    (g) => deps.groups.members(client, g),
    (u) => deps.profiles?.email(client, u) ?? Promise.resolve(undefined),
  );
}

export interface VoteInput {
  approvalId: string;
  user: SlackUser;
  verdict: Verdict;
  comment?: string;
  confirmation?: string;
}

export type VoteOutcome =
  | { ok: true; result: DecideResult; text?: string }
  | { ok: false; refusal: Refusal; approval?: Approval };

/** Audit trail (docs/security.md#26-audit-trail): who, from where, on what, and why not — never the payload. */
function refused(deps: VoteDeps, input: VoteInput, who: string, error: unknown): void {
  const fields = {
    approvalId: input.approvalId,
    who,
    channel: "slack",
    verdict: input.verdict,
    refused: error instanceof DomainError ? error.code : "error",
    ...(error instanceof NotAllowed ? { reason: error.reason } : {}),
  };
  if (error instanceof DomainError) deps.log.warn(fields, "decision refused");
  else
    deps.log.error(
      { ...fields, error: error instanceof Error ? error.message : String(error) },
      "decision failed",
    );
}

/**
 * A Slack user's vote, through core's `decide`. Refusals come back as text for the person; nothing
 * is written for them (apart from recording an expiry that had already happened).
 */
export async function vote(deps: VoteDeps, client: WebClient, input: VoteInput): Promise<VoteOutcome> {
  let who = `slack:${input.user.id}`;
  let approval: Approval | undefined;
  try {
    approval = await deps.store.get(input.approvalId);
    if (!approval) throw new NotFound(input.approvalId);
    const actor = await actorOf(deps, client, approval.rule, input.user);
    who = principalFor(approval.rule, actor);
    const { comment, confirmation } = input;
    const result = await decide(deps, {
      approvalId: approval.id,
      current: approval,
      actor,
      verdict: input.verdict,
      ...(comment ? { comment } : {}),
      ...(confirmation ? { confirmation } : {}),
    });
    deps.log.info(
      { approvalId: approval.id, who, channel: "slack", verdict: input.verdict, outcome: result.outcome },
      "decision",
    );
    const text = resultText(result);
    return { ok: true, result, ...(text ? { text } : {}) };
  } catch (e: unknown) {
    refused(deps, input, who, e);
    return { ok: false, refusal: refusalText(e, approval), ...(approval ? { approval } : {}) };
  }
}

/**
 * Before opening a modal: would this person's vote be refused anyway? Saves them typing a reason
 * into a modal that can only fail. The typed confirmation is checked on submission, not here.
 */
export async function precheck(
  deps: VoteDeps,
  client: WebClient,
  input: VoteInput,
): Promise<{ ok: true; approval: Approval } | { ok: false; refusal: Refusal }> {
  let who = `slack:${input.user.id}`;
  let approval: Approval | undefined;
  try {
    approval = await deps.store.get(input.approvalId);
    if (!approval) throw new NotFound(input.approvalId);
    const { decision, state, request } = approval;
    if (decision && (state === "deciding" || state === "approved" || state === "rejected")) {
      throw new AlreadyDecided(approval.id, decision);
    }
    if (state === "closed-elsewhere")
      throw new ClosedElsewhere(approval.id, approval.closedReason ?? "console");
    if (state === "expired" || Date.parse(request.expiresAt) <= deps.clock.now().getTime()) {
      // Record the expiry, as decide would, so the channel message stops offering buttons.
      if (state === "pending") await expireApproval(deps, approval.id);
      throw new Expired(approval.id, request.expiresAt);
    }
    const actor = await actorOf(deps, client, approval.rule, input.user);
    who = principalFor(approval.rule, actor);
    authorize(approval, actor, input.verdict, confirmationPhrase(approval));
    return { ok: true, approval };
  } catch (e: unknown) {
    refused(deps, input, who, e);
    return { ok: false, refusal: refusalText(e, approval) };
  }
}
