/** The q-th quantile (0–1) of `xs` by linear interpolation; NaN for no samples. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (at - lo);
}

export interface Summary {
  median: number;
  p10: number;
  p90: number;
  n: number;
}

/** Median and p10–p90 of repeated runs: the figure and its spread. */
export function summarize(xs: readonly number[]): Summary {
  return { median: quantile(xs, 0.5), p10: quantile(xs, 0.1), p90: quantile(xs, 0.9), n: xs.length };
}

/**
 * For figures that are themselves percentiles of many samples (p50/p99 latency): compute the
 * percentile per round, then summarise across rounds, so the spread says how stable it is.
 */
export function perRound(rounds: readonly (readonly number[])[], q: number): Summary {
  return summarize(rounds.map((r) => quantile(r, q)));
}

/** `12.3` / `123` / `1,234`: three significant digits without noise. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return "–";
  const abs = Math.abs(x);
  if (abs >= 100) return Math.round(x).toLocaleString("en-US");
  if (abs >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** `183 ms (171–201)`-style parts for a table row. */
export function spread(s: Summary, unit = ""): string {
  return `${num(s.p10)}–${num(s.p90)}${unit}`;
}

export const kb = (bytes: number) => `${num(bytes / 1024)} KB`;
