import { randomBytes } from "node:crypto";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailChannel } from "../../bot/email/channel.js";
import type { Mailer } from "../../bot/email/mailer.js";
import type { EmailMessage } from "../../bot/email/message.js";
import { emailRoutes } from "../../bot/email/routes.js";
import { sweep } from "../../core/lifecycle.js";
import { openApproval } from "../../core/open.js";
import { parsePolicyObject } from "../../core/policy.js";
import type { Clock } from "../../core/ports.js";
import { testRequest } from "../support/approvals.js";
import { freshStore } from "../support/dynamo.js";
import { captureLogs } from "../support/logs.js";
import { putCalls, startSimulator } from "../support/simulator.js";

const RECIPIENTS = Array.from({ length: 100 }, (_, i) => `person-${String(i).padStart(3, "0")}@example.com`);
const REMINDERS = 150;
const DYNAMODB_ITEM_LIMIT = 400 * 1024;
const MINUTE = 60_000;

/** The e-mails that left, per recipient, as SES would have delivered them (links in the text). */
class Outbox implements Mailer {
  readonly sent: { to: string; message: EmailMessage }[] = [];
  async send(to: string, message: EmailMessage) {
    this.sent.push({ to, message });
    return { messageId: `m-${this.sent.length}` };
  }
  linksTo(to: string): string[] {
    return this.sent
      .filter((s) => s.to === to)
      .map((s) => /Review and decide: (\S+)/.exec(s.message.text)?.[1] ?? "");
  }
}

/**
 * docs/security.md#33-nothing-grows-without-bound, issue 14 item 6: a 1-minute `reminderEvery` and 100 recipients used to add 100
 * links and one history event per reminder until the item passed DynamoDB's 400 KB and every
 * write failed (a reject answered 500). The real sweep, the real e-mail channel, dynalite.
 */
describe("reminders cannot grow a record past DynamoDB's 400 KB (dynalite, 100 recipients)", () => {
  let now = new Date("2026-11-29T20:22:00Z");
  const clock: Clock = { now: () => now };
  const outbox = new Outbox();
  const logs = captureLogs();
  let world: Awaited<ReturnType<typeof build>>;

  async function build() {
    const { sim, pipeline } = await startSimulator({ now: clock.now });
    const { store, tableName, client } = await freshStore();
    const random = { bytes: (n: number) => randomBytes(n) };
    const channel = new EmailChannel({
      store,
      mailer: outbox,
      clock,
      random,
      log: logs.log,
      publicUrl: "https://greenlight.example.com",
    });
    const policy = parsePolicyObject({
      version: 1,
      rules: [
        {
          name: "shop production",
          match: { pipeline: "shop-*" },
          selfApproval: true,
          reminderEvery: "1m",
          email: { recipients: RECIPIENTS },
        },
      ],
    });
    const { token } = sim.startApproval({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
      expiresAt: "2026-12-06T20:22:00Z",
    });
    const { approval } = await openApproval({ store, pipeline, clock, policy }, testRequest({ token }));
    /** The raw item's JSON, type tags included: an upper bound on DynamoDB's own item size. */
    const itemBytes = async () => {
      const out = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: `approval#${approval.id}` } } }),
      );
      return JSON.stringify(out.Item ?? {}).length;
    };
    const routes = emailRoutes({ store, pipeline, clock, log: logs.log });
    return { sim, pipeline, store, channel, approval, itemBytes, routes };
  }

  beforeAll(async () => {
    world = await build();
  });
  afterAll(() => world?.sim.close());

  /** One sweep a minute later raises the next reminder; the e-mail channel sends it. */
  async function remind() {
    now = new Date(now.getTime() + MINUTE);
    await sweep({ store: world.store, pipeline: world.pipeline, clock });
    await world.channel.sync((await world.store.get(world.approval.id)) ?? world.approval);
  }

  it(`${REMINDERS} reminders to 100 recipients: the item stays far below 400 KB and stops growing`, async () => {
    await world.channel.sync((await world.store.get(world.approval.id)) ?? world.approval);
    const sizes = new Map<number, number>([[0, await world.itemBytes()]]);
    for (let n = 1; n <= REMINDERS; n++) {
      await remind();
      if (n % 10 === 0) sizes.set(n, await world.itemBytes());
    }

    const stored = await world.store.get(world.approval.id);
    expect(stored?.reminders?.count).toBe(REMINDERS);
    expect(outbox.sent).toHaveLength(RECIPIENTS.length * (REMINDERS + 1));
    const last = sizes.get(REMINDERS) ?? Number.POSITIVE_INFINITY;
    expect(last).toBeLessThan(DYNAMODB_ITEM_LIMIT / 4);
    // Bounded, not just slow: the last 30 reminders changed the size by a few bytes at most.
    expect(Math.abs(last - (sizes.get(REMINDERS - 30) ?? 0))).toBeLessThan(100);
    expect(Object.keys(stored?.links ?? {})).toHaveLength(RECIPIENTS.length * 2);
    expect(stored?.history.length).toBeLessThanOrEqual(100);
    expect(stored?.history).toContainEqual(
      expect.objectContaining({
        event: "history-trimmed",
        detail: expect.stringMatching(/^\d+ events not kept/),
      }),
    );
    // For the report: the raw item's bytes by reminder count.
    process.stdout.write(`record size by reminder: ${JSON.stringify(Object.fromEntries(sizes))}\n`);
    // 15,100 e-mails and 150 sweeps through dynalite: seconds alone, more on a loaded machine.
  }, 120_000);

  it("the first e-mail's link and the latest reminder's work; an older reminder's says a newer one may have replaced it", async () => {
    const [first, ...reminders] = outbox.linksTo(RECIPIENTS[7] ?? "");
    const latest = reminders.at(-1) ?? "";
    const older = reminders[4] ?? "";
    // The e-mail routes are mounted at /a, as on the function URL.
    const get = (link: string) =>
      world.routes.request(new URL(link).pathname.replace(/^\/a/, "") + new URL(link).search);

    const pages = await Promise.all([first ?? "", latest, older].map(get));

    expect(pages.map((p) => p.status)).toEqual([200, 200, 404]);
    expect(await pages[0]?.text()).toContain('value="reject"');
    expect(await pages[2]?.text()).toContain("a newer reminder replaced this link");
  });

  it("a reject still works afterwards, from the latest reminder's link", async () => {
    const link = new URL(outbox.linksTo(RECIPIENTS[42] ?? "").at(-1) ?? "");

    const res = await world.routes.request(link.pathname.replace(/^\/a/, ""), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        t: link.searchParams.get("t") ?? "",
        verdict: "reject",
        comment: "too many reminders",
      }).toString(),
    });

    expect(res.status).toBe(200);
    expect((await world.store.get(world.approval.id))?.state).toBe("rejected");
    expect(putCalls(world.sim)).toHaveLength(1);
  });
});
