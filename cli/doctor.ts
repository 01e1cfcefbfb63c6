// `greenlight doctor`: checks one deployment end to end and says, for each thing it looked at,
// ok / problem / what to do. Against a deployed stack with the user's AWS credentials, or against
// `npm start` (the same SDK calls at the local endpoints, the Slack and GitHub stand-ins).
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { readPolicyYaml } from "../core/policy-yaml.js";
import { awsChecks } from "./doctor/aws-checks.js";
import { channelChecks } from "./doctor/channel-checks.js";
import type { Check, Finding } from "./doctor/check.js";
import { type CheckReport, hasProblem, runChecks } from "./doctor/run.js";
import { type CliIo, type Command, EXIT } from "./io.js";
import { connect, splitLocalFlag, TARGET_OPTIONS, TARGET_USAGE } from "./target.js";

const USAGE = `Usage: greenlight doctor [--policy FILE] [--only CHECK,…] [--json]
       [--local [URL] | --stack NAME --region REGION]

Checks one Greenlight deployment end to end, and for each thing it looked at prints ok, a
warning, or a problem with the console or CLI step that fixes it. Every check runs even when
another fails. Exit code 1 when any problem was found.

  --policy FILE     the policy the functions should run (default greenlight.yml)
  --only CHECKS     run only these checks (comma-separated ids, as printed in brackets)
  --json            one JSON document on standard output instead of lines for a person
${TARGET_USAGE}`;

const MARK: Record<Finding["status"], string> = {
  ok: "ok     ",
  warning: "warning",
  problem: "PROBLEM",
  skipped: "skipped",
};

export function renderReports(reports: readonly CheckReport[]): string[] {
  const lines: string[] = [];
  for (const { check, findings } of reports) {
    lines.push(`${check.title} [${check.id}]`);
    for (const f of findings) {
      lines.push(`  ${MARK[f.status]}  ${f.summary}`);
      if (f.fix && f.status !== "ok") lines.push(`           → ${f.fix}`);
    }
  }
  const count = (s: Finding["status"]) =>
    reports.reduce((n, r) => n + r.findings.filter((f) => f.status === s).length, 0);
  lines.push(
    "",
    `${count("problem")} problem(s), ${count("warning")} warning(s), ${count("ok")} ok, ${count("skipped")} skipped`,
  );
  return lines;
}

export function doctorFor(checks: readonly Check[]): Command {
  return {
    name: "doctor",
    summary: "check a deployment end to end: stack, policy, pipelines, SES, Slack, GitHub, queues",
    usage: USAGE,
    run: async (argv: string[], io: CliIo): Promise<number> => {
      let values: {
        policy: string;
        only?: string | undefined;
        json?: boolean | undefined;
        local?: string | undefined;
        stack?: string | undefined;
        region?: string | undefined;
      };
      try {
        ({ values } = parseArgs({
          args: splitLocalFlag(argv),
          options: {
            ...TARGET_OPTIONS,
            policy: { type: "string", default: "greenlight.yml" },
            only: { type: "string" },
            json: { type: "boolean" },
          },
          strict: true,
          allowPositionals: false,
        }));
      } catch (e: unknown) {
        io.err(`greenlight doctor: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
        return EXIT.usage;
      }
      const only = values.only
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = only?.filter((id) => !checks.some((c) => c.id === id)) ?? [];
      if (unknown.length > 0) {
        io.err(
          `greenlight doctor: no check named ${unknown.join(", ")} (checks: ${checks.map((c) => c.id).join(", ")})`,
        );
        return EXIT.usage;
      }
      let policyText: string;
      try {
        policyText = await readFile(values.policy, "utf8");
      } catch {
        io.err(`greenlight doctor: cannot read the policy ${values.policy} (--policy FILE)`);
        return EXIT.usage;
      }
      const { policy } = readPolicyYaml(policyText, values.policy);
      const target = await connect(values, io.env);
      const chosen = only ? checks.filter((c) => only.includes(c.id)) : checks;
      const reports = await runChecks(chosen, { target, policy, policyPath: values.policy, policyText });
      if (values.json) {
        io.out(JSON.stringify({ target: target.where, ok: !hasProblem(reports), reports }, null, 2));
      } else {
        io.out(`Greenlight doctor: ${target.where}, policy ${values.policy}`);
        for (const line of renderReports(reports)) io.out(line);
      }
      return hasProblem(reports) ? EXIT.problem : EXIT.ok;
    },
  };
}

export const doctor = doctorFor([...awsChecks, ...channelChecks]);
