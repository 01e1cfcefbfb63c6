import { createHash } from "node:crypto";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
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
    // The YAML library's own explanation says what is wrong better than a code alone.
    const why = yamlError.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "");
    throw new InvalidInput(
      `${source}:${pos.line}:${pos.col}`,
      "",
      `not valid YAML: ${why} (${yamlError.code})`,
    );
  }
  const data: unknown = doc.toJS();
  // The deepest node that exists on the failing path gives the line to point at.
  const at = (range: unknown): string | undefined => {
    if (!Array.isArray(range)) return undefined;
    const pos = lines.linePos(Number(range[0]));
    return `${source}:${pos.line}:${pos.col}`;
  };
  const policy = validatePolicy(data, (path, part) => {
    // A plain value is pointed at where it is; a map or list at its key's line (a block value
    // starts on the line below the key, and a misspelt key should be shown where it is written).
    const self = path.length > 0 ? doc.getIn(path, true) : undefined;
    if (part !== "key" && isScalar(self)) {
      const place = at(self.range);
      if (place) return place;
    }
    const last = path[path.length - 1];
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find(
        (p) => p.key && typeof p.key === "object" && "value" in p.key && p.key.value === last,
      );
      const place =
        pair?.key && typeof pair.key === "object" && "range" in pair.key ? at(pair.key.range) : undefined;
      if (place) return place;
    }
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

/**
 * The policy's fingerprint: SHA-256 (hex) of the document as the functions receive it (its JSON).
 * `cdk synth` sets it on every function and as the stack's PolicySha256 output, `npm start` as its
 * own, and `greenlight doctor` compares it with greenlight.yml's: comments and layout do not count.
 */
export function policyDigest(data: unknown): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("hex");
}
