import { describe, expect, it } from "vitest";
import { auditLine, auditTrail, CLOSED_WORDS } from "../../bot/shared/audit-trail.js";
import type { AuditEvent, Vote } from "../../core/approval.js";
import { HISTORY_TRIMMED } from "../../core/state-machine.js";

const AT = "2026-12-03T08:00:00.000Z";
const vote = (principal: string, actor: Vote["actor"]): Vote => ({
  principal,
  verdict: "approve",
  actor,
  at: AT,
});
const votes = {
  "person:ana": vote("person:ana", { channel: "email", id: "ana@acme.io", name: "Ana Lima" }),
  "slack:U0ZED99": vote("slack:U0ZED99", { channel: "slack", id: "U0ZED99" }),
};
const line = (event: Omit<AuditEvent, "at">) => auditLine({ votes }, { at: AT, ...event });

describe("the audit trail in words", () => {
  it("names the person who voted as every channel does, with how they voted and their comment", () => {
    expect(line({ event: "approved-vote", who: "person:ana", channel: "email", detail: "ship it" })).toBe(
      "Ana Lima approved by e-mail: ship it",
    );
    expect(
      line({ event: "rejected-vote", who: "slack:U0ZED99", channel: "slack", detail: "totals wrong" }),
    ).toBe("Slack user U0ZED99 rejected in Slack: totals wrong");
    expect(line({ event: "approved-vote", who: "github:octo", channel: "github" })).toBe(
      "github:octo approved on GitHub",
    );
  });

  it("says what happened to the approval, without codes or trailing separators", () => {
    expect(line({ event: "opened", detail: "rule shop production" })).toBe("Opened: rule shop production");
    expect(line({ event: "delivered-approved" })).toBe("Delivered to CodePipeline: approved");
    expect(line({ event: "delivered-rejected" })).toBe("Delivered to CodePipeline: rejected");
    expect(line({ event: "closed-elsewhere", detail: "console" })).toBe("Closed in the AWS console");
    expect(line({ event: "expired" })).toBe("Expired without a decision");
    expect(line({ event: "reminder", detail: "#2" })).toBe("Reminder #2 sent");
    expect(line({ event: "deploy-succeeded", detail: "" })).toBe("Production deploy succeeded");
    expect(line({ event: "deploy-failed", detail: "Production" })).toBe(
      "Production deploy failed: Production",
    );
    expect(line({ event: HISTORY_TRIMMED, detail: "40 events not kept (reminders first)" })).toBe(
      "Earlier events left out: 40 events not kept (reminders first)",
    );
    // No record codes ("already-completed") and no dangling separator in any of the words.
    for (const words of Object.values(CLOSED_WORDS)) expect(words).not.toMatch(/\b[a-z]+-[a-z]+\b|·\s*$/);
  });

  it("keeps hostile text on one line and free of bidi controls", () => {
    expect(
      line({ event: "approved-vote", who: "person:ana", channel: "email", detail: "ok\r\nBcc: x\u202Eevil" }),
    ).toBe("Ana Lima approved by e-mail: ok Bcc: xevil");
  });

  it("the whole trail keeps order and times", () => {
    const trail = auditTrail({
      votes,
      history: [
        { at: AT, event: "opened", detail: "rule r" },
        { at: "2026-12-03T08:05:00.000Z", event: "expired" },
      ],
    });
    expect(trail).toEqual([
      { at: AT, text: "Opened: rule r" },
      { at: "2026-12-03T08:05:00.000Z", text: "Expired without a decision" },
    ]);
  });
});
