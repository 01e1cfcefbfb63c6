import type { Rule } from "./policy.js";

/** Where a person acted from. `console` means the AWS console (we only observe it). */
export type Channel = "email" | "slack" | "github";

export type Verdict = "approve" | "reject";

/**
 * `pending → deciding → approved | rejected`; `expired` and `closed-elsewhere` end a pending (or
 * stuck deciding) approval without us deciding it.
 */
export type ApprovalState = "pending" | "deciding" | "approved" | "rejected" | "expired" | "closed-elsewhere";

export const FINAL_STATES: ReadonlySet<ApprovalState> = new Set([
  "approved",
  "rejected",
  "expired",
  "closed-elsewhere",
]);

/** What CodePipeline asked for, from the approval notification. */
export interface ApprovalRequest {
  region: string;
  pipeline: string;
  stage: string;
  action: string;
  /** CodePipeline's approval token: needed for PutApprovalResult; never shown, never logged. */
  token: string;
  /** ISO 8601 instant (the notification has minute precision). */
  expiresAt: string;
  consoleLink?: string;
  /** The action's ExternalEntityLink as CodePipeline sent it (≤ 1000 characters, not always a URL). */
  externalLink?: string;
  /** Set when `externalLink` is not an http(s) URL: channels show it as text, never as a link. */
  externalLinkIsText?: true;
  customData?: string;
}

/** The change behind the run, resolved once when the approval opens. */
export interface ChangeContext {
  executionId?: string;
  commit?: { sha: string; message?: string; url?: string };
  branch?: string;
  repository?: string;
  pullRequest?: { number: number; url?: string; author?: string };
  /**
   * GitHub logins and e-mail addresses of everyone who wrote a change in the release: commit
   * authors and committers, co-authors, pull request authors.
   */
  authors: { logins: string[]; emails: string[] };
  /** Commit e-mail (lower-case) → the GitHub login GitHub attributed that commit to. */
  emailLogins?: Record<string, string>;
  /**
   * When the authors were read from GitHub. Until then (or when reading failed, `authorsProblem`),
   * nobody can approve under a rule that forbids self-approval: the check would be blind.
   */
  authorsResolvedAt?: string;
  /** Why the authors could not be read (not installed, commit unknown, a source not on GitHub). */
  authorsProblem?: string;
  /** The last transient failure reading them (GitHub unreachable): Greenlight keeps trying. */
  authorsRetry?: string;
  /** What is being approved: every change since production last received one from this pipeline. */
  release?: Release;
}

/** A pull request in a release, as channels list it. */
export interface ReleasePull {
  number: number;
  title: string;
  url: string;
  author?: string;
}

/** The changes between the commit production last received and the one waiting. */
export interface Release {
  /** The commit production last received from this pipeline; absent for the first release. */
  base?: string;
  /** Where the base came from: Greenlight's record of deploys, or CodePipeline's run history. */
  baseFrom?: "deployed" | "pipeline-history";
  /** Commits in the release. */
  commits: number;
  /** Its pull requests, newest first (at most `RELEASE_PULLS_KEPT`; `morePulls` counts the rest). */
  pulls: ReleasePull[];
  morePulls?: number;
  /** The pull requests of the waiting commit itself (they carry the status comment). */
  headPulls: number[];
  /** Said to people when the range could not be used (a re-run of the same commit, a rollback). */
  note?: string;
}

/** A person as a channel authenticated them. */
export interface Actor {
  channel: Channel;
  /** The channel's own id: e-mail address, Slack user id or GitHub login. */
  id: string;
  name?: string;
  email?: string;
  /** Slack user groups the person is in (resolved by the Slack channel). */
  groups?: string[];
  /** GitHub teams (`org/slug`) the person is in, and their permission on the repository. */
  teams?: string[];
  permission?: GitHubPermission;
}

export type GitHubPermission = "read" | "triage" | "write" | "maintain" | "admin";

export interface Vote {
  principal: string;
  verdict: Verdict;
  actor: Actor;
  comment?: string;
  at: string;
}

/** The decision once quorum (or a rejection) is reached. */
export interface Decision {
  verdict: Verdict;
  /** The vote that settled it, and every approval that counted towards quorum. */
  by: Vote;
  approvals: Vote[];
  at: string;
  /** When CodePipeline accepted the result. */
  deliveredAt?: string;
}

export type ClosedReason =
  | "already-completed"
  | "invalid-token"
  | "pipeline-not-found"
  | "console"
  /** A newer run reached the same approval action. */
  | "superseded";

/** What happened in production after the approval (from CodePipeline's EventBridge events). */
export interface Deployment {
  state: "deploying" | "succeeded" | "failed";
  at: string;
  /** The stage that deploys to production, and a link to the run. */
  stage?: string;
  url?: string;
}

export interface AuditEvent {
  at: string;
  event: string;
  who?: string;
  channel?: Channel;
  detail?: string;
}

/**
 * A link sent by e-mail. Keyed by recipient for the first e-mail and `recipient~N` for the latest
 * reminder only: a new reminder removes the recipient's earlier reminder link, so each person has
 * at most two live links and the record stays bounded (docs/security.md#33-nothing-grows-without-bound).
 */
export interface Link {
  hash: string;
  issuedAt: string;
  sentAt?: string;
  /** The person the link belongs to (the key without its reminder suffix). */
  recipient?: string;
}

export interface Approval {
  id: string;
  version: number;
  state: ApprovalState;
  request: ApprovalRequest;
  context: ChangeContext;
  /** The policy rule as it was when the approval opened: later policy edits do not move the goalposts. */
  rule: Rule;
  votes: Record<string, Vote>;
  decision?: Decision;
  closedReason?: ClosedReason;
  /**
   * Why the change context is incomplete: CodePipeline's look-ups at intake kept failing. The
   * approval opened anyway (people can still reject; approving may be refused without authors).
   */
  contextProblem?: string;
  /** Reminders the sweeper raised while the approval waited; channels send them to those who have not acted. */
  reminders?: { count: number; lastAt: string };
  /** Set once the production deploy after an approval starts, succeeds or fails. */
  deployment?: Deployment;
  /**
   * Per e-mail recipient: SHA-256 (base64url) of their link token, never the token; `sentAt` once
   * the e-mail left (a link issued but never marked sent was interrupted and may be re-issued).
   */
  links: Record<string, Link>;
  /** Channel references and "notified at" marks, owned by each channel. */
  channels: Record<string, Record<string, string | number>>;
  history: AuditEvent[];
  createdAt: string;
  updatedAt: string;
}

export function isFinal(approval: Pick<Approval, "state">): boolean {
  return FINAL_STATES.has(approval.state);
}
