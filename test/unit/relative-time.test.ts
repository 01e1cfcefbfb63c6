import { describe, expect, it } from "vitest";
import { relativeTime } from "../../bot/shared/describe.js";

const NOW = new Date("2026-12-03T08:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("relativeTime: the largest unit that fits, rounded", () => {
  it("a fresh 7-day approval, a few seconds short of 7 days, says in 7 days", () => {
    expect(relativeTime(at(7 * DAY - 5_000), NOW)).toBe("in 7 days");
  });

  it("rounds within the unit, in both directions of time", () => {
    expect(relativeTime(at(2 * DAY + 13 * HOUR), NOW)).toBe("in 3 days");
    expect(relativeTime(at(2 * DAY + 11 * HOUR), NOW)).toBe("in 2 days");
    expect(relativeTime(at(5 * HOUR + 20 * MIN), NOW)).toBe("in 5 hours");
    expect(relativeTime(at(-90 * MIN), NOW)).toBe("2 hours ago");
    expect(relativeTime(at(-3 * MIN - 10_000), NOW)).toBe("3 minutes ago");
    expect(relativeTime(at(20_000), NOW)).toBe("this minute");
    expect(relativeTime(at(1 * DAY + 2 * HOUR), NOW)).toBe("tomorrow");
  });
});
