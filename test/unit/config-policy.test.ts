import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../core/errors.js";
import { loadPolicy } from "../../lambdas/config.js";

/** A file in a fresh folder, as the bundle carries it next to the handler. */
function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "greenlight-policy-")), name);
  writeFileSync(path, text);
  return path;
}

const POLICY = {
  version: 1,
  rules: [{ match: { pipeline: "shop-*" }, email: { recipients: ["ana@acme.io"] } }],
};

describe("loadPolicy: the policy as cdk synth ships it (greenlight.yml, validated, as JSON)", () => {
  it("reads and validates the JSON", () => {
    const policy = loadPolicy(file("greenlight.json", JSON.stringify(POLICY)));

    expect(policy.rules[0]).toMatchObject({ match: { pipeline: "shop-*" }, quorum: 1 });
  });

  it("refuses YAML (the functions carry no YAML parser), naming the file", () => {
    const path = file("greenlight.yml", "version: 1\nrules: []\n");

    expect(() => loadPolicy(path)).toThrow(InvalidInput);
    expect(() => loadPolicy(path)).toThrow(`${path}: expected the policy as JSON`);
  });

  it("validates again: a policy that does not hold names the field to fix", () => {
    const path = file("greenlight.json", JSON.stringify({ ...POLICY, rules: [] }));

    expect(() => loadPolicy(path)).toThrow(`${path}: rules: expected at least one rule`);
  });
});
