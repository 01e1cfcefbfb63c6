// Runs every check, each on its own: one that throws becomes a problem finding and the rest go on.
import type { Check, DoctorContext, Finding } from "./check.js";

export interface CheckReport {
  check: Pick<Check, "id" | "title">;
  findings: Finding[];
}

export async function runChecks(checks: readonly Check[], ctx: DoctorContext): Promise<CheckReport[]> {
  const reports: CheckReport[] = [];
  for (const check of checks) {
    let findings: Finding[];
    try {
      findings = await check.run(ctx);
    } catch (e: unknown) {
      findings = [
        {
          id: check.id,
          status: "problem",
          summary: `the check itself failed: ${e instanceof Error ? e.message : String(e)}`,
          fix: "run again; if it persists, the message above names the call that failed",
        },
      ];
    }
    reports.push({ check: { id: check.id, title: check.title }, findings });
  }
  return reports;
}

/** True when any finding is a problem (the exit code is then non-zero). */
export function hasProblem(reports: readonly CheckReport[]): boolean {
  return reports.some((r) => r.findings.some((f) => f.status === "problem"));
}
