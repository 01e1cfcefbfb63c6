import type { Approval, ApprovalRequest, ChangeContext } from "../../core/approval.js";
import { type Policy, parsePolicyObject, type Rule } from "../../core/policy.js";
import { newApproval } from "../../core/state-machine.js";
import { approvalIdFor } from "../../core/tokens.js";

export const NOW = new Date("2026-11-29T20:22:00Z");

/**
 * A policy with a hundred e-mail approvers (people with no GitHub account): quorum and
 * self-approval as given. Self-approval is allowed unless asked otherwise: the approvals these
 * suites open have no authors read from GitHub, which a rule forbidding self-approval would
 * (rightly) refuse; the self-approval rule has its own suites.
 */
export function testPolicy(options: { quorum?: number; selfApproval?: boolean } = {}): Policy {
  return parsePolicyObject({
    version: 1,
    // Stakeholders with no GitHub account: Greenlight can tell them apart from any author.
    people: Array.from({ length: 100 }, (_, i) => ({
      name: `Person ${i}`,
      email: `person${i}@acme.io`,
      github: false,
    })),
    rules: [
      {
        name: "shop production",
        match: { pipeline: "shop-*" },
        quorum: options.quorum ?? 1,
        selfApproval: options.selfApproval ?? true,
        email: { recipients: Array.from({ length: 100 }, (_, i) => `person${i}@acme.io`) },
      },
    ],
  });
}

export function testRule(options: { quorum?: number; selfApproval?: boolean } = {}): Rule {
  const [rule] = testPolicy(options).rules;
  if (!rule) throw new Error("test policy has no rule");
  return rule;
}

export function testRequest(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    region: "us-east-2",
    pipeline: "shop-web",
    stage: "Approve",
    action: "StakeholderApproval",
    token: "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d",
    expiresAt: "2026-12-06T20:22:00.000Z",
    ...overrides,
  };
}

export function testApproval(
  options: { request?: Partial<ApprovalRequest>; context?: Partial<ChangeContext>; quorum?: number } = {},
): Approval {
  const request = testRequest(options.request);
  return newApproval({
    id: approvalIdFor(request),
    request,
    context: { authors: { logins: [], emails: [] }, ...options.context },
    rule: testRule({ quorum: options.quorum ?? 1 }),
    now: NOW,
  });
}
