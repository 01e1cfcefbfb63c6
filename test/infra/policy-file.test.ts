import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { parseApprovalActionRef } from "../../infra/names.js";
import { PolicyFile } from "../../infra/service/policy-file.js";
import { asList, buildTestApp, statementsOf } from "../support/cdk.js";

const dir = mkdtempSync(join(tmpdir(), "greenlight-policy-"));
function policy(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SAMPLE_RULE = `  - match: { pipeline: greenlight-sample, stage: Approve, action: StakeholderApproval }
    email: { recipients: [ana@acme.io] }
`;

describe("greenlight.yml at synth time", () => {
  it("stops the synth with the line and field of a mistake", () => {
    const broken = policy("broken.yml", `version: 1\nrules:\n${SAMPLE_RULE}    quorum: 0\n`);
    expect(() => buildTestApp({ "greenlight:policyFile": broken })).toThrow(
      /Greenlight policy is invalid: broken\.yml:5:\d+: rules\[0\]\.quorum: expected at least 1/,
    );
  });

  it("warns, with the line, about an approver who can never approve and a rule nobody can approve", () => {
    const unlinked = policy("unlinked.yml", `version: 1\nrules:\n${SAMPLE_RULE}`);
    const { greenlight } = buildTestApp({ "greenlight:policyFile": unlinked });

    const warnings = Annotations.fromStack(greenlight).findWarning(
      "*",
      Match.stringLikeRegexp("Greenlight policy"),
    );
    expect(warnings.map((w) => String(w.entry.data))).toEqual([
      expect.stringMatching(/unlinked\.yml:3:\d+: rules\[0\]: rule "rules\[0\]" can never be approved/),
      expect.stringMatching(
        /unlinked\.yml:4:\d+: rules\[0\]\.email\.recipients\[0\]: email:ana@acme\.io can reject but never approve/,
      ),
    ]);
  });

  it("says nothing about a policy whose approvers are all tied to GitHub (or have no account)", () => {
    const linked = policy(
      "linked.yml",
      `version: 1\npeople:\n  - { name: Ana, email: ana@acme.io, github: false }\nrules:\n${SAMPLE_RULE}`,
    );
    const { greenlight } = buildTestApp({ "greenlight:policyFile": linked });

    expect(
      Annotations.fromStack(greenlight).findWarning("*", Match.stringLikeRegexp("Greenlight policy")),
    ).toEqual([]);
  });

  it("stops the synth on YAML that does not parse", () => {
    const bad = policy("bad-yaml.yml", "version: 1\nrules: [\n");
    expect(() => buildTestApp({ "greenlight:policyFile": bad })).toThrow(
      /bad-yaml\.yml:\d+:\d+: not valid YAML/,
    );
  });

  it("stops the synth when the file is missing", () => {
    expect(() => buildTestApp({ "greenlight:policyFile": join(dir, "nope.yml") })).toThrow(
      /cannot read .*nope\.yml/,
    );
  });

  it("stops the synth when a guarded approval action has no rule (nobody could approve it)", () => {
    const only = policy("only-sample.yml", `version: 1\nrules:\n${SAMPLE_RULE}`);
    expect(() =>
      buildTestApp({
        "greenlight:policyFile": only,
        "greenlight:guard": "shop-web/Approve/StakeholderApproval",
      }),
    ).toThrow(/no rule in only-sample\.yml matches shop-web\/Approve\/StakeholderApproval/);
  });

  it("scopes PutApprovalResult to every guarded action; in the SES sandbox, mails the policy's recipients", {
    timeout: 60_000,
  }, () => {
    const both = policy(
      "both.yml",
      `version: 1\nrules:\n${SAMPLE_RULE}  - match: { pipeline: "shop-*" }\n    email: { recipients: [bo@acme.io] }\n`,
    );
    const { greenlight } = buildTestApp({
      "greenlight:policyFile": both,
      "greenlight:guard": "shop-web/Approve/StakeholderApproval",
      "greenlight:sesSandbox": "true",
      "greenlight:samplePipeline": true,
    });
    const statements = statementsOf(Template.fromStack(greenlight)).map((s) => s.statement);
    const put = statements.find((s) => s.Action === "codepipeline:PutApprovalResult");
    expect(JSON.stringify(put?.Resource)).toContain(":greenlight-sample/Approve/StakeholderApproval");
    expect(JSON.stringify(put?.Resource)).toContain(":shop-web/Approve/StakeholderApproval");
    const ses = JSON.stringify(statements.filter((s) => asList(s.Action).includes("ses:SendEmail")));
    expect(ses).toContain(":identity/ana@acme.io");
    expect(ses).toContain(":identity/bo@acme.io");
  });

  it("lists each recipient once, people included", () => {
    const file = policy(
      "people.yml",
      `version: 1\npeople:\n  - { name: Ana, email: Ana@acme.io }\n  - { name: Cy, email: cy@acme.io }\nrules:\n${SAMPLE_RULE}`,
    );
    expect(new PolicyFile(file).emailRecipients()).toEqual(["ana@acme.io", "cy@acme.io"]);
  });
});

describe("approval action names on the command line", () => {
  it("reads pipeline/stage/action and refuses anything else", () => {
    expect(parseApprovalActionRef(" shop-web / Approve / Ship ")).toEqual({
      pipeline: "shop-web",
      stage: "Approve",
      action: "Ship",
    });
    expect(() => parseApprovalActionRef("shop-web/Approve")).toThrow(/pipeline\/stage\/action/);
    expect(() => parseApprovalActionRef("a//c")).toThrow(/pipeline\/stage\/action/);
  });
});
