// `greenlight audit` memory and time as the exported period grows: the export streams Query pages
// to the sink, so heap and RSS should stay flat while the row count grows. dynalite runs in a child
// process (it holds the whole table in memory), so this process's heap and RSS are the export's.
// Figures only.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { exportAudit } from "../cli/audit.js";
import type { Approval } from "../core/approval.js";
import { castVote, markDelivered, newApproval } from "../core/state-machine.js";
import { approvalIdFor } from "../core/tokens.js";
import { ensureApprovalsTable } from "../lambdas/aws/approvals-table.js";
import { DynamoApprovalStore } from "../lambdas/aws/dynamodb-store.js";
import type { Row } from "./lib/report.js";

/** The child's old-space cap (`--max-old-space-size`) in `auditExportInChild`. */
export const HEAP_CAP_MB = 48;
const START = Date.parse("2026-11-01T00:00:00Z");
const MB = 1024 * 1024;

function decidedRecord(i: number): Approval {
  const request = {
    region: "us-east-2",
    pipeline: i % 3 ? "shop-web" : "shop-api",
    stage: "Approve",
    action: "StakeholderApproval",
    token: `bench-${i}`,
    expiresAt: "2026-12-31T00:00:00.000Z",
  };
  const at = new Date(START + i * 60_000);
  const open = newApproval({
    id: approvalIdFor(request),
    request,
    context: {
      executionId: `exec-${i}`,
      commit: { sha: `c0ffee${i}` },
      authors: { logins: [], emails: [] },
      release: {
        commits: 3,
        headPulls: [i],
        pulls: [{ number: i, title: `Change ${i}, with "quotes"`, url: "u" }],
      },
    },
    rule: {
      name: "default",
      match: { pipeline: "*", stage: "*", action: "*" },
      quorum: 1,
      selfApproval: true,
      reminderEvery: false,
      highRisk: false,
      people: [],
    },
    now: at,
  });
  const vote = {
    principal: `github:dev${i}`,
    verdict: "approve" as const,
    actor: { channel: "github" as const, id: `dev${i}`, name: `Dev ${i}` },
    comment: "ships, checked the dashboards",
    at: at.toISOString(),
  };
  return markDelivered(castVote(open, vote, at).approval, at);
}

/** A sink that discards, slowly enough (every 64 KB, a tick) that backpressure is exercised. */
function discard(): Writable {
  let since = 0;
  return new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, done) {
      since += chunk.length;
      if (since < 64 * 1024) return done();
      since = 0;
      setImmediate(done);
    },
  });
}

/** dynalite in its own process (`bench/entries/dynalite.ts`); `rss()` reads that process's RSS. */
async function childDynamo() {
  const entry = fileURLToPath(new URL("./entries/dynalite.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", entry], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const [first] = (await once(lines, "line")) as [string];
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    /** Linux only (`/proc`); NaN elsewhere. */
    rss(): number {
      const status = `/proc/${child.pid}/status`;
      if (!existsSync(status)) return Number.NaN;
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, "utf8"))?.[1];
      return kb ? Number(kb) * 1024 : Number.NaN;
    },
    async close() {
      child.stdin.end();
      await once(child, "exit");
    },
  };
}

export async function auditExport(sizes: number[] = [1000, 5000, 20000]): Promise<Row[]> {
  const dynamo = await childDynamo();
  const client = new DynamoDBClient({
    endpoint: dynamo.url,
    region: "us-east-2",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const rows: Row[] = [];
  try {
    const tableName = `audit-bench-${randomUUID()}`;
    await ensureApprovalsTable(client, tableName);
    const store = new DynamoApprovalStore({ tableName, client });
    let written = 0;
    for (const size of sizes) {
      // Records through the store the product uses (create of a decided record: one write each).
      for (; written < size; written += 50) {
        const batch: Promise<unknown>[] = [];
        for (let i = written; i < Math.min(size, written + 50); i++)
          batch.push(store.create(decidedRecord(i)));
        await Promise.all(batch);
      }
      global.gc?.();
      const base = process.memoryUsage();
      let heapPeak = base.heapUsed;
      let rssPeak = base.rss;
      const sample = setInterval(() => {
        const m = process.memoryUsage();
        heapPeak = Math.max(heapPeak, m.heapUsed);
        rssPeak = Math.max(rssPeak, m.rss);
      }, 5);
      const t0 = performance.now();
      const count = await exportAudit(
        client,
        { tableName, since: new Date(START), until: new Date(START + size * 60_000) },
        "csv",
        discard(),
      );
      const ms = performance.now() - t0;
      clearInterval(sample);
      const m = process.memoryUsage();
      heapPeak = Math.max(heapPeak, m.heapUsed);
      rssPeak = Math.max(rssPeak, m.rss);
      if (count !== size) throw new Error(`exported ${count} of ${size}`);
      // What the export kept: the peak also counts garbage V8 had not collected yet.
      global.gc?.();
      const retained = process.memoryUsage().heapUsed - base.heapUsed;
      const label = `${size.toLocaleString("en")} approvals`;
      rows.push(
        {
          group: "Audit export",
          measure: `${label}: time (CSV, dynalite)`,
          value: `${(ms / 1000).toFixed(2)} s`,
          compared: `${Math.round(size / (ms / 1000))} rows/s`,
        },
        {
          group: "Audit export",
          measure: `${label}: heap peak above start`,
          value: `${((heapPeak - base.heapUsed) / MB).toFixed(1)} MB`,
          compared: `${(retained / MB).toFixed(1)} MB still held after the export and a GC${global.gc ? "" : " (run with --expose-gc)"}`,
        },
        {
          group: "Audit export",
          measure: `${label}: RSS peak`,
          value: `${(rssPeak / MB).toFixed(0)} MB`,
          compared: `dynalite's own process (the table): ${(dynamo.rss() / MB).toFixed(0)} MB`,
        },
      );
    }
  } finally {
    client.destroy();
    await dynamo.close();
  }
  return rows;
}

/**
 * The same in a fresh `node --expose-gc` process: its heap holds the export and nothing the other
 * benches left, and "still held after a GC" is measured (`npm run bench` uses this). The old space
 * is capped at `HEAP_CAP_MB`: uncapped, V8 defers collection and the peak follows how long the run
 * was, not what the export holds; capped, a period 20× longer must fit the same heap.
 */
export async function auditExportInChild(sizes: number[]): Promise<Row[]> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      `--max-old-space-size=${HEAP_CAP_MB}`,
      "--import",
      "tsx",
      self,
      "--json",
      ...sizes.map(String),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`bench/audit.ts exited with ${code}`);
  const rows: unknown = JSON.parse(out.trim().split("\n").at(-1) ?? "[]");
  if (!Array.isArray(rows)) throw new Error("bench/audit.ts printed no rows");
  return rows as Row[]; // our own child's output, written by auditExport just below
}

if (process.argv[1]?.endsWith("bench/audit.ts")) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const rows = await auditExport(sizes.length ? sizes : undefined);
  if (process.argv.includes("--json")) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.measure}: ${r.value}${r.compared ? ` (${r.compared})` : ""}`);
}
