import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);

/**
 * Run `node <args>` in a fresh process and read the JSON object it prints last. Asynchronous on
 * purpose: the servers the child talks to (dynalite, the stand-ins) live in this process.
 */
export async function nodeJson(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Record<string, number>> {
  const { stdout } = await exec(process.execPath, [...args], { env, encoding: "utf8", maxBuffer: 1 << 24 });
  const last = stdout.trim().split("\n").at(-1) ?? "{}";
  const parsed: unknown = JSON.parse(last);
  if (typeof parsed !== "object" || parsed === null) throw new Error(`probe printed ${last.slice(0, 200)}`);
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, Number(v)]));
}

/** `n` rounds over `variants`, interleaved, so a slow patch of the machine hits every variant alike. */
export async function interleaved<K extends string>(
  n: number,
  variants: readonly K[],
  run: (variant: K) => Promise<Record<string, number>>,
): Promise<Record<K, Record<string, number>[]>> {
  const out = Object.fromEntries(variants.map((v) => [v, [] as Record<string, number>[]])) as Record<
    K,
    Record<string, number>[]
  >;
  for (const v of variants) await run(v); // one warm-up each: the disk cache, not the figure
  for (let i = 0; i < n; i++) for (const v of variants) out[v].push(await run(v));
  return out;
}

/** One key of every sample. */
export const pick = (samples: readonly Record<string, number>[], key: string) =>
  samples.map((s) => s[key] ?? Number.NaN);
