import { describe, expect, it } from "vitest";
import { audit, csvField, csvLine, monthsOf, parseDate } from "../../cli/audit.js";
import { EXIT } from "../../cli/io.js";

const quietIo = () => {
  const err: string[] = [];
  const out: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {} }, err, out };
};

describe("audit CSV fields", () => {
  it("quotes commas, quotes and line ends per RFC 4180", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvLine(["a", "b,c"])).toBe('a,"b,c"\r\n');
  });

  it("prefixes an apostrophe to cells a spreadsheet would run as a formula (OWASP)", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField("\rx")).toBe('"\'\rx"');
    expect(csvField("=1,2")).toBe('"\'=1,2"');
    expect(csvField("a=b")).toBe("a=b");
  });
});

describe("audit dates and months", () => {
  it("reads dates and instants; a bare --until date includes that day", () => {
    expect(parseDate("2026-12-01")).toEqual(new Date("2026-12-01T00:00:00Z"));
    expect(parseDate("2026-12-01", true)).toEqual(new Date("2026-12-02T00:00:00Z"));
    expect(parseDate("2026-12-01T09:30:00+01:00")).toEqual(new Date("2026-12-01T08:30:00Z"));
    expect(parseDate("2026-02-30")).toBe('no such date "2026-02-30"');
    expect(parseDate("yesterday")).toMatch(/is not a date/);
  });

  it("lists each month partition the period touches, across a year end", () => {
    expect(monthsOf(new Date("2026-11-15T00:00:00Z"), new Date("2027-02-01T00:00:00Z"))).toEqual([
      "decided#2026-11",
      "decided#2026-12",
      "decided#2027-01",
    ]);
    expect(monthsOf(new Date("2026-12-01T00:00:00Z"), new Date("2026-12-01T00:00:01Z"))).toEqual([
      "decided#2026-12",
    ]);
  });

  it("exits 2 with a clear message on a bad date, a missing --since, a backwards period or format", async () => {
    const cases: [string[], RegExp][] = [
      [["--since", "last week"], /--since: "last week" is not a date/],
      [[], /--since DATE is required/],
      [["--since", "2026-12-05", "--until", "2026-12-01"], /must be after --since/],
      [["--since", "2026-12-01", "--format", "xlsx"], /--format must be csv or jsonl/],
      [["--since", "2026-12-01", "--bogus"], /Unknown option/],
    ];
    for (const [argv, message] of cases) {
      const { io, err } = quietIo();
      expect(await audit.run(argv, io)).toBe(EXIT.usage);
      expect(err.join("\n")).toMatch(message);
    }
  });
});
