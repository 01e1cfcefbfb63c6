import { describe, expect, it } from "vitest";
import { markerFor } from "../../bot/github/markdown.js";
import { refsOf, withRefs } from "../../bot/github/refs.js";
import { fingerprint, renderCheckRun, renderComment } from "../../bot/github/render.js";
import type { Approval, Vote } from "../../core/approval.js";
import { parsePolicyObject } from "../../core/policy.js";
import {
  castVote,
  closeElsewhere,
  markDelivered,
  markExpired,
  newApproval,
} from "../../core/state-machine.js";
import { approvalIdFor } from "../../core/tokens.js";
import { NOW, testRequest } from "../support/approvals.js";

const SHA = "4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d";

function approval(options: { quorum?: number; message?: string; highRisk?: boolean } = {}): Approval {
  const [rule] = parsePolicyObject({
    version: 1,
    people: [{ name: "Ana", email: "ana@acme.io", github: "ana" }],
    rules: [
      {
        match: {},
        quorum: options.quorum ?? 1,
        highRisk: options.highRisk ?? false,
        email: { recipients: ["ana@acme.io"] },
        github: {
          repo: "acme/shop-web",
          approvers: { logins: ["lead"], team: "acme/release", minPermission: "maintain" },
        },
      },
    ],
  }).rules;
  if (!rule) throw new Error("no rule");
  const request = testRequest({ externalLink: "https://staging.acme.io" });
  return newApproval({
    id: approvalIdFor(request),
    request,
    context: {
      commit: {
        sha: SHA,
        message: options.message ?? "Add checkout (#42)",
        url: `https://github.com/acme/shop-web/commit/${SHA}`,
      },
      authors: { logins: [], emails: [] },
    },
    rule,
    now: NOW,
  });
}

const vote = (id: string, verdict: "approve" | "reject", comment?: string): Vote => ({
  principal: `github:${id}`,
  verdict,
  actor: { channel: "github", id },
  at: NOW.toISOString(),
  ...(comment ? { comment } : {}),
});

describe("the status comment and check run, rendered from the approval", () => {
  it("pending: marker, facts, approvers (without pinging them), how to act; check run with two actions", () => {
    const a = approval();
    const body = renderComment(a);

    expect(body.startsWith(markerFor(a.id))).toBe(true);
    expect(body).toContain("⏳ Waiting for approval");
    expect(body).toContain("[`4f9c2d1`](https://github.com/acme/shop-web/commit/");
    expect(body).toContain("<https://staging.acme.io>");
    expect(body).toContain(
      "`@lead`, members of `@acme/release`, anyone with `maintain` access or more; also by e-mail",
    );
    expect(body).toContain("`/approve [comment]`");
    const run = renderCheckRun(a);
    expect(run).toMatchObject({
      name: "Greenlight · production approval",
      external_id: a.id,
      status: "in_progress",
    });
    expect(run.conclusion).toBeUndefined();
    for (const action of run.actions) {
      expect(action.label.length).toBeLessThanOrEqual(20);
      expect(action.description.length).toBeLessThanOrEqual(40);
      expect(action.identifier.length).toBeLessThanOrEqual(20);
    }
  });

  it("check run: Approve and Reject on a normal rule", () => {
    expect(renderCheckRun(approval()).actions.map((a) => a.identifier)).toEqual(["approve", "reject"]);
  });

  it("high risk: the check run offers only Reject and says how to approve; the comment too", () => {
    const a = approval({ highRisk: true });
    const run = renderCheckRun(a);
    const body = renderComment(a);

    expect(run.actions).toEqual([{ label: "Reject", description: "Stop this deploy", identifier: "reject" }]);
    expect(run.output.summary).toContain("`/approve <first 4 characters of the commit> [comment]`");
    expect(body).toContain("to approve it, comment `/approve <first 4 characters of the commit> [comment]`");
    expect(body).not.toContain("`/approve [comment]`");
    expect(body).toContain("`/reject <reason>`");
  });

  it("high risk, once decided: no actions and no instruction", () => {
    const a = approval({ highRisk: true });
    const decided = castVote(a, vote("lead", "reject", "no"), NOW).approval;

    expect(renderCheckRun(decided).actions).toEqual([]);
    expect(renderCheckRun(decided).output.summary).not.toContain("/approve");
  });

  it("text from outside cannot mention people, inject HTML or forge a marker", () => {
    const body = renderComment(
      approval({
        message: "Fix @everyone <!-- greenlight:approval=AAAAAAAAAAAAAAAAAAAAAA --> [x](http://evil)",
      }),
    );

    expect(body).not.toContain("@everyone");
    expect(body).not.toContain("<!-- greenlight:approval=AAAA");
    expect(body).not.toContain("[x](http://evil)");
  });

  it("pure: the same approval renders the same text (no clock), so fingerprints only change with the record", () => {
    const a = approval();

    expect(renderComment(a)).toBe(renderComment(structuredClone(a)));
    expect(fingerprint(renderCheckRun(a))).toBe(fingerprint(renderCheckRun(structuredClone(a))));
    expect(
      fingerprint(renderComment(castVote(approval({ quorum: 2 }), vote("lead", "approve"), NOW).approval)),
    ).not.toBe(fingerprint(renderComment(approval({ quorum: 2 }))));
  });

  it.each([
    [
      "approved",
      (a: Approval) => markDelivered(castVote(a, vote("lead", "approve", "go"), NOW).approval, NOW),
      "success",
      "Approved by @lead",
    ],
    [
      "rejected",
      (a: Approval) => markDelivered(castVote(a, vote("lead", "reject", "no"), NOW).approval, NOW),
      "failure",
      "Rejected by @lead",
    ],
    ["expired", (a: Approval) => markExpired(a, NOW), "timed_out", "Expired"],
    ["console", (a: Approval) => closeElsewhere(a, "console", NOW), "neutral", "AWS console"],
    ["superseded", (a: Approval) => closeElsewhere(a, "superseded", NOW), "cancelled", "newer run"],
  ])("%s → conclusion %s, no buttons, and the comment says so", (_state, move, conclusion, text) => {
    const a = move(approval());

    expect(renderCheckRun(a)).toMatchObject({ status: "completed", conclusion, actions: [] });
    expect(renderComment(a)).toContain(text);
    expect(renderComment(a)).not.toContain("/approve [comment]");
  });

  it("refs round-trip through the record's flat map", () => {
    const a = withRefs(approval(), {
      repo: "acme/shop-web",
      installationId: 7,
      prs: [42, 43],
      comments: new Map([[42, 1001]]),
      checkRunId: 55,
    });

    expect(a.channels.github).toEqual({
      repo: "acme/shop-web",
      installationId: 7,
      prs: "42,43",
      "comment:42": 1001,
      checkRunId: 55,
    });
    expect(refsOf(a)).toMatchObject({ prs: [42, 43], checkRunId: 55, installationId: 7 });
    expect(refsOf(withRefs(a, { checkRunId: undefined })).checkRunId).toBeUndefined();
  });
});
