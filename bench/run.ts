// `npm run bench`: every figure in one table, printed and written to BENCHMARKS.md. Figures only;
// nothing here asserts (tests never check wall-clock times). `--quick` takes fewer runs, for a
// first look; the committed figures come from a full run on an otherwise idle machine.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../infra/service/bundle-options.js";
import { PolicyFile } from "../infra/service/policy-file.js";
import { startAllChannels } from "../local/all-channels.js";
import { auditExportInChild } from "./audit.js";
import { BENCH_DIR, buildAll, sizeRows } from "./bundles.js";
import { coldStarts } from "./cold-start.js";
import { decisionLatency } from "./decision.js";
import { dynamoCost } from "./dynamo-cost.js";
import { fanOut } from "./fan-out.js";
import { floodAck } from "./flood.js";
import { describeMachine } from "./lib/machine.js";
import { type Row, renderTable, writeBenchmarks } from "./lib/report.js";
import { startSlackWorld } from "./lib/slack-world.js";
import { handlerOverhead } from "./overhead.js";

const quick = process.argv.includes("--quick");
const n = quick
  ? { cold: 5, rounds: 2, per: 500, decisions: 9, fanOut: 2, clicks: 10 }
  : { cold: 15, rounds: 5, per: 2000, decisions: 30, fanOut: 6, clicks: 20 };
const machine = describeMachine();
const step = (what: string) => console.error(`bench: ${what}…`);

step("bundling the Lambdas as infra does");
const bundles = await buildAll();
const rows: Row[] = sizeRows(bundles);

// The policy as cdk synth ships it next to each handler.
const policyFile = join(BENCH_DIR, "greenlight.json");
writeFileSync(policyFile, new PolicyFile(join(REPO_ROOT, "greenlight.yml")).json);
const world = await startSlackWorld(policyFile);
try {
  step(`cold starts (${n.cold} fresh processes per variant)`);
  rows.push(...(await coldStarts(bundles, world, n.cold)));
  step("handler overhead");
  rows.push(...(await handlerOverhead(bundles, world, n.rounds, n.per)));
} finally {
  await world.close();
}

const fs = await startAllChannels();
try {
  step(`decision latency (${n.rounds} rounds × ${n.decisions} decisions)`);
  rows.push(...(await decisionLatency(fs, n.rounds, n.decisions)));
  step("DynamoDB requests per approval");
  rows.push(...(await dynamoCost(fs)));
  step("fan-out");
  rows.push(...(await fanOut(fs, n.fanOut)));
  step(`Slack ack under a flood (${n.rounds} rounds × ${n.clicks} clicks, alone and flooded)`);
  rows.push(...(await floodAck(fs, n.rounds, n.clicks, 50)));
} finally {
  await fs.stack.close();
}
step(`audit export (${quick ? "1k, 10k" : "1k, 5k, 20k"} approvals, in a child process)`);
rows.push(...(await auditExportInChild(quick ? [1000, 10000] : [1000, 5000, 20000])));

const order = [
  "Bundle",
  "Cold start",
  "Handler overhead",
  "Decision",
  "Fan-out",
  "Flood",
  "DynamoDB",
  "Audit export",
  "Baseline",
];
rows.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
const table = renderTable(rows);
const generated = `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench${quick ? " -- --quick" : ""}\` on: ${machine}.
Each figure is the median of repeated runs (n), with the 10th–90th percentile of those runs; latency
percentiles are taken per round, then the median round is shown. "Compared" figures come from the same run.

${table}`;
console.log(`\n${generated}\n`);
writeBenchmarks(join(REPO_ROOT, "BENCHMARKS.md"), generated);
