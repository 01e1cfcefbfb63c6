import { describe, expect, it } from "vitest";
import { decisionModal, noticeModal, readModalContext } from "../../bot/slack/modals.js";
import { readClick, readSubmission } from "../../bot/slack/payloads.js";
import { parsePolicyObject } from "../../core/policy.js";
import { modalProblems } from "../../local/slack/block-kit.js";
import { testApproval } from "../support/approvals.js";

const approval = (highRisk = false) => {
  const base = testApproval({
    context: { commit: { sha: "4f9c2d1e8b7a6c5d4e3f", message: "Add checkout" } },
  });
  const [rule] = parsePolicyObject({
    version: 1,
    people: [{ name: "Maria", slack: "U0MARIA01", github: "maria" }],
    rules: [{ match: {}, highRisk, slack: { channel: "C0DEPLOYS1", approvers: { users: ["U0MARIA01"] } } }],
  }).rules;
  if (!rule) throw new Error("no rule");
  return { ...base, rule };
};
const inputs = (view: { blocks: unknown[] }) =>
  view.blocks.filter(
    (b): b is { type: "input"; block_id: string; optional?: boolean } =>
      typeof b === "object" && b !== null && "type" in b && b.type === "input",
  );

describe("decision modals", () => {
  it("reject: the reason is a required input; the modal remembers the approval and the channel", () => {
    const a = approval();
    const view = decisionModal("reject", a, { approvalId: a.id, channel: "C0DEPLOYS1" });

    expect(view).toMatchObject({ callback_id: "greenlight_reject_modal", submit: { text: "Reject" } });
    expect(inputs(view)).toEqual([expect.objectContaining({ block_id: "reason", optional: false })]);
    expect(readModalContext(view.private_metadata ?? "")).toEqual({
      approvalId: a.id,
      channel: "C0DEPLOYS1",
    });
    expect(modalProblems(view)).toEqual([]);
  });

  it("approve: the comment is optional", () => {
    const a = approval();
    const view = decisionModal("approve", a, { approvalId: a.id });

    expect(view).toMatchObject({ callback_id: "greenlight_approve_modal", submit: { text: "Approve" } });
    expect(inputs(view)).toEqual([expect.objectContaining({ block_id: "comment", optional: true })]);
    expect(modalProblems(view)).toEqual([]);
  });

  it("high risk (approve): a required typed confirmation", () => {
    const a = approval(true);
    const view = decisionModal("approve", a, { approvalId: a.id });

    expect(inputs(view)).toEqual([
      expect.objectContaining({ block_id: "comment", optional: true }),
      expect.objectContaining({ block_id: "confirmation" }),
    ]);
    expect(inputs(view)[1]?.optional).toBeUndefined();
    expect(JSON.stringify(view)).toContain("Type the first 4 characters of the commit to approve");
    expect(modalProblems(view)).toEqual([]);
  });

  it("high risk (reject): only the reason, no typed confirmation (rejecting is never harder)", () => {
    const a = approval(true);
    const view = decisionModal("reject", a, { approvalId: a.id });

    expect(inputs(view)).toEqual([expect.objectContaining({ block_id: "reason", optional: false })]);
    expect(JSON.stringify(view)).not.toContain("characters of the commit");
    expect(modalProblems(view)).toEqual([]);
  });

  it("a notice replaces a modal with a reason and a Close button", () => {
    expect(modalProblems(noticeModal("Not decided", "Already approved."))).toEqual([]);
  });

  it.each([
    "",
    "not json",
    "{}",
    '{"approvalId":"short"}',
    '{"approvalId":"aaaaaaaaaaaaaaaaaaaaaa","channel":"#x"}',
  ])("private metadata %j that is not ours is refused", (metadata) => {
    expect(readModalContext(metadata)).toBeUndefined();
  });
});

describe("payload readers", () => {
  const user = { id: "U0MARIA01", username: "maria", name: "maria", team_id: "T1" };
  const id = "ziPkn2qWqsuLKgpTjGKXhA";

  it("a click: who, where, which button, which approval", () => {
    const click = readClick({
      type: "block_actions",
      user,
      trigger_id: "1.2.abc",
      channel: { id: "C0DEPLOYS1", name: "deploys" },
      actions: [{ action_id: "greenlight_approve", value: id, type: "button" }],
    });

    expect(click).toEqual({
      user: { id: user.id, username: "maria", name: "maria" },
      triggerId: "1.2.abc",
      actionId: "greenlight_approve",
      channel: "C0DEPLOYS1",
      approvalId: id,
    });
  });

  it("a click whose value is not an approval id has no approval; one without a user is unreadable", () => {
    const base = { user, trigger_id: "t", actions: [{ action_id: "x", value: "../../etc" }] };

    expect(readClick(base)?.approvalId).toBeUndefined();
    expect(readClick({ ...base, user: { id: "not-a-user" } })).toBeUndefined();
    expect(readClick({ ...base, actions: [] })).toBeUndefined();
  });

  it("a submission: the typed values by block id, and the modal's context", () => {
    const submission = readSubmission({
      user,
      view: {
        private_metadata: JSON.stringify({ approvalId: id }),
        state: {
          values: {
            reason: { reason: { type: "plain_text_input", value: "broken" } },
            confirmation: { confirmation: { type: "plain_text_input", value: null } },
          },
        },
      },
    });

    expect(submission).toEqual({
      user: { id: user.id, username: "maria", name: "maria" },
      context: { approvalId: id },
      comment: "broken",
    });
  });
});
