import type { ApprovalState, ClosedReason, Decision } from "./approval.js";

/** Base of every error the domain raises on purpose; anything else is a bug. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  override get name(): string {
    return this.constructor.name;
  }
}

/** The approval was already decided (or is being decided): carries who won and when. */
export class AlreadyDecided extends DomainError {
  readonly code = "already-decided";
  constructor(
    readonly approvalId: string,
    readonly decision: Decision,
  ) {
    super(`Approval ${approvalId} was already ${decision.verdict === "approve" ? "approved" : "rejected"}`);
  }
}

/** The approval ended without a decision from us: the AWS console, a newer run, or CodePipeline refused. */
export class ClosedElsewhere extends DomainError {
  readonly code = "closed-elsewhere";
  constructor(
    readonly approvalId: string,
    readonly reason: ClosedReason,
  ) {
    super(`Approval ${approvalId} was closed outside Greenlight (${reason})`);
  }
}

export class Expired extends DomainError {
  readonly code = "expired";
  constructor(
    readonly approvalId: string,
    readonly expiresAt: string,
  ) {
    super(`Approval ${approvalId} expired at ${expiresAt}`);
  }
}

export type NotAllowedReason =
  | "not-an-approver"
  | "self-approval"
  | "authors-pending"
  /** The authors could not be read (source not on GitHub, App not installed, GitHub refused). */
  | "authors-unknown"
  /** An author is known by e-mail only, so nobody can be told apart from them. */
  | "authors-unlinked"
  /** The actor is tied to no GitHub account (not under `people:`), so may be anyone. */
  | "identity-unlinked"
  | "confirmation-required"
  | "invalid-link";

export class NotAllowed extends DomainError {
  readonly code = "not-allowed";
  constructor(
    readonly reason: NotAllowedReason,
    message: string,
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  readonly code = "not-found";
  constructor(readonly approvalId: string) {
    super(`No approval ${approvalId}`);
  }
}

/** A transition the state machine does not allow (a bug or a race lost in a surprising way). */
export class InvalidTransition extends DomainError {
  readonly code = "invalid-transition";
  constructor(
    readonly from: ApprovalState,
    readonly to: ApprovalState,
  ) {
    super(`Cannot move an approval from ${from} to ${to}`);
  }
}

/** The store's conditional write lost: someone else wrote first. Callers re-read and retry. */
export class VersionConflict extends DomainError {
  readonly code = "version-conflict";
  constructor(
    readonly approvalId: string,
    readonly expectedVersion: number,
  ) {
    super(`Approval ${approvalId} changed since version ${expectedVersion}`);
  }
}

/** Input from outside (a notification, a policy file, a form) that does not fit; `field` names where. */
export class InvalidInput extends DomainError {
  readonly code = "invalid-input";
  constructor(
    readonly source: string,
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${source}: ${field ? `${field}: ` : ""}${expected}`);
  }
}

export type PipelineErrorKind =
  /** ApprovalAlreadyCompletedException: someone answered in the console (or we did, earlier). */
  | "already-completed"
  /** InvalidApprovalTokenException: the action timed out or a newer run replaced it. */
  | "invalid-token"
  /** PipelineNotFound / StageNotFound / ActionNotFound: the approval points nowhere. */
  | "not-found"
  /** Throttling, 5xx, network: try again later. */
  | "unavailable";

/** CodePipeline's answers, translated once by the adapter. */
export class PipelineError extends DomainError {
  readonly code = "pipeline-error";
  constructor(
    readonly kind: PipelineErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** No rule of the policy covers this pipeline/stage/action: nobody could approve it. */
export class NoMatchingRule extends DomainError {
  readonly code = "no-matching-rule";
  constructor(readonly target: { pipeline: string; stage: string; action: string }) {
    super(`No rule in greenlight.yml matches ${target.pipeline}/${target.stage}/${target.action}`);
  }
}
