import { LineCounter, parseDocument } from "yaml";
import { InvalidInput } from "./errors.js";
import { type Policy, validatePolicy } from "./policy.js";

/**
 * `greenlight.yml` read and validated: the policy, and the document as plain data, which is what
 * `cdk synth` ships to the functions as JSON (so they validate it again without a YAML parser).
 * Errors name the line, the path in the file and what was expected.
 */
export function readPolicyYaml(text: string, source = "greenlight.yml"): { policy: Policy; data: unknown } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lines.linePos(yamlError.pos[0]);
    throw new InvalidInput(`${source}:${pos.line}:${pos.col}`, "", `not valid YAML (${yamlError.code})`);
  }
  const data: unknown = doc.toJS();
  // The deepest node that exists on the failing path gives the line to point at.
  const policy = validatePolicy(data, (path) => {
    for (let n = path.length; n > 0; n--) {
      const node: unknown = doc.getIn(path.slice(0, n), true);
      if (node && typeof node === "object" && "range" in node && Array.isArray(node.range)) {
        const pos = lines.linePos(Number(node.range[0]));
        return `${source}:${pos.line}:${pos.col}`;
      }
    }
    return source;
  });
  return { policy, data };
}

/** Parse `greenlight.yml`; errors name the line, the path in the file and what was expected. */
export function parsePolicy(text: string, source = "greenlight.yml"): Policy {
  return readPolicyYaml(text, source).policy;
}
