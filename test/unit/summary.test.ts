import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Actor, Channel, Verdict, Vote } from "../../core/approval.js";
import { buildSummary, describeActor, SUMMARY_LIMIT, truncate } from "../../core/summary.js";
import { ANA, aDecision, aVote, BOB, isWellFormedUtf16, OCTOCAT } from "./builders.js";

const MARIA: Actor = { channel: "slack", id: "U012AB", name: "Maria" };
// Surrogate pairs, a skin-tone modifier and a ZWJ sequence: every one is longer than one UTF-16 unit.
const EMOJI = ["🚀", "👍🏽", "👩‍💻", "🇵🇹", "𝕏"];
// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting there are none is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

describe("describeActor", () => {
  it.each<[Actor, string]>([
    [ANA, "Ana Lima"],
    [MARIA, "Maria"],
    [OCTOCAT, "Mona Octocat"],
    [{ channel: "email", id: "bob@acme.io" }, "bob@acme.io"],
    [{ channel: "github", id: "octocat", name: "octocat" }, "@octocat"],
    [{ channel: "slack", id: "U012AB" }, "Slack user U012AB"],
  ])("%j → %s", (actor, text) => {
    expect(describeActor(actor)).toBe(text);
  });

  it("puts a name with line breaks on one line", () => {
    expect(describeActor({ ...ANA, name: "Ana\r\n\tLima\u0000" })).toBe("Ana Lima");
  });

  it("shows only the handle when the name is nothing but blanks", () => {
    expect(describeActor({ ...ANA, name: " \n\t " })).toBe("ana@acme.io");
  });
});

describe("buildSummary", () => {
  it("names the human, the channel and the comment", () => {
    // Prepare
    const decision = aDecision(aVote(ANA, { comment: "ship it" }));

    // Act
    const summary = buildSummary(decision);

    // Assess
    expect(summary).toBe("Approved by Ana Lima via e-mail: ship it");
  });

  it.each<[Actor, string]>([
    [MARIA, "Rejected by Maria via Slack: checkout is broken"],
    [OCTOCAT, "Rejected by Mona Octocat via GitHub: checkout is broken"],
  ])("names a rejection from %j", (actor, text) => {
    const decision = aDecision(aVote(actor, { verdict: "reject", comment: "checkout is broken" }));

    expect(buildSummary(decision)).toBe(text);
  });

  it("leaves out the colon when there is no comment", () => {
    expect(buildSummary(aDecision(aVote(OCTOCAT)))).toBe("Approved by Mona Octocat via GitHub");
  });

  it("names both approvers of a quorum of 2", () => {
    const first = aVote(BOB);
    const second = aVote(MARIA, { comment: "looks good" });

    const summary = buildSummary(aDecision(second, [first, second]));

    expect(summary).toBe("Approved by Bob Stone via e-mail and Maria via Slack: looks good");
  });

  it("lists three approvers with commas and 'and'", () => {
    const votes = [aVote(ANA), aVote(MARIA), aVote(OCTOCAT, { comment: "go" })];

    const summary = buildSummary(aDecision(votes[2] ?? aVote(ANA), votes));

    expect(summary).toBe("Approved by Ana Lima via e-mail, Maria via Slack and Mona Octocat via GitHub: go");
  });

  it("names only the rejecter, even after earlier approvals", () => {
    const rejection = aVote(BOB, { verdict: "reject", comment: "no" });

    const summary = buildSummary({ ...aDecision(rejection), approvals: [aVote(ANA)] });

    expect(summary).toBe("Rejected by Bob Stone via e-mail: no");
  });

  it("collapses control characters and runs of whitespace in the comment", () => {
    const decision = aDecision(aVote(ANA, { comment: "  ship\r\n\r\n\tit\u0000\u001b[31m now\u007f  " }));

    expect(buildSummary(decision)).toBe("Approved by Ana Lima via e-mail: ship it [31m now");
  });

  it("drops a comment that is only blanks", () => {
    expect(buildSummary(aDecision(aVote(ANA, { comment: "\n\t " })))).toBe("Approved by Ana Lima via e-mail");
  });

  it("cuts a long comment to the 512 characters CodePipeline accepts", () => {
    const decision = aDecision(aVote(ANA, { comment: "x".repeat(5_000) }));

    const summary = buildSummary(decision);

    expect(summary).toHaveLength(SUMMARY_LIMIT);
    expect(summary.startsWith("Approved by Ana Lima via e-mail: xxx")).toBe(true);
    expect(summary.endsWith("x…")).toBe(true);
  });

  it("never splits an emoji at the cut", () => {
    const prefix = "Approved by Ana Lima via e-mail: ";
    // Offset by one unit so the 511th unit falls inside a surrogate pair.
    const decision = aDecision(aVote(ANA, { comment: `a${"🚀".repeat(400)}` }));

    const summary = buildSummary(decision);

    expect(summary.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(isWellFormedUtf16(summary)).toBe(true);
    expect(summary.slice(prefix.length + 1, -1)).toMatch(/^(🚀)+$/u);
  });

  it("stays within 512 characters, well-formed and on one line, whatever people type (property)", () => {
    const text = fc.array(
      fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom(...EMOJI, "\n", "\t", "\u0000")),
      {
        maxLength: 300,
      },
    );
    const typed = text.map((parts) => parts.join(""));
    const actor: fc.Arbitrary<Actor> = fc.record(
      {
        channel: fc.constantFrom<Channel>("email", "slack", "github"),
        id: fc.constantFrom("ana@acme.io", "U012AB", "octocat"),
        name: typed,
      },
      { requiredKeys: ["channel", "id"] },
    );
    const vote: fc.Arbitrary<Vote> = fc.record(
      {
        principal: fc.constantFrom("email:ana@acme.io", "slack:u012ab", "github:octocat"),
        actor,
        verdict: fc.constantFrom<Verdict>("approve", "reject"),
        comment: typed,
        at: fc.constant("2026-12-01T10:00:00.000Z"),
      },
      { requiredKeys: ["principal", "actor", "verdict", "at"] },
    );

    fc.assert(
      fc.property(fc.array(vote, { minLength: 1, maxLength: 20 }), (full) => {
        const by = full.at(-1) ?? aVote(ANA);
        const summary = buildSummary(aDecision(by, by.verdict === "approve" ? full : []));

        expect(summary.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
        expect(isWellFormedUtf16(summary)).toBe(true);
        expect(summary).not.toMatch(CONTROL);
        expect(summary).toMatch(by.verdict === "approve" ? /^Approved by \S/ : /^Rejected by \S/);
      }),
    );
  });
});

describe("truncate", () => {
  it.each([
    ["", 10, ""],
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["eleven char", 10, "eleven ch…"],
    ["🚀🚀🚀", 6, "🚀🚀🚀"],
    ["🚀🚀🚀", 5, "🚀🚀…"],
    ["🚀🚀🚀", 4, "🚀…"],
    ["a🚀🚀", 4, "a🚀…"],
    ["ab🚀🚀", 4, "ab…"],
  ])("truncate(%j, %i) → %j", (text, limit, expected) => {
    expect(truncate(text, limit)).toBe(expected);
  });

  it("never exceeds the limit and keeps well-formed text well-formed (property)", () => {
    const text = fc
      .array(fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom(...EMOJI)), { maxLength: 200 })
      .map((parts) => parts.join(""));

    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 600 }), (input, limit) => {
        const out = truncate(input, limit);

        expect(out.length).toBeLessThanOrEqual(limit);
        expect(isWellFormedUtf16(out)).toBe(true);
        if (input.length <= limit) expect(out).toBe(input);
        else {
          expect(out.endsWith("…")).toBe(true);
          expect(input.startsWith(out.slice(0, -1))).toBe(true);
          // Nothing was dropped that would have fit.
          expect(out.length).toBeGreaterThanOrEqual(limit - 1);
        }
      }),
    );
  });
});
