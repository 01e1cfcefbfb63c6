import type { AllChannels, Via } from "../local/all-channels.js";
import type { Row } from "./lib/report.js";
import { num, perRound, spread } from "./lib/stats.js";

const VIAS: readonly Via[] = ["email", "slack", "github"];

interface Timing {
  via: Via;
  /** Click sent → CodePipeline (the simulator) applied PutApprovalResult. */
  put: number;
  /** Click sent → every channel's projection done (the change feed is idle). */
  converged: number;
}

/** One approval opened and settled, then approved from `via`, timed. */
async function decideOnce(fs: AllChannels, via: Via): Promise<Timing> {
  const id = await fs.open();
  await fs.stack.settled();
  let put = 0;
  const off = fs.stack.simulator.onEvent((e) => {
    if (put === 0 && e.kind === "action" && e.stage === "Approve" && e.status !== "InProgress")
      put = performance.now();
  });
  const t0 = performance.now();
  const status = await fs.approve(id, via);
  await fs.stack.settled();
  const converged = performance.now();
  off();
  const state = (await fs.stack.store.get(id))?.state;
  if (status !== 200 || put === 0 || state !== "approved" || fs.stack.store.failures.size > 0) {
    throw new Error(`decision via ${via} did not go through: HTTP ${status}, ${state}`);
  }
  return { via, put: put - t0, converged: converged - t0 };
}

/**
 * Decision latency on the local stack: a person's click (an e-mail POST, a signed Slack click, a
 * signed GitHub comment delivery, over HTTP to the router) → PutApprovalResult received by the
 * CodePipeline simulator, and → every channel updated. Channels take turns.
 */
export async function decisionLatency(fs: AllChannels, rounds: number, per: number): Promise<Row[]> {
  for (const via of VIAS) await decideOnce(fs, via); // warm: the first GitHub call loads Probot
  const all: Timing[][] = [];
  for (let r = 0; r < rounds; r++) {
    const round: Timing[] = [];
    for (let i = 0; i < per; i++) round.push(await decideOnce(fs, VIAS[i % VIAS.length] ?? "email"));
    all.push(round);
  }
  const put = (t: Timing[]) => t.map((x) => x.put);
  const p50 = perRound(all.map(put), 0.5);
  const p99 = perRound(all.map(put), 0.99);
  const conv50 = perRound(
    all.map((t) => t.map((x) => x.converged)),
    0.5,
  );
  const conv99 = perRound(
    all.map((t) => t.map((x) => x.converged)),
    0.99,
  );
  const ms = (s: typeof p50) => ({ value: `${num(s.median)} ms`, spread: spread(s, " ms"), runs: s.n });
  const note = `${per} decisions per round, channels in turn`;
  const rows: Row[] = [
    { group: "Decision", measure: "click → PutApprovalResult received, p50", ...ms(p50), compared: note },
    {
      group: "Decision",
      measure: "click → PutApprovalResult received, p99",
      ...ms(p99),
      compared: note,
      target: "≤ 50 ms",
      met: p99.median <= 50,
    },
  ];
  for (const via of VIAS) {
    const s = perRound(
      all.map((t) => put(t.filter((x) => x.via === via))),
      0.5,
    );
    rows.push({ group: "Decision", measure: `  via ${via}, p50`, ...ms(s) });
  }
  rows.push(
    {
      group: "Decision",
      measure: "click → every channel updated (convergence), p50",
      ...ms(conv50),
      compared: `${num(conv50.median - p50.median)} ms after CodePipeline`,
    },
    { group: "Decision", measure: "click → every channel updated (convergence), p99", ...ms(conv99) },
  );
  return rows;
}
