import { describe, expect, it } from "vitest";
import { type Check, ok, problem } from "../../cli/doctor/check.js";
import { hasProblem, runChecks } from "../../cli/doctor/run.js";
import { doctorFor, renderReports } from "../../cli/doctor.js";
import { localTarget } from "../../cli/target.js";
import { parsePolicy } from "../../core/policy-yaml.js";

const policyText = `version: 1
rules:
  - name: prod
    match: { pipeline: p, stage: s, action: a }
    email: { recipients: [ana@example.com] }
`;
const ctx = {
  target: localTarget(
    { region: "eu-west-1", outputs: { PublicUrl: "http://x", TableName: "t" }, endpoints: {}, secrets: {} },
    "test",
  ),
  policy: parsePolicy(policyText),
  policyPath: "greenlight.yml",
  policyText,
};

const fine: Check = { id: "fine", title: "Fine", run: async () => [ok("fine.a", "all good")] };
const broken: Check = {
  id: "broken",
  title: "Broken",
  run: async () => [problem("broken.x", "x is off", "turn x on")],
};
const throws: Check = {
  id: "throws",
  title: "Throws",
  run: async () => {
    throw new Error("AccessDenied on GetPipeline");
  },
};

describe("doctor runner", () => {
  it("turns a check that throws into a problem and still runs the checks after it", async () => {
    const reports = await runChecks([throws, fine], ctx);
    expect(reports.map((r) => r.check.id)).toEqual(["throws", "fine"]);
    expect(reports[0]?.findings[0]).toMatchObject({
      status: "problem",
      summary: /AccessDenied on GetPipeline/,
    });
    expect(reports[1]?.findings[0]?.status).toBe("ok");
    expect(hasProblem(reports)).toBe(true);
    expect(hasProblem(await runChecks([fine], ctx))).toBe(false);
  });

  it("prints each finding with its fix, and a count", async () => {
    const lines = renderReports(await runChecks([fine, broken], ctx));
    expect(lines).toContain("Broken [broken]");
    expect(lines.join("\n")).toMatch(/PROBLEM {2}x is off\n {11}→ turn x on/);
    expect(lines.at(-1)).toBe("1 problem(s), 0 warning(s), 1 ok, 0 skipped");
  });

  it("refuses an unknown --only check and an unreadable policy with exit 2", async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l), env: {} };
    const cmd = doctorFor([fine]);
    expect(await cmd.run(["--only", "nope", "--local"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/no check named nope \(checks: fine\)/);
    expect(await cmd.run(["--policy", "/nonexistent.yml", "--local"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/cannot read the policy \/nonexistent.yml/);
  });
});
