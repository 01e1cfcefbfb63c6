import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { BuildOptions } from "esbuild";
import { boltBundleAliases } from "../../bot/slack/bundle.js";

/** The repository root: entry files and the lock file are found from here. */
export const REPO_ROOT = join(import.meta.dirname, "..", "..");

/**
 * esbuild's ESM output turns `require()` in CommonJS dependencies (pino, Probot, Bolt) into a
 * helper that throws "Dynamic require … is not supported" unless a real `require` exists.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * How every Greenlight Lambda is bundled, as plain data. `GreenlightFunction` hands it to
 * NodejsFunction (which runs the esbuild CLI) and `bench/` hands it to esbuild's API through
 * `esbuildOptions`, so the bundles the benchmarks measure are the bundles that ship.
 */
export const LAMBDA_BUNDLE = {
  format: "esm",
  target: "node24",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  // Bolt's own receivers and OAuth installer never run here: empty modules stand in for them
  // (about 1 MB less to parse on every cold start; bot/slack/bundle.ts).
  alias: boltBundleAliases(REPO_ROOT),
} as const;

/**
 * Packages a handler imports only on first use (`await import("probot")`) and what it takes from
 * each. They ship as their own file in the asset, `node_modules/<name>/index.mjs`, where Node finds
 * them, instead of inside index.mjs: esbuild inlines dynamic imports into a one-file bundle (code
 * splitting needs an output directory, and NodejsFunction writes one file), and then every cold
 * start parses them and reads their source map. Probot is ~480 KB of the HTTP bundle and ~14 ms of
 * its cold start (bench/); Bolt's App.js is small enough to stay inline.
 */
export const LAZY_PACKAGES = { probot: ["Probot", "ProbotOctokit"] } as const;
export type LazyPackage = keyof typeof LAZY_PACKAGES;
const lazyPackages = () => Object.keys(LAZY_PACKAGES) as LazyPackage[];

// Named re-exports, so that Node sees named ESM exports of a CommonJS package.
const lazyEntry = (pkg: LazyPackage) => `export { ${LAZY_PACKAGES[pkg].join(", ")} } from "${pkg}";`;
const lazyFile = (pkg: LazyPackage, assetDir: string) => join(assetDir, "node_modules", pkg, "index.mjs");
const LAZY_PACKAGE_JSON = JSON.stringify({ type: "module", main: "index.mjs" });

/** `--alias:name=path` arguments, as NodejsFunction's `esbuildArgs` passes them to the CLI. */
export function aliasArgs(alias: Record<string, string> = LAMBDA_BUNDLE.alias): Record<string, string> {
  return Object.fromEntries(Object.entries(alias).map(([name, path]) => [`--alias:${name}`, path]));
}

/**
 * The same build through esbuild's API: what `cdk synth` runs for `entry` (relative to the
 * repository root), written to `outfile`, with a metafile for the size breakdown.
 */
export function esbuildOptions(entry: string, outfile: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: LAMBDA_BUNDLE.format,
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    alias: { ...LAMBDA_BUNDLE.alias },
    external: lazyPackages(),
    metafile: true,
    logLevel: "warning",
  };
}

/** The lazily imported packages' own files, built into `assetDir` through esbuild's API (bench/). */
export async function buildLazyPackages(
  assetDir: string,
  build: typeof import("esbuild").build,
): Promise<void> {
  for (const pkg of lazyPackages()) {
    const outfile = lazyFile(pkg, assetDir);
    const {
      entryPoints: _entry,
      alias: _alias,
      external: _external,
      ...options
    } = esbuildOptions("", outfile);
    await build({
      ...options,
      stdin: { contents: lazyEntry(pkg), resolveDir: REPO_ROOT, sourcefile: `${pkg}.js` },
    });
    writeFileSync(join(dirname(outfile), "package.json"), LAZY_PACKAGE_JSON);
  }
}

/** The same files through the esbuild CLI: shell commands for NodejsFunction's afterBundling hook. */
export function lazyPackageCommands(assetDir: string): string[] {
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const esbuild = join(REPO_ROOT, "node_modules", ".bin", "esbuild");
  return lazyPackages().flatMap((pkg) => {
    const outfile = lazyFile(pkg, assetDir);
    const flags = [
      "--bundle",
      "--platform=node",
      `--format=${LAMBDA_BUNDLE.format}`,
      `--target=${LAMBDA_BUNDLE.target}`,
      "--minify",
      "--sourcemap",
      "--sources-content=false",
      `--main-fields=${LAMBDA_BUNDLE.mainFields.join(",")}`,
      `--banner:js=${LAMBDA_BUNDLE.banner}`,
      `--sourcefile=${pkg}.js`,
      `--outfile=${outfile}`,
      "--log-level=warning",
    ];
    return [
      `cd ${q(REPO_ROOT)} && printf '%s' ${q(lazyEntry(pkg))} | ${q(esbuild)} ${flags.map(q).join(" ")}`,
      `printf '%s' ${q(LAZY_PACKAGE_JSON)} > ${q(join(dirname(outfile), "package.json"))}`,
    ];
  });
}
