import { readFileSync } from "node:fs";
import type { Actor, Approval, ApprovalRequest, ChangeContext, Decision, Vote } from "../../core/approval.js";
import type { Rule } from "../../core/policy.js";
import { newApproval } from "../../core/state-machine.js";
import { approvalIdFor } from "../../core/tokens.js";
import { testRequest } from "../support/approvals.js";

/** A fixture from test/fixtures, parsed but untyped: what the edge receives. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
}

/** The time the approvals below are opened at: a week before the fixture's `expires`. */
export const OPENED_AT = "2026-11-29T20:22:00.000Z";
export const EXPIRES_AT = "2026-12-06T20:22:00.000Z";

export const ANA: Actor = { channel: "email", id: "ana@acme.io", name: "Ana Lima" };
export const BOB: Actor = { channel: "email", id: "bob@acme.io", name: "Bob Stone" };
export const CARA: Actor = { channel: "email", id: "cara@acme.io", name: "Cara Diaz" };
export const ANA_ON_SLACK: Actor = { channel: "slack", id: "U0ANA1", name: "Ana" };
export const OCTOCAT: Actor = { channel: "github", id: "octocat", name: "Mona Octocat", permission: "write" };

/** The rule the fixture pipeline runs under, with defaults applied, as `parsePolicy` would give it. */
export function aRule(overrides: Partial<Rule> = {}): Rule {
  return {
    name: "shop production",
    match: { pipeline: "shop-*", stage: "*", action: "*" },
    quorum: 1,
    selfApproval: false,
    reminderEvery: 4 * 3_600_000,
    highRisk: false,
    email: { recipients: ["ana@acme.io", "bob@acme.io", "cara@acme.io"] },
    slack: { channel: "C0DEPLOY", approvers: { users: ["U0ANA1", "U0MARIA"] } },
    github: { repo: "acme/shop", approvers: { logins: ["octocat"] } },
    // Every approver is someone Greenlight can tell apart from the authors (tied to GitHub).
    people: [
      { name: "Ana Lima", email: "ana@acme.io", slack: "U0ANA1", github: "ana-lima" },
      { name: "Bob Stone", email: "bob@acme.io", github: "bob-stone" },
      { name: "Cara Diaz", email: "cara@acme.io", github: false },
      { name: "Maria Kent", slack: "U0MARIA", github: "maria-k" },
    ],
    ...overrides,
  };
}

/** The fixture notification, parsed (the same request the integration tests use). */
export const aRequest = testRequest;

/** The commit the fixture run deploys. */
export const COMMIT_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";

/**
 * The change as GitHub described it once the release step read it: on GitHub, one author
 * (`dev-author`, whose commit address GitHub tied to that login), nobody else.
 */
export function aContext(overrides: Partial<ChangeContext> = {}): ChangeContext {
  return {
    commit: { sha: COMMIT_SHA, message: "Add express checkout (#42)" },
    repository: "acme/shop",
    authors: { logins: ["dev-author"], emails: ["dev@acme.io"] },
    emailLogins: { "dev@acme.io": "dev-author" },
    authorsResolvedAt: OPENED_AT,
    ...overrides,
  };
}

/** A fresh pending approval (version 0), as `openApproval` would create it. */
export function anApproval(
  options: {
    rule?: Partial<Rule>;
    request?: Partial<ApprovalRequest>;
    context?: Partial<ChangeContext>;
  } = {},
): Approval {
  const request = aRequest(options.request);
  return newApproval({
    id: approvalIdFor(request),
    request,
    context: aContext(options.context),
    rule: aRule(options.rule),
    now: new Date(OPENED_AT),
  });
}

export function aVote(actor: Actor, overrides: Partial<Vote> = {}): Vote {
  return {
    principal: `${actor.channel}:${actor.id}`,
    verdict: "approve",
    actor,
    at: "2026-12-01T10:00:00.000Z",
    ...overrides,
  };
}

export function aDecision(by: Vote, approvals: Vote[] = by.verdict === "approve" ? [by] : []): Decision {
  return { verdict: by.verdict, by, approvals, at: by.at };
}

/** Well-formed UTF-16: no lone surrogates (String.prototype.isWellFormed is newer than our lib). */
export function isWellFormedUtf16(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}
