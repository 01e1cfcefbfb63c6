import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { ICommandHooks } from "aws-cdk-lib/aws-lambda-nodejs";
import { InvalidInput } from "../../core/errors.js";
import { matchRule, type Policy } from "../../core/policy.js";
import { policyDigest, readPolicyYaml } from "../../core/policy-yaml.js";
import { type ApprovalActionRef, BUNDLED_POLICY_PATH } from "../names.js";

/**
 * `greenlight.yml`, validated when the app is synthesized: a broken policy stops `cdk synth` with
 * the line to fix instead of failing in Lambda after a deploy. The functions get it as JSON in
 * their bundle: they validate it again at start, but carry no YAML parser (bench/: ~110 KB less
 * in every bundle), and the policy that was checked is the policy that runs.
 */
export class PolicyFile {
  readonly policy: Policy;
  /** What the functions read (BUNDLED_POLICY_PATH): the YAML document as JSON. */
  readonly json: string;
  /** policyDigest of that document: each function's GREENLIGHT_POLICY_SHA256, the PolicySha256 output. */
  readonly digest: string;

  constructor(readonly path: string) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e: unknown) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`Greenlight policy: cannot read ${path} (${why}); copy greenlight.yml from the README`);
    }
    try {
      const { policy, data } = readPolicyYaml(text, basename(path));
      this.policy = policy;
      this.json = JSON.stringify(data);
      this.digest = policyDigest(data);
    } catch (e: unknown) {
      if (e instanceof InvalidInput) throw new Error(`Greenlight policy is invalid: ${e.message}`);
      throw e;
    }
  }

  /** Every guarded approval action needs a rule, or nobody could ever approve it. */
  assertCovers(approvals: readonly ApprovalActionRef[]): void {
    const uncovered = approvals.filter((a) => !matchRule(this.policy, a));
    if (uncovered.length === 0) return;
    const names = uncovered.map((a) => `${a.pipeline}/${a.stage}/${a.action}`).join(", ");
    throw new Error(`Greenlight policy: no rule in ${basename(this.path)} matches ${names}; add one`);
  }

  /** Every address the policy mails (the SES sandbox only delivers to verified recipients). */
  emailRecipients(): string[] {
    const all = this.policy.rules.flatMap((r) => [
      ...(r.email?.recipients ?? []),
      ...r.people.flatMap((p) => (p.email ? [p.email] : [])),
    ]);
    return [...new Set(all)].sort();
  }

  /** esbuild hooks that write the validated policy, as JSON, next to the handler. */
  commandHooks(): ICommandHooks {
    const json = this.json;
    return {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => [
        `printf '%s' ${shellQuote(json)} > ${shellQuote(`${outputDir}/${basename(BUNDLED_POLICY_PATH)}`)}`,
      ],
    };
  }
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
