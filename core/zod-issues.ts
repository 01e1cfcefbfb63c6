import type * as z from "./zod.js";

/** `rules[0].email.recipients[1]` from zod's path array. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The first issue of a failed parse, as field + what was expected. */
export function firstIssue(error: z.core.$ZodError): {
  field: string;
  expected: string;
  path: PropertyKey[];
} {
  const issue = error.issues[0];
  if (!issue) return { field: "", expected: "invalid value", path: [] };
  return { field: formatPath(issue.path), expected: issue.message, path: [...issue.path] };
}
