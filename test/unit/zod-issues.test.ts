import { describe, expect, it } from "vitest";
import { z } from "zod";
import { firstIssue, formatPath } from "../../core/zod-issues.js";

describe("formatPath", () => {
  it.each<[PropertyKey[], string]>([
    [[], ""],
    [["version"], "version"],
    [["rules", 0], "rules[0]"],
    [["rules", 0, "email", "recipients", 1], "rules[0].email.recipients[1]"],
    [[0, "name"], "[0].name"],
    [["matrix", 1, 2], "matrix[1][2]"],
  ])("%j → %s", (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe("firstIssue", () => {
  it("gives the first issue's field, message and path", () => {
    const schema = z.object({ a: z.object({ b: z.array(z.string().min(2, "expected two or more")) }) });
    const parsed = schema.safeParse({ a: { b: ["ok", "x", "y"] } });
    if (parsed.success) throw new Error("expected a failure");

    expect(firstIssue(parsed.error)).toEqual({
      field: "a.b[1]",
      expected: "expected two or more",
      path: ["a", "b", 1],
    });
  });

  it("copes with an error that has no issues", () => {
    expect(firstIssue(new z.ZodError([]))).toEqual({ field: "", expected: "invalid value", path: [] });
  });
});
