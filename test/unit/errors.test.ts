import { describe, expect, it } from "vitest";
import {
  AlreadyDecided,
  ClosedElsewhere,
  DomainError,
  Expired,
  InvalidInput,
  InvalidTransition,
  NoMatchingRule,
  NotAllowed,
  NotFound,
  PipelineError,
  VersionConflict,
} from "../../core/errors.js";
import { aDecision, aVote, BOB } from "./builders.js";

describe("domain errors", () => {
  const errors: Array<[DomainError, string, string, string]> = [
    [
      new AlreadyDecided("a1", aDecision(aVote(BOB, { verdict: "reject" }))),
      "AlreadyDecided",
      "already-decided",
      "Approval a1 was already rejected",
    ],
    [
      new ClosedElsewhere("a1", "console"),
      "ClosedElsewhere",
      "closed-elsewhere",
      "Approval a1 was closed outside Greenlight (console)",
    ],
    [
      new Expired("a1", "2026-12-06T20:22:00.000Z"),
      "Expired",
      "expired",
      "Approval a1 expired at 2026-12-06T20:22:00.000Z",
    ],
    [
      new NotAllowed("invalid-link", "This link is not valid"),
      "NotAllowed",
      "not-allowed",
      "This link is not valid",
    ],
    [new NotFound("a1"), "NotFound", "not-found", "No approval a1"],
    [
      new InvalidTransition("approved", "pending"),
      "InvalidTransition",
      "invalid-transition",
      "Cannot move an approval from approved to pending",
    ],
    [
      new VersionConflict("a1", 3),
      "VersionConflict",
      "version-conflict",
      "Approval a1 changed since version 3",
    ],
    [
      new InvalidInput("greenlight.yml:4:13", "rules[0].quorum", "expected at most 1"),
      "InvalidInput",
      "invalid-input",
      "greenlight.yml:4:13: rules[0].quorum: expected at most 1",
    ],
    [
      new InvalidInput("approval notification", "", "expected JSON"),
      "InvalidInput",
      "invalid-input",
      "approval notification: expected JSON",
    ],
    [new PipelineError("unavailable", "Throttled"), "PipelineError", "pipeline-error", "Throttled"],
    [
      new NoMatchingRule({ pipeline: "p", stage: "s", action: "a" }),
      "NoMatchingRule",
      "no-matching-rule",
      "No rule in greenlight.yml matches p/s/a",
    ],
  ];

  it.each(errors)("%o is a %s with code %s", (error, name, code, message) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it("carries what the caller needs", () => {
    const decision = aDecision(aVote(BOB));

    expect(new AlreadyDecided("a1", decision)).toMatchObject({ approvalId: "a1", decision });
    expect(new PipelineError("not-found", "gone")).toMatchObject({ kind: "not-found" });
    expect(new NotAllowed("self-approval", "no")).toMatchObject({ reason: "self-approval" });
  });
});
