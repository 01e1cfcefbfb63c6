import { describe, expect, it } from "vitest";
import type { Actor, Approval, Verdict } from "../../core/approval.js";
import { authorize, confirmationPhrase, namedActor, principalFor } from "../../core/authorize.js";
import { NotAllowed, type NotAllowedReason } from "../../core/errors.js";
import { ANA, ANA_ON_SLACK, anApproval, BOB, OCTOCAT, OPENED_AT } from "./builders.js";

function refusal(
  approval: Approval,
  actor: Actor,
  verdict: Verdict,
  confirmation?: string,
): NotAllowedReason {
  try {
    authorize(approval, actor, verdict, confirmation);
  } catch (e: unknown) {
    if (e instanceof NotAllowed) return e.reason;
    throw e;
  }
  throw new Error("expected NotAllowed");
}

const COMMIT = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B";

describe("authorize: who is an approver", () => {
  const approval = anApproval();

  it.each<[string, Actor]>([
    ["an e-mail recipient", ANA],
    ["an e-mail recipient in another case", { channel: "email", id: "Bob@ACME.io" }],
    ["a listed Slack user", { channel: "slack", id: "U0MARIA" }],
    ["a listed GitHub login, any case", { channel: "github", id: "OctoCat" }],
  ])("allows %s", (_label, actor) => {
    expect(() => authorize(approval, actor, "approve")).not.toThrow();
  });

  it.each<[string, Actor]>([
    ["an address not on the list", { channel: "email", id: "mallory@acme.io" }],
    ["a Slack user not on the list", { channel: "slack", id: "U0OTHER" }],
    ["a Slack user id in the wrong case", { channel: "slack", id: "u0maria" }],
    ["a GitHub login not on the list", { channel: "github", id: "hubot", permission: "admin" }],
  ])("refuses %s", (_label, actor) => {
    expect(refusal(approval, actor, "approve")).toBe("not-an-approver");
    expect(refusal(approval, actor, "reject")).toBe("not-an-approver");
  });

  it("refuses a channel the rule does not use", () => {
    const emailOnly = anApproval({ rule: { slack: undefined, github: undefined } });

    expect(refusal(emailOnly, { channel: "slack", id: "U0MARIA" }, "approve")).toBe("not-an-approver");
    expect(refusal(emailOnly, OCTOCAT, "approve")).toBe("not-an-approver");
  });

  it("names the actor in the refusal", () => {
    expect(() => authorize(approval, { channel: "email", id: "mallory@acme.io" }, "approve")).toThrow(
      "email:mallory@acme.io is not an approver for this deploy",
    );
  });

  describe("Slack user group", () => {
    const grouped = anApproval({
      rule: { slack: { channel: "C0DEPLOY", approvers: { users: [], group: "S0OPS" } } },
    });

    it("allows a member of the group (one Greenlight can tell apart from the authors)", () => {
      expect(() =>
        authorize(grouped, { channel: "slack", id: "U0MARIA", groups: ["S0DEV", "S0OPS"] }, "approve"),
      ).not.toThrow();
    });

    it("lets a member nobody linked to GitHub reject, but not approve", () => {
      const stranger: Actor = { channel: "slack", id: "U0NEW", groups: ["S0OPS"] };

      expect(refusal(grouped, stranger, "approve")).toBe("identity-unlinked");
      expect(() => authorize(grouped, stranger, "reject")).not.toThrow();
    });

    it("refuses someone outside the group", () => {
      expect(refusal(grouped, { channel: "slack", id: "U0NEW", groups: ["S0DEV"] }, "approve")).toBe(
        "not-an-approver",
      );
      expect(refusal(grouped, { channel: "slack", id: "U0NEW" }, "approve")).toBe("not-an-approver");
    });
  });

  describe("GitHub team and permission", () => {
    const byTeam = anApproval({ rule: { github: { approvers: { logins: [], team: "acme/Deployers" } } } });
    const byPermission = anApproval({
      rule: { github: { approvers: { logins: [], minPermission: "write" } } },
    });

    it("allows a team member, comparing team slugs without case", () => {
      expect(() =>
        authorize(byTeam, { channel: "github", id: "dev", teams: ["ACME/deployers"] }, "approve"),
      ).not.toThrow();
    });

    it("refuses someone in other teams", () => {
      expect(refusal(byTeam, { channel: "github", id: "dev", teams: ["acme/readers"] }, "approve")).toBe(
        "not-an-approver",
      );
    });

    it.each(["write", "maintain", "admin"] as const)(
      "allows %s permission when write is required",
      (permission) => {
        expect(() =>
          authorize(byPermission, { channel: "github", id: "dev", permission }, "approve"),
        ).not.toThrow();
      },
    );

    it.each(["read", "triage", undefined] as const)(
      "refuses %s permission when write is required",
      (permission) => {
        const actor: Actor = { channel: "github", id: "dev", ...(permission ? { permission } : {}) };

        expect(refusal(byPermission, actor, "approve")).toBe("not-an-approver");
      },
    );
  });
});

describe("authorize: self-approval", () => {
  const byOctocat = anApproval({
    context: { pullRequest: { number: 42, author: "OctoCat" }, authors: { logins: [], emails: [] } },
  });

  it("refuses the pull request's author an approval", () => {
    expect(refusal(byOctocat, OCTOCAT, "approve")).toBe("self-approval");
  });

  it("lets the author reject their own deploy", () => {
    expect(() => authorize(byOctocat, OCTOCAT, "reject")).not.toThrow();
  });

  it("refuses a commit author, matched by e-mail", () => {
    const byAna = anApproval({ context: { authors: { logins: [], emails: ["ANA@acme.io"] } } });

    expect(refusal(byAna, ANA, "approve")).toBe("self-approval");
  });

  it("refuses a commit author, matched by login", () => {
    const byOcto = anApproval({ context: { authors: { logins: ["octocat"], emails: [] } } });

    expect(refusal(byOcto, OCTOCAT, "approve")).toBe("self-approval");
  });

  it("recognises the author on another channel through the policy's people", () => {
    // Ana wrote the PR as ana-lima on GitHub and answers from Slack.
    const byAna = anApproval({
      context: { pullRequest: { number: 7, author: "ana-lima" }, authors: { logins: [], emails: [] } },
    });

    expect(refusal(byAna, ANA_ON_SLACK, "approve")).toBe("self-approval");
    expect(refusal(byAna, ANA, "approve")).toBe("self-approval");
  });

  it("recognises the author by the e-mail a channel reports for them", () => {
    const byMaria = anApproval({ context: { authors: { logins: [], emails: ["maria@acme.io"] } } });
    const maria: Actor = { channel: "slack", id: "U0MARIA", email: "Maria@acme.io" };

    expect(refusal(byMaria, maria, "approve")).toBe("self-approval");
  });

  it("lets someone else approve", () => {
    expect(() => authorize(byOctocat, BOB, "approve")).not.toThrow();
  });

  it("lets the author approve when the policy allows self-approval", () => {
    const allowed = anApproval({
      rule: { selfApproval: true },
      context: { pullRequest: { number: 42, author: "octocat" }, authors: { logins: [], emails: [] } },
    });

    expect(() => authorize(allowed, OCTOCAT, "approve")).not.toThrow();
  });

  it("still refuses a self-approving author who is not an approver as not an approver", () => {
    const byMallory = anApproval({ context: { authors: { logins: [], emails: ["mallory@acme.io"] } } });

    expect(refusal(byMallory, { channel: "email", id: "mallory@acme.io" }, "approve")).toBe(
      "not-an-approver",
    );
  });
});

describe("authorize: high-risk confirmation", () => {
  const risky = anApproval({
    rule: { highRisk: { confirm: "commit-prefix", length: 4 } },
    context: { commit: { sha: COMMIT }, authors: { logins: [], emails: [] }, authorsResolvedAt: OPENED_AT },
  });

  it("asks for the first characters of the commit, lower-cased", () => {
    expect(confirmationPhrase(risky)).toBe("9f86");
  });

  it("uses the configured length", () => {
    const longer = {
      ...risky,
      rule: { ...risky.rule, highRisk: { confirm: "commit-prefix" as const, length: 8 } },
    };

    expect(confirmationPhrase(longer)).toBe("9f86d081");
  });

  it("falls back to the pipeline name when the commit is unknown", () => {
    const noCommit = anApproval({
      rule: { highRisk: { confirm: "commit-prefix", length: 4 } },
      context: { commit: undefined },
    });

    expect(confirmationPhrase(noCommit)).toBe("shop");
  });

  it("asks nothing when the rule is not high-risk", () => {
    expect(confirmationPhrase(anApproval())).toBeUndefined();
  });

  it.each([[undefined], [""], ["9f8"], ["9f87"], ["9f86d"]])(
    "refuses the confirmation %j",
    (confirmation) => {
      expect(refusal(risky, ANA, "approve", confirmation)).toBe("confirmation-required");
    },
  );

  it.each([["9f86"], ["9F86"], [" 9f86 "]])("accepts the confirmation %j", (confirmation) => {
    expect(() => authorize(risky, ANA, "approve", confirmation)).not.toThrow();
  });

  it.each([[undefined], [""], ["wrong"]])(
    "never asks it to reject (rejecting is never harder than approving): confirmation %j",
    (confirmation) => {
      expect(() => authorize(risky, ANA, "reject", confirmation)).not.toThrow();
    },
  );

  it("checks who may decide before asking for a confirmation", () => {
    expect(refusal(risky, { channel: "email", id: "mallory@acme.io" }, "approve", "9f86")).toBe(
      "not-an-approver",
    );
  });

  it("tells the person how many characters to type", () => {
    expect(() => authorize(risky, ANA, "approve")).toThrow("Type the first 4 characters to confirm");
  });
});

describe("principalFor", () => {
  const rule = anApproval().rule;

  it("maps every channel identity of one person to that person", () => {
    const principals = [ANA, ANA_ON_SLACK, { channel: "github", id: "Ana-Lima" } satisfies Actor].map((a) =>
      principalFor(rule, a),
    );

    expect(principals).toEqual(["person:Ana Lima", "person:Ana Lima", "person:Ana Lima"]);
  });

  it("keeps strangers apart by channel and id", () => {
    expect(principalFor(rule, { channel: "email", id: "zed@acme.io" })).toBe("email:zed@acme.io");
    expect(principalFor(rule, OCTOCAT)).toBe("github:octocat");
  });
});

describe("namedActor", () => {
  const rule = anApproval().rule;

  it("names an actor the channel left nameless, through the policy's people", () => {
    expect(namedActor(rule, { channel: "slack", id: "U0ANA1" })).toEqual({
      channel: "slack",
      id: "U0ANA1",
      name: "Ana Lima",
    });
  });

  it("prefers the policy's name to the one the channel gave (one name everywhere); keeps the channel's for a stranger", () => {
    expect(namedActor(rule, { ...ANA_ON_SLACK, name: "ana.l (Slack display name)" })).toEqual({
      ...ANA_ON_SLACK,
      name: "Ana Lima",
    });
    const stranger: Actor = { channel: "slack", id: "U0ZED99", name: "Zed" };
    expect(namedActor(rule, stranger)).toEqual(stranger);
  });

  it("leaves a stranger nameless", () => {
    const stranger: Actor = { channel: "email", id: "zed@acme.io" };

    expect(namedActor(rule, stranger)).toEqual(stranger);
  });
});

describe("authorize: waiting for the authors from GitHub", () => {
  const COMMIT_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";
  const unresolved = anApproval({
    context: {
      commit: { sha: COMMIT_SHA },
      authors: { logins: [], emails: [] },
      authorsResolvedAt: undefined,
    },
  });

  it("refuses an approval while the authors are unknown, naming why", () => {
    expect(() => authorize(unresolved, ANA, "approve")).toThrow(
      expect.objectContaining({ reason: "authors-pending" }),
    );
  });

  it("lets anyone allowed reject meanwhile: stopping a deploy is always safe", () => {
    expect(() => authorize(unresolved, ANA, "reject")).not.toThrow();
  });

  it("approves once GitHub resolved the authors, or when the rule allows self-approval", () => {
    const resolved = { ...unresolved, context: { ...unresolved.context, authorsResolvedAt: OPENED_AT } };
    const selfOk = { ...unresolved, rule: { ...unresolved.rule, selfApproval: true } };

    expect(() => authorize(resolved, ANA, "approve")).not.toThrow();
    expect(() => authorize(selfOk, ANA, "approve")).not.toThrow();
  });

  it("does not wait when GitHub cannot tell (no commit known, or no repository)", () => {
    const noCommit = anApproval();
    const noRepo = anApproval({
      rule: { github: { approvers: { logins: ["octocat"] } } },
      context: { commit: { sha: COMMIT_SHA }, authors: { logins: [], emails: [] } },
    });

    expect(() => authorize(noCommit, ANA, "approve")).not.toThrow();
    expect(() => authorize(noRepo, ANA, "approve")).not.toThrow();
  });
});
