import { describe, expect, it } from "vitest";
import { refusalText } from "../../bot/slack/feedback.js";
import { approvalMessage } from "../../bot/slack/message.js";
import { decisionModal, noticeModal } from "../../bot/slack/modals.js";
import { cutMrkdwn, escapeCut, link, listOf } from "../../bot/slack/mrkdwn.js";
import { deploymentReply } from "../../bot/slack/status.js";
import type { Approval, Vote } from "../../core/approval.js";
import { NotAllowed } from "../../core/errors.js";
import { parsePolicyObject } from "../../core/policy.js";
import { messageProblems, modalProblems } from "../../local/slack/block-kit.js";
import { testApproval } from "../support/approvals.js";

// Slack's Block Kit reference (docs.slack.dev/reference/block-kit/blocks/section-block): section
// text ≤ 3000, each field ≤ 2000, at most 10 fields; a message ≤ 50 blocks. The stand-in's
// validator enforces the same numbers, so "no problems" means Slack would take the message.

const users = Array.from({ length: 400 }, (_, i) => `U0APPR${String(i).padStart(4, "0")}`);
const NON_ASCII_URL = `https://staging.例え.jp/${"デプロイ".repeat(240)}?q=${"ü".repeat(30)}`;
const HOSTILE = "<!channel> & <https://evil.example|click> ".repeat(30).slice(0, 1000);

function hugeApproval(overrides: Partial<Approval> = {}): Approval {
  const [rule] = parsePolicyObject({
    version: 1,
    rules: [
      {
        match: {},
        quorum: 20,
        slack: { channel: "C0DEPLOYS1", approvers: { users, group: "S0RELEASE1" } },
      },
    ],
  }).rules;
  if (!rule) throw new Error("no rule");
  const base = testApproval({
    request: { externalLink: NON_ASCII_URL, customData: HOSTILE },
    context: {
      commit: {
        sha: "4f9c2d1e8b7a6c5d",
        message: HOSTILE,
        url: `https://github.com/a/b/commit/${"x".repeat(990)}`,
      },
      pullRequest: { number: 42, url: "https://github.com/a/b/pull/42", author: HOSTILE },
    },
  });
  return { ...base, rule, ...overrides };
}

const address = (i: number) => `person.number.${i}@${"a-rather-long-subdomain.".repeat(3)}example.com`;
const emailVote = (i: number, comment?: string): Vote => ({
  principal: `email:${address(i)}`,
  verdict: "approve",
  actor: {
    channel: "email",
    id: address(i),
    name: `Person Number ${i} ${"of the release board ".repeat(8)}`,
  },
  ...(comment ? { comment } : {}),
  at: "2026-11-30T14:02:00.000Z",
});

describe("Slack messages stay within Block Kit's limits whatever the input", () => {
  it("400 approvers, a 1000-character non-ASCII staging URL, hostile custom data: Slack would accept it", () => {
    const message = approvalMessage(hugeApproval());

    expect(messageProblems(message.blocks)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    // Summarised, not cut in the middle of a mention; the group is still named.
    expect(text).toMatch(/<@U0APPR\d{4}> and \d+ more or anyone in <!subteam\^S0RELEASE1>/);
    expect(text).not.toContain("<!channel>");
  });

  it("19 votes of a quorum of 20, each with a long comment: the progress line is summarised", () => {
    const votes = Object.fromEntries(
      Array.from({ length: 19 }, (_, i) => [`email:${i}`, emailVote(i, "x".repeat(900))]),
    );
    const message = approvalMessage(hugeApproval({ votes }));

    expect(messageProblems(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toMatch(/and \d+ more/);
  });

  it("approved by 20 people with a 1000-character comment: the outcome line fits, the thread reply too", () => {
    const approvals = Array.from({ length: 20 }, (_, i) => emailVote(i, "&".repeat(1000)));
    const [by] = approvals;
    if (!by) throw new Error("no vote");
    const approved = hugeApproval({
      state: "approved",
      decision: { verdict: "approve", by, approvals, at: "2026-11-30T14:02:00.000Z" },
    });

    expect(messageProblems(approvalMessage(approved).blocks)).toEqual([]);
    const reply = deploymentReply(approved, { state: "succeeded", at: "2026-11-30T14:10:00.000Z" });
    expect(reply.length).toBeLessThanOrEqual(4000);
  });

  it("the modals and the refusal naming 400 approvers stay within the modal limits", () => {
    const a = hugeApproval();
    const refusal = refusalText(new NotAllowed("not-an-approver", "not an approver"), a);

    expect(modalProblems(decisionModal("reject", a, { approvalId: a.id }))).toEqual([]);
    expect(modalProblems(noticeModal("Not decided", refusal.text))).toEqual([]);
    expect(refusal.text.length).toBeLessThanOrEqual(3000);
  });
});

describe("mrkdwn helpers", () => {
  it("links: non-ASCII hosts become punycode, paths percent-encoded, & < > | cannot end the link", () => {
    expect(link("https://bücher.example/straße?a=1&b=<2>|3", "shop")).toBe(
      "<https://xn--bcher-kva.example/stra%C3%9Fe?a=1&amp;b=%3C2%3E%7C3|shop>",
    );
  });

  it("a link that cannot fit its budget is shown as its label, not cut into a broken URL", () => {
    expect(link(`https://example.com/${"a".repeat(3000)}`, "staging", 2000)).toBe("staging");
  });

  it("escapeCut escapes first and never cuts inside an entity", () => {
    expect(escapeCut("a&b&c", 8)).toBe("a&amp;b…");
    expect(escapeCut("<ok>", 20)).toBe("&lt;ok&gt;");
  });

  it("cutMrkdwn never leaves half a link or mention", () => {
    expect(cutMrkdwn("see <https://example.com/long|the run> now", 20)).toBe("see …");
    expect(cutMrkdwn("short", 20)).toBe("short");
  });

  it("listOf with a budget: as many as fit, then 'and N more'", () => {
    const items = Array.from({ length: 100 }, (_, i) => `person-${i}`);
    const text = listOf(items, "and", 60);

    expect(text.length).toBeLessThanOrEqual(60);
    expect(text).toMatch(/^person-0, person-1, .* and \d+ more$/);
  });
});
