// The Slack ack while someone floods another route: Slack gives an interaction 3 seconds, and a
// burst of junk on the public URL must not eat that. Figures only; nothing here asserts.
import type { AllChannels } from "../local/all-channels.js";
import type { Row } from "./lib/report.js";
import { num, perRound, spread } from "./lib/stats.js";

/** `per` approvals opened and settled beforehand, so a flood runs only while clicks are timed. */
async function openMany(fs: AllChannels, per: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < per; i++) ids.push(await fs.open());
  await fs.stack.settled();
  return ids;
}

/** Ana's signed Slack click on each approval in turn: sent → router answered (the ack), in ms. */
async function acks(fs: AllChannels, ids: readonly string[]): Promise<number[]> {
  const times: number[] = [];
  for (const id of ids) {
    const click = await fs.slackClick(id);
    const t0 = performance.now();
    const status = await fs.post("/slack/events", click);
    times.push(performance.now() - t0);
    if (status !== 200) throw new Error(`Slack click answered ${status}`);
  }
  return times;
}

/**
 * `concurrency` loops, each POSTing an unsigned GitHub delivery as soon as the last one was answered,
 * until stopped: the burst the router refuses (401) without touching DynamoDB.
 */
function flood(fs: AllChannels, concurrency: number) {
  let running = true;
  const statuses = new Map<number, number>();
  const body = JSON.stringify({ action: "created", comment: { body: "/approve".padEnd(4096, " ") } });
  const headers = {
    "content-type": "application/json",
    "x-github-event": "issue_comment",
    "x-github-delivery": "00000000-0000-0000-0000-000000000000",
  };
  const loop = async () => {
    while (running) {
      const status = await fs.post("/github/webhooks", { headers, body }).catch(() => 0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const t0 = performance.now();
  const loops = Array.from({ length: concurrency }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      const seconds = (performance.now() - t0) / 1000;
      const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
      return { sent, perSecond: sent / seconds, statuses };
    },
  };
}

/**
 * Slack ack latency p50/p99 on the local stack, alone and during a flood of unsigned POSTs to
 * `/github/webhooks`. Rounds alternate (alone, flooded) so drift on a shared machine hits both.
 */
export async function floodAck(
  fs: AllChannels,
  rounds: number,
  per: number,
  concurrency: number,
): Promise<Row[]> {
  await acks(fs, await openMany(fs, 3)); // warm-up
  await fs.stack.settled();
  const alone: number[][] = [];
  const flooded: number[][] = [];
  let sent = 0;
  let rate = 0;
  const statuses = new Map<number, number>();
  for (let r = 0; r < rounds; r++) {
    alone.push(await acks(fs, await openMany(fs, per)));
    await fs.stack.settled();
    const ids = await openMany(fs, per);
    const burst = flood(fs, concurrency);
    flooded.push(await acks(fs, ids));
    const done = await burst.stop();
    await fs.stack.settled();
    sent += done.sent;
    rate += done.perSecond / rounds;
    for (const [s, c] of done.statuses) statuses.set(s, (statuses.get(s) ?? 0) + c);
  }
  const answered = [...statuses].map(([s, c]) => `${c.toLocaleString("en")}× ${s || "error"}`).join(", ");
  const ms = (s: ReturnType<typeof perRound>) => ({
    value: `${num(s.median)} ms`,
    spread: spread(s, " ms"),
    runs: s.n,
  });
  const rows: Row[] = [];
  for (const [q, label] of [
    [0.5, "p50"],
    [0.99, "p99"],
  ] as const) {
    const base = perRound(alone, q);
    const busy = perRound(flooded, q);
    rows.push(
      {
        group: "Flood",
        measure: `Slack click → ack, alone, ${label}`,
        ...ms(base),
        compared: `${per} clicks per round`,
      },
      {
        group: "Flood",
        measure: `Slack click → ack, during ${concurrency} concurrent unsigned POSTs to /github/webhooks, ${label}`,
        ...ms(busy),
        compared: `×${num(busy.median / base.median)} alone`,
        ...(q === 0.99 ? { target: "≤ 3,000 ms (Slack's ack window)", met: busy.median <= 3000 } : {}),
      },
    );
  }
  rows.push({
    group: "Flood",
    measure: "  the flood itself",
    value: `${num(rate)} req/s`,
    compared: `${sent.toLocaleString("en")} sent: ${answered}`,
  });
  return rows;
}

if (process.argv[1]?.endsWith("bench/flood.ts")) {
  const { startAllChannels } = await import("../local/all-channels.js");
  const fs = await startAllChannels();
  try {
    for (const r of await floodAck(fs, 2, 10, 50))
      console.log(
        `${r.measure}: ${r.value}${r.spread ? ` (${r.spread})` : ""}${r.compared ? ` — ${r.compared}` : ""}`,
      );
  } finally {
    await fs.stack.close();
  }
}
