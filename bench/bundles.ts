import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { build, type Metafile } from "esbuild";
import { buildLazyPackages, esbuildOptions, REPO_ROOT } from "../infra/service/bundle-options.js";
import type { Row } from "./lib/report.js";
import { kb } from "./lib/stats.js";

/** Inside node_modules, so an unbundled build resolves its packages as Node would on Lambda. */
export const BENCH_DIR = join(REPO_ROOT, "node_modules", ".cache", "greenlight-bench");
export const LAMBDAS = ["intake", "http", "sync", "events"] as const;
export type Lambda = (typeof LAMBDAS)[number];

export interface Built {
  file: string;
  bytes: number;
  /** The lazily imported packages' own files beside it (Probot), loaded on first use only. */
  lazyBytes: number;
  /** Packages by bytes in the output, largest first ("(ours)" for this repository's code). */
  packages: [string, number][];
}

/** Bytes in the bundle per npm package, from esbuild's metafile. */
function byPackage(meta: Metafile, outfile: string): [string, number][] {
  const out = meta.outputs[relative(process.cwd(), outfile)];
  if (!out) throw new Error(`metafile has no output ${outfile}`);
  const sizes = new Map<string, number>();
  for (const [path, input] of Object.entries(out.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? "(ours)";
    sizes.set(name, (sizes.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

async function bundle(
  name: string,
  entry: string,
  tweak: (o: ReturnType<typeof esbuildOptions>) => object = (o) => o,
): Promise<Built> {
  const file = join(BENCH_DIR, name, "index.mjs");
  mkdirSync(join(BENCH_DIR, name), { recursive: true });
  const options = tweak(esbuildOptions(entry, file));
  const result = await build({ ...options, metafile: true });
  // As infra does: Probot beside the handler, unless this build inlines it (the eager baseline).
  const lazy = join(BENCH_DIR, name, "node_modules", "probot", "index.mjs");
  const external =
    "external" in options && Array.isArray(options.external) && options.external.includes("probot");
  if (external) await buildLazyPackages(join(BENCH_DIR, name), build);
  return {
    file,
    bytes: statSync(file).size,
    // Only where the handler imports it: every asset carries the file, as infra ships it.
    lazyBytes: external && readFileSync(file, "utf8").includes('import("probot")') ? statSync(lazy).size : 0,
    packages: byPackage(result.metafile, file),
  };
}

/**
 * Every bundle the benchmarks load: each Lambda exactly as infra bundles it; each with its
 * packages left in node_modules (the unbundled baseline); and the HTTP handler with Bolt and
 * Probot loaded eagerly and without Greenlight's Bolt aliases (the eager baseline).
 */
export async function buildAll() {
  const shipped = {} as Record<Lambda, Built>;
  const unbundled = {} as Record<Lambda, Built>;
  for (const lambda of LAMBDAS) {
    shipped[lambda] = await bundle(lambda, `lambdas/${lambda}.ts`);
    unbundled[lambda] = await bundle(`${lambda}-unbundled`, `lambdas/${lambda}.ts`, (o) => ({
      ...o,
      packages: "external",
      external: [],
      minify: false,
      sourcemap: false,
    }));
  }
  const eager = await bundle("http-eager", "bench/entries/http-eager.ts", (o) => ({
    ...o,
    alias: {},
    external: [],
  }));
  const floor = await bundle("sdk-floor", "bench/entries/sdk-floor.ts");
  return { shipped, unbundled, eager, floor };
}

export type Bundles = Awaited<ReturnType<typeof buildAll>>;

/** `zod 444 KB · @smithy/core 131 KB · yaml 113 KB`. */
export function topPackages(built: Built, count = 4): string {
  return built.packages
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(" · ");
}

/** Bundle sizes (exact, from one build) and what dominates each. */
export function sizeRows(bundles: Bundles): Row[] {
  const rows: Row[] = LAMBDAS.map((l) => {
    const b = bundles.shipped[l];
    const target = l === "http" ? { target: "≤ 400 KB (stretch 150 KB)", met: b.bytes <= 400 * 1024 } : {};
    const map = statSync(`${b.file}.map`).size;
    return {
      group: "Bundle",
      measure: `${l}: index.mjs as infra bundles it (source map ${kb(map)} beside it)${b.lazyBytes ? `; Probot's own file ${kb(b.lazyBytes)}, read on first GitHub use` : ""}`,
      value: kb(b.bytes),
      compared: topPackages(b),
      ...target,
    };
  });
  rows.push({
    group: "Baseline",
    measure: "floor: the AWS SDK's DynamoDB and CodePipeline clients alone, bundled the same way",
    value: kb(bundles.floor.bytes),
    compared: `${((100 * bundles.floor.bytes) / bundles.shipped.http.bytes).toFixed(0)}% of the http bundle; ${topPackages(bundles.floor)}`,
  });
  rows.push({
    group: "Baseline",
    measure: "http: with Bolt (and express) and Probot imported eagerly, no Bolt aliases",
    value: kb(bundles.eager.bytes),
    compared: `×${(bundles.eager.bytes / bundles.shipped.http.bytes).toFixed(2)} the shipped bundle; ${topPackages(bundles.eager)}`,
  });
  return rows;
}
