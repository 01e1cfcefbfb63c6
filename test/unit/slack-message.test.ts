import { describe, expect, it } from "vitest";
import { approvalMessage } from "../../bot/slack/message.js";
import type { Approval, Vote } from "../../core/approval.js";
import { parsePolicyObject, type Rule } from "../../core/policy.js";
import { messageProblems } from "../../local/slack/block-kit.js";
import { renderBlocks } from "../../local/slack/render.js";
import { Workspace } from "../../local/slack/workspace.js";
import { testApproval } from "../support/approvals.js";

const workspace = new Workspace({
  teamId: "T1",
  teamDomain: "acme",
  appId: "A1",
  botId: "B1",
  botUserId: "U0BOT",
});
workspace.users.set("U0MARIA01", { name: "maria" });
workspace.users.set("U0BOCHEN1", { name: "bo" });
workspace.groups.set("S0RELEASE1", { handle: "release-managers", members: [] });

function rule(options: { quorum?: number; highRisk?: boolean; group?: boolean } = {}): Rule {
  const [r] = parsePolicyObject({
    version: 1,
    people: [
      { name: "Maria", slack: "U0MARIA01", github: "maria" },
      { name: "Bo", slack: "U0BOCHEN1", github: false },
    ],
    rules: [
      {
        match: { pipeline: "*" },
        quorum: options.quorum ?? 1,
        ...(options.highRisk ? { highRisk: true } : {}),
        slack: {
          channel: "C0DEPLOYS1",
          approvers: { users: ["U0MARIA01", "U0BOCHEN1"], ...(options.group ? { group: "S0RELEASE1" } : {}) },
        },
      },
    ],
  }).rules;
  if (!r) throw new Error("no rule");
  return r;
}

function approval(overrides: Partial<Approval> = {}, ruleOptions: Parameters<typeof rule>[0] = {}): Approval {
  const base = testApproval({
    request: { externalLink: "https://staging.shop.example.com/", customData: "Release 42" },
    context: {
      commit: {
        sha: "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
        message: "Add checkout\n\nLong description",
        url: "https://github.com/acme/shop-web/commit/4f9c2d1",
      },
      pullRequest: { number: 42, url: "https://github.com/acme/shop-web/pull/42", author: "octo-author" },
    },
  });
  return { ...base, rule: rule(ruleOptions), ...overrides };
}

const slackVote = (id: string, verdict: "approve" | "reject", comment?: string): Vote => ({
  principal: `slack:${id.toLowerCase()}`,
  verdict,
  actor: { channel: "slack", id },
  ...(comment ? { comment } : {}),
  at: "2026-11-30T14:02:00.000Z",
});

function decided(verdict: "approve" | "reject", votes: Vote[]): Partial<Approval> {
  const by = votes.at(-1);
  if (!by) throw new Error("no vote");
  return {
    state: verdict === "approve" ? "approved" : "rejected",
    votes: Object.fromEntries(votes.map((v) => [v.principal, v])),
    decision: {
      verdict,
      by,
      approvals: verdict === "approve" ? votes : [],
      at: by.at,
      deliveredAt: "2026-11-30T14:02:01.000Z",
    },
  };
}

const read = (a: Approval) => renderBlocks(approvalMessage(a).blocks, workspace);

describe("approvalMessage (Block Kit)", () => {
  it("an open approval: header, the change in context, who can approve, and the three buttons", () => {
    const lines = read(approval({}, { group: true }));

    expect(lines).toEqual([
      "Production approval: shop-web",
      "Pipeline: shop-web · Approve",
      "Commit: 4f9c2d1 Add checkout",
      "Pull request: #42 by octo-author",
      "Staging: staging.shop.example.com/",
      "Expires: Sun, 6 Dec 2026, 20:22 UTC",
      "Who can approve: @maria, @bo or anyone in @release-managers",
      ">Release 42",
      "[Approve] [Approve with comment…] [Reject]",
    ]);
  });

  it("Approve is primary and Reject is danger, each behind a confirm dialog; buttons carry the approval id", () => {
    const a = approval();
    const actions = approvalMessage(a).blocks.find((b) => b.type === "actions");

    expect(actions).toMatchObject({
      elements: [
        {
          action_id: "greenlight_approve",
          style: "primary",
          value: a.id,
          confirm: { confirm: { text: "Approve" } },
        },
        { action_id: "greenlight_approve_comment", value: a.id },
        {
          action_id: "greenlight_reject",
          style: "danger",
          value: a.id,
          confirm: { confirm: { text: "Continue" } },
        },
      ],
    });
  });

  it("high-risk rules approve through the modal (it asks for the typed confirmation)", () => {
    const lines = read(approval({}, { highRisk: true }));

    expect(lines.at(-1)).toBe("[Approve…] [Reject]");
  });

  it("quorum progress while more approvals are needed, buttons still there", () => {
    const vote = slackVote("U0MARIA01", "approve");
    const lines = read(approval({ votes: { [vote.principal]: vote } }, { quorum: 2 }));

    expect(lines.slice(-2)).toEqual([
      "1 of 2 approvals so far: @maria",
      "[Approve] [Approve with comment…] [Reject]",
    ]);
  });

  it("approved: buttons replaced by who and when, with the comment", () => {
    const lines = read(approval(decided("approve", [slackVote("U0MARIA01", "approve", "looks good")])));

    expect(lines.at(-1)).toBe("✅ Approved by @maria at 14:02 UTC: looks good");
    expect(lines.join("\n")).not.toContain("[Approve]");
  });

  it("approved by a quorum of two, one of them by e-mail", () => {
    const email: Vote = {
      principal: "email:ana@acme.io",
      verdict: "approve",
      actor: { channel: "email", id: "ana@acme.io", name: "Ana Lima" },
      at: "2026-11-30T14:01:00.000Z",
    };
    const lines = read(
      approval(decided("approve", [email, slackVote("U0BOCHEN1", "approve")]), { quorum: 2 }),
    );

    expect(lines.at(-1)).toBe("✅ Approved by Ana Lima via e-mail and @bo at 14:02 UTC");
  });

  it("rejected, with the reason", () => {
    const lines = read(approval(decided("reject", [slackVote("U0BOCHEN1", "reject", "Checkout 500s")])));

    expect(lines.at(-1)).toBe("⛔ Rejected by @bo at 14:02 UTC: Checkout 500s");
  });

  it("deciding (sent to CodePipeline, not yet confirmed)", () => {
    const { decision, votes } = decided("approve", [slackVote("U0MARIA01", "approve")]);
    const lines = read(
      approval({
        state: "deciding",
        votes,
        ...(decision ? { decision: { ...decision, deliveredAt: undefined } } : {}),
      }),
    );

    expect(lines.at(-1)).toBe("⏳ Approved by @maria. Sending it to CodePipeline…");
  });

  it.each([
    [
      "expired",
      {},
      "⌛ Expired at Sun, 6 Dec 2026, 20:22 UTC: nobody decided in time, so the release did not go ahead.",
    ],
    [
      "closed-elsewhere",
      { closedReason: "console" },
      "ℹ️ Answered in the AWS console: Greenlight did not decide this one.",
    ],
    [
      "closed-elsewhere",
      { closedReason: "superseded" },
      "ℹ️ Replaced by a newer run: decide on the newer message instead.",
    ],
    [
      "closed-elsewhere",
      { closedReason: "pipeline-not-found" },
      "ℹ️ The pipeline no longer exists: nothing to decide.",
    ],
  ] as const)("%s %o: no buttons, the reason instead", (state, extra, line) => {
    const lines = read(approval({ state, ...extra }));

    expect(lines.at(-1)).toBe(line);
  });

  it.each([
    ["deploying", "🚀 Deploying to production since 14:10 UTC… View the run"],
    ["succeeded", "✅ Deployed to production at 14:10 UTC. View the run"],
    ["failed", "❌ The production deploy failed at 14:10 UTC. View the run"],
  ] as const)("the production deploy (%s) shows under the outcome", (state, line) => {
    const a = approval({
      ...decided("approve", [slackVote("U0MARIA01", "approve")]),
      deployment: { state, at: "2026-11-30T14:10:00.000Z", url: "https://console.aws.amazon.com/run/1" },
    });

    expect(read(a).at(-1)).toBe(line);
  });

  it("text from outside cannot forge mentions, links or @channel pings", () => {
    const base = approval();
    const a = approval({
      context: {
        ...base.context,
        commit: {
          sha: "4f9c2d1e8b7a6c5d",
          message: "<!channel> <https://evil.example|click> & co",
          url: "javascript:alert(1)",
        },
      },
    });
    const text = JSON.stringify(approvalMessage(a).blocks);

    expect(text).toContain("&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; co");
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("javascript:");
  });

  it("is a pure function of the record (no 'in 3 hours'): the same record renders the same blocks", () => {
    const a = approval();

    expect(approvalMessage(a)).toEqual(approvalMessage(structuredClone(a)));
    expect(JSON.stringify(approvalMessage(a))).toContain("<!date^1796588520^{date_short_pretty} at {time}|");
  });

  it("every state stays within Block Kit's limits, even with very long names and comments", () => {
    const long = "x".repeat(5000);
    const states: Approval[] = [
      approval({ request: { ...approval().request, pipeline: long, stage: long, customData: long } }),
      approval(decided("reject", [slackVote("U0BOCHEN1", "reject", long)])),
      approval({ state: "expired" }),
    ];

    for (const a of states) expect(messageProblems(approvalMessage(a).blocks)).toEqual([]);
  });
});
