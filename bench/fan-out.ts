import type { Approval } from "../core/approval.js";
import type { AllChannels } from "../local/all-channels.js";
import type { Row } from "./lib/report.js";
import { num, spread, summarize } from "./lib/stats.js";

const DELAYS = { slack: 120, github: 250, email: 350 } as const;

interface Projection {
  wall: number;
  channels: Record<string, number>;
}

/**
 * Times the first projection of every new approval (the one that posts everywhere) and each
 * channel inside it, by wrapping the stack's channels and its change-feed listener.
 */
function instrument(fs: AllChannels): Projection[] {
  const done: Projection[] = [];
  let current: Projection | undefined;
  for (const channel of fs.stack.channels) {
    const sync = channel.sync.bind(channel);
    channel.sync = async (approval: Approval) => {
      const t = performance.now();
      try {
        await sync(approval);
      } finally {
        if (current) current.channels[channel.name] = performance.now() - t;
      }
    };
  }
  const listener = fs.stack.store.listener;
  if (!listener) throw new Error("the stack has no projector");
  const seen = new Set<string>();
  fs.stack.store.listener = async (id) => {
    if (seen.has(id)) return listener(id);
    seen.add(id);
    current = { wall: 0, channels: {} };
    const mine = current;
    const t = performance.now();
    try {
      await listener(id);
    } finally {
      mine.wall = performance.now() - t;
      done.push(mine);
      current = undefined;
    }
  };
  return done;
}

/**
 * Fan-out: with the stand-ins slowed (Slack 120 ms, GitHub 250 ms, SES 350 ms per request), the
 * projection of a new approval should take as long as its slowest channel, not the sum; with
 * GitHub answering 500, the other channels should finish as fast, and GitHub recover on retry.
 */
export async function fanOut(fs: AllChannels, runs: number): Promise<Row[]> {
  const projections = instrument(fs);
  fs.slack.standIn.delay("*", DELAYS.slack);
  fs.github.standIn.faults.delay(DELAYS.github);
  fs.stack.ses.faults.delay(DELAYS.email);

  const healthy: Projection[] = [];
  for (let i = 0; i < runs; i++) {
    await fs.open();
    await fs.stack.settled();
    healthy.push(projections.at(-1) as Projection);
  }
  const failing: Projection[] = [];
  let recovered = 0;
  for (let i = 0; i < runs; i++) {
    fs.github.standIn.faults.failNext(/./, 500, 1_000_000);
    const id = await fs.open();
    while (projections.length < healthy.length + failing.length + 1)
      await new Promise((r) => setTimeout(r, 5));
    failing.push(projections.at(-1) as Projection);
    // The outage ends; the change feed's next retry brings GitHub up to date.
    fs.github.standIn.faults.clear();
    fs.github.standIn.faults.delay(DELAYS.github);
    await fs.stack.settled();
    const approval = await fs.stack.store.get(id);
    if (approval?.channels?.github && !fs.stack.store.failures.has(id)) recovered++;
  }

  const slowest = (p: Projection) => Math.max(...Object.values(p.channels));
  const sum = (p: Projection) => Object.values(p.channels).reduce((a, b) => a + b, 0);
  const wall = summarize(healthy.map((p) => p.wall));
  const over = summarize(healthy.map((p) => p.wall - slowest(p)));
  const ms = (s: typeof wall) => ({ value: `${num(s.median)} ms`, spread: spread(s, " ms"), runs: s.n });
  const rows: Row[] = [
    {
      group: "Fan-out",
      measure: "new approval posted to e-mail + Slack + GitHub (stand-ins delayed 350/120/250 ms a request)",
      ...ms(wall),
      compared: `slowest channel ${num(summarize(healthy.map(slowest)).median)} ms, sum ${num(summarize(healthy.map(sum)).median)} ms; wall − slowest ${num(over.median)} ms`,
      target: "≤ slowest channel + 25 ms",
      met: over.median <= 25,
    },
  ];
  for (const name of ["email", "slack", "github"]) {
    const s = summarize(healthy.map((p) => p.channels[name] ?? Number.NaN));
    rows.push({ group: "Fan-out", measure: `  ${name} channel inside it`, ...ms(s) });
  }
  const failWall = summarize(failing.map((p) => p.wall));
  const others = (p: Projection) => Math.max(p.channels.email ?? 0, p.channels.slack ?? 0);
  rows.push(
    {
      group: "Fan-out",
      measure: "same, GitHub answering 500: e-mail and Slack done after",
      ...ms(summarize(failing.map(others))),
      compared: `${num(summarize(healthy.map(others)).median)} ms with GitHub healthy`,
    },
    {
      group: "Fan-out",
      measure: "  whole projection with GitHub failing (then retried)",
      ...ms(failWall),
      compared: `GitHub up to date after its outage: ${recovered} of ${runs}`,
    },
  );
  fs.slack.standIn.delay("*", 0);
  fs.github.standIn.faults.clear();
  fs.stack.ses.faults.clear();
  return rows;
}
