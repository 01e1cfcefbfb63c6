import { describe, expect, it } from "vitest";
import type { Actor, Approval, ChangeContext, Verdict } from "../../core/approval.js";
import { authorize } from "../../core/authorize.js";
import { NotAllowed, type NotAllowedReason } from "../../core/errors.js";
import type { Rule } from "../../core/policy.js";
import { anApproval, aRule } from "./builders.js";

function outcome(approval: Approval, actor: Actor, verdict: Verdict = "approve"): NotAllowedReason | "ok" {
  try {
    authorize(approval, actor, verdict);
    return "ok";
  } catch (e: unknown) {
    if (e instanceof NotAllowed) return e.reason;
    throw e;
  }
}

// Dev writes the change; Ana and Bob review. Dev is also an e-mail recipient and a Slack approver
// under other names, which is what an author trying to wave their change through would use.
const people: Rule["people"] = [
  {
    name: "Dev Khan",
    email: "dev@acme.io",
    emails: ["dev.khan@gmail.com"],
    slack: "U0DEV",
    github: "dev-khan",
  },
  { name: "Ana Lima", email: "ana@acme.io", slack: "U0ANA1", github: "ana-lima" },
  { name: "Bob Stone", email: "bob@acme.io", github: false },
];
const rule = (overrides: Partial<Rule> = {}) =>
  aRule({
    people,
    email: {
      recipients: [
        "dev@acme.io",
        "dev.khan@gmail.com",
        "ana@acme.io",
        "bob@acme.io",
        "stranger@acme.io",
        "cara@acme.io",
      ],
    },
    slack: { channel: "C0DEPLOY", approvers: { users: ["U0DEV", "U0ANA1", "U0NOBODY"] } },
    github: { repo: "acme/shop", approvers: { logins: ["dev-khan", "ana-lima", "octocat", "co-dev"] } },
    ...overrides,
  });
const release = (context: Partial<ChangeContext>, overrides: Partial<Rule> = {}) =>
  anApproval({ rule: rule(overrides), context });

const byDev: Partial<ChangeContext> = {
  authors: { logins: ["dev-khan"], emails: ["12345+dev-khan@users.noreply.github.com"] },
  emailLogins: {},
};

describe("self-approval: the author under any identity", () => {
  it.each<[string, Actor]>([
    ["on GitHub", { channel: "github", id: "dev-khan" }],
    ["by e-mail at work", { channel: "email", id: "dev@acme.io" }],
    ["by e-mail at another address under people:", { channel: "email", id: "dev.khan@gmail.com" }],
    ["on Slack", { channel: "slack", id: "U0DEV" }],
  ])("refuses the author %s, and lets them reject", (_how, actor) => {
    const approval = release(byDev);

    expect(outcome(approval, actor)).toBe("self-approval");
    expect(outcome(approval, actor, "reject")).toBe("ok");
  });

  it("maps a noreply commit address to its login, with or without the id", () => {
    for (const email of ["777+co-dev@users.noreply.github.com", "co-dev@users.noreply.github.com"]) {
      const approval = release({ authors: { logins: [], emails: [email] } });

      expect(outcome(approval, { channel: "github", id: "Co-Dev" })).toBe("self-approval");
      expect(outcome(approval, { channel: "github", id: "ana-lima" })).toBe("ok");
    }
  });

  it("uses the address GitHub tied to a login: a co-author known by that address is refused on GitHub", () => {
    // co-dev committed as co@dev.io once (GitHub attributed it), and co-authored another commit.
    const approval = release({
      authors: { logins: ["dev-khan", "co-dev"], emails: ["co@dev.io"] },
      emailLogins: { "co@dev.io": "co-dev" },
    });

    expect(outcome(approval, { channel: "github", id: "co-dev" })).toBe("self-approval");
    expect(outcome(approval, { channel: "email", id: "co@dev.io" }, "reject")).toBe("not-an-approver");
  });

  it("refuses everyone while a co-author is known by e-mail only (they could be anyone)", () => {
    const approval = release({ authors: { logins: ["dev-khan"], emails: ["mystery@example.org"] } });

    expect(outcome(approval, { channel: "github", id: "ana-lima" })).toBe("authors-unlinked");
    expect(outcome(approval, { channel: "email", id: "bob@acme.io" })).toBe("authors-unlinked");
    expect(outcome(approval, { channel: "github", id: "ana-lima" }, "reject")).toBe("ok");
  });

  it("lets the co-author's e-mail through once people: ties it to a login, and refuses that login", () => {
    const linked = [...people, { name: "Mo Ray", email: "mystery@example.org", github: "mo-ray" }];
    const approval = release(
      { authors: { logins: ["dev-khan"], emails: ["mystery@example.org"] } },
      { people: linked },
    );

    expect(outcome(approval, { channel: "github", id: "ana-lima" })).toBe("ok");
    expect(outcome(approval, { channel: "github", id: "mo-ray" })).toBe("not-an-approver");
  });

  it("refuses an approver tied to nothing (not under people:), who could be an author under another name", () => {
    const approval = release(byDev);

    expect(outcome(approval, { channel: "email", id: "stranger@acme.io" })).toBe("identity-unlinked");
    expect(outcome(approval, { channel: "slack", id: "U0NOBODY" })).toBe("identity-unlinked");
    expect(outcome(approval, { channel: "email", id: "stranger@acme.io" }, "reject")).toBe("ok");
  });

  it("knows a Slack user by the profile e-mail Slack vouched for", () => {
    const approval = release(byDev);

    expect(outcome(approval, { channel: "slack", id: "U0NOBODY", email: "dev@acme.io" })).toBe(
      "self-approval",
    );
    expect(outcome(approval, { channel: "slack", id: "U0NOBODY", email: "bob@acme.io" })).toBe("ok");
  });

  it("lets people with no GitHub account (github: false) and other logins approve", () => {
    const approval = release(byDev);

    expect(outcome(approval, { channel: "email", id: "bob@acme.io" })).toBe("ok");
    expect(outcome(approval, { channel: "github", id: "octocat" })).toBe("ok");
    expect(outcome(approval, { channel: "slack", id: "U0ANA1" })).toBe("ok");
  });
});

describe("self-approval: authors not known", () => {
  it("refuses approval when CodePipeline named no GitHub repository (another source, a failed look-up)", () => {
    const s3 = anApproval({
      rule: rule({ github: undefined }),
      context: { repository: undefined, commit: { sha: "abc1234" }, authorsResolvedAt: undefined },
    });
    const noCommit = release({ commit: undefined, authorsResolvedAt: undefined });

    expect(outcome(s3, { channel: "email", id: "bob@acme.io" })).toBe("authors-unknown");
    expect(outcome(noCommit, { channel: "email", id: "bob@acme.io" })).toBe("authors-unknown");
    expect(outcome(noCommit, { channel: "email", id: "bob@acme.io" }, "reject")).toBe("ok");
  });

  it("checks authors for a rule with no github: section when the source is on GitHub", () => {
    const emailOnly = anApproval({
      rule: rule({ github: undefined, slack: undefined }),
      context: { ...byDev, repository: "acme/shop", authorsResolvedAt: undefined },
    });
    const read = {
      ...emailOnly,
      context: { ...emailOnly.context, authorsResolvedAt: "2026-11-29T20:23:00.000Z" },
    };

    expect(outcome(emailOnly, { channel: "email", id: "bob@acme.io" })).toBe("authors-pending");
    expect(outcome(read, { channel: "email", id: "dev@acme.io" })).toBe("self-approval");
    expect(outcome(read, { channel: "email", id: "bob@acme.io" })).toBe("ok");
  });

  it("refuses approval, saying why, when reading the authors failed for good", () => {
    const approval = release({
      authorsResolvedAt: undefined,
      authorsProblem: "the GitHub App is not installed on acme/shop",
    });

    expect(() => authorize(approval, { channel: "email", id: "bob@acme.io" }, "approve")).toThrow(
      /could not read who wrote the change \(the GitHub App is not installed on acme\/shop\).*selfApproval: true/,
    );
    expect(outcome(approval, { channel: "email", id: "bob@acme.io" }, "reject")).toBe("ok");
  });

  it("lets selfApproval: true through without authors (the rule says so)", () => {
    const approval = release({ commit: undefined, authorsResolvedAt: undefined }, { selfApproval: true });

    expect(outcome(approval, { channel: "email", id: "stranger@acme.io" })).toBe("ok");
  });
});

describe("quorum counts people", () => {
  it("refuses a vote towards a quorum of 2 from an identity tied to no GitHub account", () => {
    const approval = release(byDev, { quorum: 2, selfApproval: true });

    expect(outcome(approval, { channel: "email", id: "stranger@acme.io" })).toBe("identity-unlinked");
    expect(outcome(approval, { channel: "slack", id: "U0NOBODY" })).toBe("identity-unlinked");
    expect(outcome(approval, { channel: "email", id: "bob@acme.io" })).toBe("ok");
    expect(outcome(approval, { channel: "github", id: "octocat" })).toBe("ok");
  });
});
