import { describe, expect, it } from "vitest";
import { markReminded, reminderDue } from "../../core/reminders.js";
import { HISTORY_LIMIT } from "../../core/state-machine.js";
import { anApproval, OPENED_AT } from "./builders.js";

const at = (hours: number) => new Date(Date.parse(OPENED_AT) + hours * 3_600_000);

describe("reminders", () => {
  it("fall due once the interval has passed since opening, then since the last reminder", () => {
    const approval = anApproval();

    const reminded = markReminded(approval, at(4));

    expect(reminderDue(approval, at(3.99))).toBe(false);
    expect(reminderDue(approval, at(4))).toBe(true);
    expect(reminded.reminders).toEqual({ count: 1, lastAt: at(4).toISOString() });
    expect(reminded.history.at(-1)).toMatchObject({ event: "reminder", detail: "#1" });
    expect(reminderDue(reminded, at(7.99))).toBe(false);
    expect(reminderDue(reminded, at(8))).toBe(true);
    expect(markReminded(reminded, at(8)).reminders?.count).toBe(2);
  });

  it("never fall due when the rule has none, after a decision, or past expiry", () => {
    const off = anApproval({ rule: { reminderEvery: false } });
    const decided = { ...anApproval(), state: "approved" as const };

    expect(reminderDue(off, at(100))).toBe(false);
    expect(reminderDue(decided, at(5))).toBe(false);
    expect(reminderDue(anApproval(), at(24 * 7))).toBe(false);
  });

  it("a thousand reminders keep the history bounded; the count says how many there were", () => {
    let approval = anApproval({ rule: { reminderEvery: 60_000 } });
    for (let n = 1; n <= 1000; n++)
      approval = markReminded(approval, new Date(Date.parse(OPENED_AT) + n * 60_000));

    expect(approval.reminders?.count).toBe(1000);
    expect(approval.history).toHaveLength(HISTORY_LIMIT);
    expect(approval.history[0]).toMatchObject({ event: "opened" });
    expect(approval.history.at(-1)).toMatchObject({ event: "reminder", detail: "#1000" });
  });
});
