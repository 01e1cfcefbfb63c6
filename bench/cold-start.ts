import { createHmac, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, type Bundles, LAMBDAS } from "./bundles.js";
import { coldStartRows } from "./cold-start-rows.js";
import type { Row } from "./lib/report.js";
import { functionUrlEvent, type SlackWorld, WEBHOOK_SECRET } from "./lib/slack-world.js";
import { interleaved, nodeJson, pick } from "./lib/spawn.js";

// `performance.now()` counts from the process's start, so each figure is "process start → …".
const PROBE = `const started = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE);
const ready = performance.now();
let first = 0, status = 0;
if (process.env.BENCH_EVENT) {
  const result = await handler(JSON.parse(process.env.BENCH_EVENT), {});
  first = performance.now();
  status = result.statusCode ?? 0;
}
console.log(JSON.stringify({ started, ready, first, status }));`;
const BARE = "console.log(JSON.stringify({ started: performance.now() }));";

/** GitHub's ping, signed: the cheapest request that still loads Probot to verify it. */
function githubPing(): string {
  const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  const headers = {
    "content-type": "application/json",
    "x-github-event": "ping",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": signature,
  };
  return JSON.stringify(functionUrlEvent({ method: "POST", path: "/github/webhooks", headers, body }));
}

/**
 * Fresh `node` processes, as Lambda starts them: bare node; each Lambda as shipped (with and
 * without `--enable-source-maps`) and unbundled; on the HTTP function, a signed Slack click to its
 * ack (and the same with Bolt and Probot loaded eagerly), and a signed GitHub ping.
 */
export async function coldStarts(bundles: Bundles, world: SlackWorld, runs: number): Promise<Row[]> {
  const probe = join(BENCH_DIR, "probe.mjs");
  const bare = join(BENCH_DIR, "bare.mjs");
  writeFileSync(probe, PROBE);
  writeFileSync(bare, BARE);
  const url = (file: string) => pathToFileURL(file).href;
  const sm = { NODE_OPTIONS: "--enable-source-maps" };
  type Spec = { bundle: string; extra?: NodeJS.ProcessEnv; event?: () => Promise<string> | string };
  const specs: Record<string, Spec> = {};
  for (const l of LAMBDAS.filter((l) => l !== "http")) {
    specs[`${l}`] = { bundle: bundles.shipped[l].file, extra: sm };
    specs[`${l}:nosm`] = { bundle: bundles.shipped[l].file };
    specs[`${l}:unbundled`] = { bundle: bundles.unbundled[l].file };
  }
  specs.http = { bundle: bundles.shipped.http.file, extra: sm, event: () => world.click() };
  specs["http:nosm"] = { bundle: bundles.shipped.http.file, event: () => world.click() };
  specs["http:unbundled"] = { bundle: bundles.unbundled.http.file, event: () => world.click() };
  specs["http:eager"] = { bundle: bundles.eager.file, extra: sm, event: () => world.click() };
  specs["http:github"] = { bundle: bundles.shipped.http.file, extra: sm, event: githubPing };
  specs.floor = { bundle: bundles.floor.file, extra: sm };

  const names = ["bare", ...Object.keys(specs)];
  const samples = await interleaved(runs, names, async (name) => {
    const spec = specs[name];
    if (!spec) return nodeJson([bare], world.env);
    const event = spec.event ? await spec.event() : undefined;
    const env = {
      ...world.env,
      ...spec.extra,
      BENCH_BUNDLE: url(spec.bundle),
      ...(event ? { BENCH_EVENT: event } : {}),
    };
    return nodeJson([probe], env);
  });
  const statuses = Object.entries(samples).flatMap(([name, s]) => (name === "bare" ? [] : pick(s, "status")));
  if (statuses.some((s) => s !== 0 && s !== 200 && s !== 202))
    throw new Error(`unexpected status: ${statuses}`);

  return coldStartRows(samples);
}
