import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Never ours, or generated: not read. Folders starting with a dot are skipped too. */
const SKIPPED = new Set(["node_modules", "coverage", "cdk.out", "dist", "test-artifacts"]);
/** Files that may cite the docs: code, tests, docs, manifests. */
const CITING = /\.(ts|mts|cts|mjs|cjs|md|yml|yaml)$/;

function files(dir = ""): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith(".") || SKIPPED.has(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? files(path) : [path];
  });
}

/** The pages people read: README, CONTRIBUTING and everything under docs/. */
const PAGES = ["README.md", "CONTRIBUTING.md", ...files("docs").filter((f) => f.endsWith(".md"))];

/** Markdown lines outside fenced code blocks, with their line numbers. */
function prose(markdown: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split("\n").forEach((text, i) => {
    const marker = /^\s*(```|~~~)/.exec(text)?.[1];
    if (marker && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence === undefined) out.push({ text, line: i + 1 });
  });
  return out;
}

/** GitHub's heading anchor: lower-case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  const text = heading
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/[`*]/g, "");
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a page offers: its headings (repeats get -1, -2, …) and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of prose(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) if (m[1]) anchors.add(m[1]);
  }
  return anchors;
}

/** Link targets in a page's prose: inline links, images and reference definitions. */
function linksOf(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  for (const { text, line } of prose(markdown)) {
    const plain = text.replace(/`[^`]*`/g, "");
    for (const m of plain.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (m[1]) out.push({ target: m[1], line });
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(plain)?.[1];
    if (definition) out.push({ target: definition, line });
  }
  return out;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");

const anchorCache = new Map<string, Set<string>>();
function anchorsOfFile(path: string): Set<string> {
  let anchors = anchorCache.get(path);
  if (!anchors) {
    anchors = anchorsOf(readFileSync(join(ROOT, path), "utf8"));
    anchorCache.set(path, anchors);
  }
  return anchors;
}

/** Why `target`, seen in `from`, leads nowhere; undefined when it resolves. */
function brokenTarget(from: string, target: string): string | undefined {
  const [rawPath = "", rawAnchor] = target.split("#", 2);
  const path = decodeURIComponent(rawPath);
  const file = path === "" ? from : normalize(join(dirname(from), path));
  if (file.startsWith("..") || !existsSync(join(ROOT, file))) return `no file ${file}`;
  if (rawAnchor === undefined || rawAnchor === "") return undefined;
  if (!file.endsWith(".md") || statSync(join(ROOT, file)).isDirectory())
    return `anchor on a non-page ${file}`;
  const anchor = decodeURIComponent(rawAnchor);
  return anchorsOfFile(file).has(anchor) ? undefined : `no heading #${anchor} in ${file}`;
}

describe("documentation links", () => {
  it("reads the pages it should", () => {
    expect(PAGES).toEqual(
      expect.arrayContaining([
        "README.md",
        "CONTRIBUTING.md",
        join("docs", "architecture.md"),
        join("docs", "security.md"),
        join("docs", "toolchain.md"),
        join("docs", "fidelity.md"),
      ]),
    );
  });

  it("slugs headings as GitHub does", () => {
    expect(slug("8. One decision per approval")).toBe("8-one-decision-per-approval");
    expect(slug("CodePipeline simulator (`local/codepipeline/`)")).toBe(
      "codepipeline-simulator-localcodepipeline",
    );
    expect(slug("Limits (user guide: Quotas; aws-cdk-lib `ManualApprovalAction`)")).toBe(
      "limits-user-guide-quotas-aws-cdk-lib-manualapprovalaction",
    );
    expect(slug("Behind CloudFront (optional edge — function side only so far)")).toBe(
      "behind-cloudfront-optional-edge--function-side-only-so-far",
    );
    expect([...anchorsOf("# A\n## A\n```\n# not a heading\n```\n## A")]).toEqual(["a", "a-1", "a-2"]);
  });

  it("every relative link in README, CONTRIBUTING and docs/ reaches a file, and its #anchor a heading", () => {
    const broken = PAGES.flatMap((page) =>
      linksOf(readFileSync(join(ROOT, page), "utf8"))
        .filter(({ target }) => !isExternal(target))
        .flatMap(({ target, line }) => {
          const why = brokenTarget(page, target);
          return why ? [`${page}:${line}: (${target}) ${why}`] : [];
        }),
    );
    expect(broken).toEqual([]);
  });

  it("the README and CONTRIBUTING link every docs page", () => {
    for (const page of ["README.md", "CONTRIBUTING.md"]) {
      const targets = linksOf(readFileSync(join(ROOT, page), "utf8")).map(
        ({ target }) => target.split("#")[0],
      );
      for (const doc of ["architecture", "security", "toolchain", "fidelity"]) {
        expect(targets, `${page} links docs/${doc}.md`).toContain(`docs/${doc}.md`);
      }
    }
  });
});

describe("citations of the docs in code, tests and pages", () => {
  const cited = files().filter((f) => CITING.test(f));

  it("name the page under docs/: no citation of the team's shared pages that are not in the repo", () => {
    // The names are built here so that this file does not cite them itself.
    const shared = ["SECURITY", "DESIGN", "TOOLCHAIN"].join("|");
    const citation = new RegExp(`\\b(?:${shared})(?:\\.md\\b|\\s+§?\\s*\\d)`);
    const found = cited.flatMap((file) =>
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .flatMap((text, i) => (citation.test(text) ? [`${file}:${i + 1}: ${text.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it("every docs/<page>.md#anchor mentioned anywhere exists", () => {
    const broken = cited.flatMap((file) =>
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .flatMap((text, i) =>
          [...text.matchAll(/(?<![\w/.-])docs\/([\w-]+\.md)(#[\p{L}\p{N}_-]+)?/gu)].flatMap((m) => {
            const why = brokenTarget("", `docs/${m[1]}${m[2] ?? ""}`);
            return why ? [`${relative(ROOT, join(ROOT, file))}:${i + 1}: ${m[0]}: ${why}`] : [];
          }),
        ),
    );
    expect(broken).toEqual([]);
  });
});
