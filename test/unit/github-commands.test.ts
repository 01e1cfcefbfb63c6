import { describe, expect, it } from "vitest";
import { approveSyntax, parseCommand, splitConfirmation } from "../../bot/github/commands.js";

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

describe("splitConfirmation: /approve <first characters> [comment] on a high-risk rule", () => {
  it.each([
    [undefined, { confirmation: "" }],
    ["4f9c", { confirmation: "4f9c" }],
    ["4f9c ship it", { confirmation: "4f9c", comment: "ship it" }],
    ["  4f9c\n  ship   it ", { confirmation: "4f9c", comment: "ship it" }],
  ])("%j → %j", (comment, expected) => {
    expect(splitConfirmation(comment)).toEqual(expected);
  });

  it("names what to type: the commit, or the pipeline name when there is no commit", () => {
    expect(
      approveSyntax({ context: { commit: { sha: "4f9c" }, authors: { logins: [], emails: [] } } }, "4f9c"),
    ).toBe("/approve <first 4 characters of the commit> [comment]");
    expect(approveSyntax({ context: { authors: { logins: [], emails: [] } } }, "shop")).toBe(
      "/approve <first 4 characters of the pipeline name> [comment]",
    );
  });
});
