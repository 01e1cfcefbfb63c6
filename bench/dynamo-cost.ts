import type { AllChannels, Via } from "../local/all-channels.js";
import type { Row } from "./lib/report.js";
import { num } from "./lib/stats.js";

// DynamoDB on-demand, Standard table class, us-east-1 (us-east-2 is the same): the prices AWS
// publishes since its 1 November 2024 reduction, as read on the date the bench prints.
export const PRICES = { rru: 0.125, wru: 0.625, asOf: "2026-11-30" } as const;

interface Usage {
  /** Requests received by the DynamoDB server (dynalite), by operation. */
  requests: Map<string, number>;
  /** Of those, requests for other items than approval records (GitHub's delivery log). */
  other: number;
  rru: number;
  wru: number;
}

/** The partition key a request is about, marshalled or not. */
function keyOf(input: object): string {
  const item = Reflect.get(input, "Key") ?? Reflect.get(input, "Item");
  const pk: unknown = item && typeof item === "object" ? Reflect.get(item, "pk") : undefined;
  if (typeof pk === "string") return pk;
  const s: unknown = pk && typeof pk === "object" ? Reflect.get(pk, "S") : undefined;
  return typeof s === "string" ? s : "";
}

const READS = new Set(["GetItem", "Query", "Scan", "BatchGetItem"]);

/**
 * Counts at the server (local/dynamo/server.ts counts every request it receives) and the capacity
 * the server reports consuming (it sizes items as DynamoDB does) through a middleware that asks
 * every request for `ReturnConsumedCapacity`.
 */
function meter(fs: AllChannels) {
  let rru = 0;
  let wru = 0;
  let other = 0;
  fs.stack.dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as object;
      if (/Item|Query|Scan/.test(context.commandName ?? ""))
        Reflect.set(input, "ReturnConsumedCapacity", "TOTAL");
      const key = keyOf(input);
      if (key && !key.startsWith("approval#")) other++;
      const out = await next(args);
      const consumed: unknown = Reflect.get(out.output as object, "ConsumedCapacity");
      const units = Number((consumed as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0);
      if (READS.has(String(context.commandName).replace(/Command$/, ""))) rru += units;
      else wru += units;
      return out;
    },
    { step: "initialize", name: "benchConsumedCapacity" },
  );
  const snapshot = (): Usage => ({ requests: new Map(fs.stack.dynamo.requests), other, rru, wru });
  return async (work: () => Promise<unknown>): Promise<Usage> => {
    const before = snapshot();
    await work();
    const after = snapshot();
    const requests = new Map<string, number>();
    for (const [op, n] of after.requests) {
      const d = n - (before.requests.get(op) ?? 0);
      if (d > 0) requests.set(op, d);
    }
    return {
      requests,
      other: after.other - before.other,
      rru: after.rru - before.rru,
      wru: after.wru - before.wru,
    };
  };
}

const total = (u: Usage) => [...u.requests.values()].reduce((a, b) => a + b, 0);
const reads = (u: Usage) => [...u.requests].filter(([op]) => READS.has(op)).reduce((a, [, n]) => a + n, 0);
const describe = (u: Usage) => [...u.requests].map(([op, n]) => `${op} ${n}`).join(" · ");

/**
 * DynamoDB requests per approval, phase by phase, with the projector run by hand so each phase
 * is counted alone; then the cost of 1,000 approvals (opened, viewed once, decided by e-mail).
 */
export async function dynamoCost(fs: AllChannels): Promise<Row[]> {
  const measure = meter(fs);
  const project = fs.stack.store.listener;
  if (!project) throw new Error("the stack has no projector");
  fs.stack.store.listener = undefined;
  // What DynamoDB Streams and the sync Lambda do: project after each change until nothing moves.
  const projectUntilQuiet = async (id: string) => {
    for (let i = 0; i < 10; i++) {
      const before = fs.stack.dynamo.requests.get("PutItem") ?? 0;
      await project(id);
      if ((fs.stack.dynamo.requests.get("PutItem") ?? 0) === before) return;
    }
  };
  const phases: [string, Usage][] = [];
  let id = "";
  phases.push(["open: intake (SNS → record)", await measure(async () => (id = await fs.open()))]);
  phases.push(["open: channels post (projection until quiet)", await measure(() => projectUntilQuiet(id))]);
  const link = await fs.emailLink(id);
  phases.push(["view: e-mail page (GET)", await measure(() => fetch(link).then((r) => r.arrayBuffer()))]);
  phases.push(["decide via e-mail (POST)", await measure(() => fs.approve(id, "email"))]);
  phases.push([
    "decided: channels update (projection until quiet)",
    await measure(() => projectUntilQuiet(id)),
  ]);
  const lifecycle = phases.map(([, u]) => u);
  for (const via of ["slack", "github"] as Via[]) {
    const other = await fs.open();
    await projectUntilQuiet(other);
    phases.push([`decide via ${via}`, await measure(() => fs.approve(other, via))]);
    await projectUntilQuiet(other);
  }
  fs.stack.store.listener = project;

  const rows: Row[] = phases.map(([name, u]) => {
    const deciding = name.startsWith("decide via");
    // GitHub's delivery log (X-GitHub-Delivery de-duplication) writes its own items, not the record's.
    const writes = total(u) - reads(u) - u.other;
    const others = u.other > 0 ? ` (${u.other} of them GitHub's delivery log)` : "";
    return {
      group: "DynamoDB",
      measure: name,
      value: `${total(u)} requests`,
      compared: `${describe(u)}${others} = ${num(u.rru)} RRU, ${num(u.wru)} WRU`,
      ...(deciding ? { target: "≤ 1 read + 2 conditional writes" } : {}),
      ...(deciding ? { met: reads(u) <= 1 && writes <= 2 } : {}),
    };
  });
  const rru = lifecycle.reduce((a, u) => a + u.rru, 0);
  const wru = lifecycle.reduce((a, u) => a + u.wru, 0);
  const per1000 = ((rru * PRICES.rru + wru * PRICES.wru) / 1_000_000) * 1000;
  rows.push({
    group: "DynamoDB",
    measure: "cost per 1,000 approvals (open, one view, decided by e-mail, channels updated)",
    value: `$${per1000.toFixed(4)}`,
    compared: `${num(rru)} RRU + ${num(wru)} WRU per approval × $${PRICES.rru}/M RRU, $${PRICES.wru}/M WRU (on-demand, us-east-1, prices as of ${PRICES.asOf})`,
  });
  return rows;
}
