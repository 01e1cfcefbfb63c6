import { describe, expect, it } from "vitest";
import { parseCommand } from "../../bot/github/commands.js";

describe("parseCommand: /approve [comment] and /reject <reason>", () => {
  it.each([
    ["/approve", { verdict: "approve" }],
    ["/approve ship it", { verdict: "approve", comment: "ship it" }],
    ["  \n/approve   LGTM  \n", { verdict: "approve", comment: "LGTM" }],
    ["/reject totals are wrong\nsee #12", { verdict: "reject", comment: "totals are wrong\nsee #12" }],
    ["/reject", { verdict: "reject" }],
    ["/approve\tafter review", { verdict: "approve", comment: "after review" }],
  ])("%j → %j", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it.each([
    "approve",
    "/approved",
    "/approvex",
    "/rejected because",
    "> /approve",
    "I will /approve later",
    "`/approve`",
    "",
    "/APPROVE",
  ])("%j is not a command", (body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  it("caps the comment at 1000 characters", () => {
    expect(parseCommand(`/approve ${"x".repeat(5000)}`)?.comment).toHaveLength(1000);
  });
});
