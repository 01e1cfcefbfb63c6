import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { BENCH_DIR, type Bundles } from "./bundles.js";
import type { Row } from "./lib/report.js";
import { functionUrlEvent, type SlackWorld } from "./lib/slack-world.js";
import { num, perRound, spread } from "./lib/stats.js";

// Loads the shipped HTTP bundle once, warms up, then times each event `per` times per round.
const PROBE = `const { handler } = await import(process.env.BENCH_BUNDLE);
const events = JSON.parse(process.env.BENCH_EVENTS);
const rounds = Number(process.env.BENCH_ROUNDS), per = Number(process.env.BENCH_PER);
const out = {};
for (const [name, event] of Object.entries(events)) {
  for (let i = 0; i < 300; i++) await handler(event, {});
  out[name] = [];
  for (let r = 0; r < rounds; r++) {
    const xs = [];
    for (let i = 0; i < per; i++) {
      const t = performance.now();
      const res = await handler(event, {});
      xs.push((performance.now() - t) * 1000);
      if (res.statusCode >= 500) throw new Error(name + " answered " + res.statusCode);
    }
    out[name].push(xs);
  }
}
console.log(JSON.stringify(out));`;

const exec = promisify(execFile);

/**
 * What the function itself adds per request, with no I/O: Lambda's function URL event through
 * `hono/aws-lambda`, the router and, for Slack, the signature check that refuses a forgery.
 */
export async function handlerOverhead(
  bundles: Bundles,
  world: SlackWorld,
  rounds: number,
  per: number,
): Promise<Row[]> {
  const probe = join(BENCH_DIR, "overhead.mjs");
  writeFileSync(probe, PROBE);
  const now = String(Math.floor(Date.now() / 1000));
  const events = {
    "GET /healthz → 200": functionUrlEvent({ method: "GET", path: "/healthz", headers: {} }),
    "GET /unknown → 404": functionUrlEvent({ method: "GET", path: "/wp-login.php", headers: {} }),
    "POST /slack/events, forged signature → 401": functionUrlEvent({
      method: "POST",
      path: "/slack/events",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": now,
        "x-slack-signature": `v0=${"0".repeat(64)}`,
      },
      body: `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", padding: "x".repeat(2000) }))}`,
    }),
  };
  const { stdout } = await exec(process.execPath, [probe], {
    env: {
      ...world.env,
      NODE_OPTIONS: "--enable-source-maps",
      BENCH_BUNDLE: pathToFileURL(bundles.shipped.http.file).href,
      BENCH_EVENTS: JSON.stringify(events),
      BENCH_ROUNDS: String(rounds),
      BENCH_PER: String(per),
    },
    maxBuffer: 1 << 28,
  });
  const out = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number[][]>;
  const rows: Row[] = [];
  for (const [name, samples] of Object.entries(out)) {
    for (const [label, q] of [
      ["p50", 0.5],
      ["p99", 0.99],
    ] as const) {
      const s = perRound(samples, q);
      rows.push({
        group: "Handler overhead",
        measure: `${name}, in process, ${label}`,
        value: `${num(s.median)} µs`,
        spread: spread(s, " µs"),
        runs: s.n,
        compared: `${per} requests per round`,
      });
    }
  }
  return rows;
}
