import { LAMBDAS, type Lambda } from "./bundles.js";
import type { Row } from "./lib/report.js";
import { pick } from "./lib/spawn.js";
import { num, spread, summarize } from "./lib/stats.js";

type Samples = Record<string, Record<string, number>[]>;

/**
 * The cold-start figures from the probes' samples (`started`, `ready`, `first`, each counted from
 * the process's start), with every comparison taken against figures from the same run.
 */
export function coldStartRows(samples: Samples): Row[] {
  const of = (name: string, key: string) => summarize(pick(samples[name] ?? [], key));
  const base = of("bare", "started");
  const ms = (s: ReturnType<typeof of>) => ({
    value: `${num(s.median)} ms`,
    spread: spread(s, " ms"),
    runs: s.n,
  });
  const over = (s: ReturnType<typeof of>) =>
    `+${num(s.median - base.median)} ms over bare (×${num(s.median / base.median)})`;
  const rows: Row[] = [
    { group: "Cold start", measure: "bare `node`: process start → first statement", ...ms(base) },
  ];
  const ready = (l: Lambda) => of(l, "ready");
  for (const l of LAMBDAS) {
    const shipped = ready(l);
    rows.push({
      group: "Cold start",
      measure: `${l}: → handler ready, as shipped (\`--enable-source-maps\`)`,
      ...ms(shipped),
      compared: over(shipped),
      target: `≤ bare + 60 ms (${num(base.median + 60)})`,
      met: shipped.median - base.median <= 60,
    });
    const nosm = of(`${l}:nosm`, "ready");
    rows.push({
      group: "Cold start",
      measure: `${l}: → handler ready, without \`--enable-source-maps\``,
      ...ms(nosm),
      compared: `${over(nosm)}; the flag costs ${num(shipped.median - nosm.median)} ms`,
    });
  }
  const ack = of("http", "first");
  rows.push(
    {
      group: "Cold start",
      measure: "Slack path: process start → signed click acked (verify → Bolt → decide → ack)",
      ...ms(ack),
      compared: `×${num(ack.median / base.median)} bare`,
      target: "≤ 300 ms",
      met: ack.median <= 300,
    },
    {
      group: "Cold start",
      measure: "Slack path, without `--enable-source-maps`",
      ...ms(of("http:nosm", "first")),
    },
    {
      group: "Cold start",
      measure: "GitHub path: process start → signed ping answered (loads Probot)",
      ...ms(of("http:github", "first")),
      compared: `Probot's first load: ${num(of("http:github", "first").median - of("http:github", "ready").median)} ms`,
    },
  );
  for (const l of LAMBDAS) {
    const un = of(`${l}:unbundled`, "ready");
    rows.push({
      group: "Baseline",
      measure: `${l}: → handler ready, unbundled (packages from node_modules)`,
      ...ms(un),
      compared: `×${num(un.median / ready(l).median)} the shipped bundle`,
    });
  }
  const floor = of("floor", "ready");
  rows.push({
    group: "Baseline",
    measure: "floor: the DynamoDB and CodePipeline clients alone → ready (`--enable-source-maps`)",
    ...ms(floor),
    compared: `${over(floor)}: what any handler using the two SDK clients pays`,
  });
  const unAck = of("http:unbundled", "first");
  const eagerReady = of("http:eager", "ready");
  const eagerAck = of("http:eager", "first");
  rows.push(
    {
      group: "Baseline",
      measure: "Slack path → ack, unbundled",
      ...ms(unAck),
      compared: `×${num(unAck.median / ack.median)} the shipped bundle`,
    },
    {
      group: "Baseline",
      measure: "http: → handler ready, Bolt (with express) and Probot loaded eagerly",
      ...ms(eagerReady),
      compared: `×${num(eagerReady.median / ready("http").median)} the shipped bundle`,
    },
    {
      group: "Baseline",
      measure: "Slack path → ack, Bolt and Probot loaded eagerly",
      ...ms(eagerAck),
      compared: `×${num(eagerAck.median / ack.median)} the shipped bundle`,
    },
  );
  return rows;
}
