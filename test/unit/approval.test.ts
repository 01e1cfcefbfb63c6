import { describe, expect, it } from "vitest";
import { type ApprovalState, FINAL_STATES, isFinal } from "../../core/approval.js";

describe("isFinal", () => {
  it.each<[ApprovalState, boolean]>([
    ["pending", false],
    ["deciding", false],
    ["approved", true],
    ["rejected", true],
    ["expired", true],
    ["closed-elsewhere", true],
  ])("%s → %s", (state, final) => {
    expect(isFinal({ state })).toBe(final);
  });

  it("agrees with FINAL_STATES", () => {
    expect([...FINAL_STATES].every((state) => isFinal({ state }))).toBe(true);
    expect(FINAL_STATES.size).toBe(4);
  });
});
