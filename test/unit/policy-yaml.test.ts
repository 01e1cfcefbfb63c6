import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../core/errors.js";
import { parsePolicyObject } from "../../core/policy.js";
import { parsePolicy, readPolicyYaml } from "../../core/policy-yaml.js";

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e: unknown) {
    return e;
  }
  throw new Error("expected an error");
}

const FULL_YAML = `# greenlight.yml
version: 1
defaults:
  quorum: 1
  reminderEvery: 2h
people:
  - name: Ana Lima
    email: Ana@Acme.io
    slack: U0ANA1
    github: Ana-Lima
rules:
  - name: shop production
    match:
      pipeline: shop-*
      stage: Prod*
    quorum: 2
    highRisk: true
    email:
      recipients: [ana@acme.io, bob@acme.io]
    slack:
      channel: C0DEPLOY
      approvers:
        users: [U0ANA1]
    github:
      repo: acme/shop
      approvers:
        logins: [ana-lima, octocat]
  - match: {}
    slack:
      channel: C0OPS
      approvers:
        group: S0OPS
`;

describe("parsePolicy (YAML text)", () => {
  it("parses a full policy file", () => {
    const policy = parsePolicy(FULL_YAML);

    expect(policy.rules).toHaveLength(2);
    expect(policy.rules[0]).toMatchObject({
      name: "shop production",
      match: { pipeline: "shop-*", stage: "Prod*", action: "*" },
      quorum: 2,
      reminderEvery: 7_200_000,
      highRisk: { confirm: "commit-prefix", length: 4 },
      email: { recipients: ["ana@acme.io", "bob@acme.io"] },
      github: { repo: "acme/shop", approvers: { logins: ["ana-lima", "octocat"] } },
      people: [{ name: "Ana Lima", email: "ana@acme.io", slack: "U0ANA1", github: "ana-lima" }],
    });
    expect(policy.rules[1]).toMatchObject({ name: "rules[1]", slack: { approvers: { group: "S0OPS" } } });
  });

  it("gives the same result as the parsed object", () => {
    const yaml =
      "version: 1\nrules:\n  - match: { pipeline: shop-* }\n    email: { recipients: [ana@acme.io] }\n";

    const object = {
      version: 1,
      rules: [{ match: { pipeline: "shop-*" }, email: { recipients: ["ana@acme.io"] } }],
    };

    const fromYaml = parsePolicy(yaml);
    const fromObject = parsePolicyObject(object);

    expect(fromYaml.rules).toEqual(fromObject.rules);
    // The same warning, placed by line in the YAML and by file for the object.
    expect(fromYaml.warnings).toEqual([
      'greenlight.yml:3:5: rules[0]: rule "rules[0]" can never be approved: none of its approvers is listed under people: with their GitHub login (or github: false), so none can be told apart from the change\'s authors',
      'greenlight.yml:4:27: rules[0].email.recipients[0]: email:ana@acme.io can reject but never approve under rule "rules[0]": list them under people: with their GitHub login (or github: false)',
    ]);
    expect(fromObject.warnings).toEqual(
      fromYaml.warnings.map((w) => w.replace(/^greenlight\.yml:\d+:\d+/, "greenlight.yml")),
    );
  });

  it("points at the line and column of a bad value", () => {
    const yaml = [
      "version: 1",
      "rules:",
      "  - match: {}",
      "    email:",
      "      recipients:",
      "        - ana@acme.io",
      "        - not-an-address",
    ].join("\n");

    const error = caught(() => parsePolicy(yaml));

    expect(error).toBeInstanceOf(InvalidInput);
    expect(error).toMatchObject({
      source: "greenlight.yml:7:11",
      field: "rules[0].email.recipients[1]",
      expected: "expected an e-mail address",
    });
    expect((error as Error).message).toBe(
      "greenlight.yml:7:11: rules[0].email.recipients[1]: expected an e-mail address",
    );
  });

  it("points at the quorum line when the quorum cannot be met", () => {
    const yaml =
      "version: 1\nrules:\n  - match: {}\n    quorum: 2\n    email:\n      recipients: [ana@acme.io]\n";

    const error = caught(() => parsePolicy(yaml, "deploy/greenlight.yml"));

    expect(error).toMatchObject({ source: "deploy/greenlight.yml:4:13", field: "rules[0].quorum" });
  });

  it("points at the nearest existing node when the bad key is missing", () => {
    const yaml = "version: 1\nrules:\n  - match: {}\n    slack:\n      approvers: { users: [U0ANA1] }\n";

    const error = caught(() => parsePolicy(yaml));

    expect(error).toMatchObject({ source: "greenlight.yml:5:7", field: "rules[0].slack.channel" });
  });

  it("points at a YAML syntax error", () => {
    const yaml = "version: 1\nrules:\n  - match: {}\n   email: [\n";

    const error = caught(() => parsePolicy(yaml));

    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).source).toMatch(/^greenlight\.yml:\d+:\d+$/);
    expect((error as InvalidInput).expected).toMatch(/^not valid YAML/);
  });

  it("keeps the YAML library's explanation of a syntax error", () => {
    const yaml = "version: 1\nrules:\n  - match: {}\n    email: { recipients: [ana@acme.io }\n";

    const error = caught(() => parsePolicy(yaml));

    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).source).toMatch(/^greenlight\.yml:4:\d+$/);
    expect((error as InvalidInput).expected).toMatch(/^not valid YAML: \w+.* \([A-Z_]+\)$/);
    expect((error as InvalidInput).expected).not.toMatch(/^not valid YAML \(/);
  });

  it("points at a misspelt top-level key and names the key it is closest to", () => {
    const yaml =
      "version: 1\ndefualts:\n  quorum: 1\nrules:\n  - match: {}\n    email: { recipients: [a@acme.io] }\n";

    const error = caught(() => parsePolicy(yaml));

    expect(error).toMatchObject({
      source: "greenlight.yml:2:1",
      field: "defualts",
      expected: 'unknown key "defualts"; did you mean "defaults"?',
    });
  });

  it("points at a misspelt nested key where it is written", () => {
    const yaml =
      "version: 1\nrules:\n  - match: {}\n    slack:\n      channel: C0OPS\n      aprovers:\n        users: [U0ANA1]\n";

    const error = caught(() => parsePolicy(yaml));

    expect(error).toMatchObject({
      source: "greenlight.yml:6:7",
      field: "rules[0].slack.aprovers",
      expected: 'unknown key "aprovers"; did you mean "approvers"?',
    });
  });

  it("suggests nothing for a key unlike any it knows", () => {
    const yaml = "version: 1\nzebra: 3\nrules:\n  - match: {}\n    email: { recipients: [a@acme.io] }\n";

    const error = caught(() => parsePolicy(yaml));

    expect(error).toMatchObject({ source: "greenlight.yml:2:1", expected: 'unknown key "zebra"' });
  });

  it("refuses an empty file", () => {
    expect(() => parsePolicy("")).toThrow(InvalidInput);
  });

  it("hands back the document as plain data: what cdk synth ships as JSON", () => {
    const { policy, data } = readPolicyYaml(FULL_YAML);

    expect(parsePolicyObject(JSON.parse(JSON.stringify(data))).rules).toEqual(policy.rules);
  });
});
