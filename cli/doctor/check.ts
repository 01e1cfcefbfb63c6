// What a doctor check is, and what it reports. Each check looks at one part of a deployment and
// returns one finding per thing it looked at (a finding per SES identity, per Slack channel …), so
// a broken item is named on its own while the others still report. Checks never throw on purpose:
// the runner turns an unexpected error into a "problem" finding for that check, and goes on.
import type { Policy } from "../../core/policy.js";
import type { AwsService, Target } from "../target.js";

/** ok: works. problem: an approval will fail because of it. warning: works, but probably not meant. skipped: could not be looked at from here (says why). */
export type FindingStatus = "ok" | "problem" | "warning" | "skipped";

export interface Finding {
  /** The check's id plus what was looked at, stable for scripts: "ses.sender", "slack.channel:#releases". */
  id: string;
  status: FindingStatus;
  /** One line for a person: what was found. */
  summary: string;
  /** For a problem or warning: the console or CLI step that fixes it. */
  fix?: string;
}

export interface DoctorContext {
  target: Target;
  /** greenlight.yml as the user has it (the policy the functions should run). */
  policy: Policy;
  /** Where that policy was read from, for messages. */
  policyPath: string;
  /** The raw greenlight.yml text, for checks that compare it with what the functions run. */
  policyText: string;
}

export interface Check {
  /** Short, stable: "stack", "functions", "policy", "pipelines", "ses", "slack", "github", "queues", "alarms", "deciding". */
  id: string;
  /** What the check is about, as a heading: "SES sender and recipients". */
  title: string;
  run(ctx: DoctorContext): Promise<Finding[]>;
}

export const ok = (id: string, summary: string): Finding => ({ id, status: "ok", summary });
export const problem = (id: string, summary: string, fix: string): Finding => ({
  id,
  status: "problem",
  summary,
  fix,
});
export const warning = (id: string, summary: string, fix: string): Finding => ({
  id,
  status: "warning",
  summary,
  fix,
});
export const skipped = (id: string, summary: string): Finding => ({ id, status: "skipped", summary });

export const REDEPLOY = "cdk deploy the Greenlight stack (npx cdk deploy Greenlight)";

/** An SDK client of `service` for the target, or undefined when the target has none (locally). */
export function clientOf<T>(
  ctx: DoctorContext,
  service: AwsService,
  make: (config: object) => T,
): T | undefined {
  const config = ctx.target.client(service);
  return config ? make({ ...config, maxAttempts: 2 }) : undefined;
}
