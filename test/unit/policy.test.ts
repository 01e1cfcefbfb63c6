import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../core/errors.js";
import {
  matchRule,
  type Policy,
  parseDuration,
  parsePolicyObject,
  principalOf,
  type Rule,
} from "../../core/policy.js";

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e: unknown) {
    return e;
  }
  throw new Error("expected an error");
}

/** A valid policy with one e-mail rule; `rule` and `top` bend it. */
function policyWith(rule: Record<string, unknown> = {}, top: Record<string, unknown> = {}): unknown {
  return {
    version: 1,
    rules: [{ match: { pipeline: "shop-*" }, email: { recipients: ["ana@acme.io"] }, ...rule }],
    ...top,
  };
}

function onlyRule(policy: Policy): Rule {
  const [rule] = policy.rules;
  if (!rule) throw new Error("policy has no rule");
  return rule;
}

describe("parseDuration", () => {
  it.each([
    ["45s", 45_000],
    ["30m", 1_800_000],
    ["4h", 14_400_000],
    ["1d", 86_400_000],
    [" 2h ", 7_200_000],
    ["2 h", 7_200_000],
  ])("reads %j", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([["1w"], [""], ["h"], ["-1h"], ["1.5h"], ["4 hours"]])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("parsePolicyObject", () => {
  it("applies the built-in defaults to a minimal rule", () => {
    // Prepare
    const input = { version: 1, rules: [{ match: {}, email: { recipients: ["ana@acme.io"] } }] };

    // Act
    const policy = parsePolicyObject(input);

    // Assess
    expect(policy.rules).toEqual([
      {
        name: "rules[0]",
        match: { pipeline: "*", stage: "*", action: "*" },
        quorum: 1,
        selfApproval: false,
        reminderEvery: 4 * 3_600_000,
        highRisk: false,
        email: { recipients: ["ana@acme.io"] },
        people: [],
      },
    ]);
  });

  it("applies the policy's defaults to rules that do not say otherwise", () => {
    const input = {
      version: 1,
      defaults: { quorum: 2, selfApproval: true, reminderEvery: "30m", highRisk: true },
      rules: [
        { match: {}, email: { recipients: ["ana@acme.io", "bob@acme.io"] } },
        {
          match: {},
          quorum: 1,
          selfApproval: false,
          reminderEvery: false,
          highRisk: false,
          email: { recipients: ["ana@acme.io"] },
        },
      ],
    };

    const [inherits, overrides] = parsePolicyObject(input).rules;

    expect(inherits).toMatchObject({
      quorum: 2,
      selfApproval: true,
      reminderEvery: 1_800_000,
      highRisk: { confirm: "commit-prefix", length: 4 },
    });
    expect(overrides).toMatchObject({
      quorum: 1,
      selfApproval: false,
      reminderEvery: false,
      highRisk: false,
    });
  });

  it("keeps a high-risk confirmation length, defaulting it to 4", () => {
    const long = onlyRule(
      parsePolicyObject(policyWith({ highRisk: { confirm: "commit-prefix", length: 8 } })),
    );
    const short = onlyRule(parsePolicyObject(policyWith({ highRisk: { confirm: "commit-prefix" } })));

    expect(long.highRisk).toEqual({ confirm: "commit-prefix", length: 8 });
    expect(short.highRisk).toEqual({ confirm: "commit-prefix", length: 4 });
  });

  it("lower-cases e-mail addresses and GitHub logins, keeps Slack ids", () => {
    const input = {
      version: 1,
      people: [{ name: "Ana Lima", email: "Ana@Acme.IO", github: "Ana-Lima", slack: "U0ANA1" }],
      rules: [
        {
          match: {},
          email: { recipients: ["Ana@Acme.IO"] },
          slack: { channel: "C0DEPLOY", approvers: { users: ["U0ANA1"] } },
          github: { approvers: { logins: ["OctoCat"], team: "acme/Deployers", minPermission: "maintain" } },
        },
      ],
    };

    const rule = onlyRule(parsePolicyObject(input));

    expect(rule.email?.recipients).toEqual(["ana@acme.io"]);
    expect(rule.github?.approvers).toEqual({
      logins: ["octocat"],
      team: "acme/Deployers",
      minPermission: "maintain",
    });
    expect(rule.slack?.approvers).toEqual({ users: ["U0ANA1"] });
    expect(rule.people).toEqual([
      { name: "Ana Lima", email: "ana@acme.io", github: "ana-lima", slack: "U0ANA1" },
    ]);
  });

  it("gives every rule the policy's people", () => {
    const input = {
      version: 1,
      people: [{ name: "Ana Lima", email: "ana@acme.io" }],
      rules: [
        { match: { pipeline: "a" }, email: { recipients: ["ana@acme.io"] } },
        { match: { pipeline: "b" }, email: { recipients: ["ana@acme.io"] } },
      ],
    };

    const policy = parsePolicyObject(input);

    expect(policy.rules.map((r) => r.people)).toEqual([
      [{ name: "Ana Lima", email: "ana@acme.io" }],
      [{ name: "Ana Lima", email: "ana@acme.io" }],
    ]);
  });

  describe("quorum against the distinct approvers", () => {
    it("refuses a quorum larger than the listed approvers", () => {
      const error = caught(() => parsePolicyObject(policyWith({ quorum: 2 })));

      expect(error).toBeInstanceOf(InvalidInput);
      expect(error).toMatchObject({
        source: "greenlight.yml",
        field: "rules[0].quorum",
        expected: "expected at most 1: only 1 distinct approver(s)",
      });
    });

    it("counts one person on several channels once", () => {
      const input = {
        version: 1,
        people: [{ name: "Ana Lima", email: "ana@acme.io", slack: "U0ANA1", github: "ana-lima" }],
        rules: [
          {
            match: {},
            quorum: 2,
            email: { recipients: ["ana@acme.io"] },
            slack: { channel: "C0DEPLOY", approvers: { users: ["U0ANA1"] } },
            github: { approvers: { logins: ["Ana-Lima"] } },
          },
        ],
      };

      const error = caught(() => parsePolicyObject(input));

      expect(error).toMatchObject({
        field: "rules[0].quorum",
        expected: expect.stringContaining("at most 1"),
      });
    });

    it("counts a quorum inherited from the defaults", () => {
      const error = caught(() => parsePolicyObject(policyWith({}, { defaults: { quorum: 3 } })));

      expect(error).toMatchObject({ field: "rules[0].quorum" });
    });

    it("accepts a quorum met by distinct people across channels", () => {
      const input = policyWith({
        quorum: 3,
        email: { recipients: ["ana@acme.io"] },
        slack: { channel: "C0DEPLOY", approvers: { users: ["U0MARIA"] } },
        github: { approvers: { logins: ["octocat"] } },
      });

      expect(onlyRule(parsePolicyObject(input)).quorum).toBe(3);
    });

    it.each([
      ["a Slack group", { slack: { channel: "C0DEPLOY", approvers: { group: "S0OPS" } } }],
      ["a GitHub team", { github: { approvers: { team: "acme/deployers" } } }],
      ["a GitHub permission", { github: { approvers: { minPermission: "write" } } }],
    ])("cannot count %s, so it accepts any quorum", (_label, channel) => {
      const input = policyWith({ quorum: 5, ...channel });

      expect(onlyRule(parsePolicyObject(input)).quorum).toBe(5);
    });
  });

  describe("names the path and what was expected", () => {
    const cases: Array<[string, unknown, string, string | RegExp]> = [
      ["version 2", policyWith({}, { version: 2 }), "version", "expected version: 1"],
      ["no rules", { version: 1, rules: [] }, "rules", "expected at least one rule"],
      ["quorum 0", policyWith({ quorum: 0 }), "rules[0].quorum", "expected at least 1"],
      ["quorum 21", policyWith({ quorum: 21 }), "rules[0].quorum", "expected at most 20"],
      ["quorum 1.5", policyWith({ quorum: 1.5 }), "rules[0].quorum", "expected a whole number"],
      ["quorum as text", policyWith({ quorum: "2" }), "rules[0].quorum", /expected number/],
      ["no channel", { version: 1, rules: [{ match: {} }] }, "rules[0]", /at least one channel/],
      ["unknown key", policyWith({ colour: "green" }), "rules[0].colour", /^unknown key "colour"$/],
      ["empty glob", policyWith({ match: { pipeline: "" } }), "rules[0].match.pipeline", /glob/],
      [
        "bad recipient",
        policyWith({ email: { recipients: ["ana@acme.io", "bob"] } }),
        "rules[0].email.recipients[1]",
        "expected an e-mail address",
      ],
      [
        "no recipients",
        policyWith({ email: { recipients: [] } }),
        "rules[0].email.recipients",
        "expected at least one recipient",
      ],
      [
        "Slack channel by name",
        policyWith({ slack: { channel: "#deploys", approvers: { users: ["U0ANA1"] } } }),
        "rules[0].slack.channel",
        /Slack channel id/,
      ],
      [
        "Slack user by name",
        policyWith({ slack: { channel: "C0DEPLOY", approvers: { users: ["@ana"] } } }),
        "rules[0].slack.approvers.users[0]",
        /Slack user id/,
      ],
      [
        "Slack without approvers",
        policyWith({ slack: { channel: "C0DEPLOY", approvers: {} } }),
        "rules[0].slack.approvers",
        "expected users or a group",
      ],
      [
        "GitHub repo without owner",
        policyWith({ github: { repo: "shop", approvers: { logins: ["octocat"] } } }),
        "rules[0].github.repo",
        "expected owner/repository",
      ],
      [
        "GitHub without approvers",
        policyWith({ github: { approvers: { logins: [] } } }),
        "rules[0].github.approvers",
        "expected logins, a team or minPermission",
      ],
      [
        "unknown GitHub permission",
        policyWith({ github: { approvers: { minPermission: "owner" } } }),
        "rules[0].github.approvers.minPermission",
        /admin/,
      ],
      ["reminder too short", policyWith({ reminderEvery: "5s" }), "rules[0].reminderEvery", /30m, 4h or 1d/],
      ["reminder true", policyWith({ reminderEvery: true }), "rules[0].reminderEvery", /false/],
      ["highRisk as text", policyWith({ highRisk: "yes" }), "rules[0].highRisk", /true, false/],
      [
        "highRisk length 2",
        policyWith({ highRisk: { confirm: "commit-prefix", length: 2 } }),
        "rules[0].highRisk.length",
        /4/,
      ],
      ["defaults quorum", policyWith({}, { defaults: { quorum: "two" } }), "defaults.quorum", /number/],
      [
        "person e-mail",
        policyWith({}, { people: [{ name: "Ana", email: "ana-at-acme" }] }),
        "people[0].email",
        "expected an e-mail address",
      ],
      [
        "person GitHub login",
        policyWith({}, { people: [{ name: "Ana", github: "-ana" }] }),
        "people[0].github",
        "expected a GitHub login, or false for none",
      ],
    ];

    it.each(cases)("%s", (_label, input, field, expected) => {
      // Act
      const error = caught(() => parsePolicyObject(input));

      // Assess
      expect(error).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).field).toBe(field);
      if (typeof expected === "string") expect((error as InvalidInput).expected).toBe(expected);
      else expect((error as InvalidInput).expected).toMatch(expected);
      expect((error as InvalidInput).message).toBe(
        `greenlight.yml: ${field}: ${(error as InvalidInput).expected}`,
      );
    });
  });

  it("names the source it was given", () => {
    const error = caught(() => parsePolicyObject(policyWith({ quorum: 0 }), "infra/greenlight.yml"));

    expect(error).toMatchObject({ source: "infra/greenlight.yml" });
  });
});

describe("principalOf", () => {
  const rule = {
    people: [{ name: "Ana Lima", email: "ana@acme.io", slack: "U0ANA1", github: "ana-lima" }],
  };

  it.each([
    ["email:ana@acme.io"],
    ["email:Ana@ACME.io"],
    ["slack:U0ANA1"],
    ["github:ana-lima"],
    ["github:Ana-Lima"],
  ])("maps %s to the person", (identity) => {
    expect(principalOf(rule, identity)).toBe("person:Ana Lima");
  });

  it.each([
    ["email:bob@acme.io", "email:bob@acme.io"],
    ["github:Octocat", "github:octocat"],
    ["slack:U0ANA2", "slack:u0ana2"],
    // The channel must match too: an e-mail id that looks like a login is not that login.
    ["email:ana-lima", "email:ana-lima"],
  ])("keeps %s as a channel identity", (identity, principal) => {
    expect(principalOf(rule, identity)).toBe(principal);
  });
});

describe("matchRule", () => {
  const policy = parsePolicyObject({
    version: 1,
    rules: [
      { name: "prod", match: { pipeline: "shop-*", stage: "Prod*" }, email: { recipients: ["a@acme.io"] } },
      { name: "shop", match: { pipeline: "shop-*" }, email: { recipients: ["b@acme.io"] } },
      { name: "web or api", match: { pipeline: "{cart,search}-web" }, email: { recipients: ["c@acme.io"] } },
      { name: "catch-all", match: { action: "Manual*" }, email: { recipients: ["d@acme.io"] } },
    ],
  });
  const target = (pipeline: string, stage: string, action = "Approve") => ({ pipeline, stage, action });

  it.each([
    [target("shop-web", "Production"), "prod"],
    [target("shop-web", "Staging"), "shop"],
    [target("cart-web", "Production"), "web or api"],
    [target("search-web", "Production"), "web or api"],
    [target("billing", "Prod", "ManualGate"), "catch-all"],
  ])("matches %j with the first rule that fits: %s", (t, name) => {
    expect(matchRule(policy, t)?.name).toBe(name);
  });

  it("matches names CodePipeline allows, dots and @ included", () => {
    const open = parsePolicyObject(policyWith({ match: {} }));

    expect(matchRule(open, target("shop.web@v2", "Prod.1"))).toBeDefined();
    expect(matchRule(open, target(".hidden", ".stage", ".action"))).toBeDefined();
  });

  it("is case-sensitive, like CodePipeline names", () => {
    expect(matchRule(policy, target("Shop-web", "Production"))?.name).not.toBe("prod");
  });

  it("returns undefined when no rule matches", () => {
    expect(matchRule(policy, target("billing", "Prod", "Approve"))).toBeUndefined();
  });
});

describe("reminder warnings at load (docs/security.md#33-nothing-grows-without-bound)", () => {
  const recipients = (n: number, domain = "acme.io") =>
    Array.from({ length: n }, (_, i) => `person-${i}@${domain}`);
  const load = (reminderEvery: string | false, to: string[]) =>
    parsePolicyObject({
      version: 1,
      rules: [
        {
          name: "shop",
          match: { pipeline: "shop-*" },
          selfApproval: true,
          reminderEvery,
          email: { recipients: to },
        },
      ],
    }).warnings.filter((w) => !w.includes("selfApproval"));

  it("a short interval × many recipients × the 60-day maximum: says how many e-mails, and what to set", () => {
    expect(load("1m", recipients(100))).toEqual([
      'greenlight.yml: rules[0].reminderEvery: rule "shop" could send 8,640,000 reminder e-mails to its 100 recipient(s) if an approval waits CodePipeline\'s 60-day maximum: set reminderEvery to 15h or more, or false',
    ]);
  });

  it.each([
    ["4h", 10],
    ["1h", 5],
    ["1d", 100],
    [false, 100],
  ] as const)("reminderEvery %s for %i recipients is reasonable: no warning", (every, n) => {
    expect(load(every, recipients(n))).toEqual([]);
  });

  it("so many recipients that their links would fill half the record: says so", () => {
    const warnings = load(false, recipients(1000, "a-rather-long-department-name.example.com"));

    expect(warnings).toEqual([
      expect.stringMatching(
        /^greenlight\.yml: rules\[0\]\.email\.recipients: rule "shop" has 1000 e-mail recipients: their links alone take about \d+ KB of the approval record's 400 KB/,
      ),
    ]);
  });
});
