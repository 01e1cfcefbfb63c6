import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, TABLE } from "../../local/stack.js";
import { captureLogs } from "../support/logs.js";
import { putCalls } from "../support/simulator.js";
import { ANA, BO, linksByRecipient, requestApproval, testStack } from "../support/stack.js";

const SCANNERS = [
  "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  "Mozilla/5.0 (compatible; Microsoft Office Protocol Discovery; SafeLinks)",
  "",
];

describe("email channel on the local stack (dynalite, SES emulator, CodePipeline simulator)", () => {
  let stack: Stack;
  const logs = captureLogs();
  // The stack's clock runs `skew` ms ahead of real time, so a test can step past an expiry.
  let skew = 0;
  const clock = { now: () => new Date(Date.now() + skew) };

  beforeAll(async () => {
    stack = await testStack({ log: logs.log, clock });
  });
  afterAll(() => stack.close());
  beforeEach(async () => {
    skew = 0;
    await stack.ses.clear();
  });

  const post = (url: string, form: Record<string, string>) =>
    fetch(url.split("?")[0] ?? url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  const tokenOf = (link: string) => new URL(link).searchParams.get("t") ?? "";
  const rawItem = async (id: string) => {
    // The stack's own client and table: no credentials or table name written out here.
    const out = await DynamoDBDocumentClient.from(stack.dynamoClient).send(
      new GetCommand({ TableName: TABLE, Key: { pk: `approval#${id}` } }),
    );
    return JSON.stringify(out.Item);
  };

  it("sends exactly one e-mail per recipient, each with its own link, even when the projector runs again", async () => {
    const { approvalId } = await requestApproval(stack);

    await stack.store.listener?.(approvalId);
    await stack.store.listener?.(approvalId);
    await stack.settled();

    const emails = await stack.ses.emails();
    expect(emails.map((e) => e.destination.to[0]).sort()).toEqual([ANA, BO]);
    const links = await linksByRecipient(stack);
    expect(new Set(links.values()).size).toBe(2);
    for (const link of links.values())
      expect(link.startsWith(`${stack.publicUrl}/a/${approvalId}?t=`)).toBe(true);
    const email = emails[0];
    expect(email?.subject).toBe("Approval needed: shop-web → Approve (Add express checkout (#42))");
    expect(email?.body.html).toContain("Review and decide");
    expect(email?.body.html).not.toMatch(/<script|<img[^>]+src="http/i);
    expect(email?.body.text).toContain("Staging: https://staging.shop.example.com");
    const stored = await stack.store.get(approvalId);
    for (const [to, link] of links) {
      expect(stored?.links[to]?.sentAt).toBeTruthy();
      expect(JSON.stringify(stored)).not.toContain(tokenOf(link));
    }
  });

  it("GET and HEAD ×20 with scanner agents change nothing and call nobody; then one POST decides", async () => {
    const { approvalId } = await requestApproval(stack);
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";
    const before = await rawItem(approvalId);
    const callsBefore = stack.simulator.calls.length;
    const putsBefore = putCalls(stack.simulator).length;

    for (let i = 0; i < 20; i++) {
      for (const method of ["GET", "HEAD"]) {
        const res = await fetch(link, {
          method,
          headers: { "user-agent": SCANNERS[i % SCANNERS.length] ?? "" },
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
    }

    expect(await rawItem(approvalId)).toBe(before);
    expect(stack.simulator.calls.length).toBe(callsBefore);
    const decided = await post(link, { t: tokenOf(link), verdict: "approve", comment: "ship it" });
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain("Production deploy continues");
    expect(putCalls(stack.simulator)).toHaveLength(putsBefore + 1);
  });

  it("the page carries the security headers and both choices; other methods get 405", async () => {
    await requestApproval(stack);
    const link = (await linksByRecipient(stack)).get(BO) ?? "";

    const res = await fetch(link);
    const body = await res.text();
    const put = await fetch(link, { method: "PUT" });

    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(body).toContain('value="approve"');
    expect(body).toContain('value="reject"');
    expect(body).not.toContain("<script");
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("a hostile commit message and notes reach the e-mail and the page as text: no markup, no bidi, no header break", async () => {
    await stack.ses.clear();
    const hostile =
      'Fix totals <script>alert(1)</script><img src="http://evil.example/x"> \u202Eevil\r\nBcc: all@acme.io';
    await requestApproval(stack, {
      commitMessage: hostile,
      customData: '<a href="http://evil.example">click</a>',
    });
    const [email] = await stack.ses.emails();
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";
    const page = await (await fetch(link)).text();

    for (const html of [email?.body.html ?? "", page]) {
      expect(html).not.toMatch(/<script|<img[^>]+evil|<a href="http:\/\/evil/i);
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).not.toContain("\u202E");
    }
    expect(email?.subject).not.toMatch(/[\r\n\u202E]/);
    expect(email?.subject).toContain("Fix totals");
    expect(email?.body.text).not.toContain("\u202E");
  });

  it("a used link says already approved by you; a wrong token and an unknown id look identical", async () => {
    const { approvalId } = await requestApproval(stack);
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";
    await post(link, { t: tokenOf(link), verdict: "approve" });

    const again = await post(link, { t: tokenOf(link), verdict: "approve" });
    const again2 = await fetch(link);
    const wrong = await fetch(`${stack.url}/a/${approvalId}?t=${"A".repeat(43)}`);
    const unknown = await fetch(`${stack.url}/a/AAAAAAAAAAAAAAAAAAAAAA?t=${tokenOf(link)}`);
    const missing = await fetch(`${stack.url}/a/${approvalId}`);

    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Already approved (by you)");
    expect(await again2.text()).toContain("Already approved (by you)");
    const bodies = await Promise.all([wrong, unknown, missing].map((r) => r.text()));
    expect([wrong.status, unknown.status, missing.status]).toEqual([404, 404, 404]);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain("This link is not valid");
  });

  it("rejecting needs a reason; with one, the run stops and the summary names the person", async () => {
    await requestApproval(stack);
    const link = (await linksByRecipient(stack)).get(BO) ?? "";

    const noReason = await post(link, { t: tokenOf(link), verdict: "reject", comment: "  " });
    const rejected = await post(link, {
      t: tokenOf(link),
      verdict: "reject",
      comment: "checkout totals are wrong",
    });

    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Please give a reason to reject.");
    expect(rejected.status).toBe(200);
    expect(await rejected.text()).toContain("The release stops here");
    const run = stack.simulator.latestRun({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
    });
    expect(run?.summary).toBe("Rejected by Bo Chen via e-mail: checkout totals are wrong");
  });

  it("an expired approval's link says so, and deciding is refused without a pipeline call", async () => {
    const past = new Date(Date.now() + 60_000);
    await requestApproval(stack, { expiresAt: past });
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";
    const calls = putCalls(stack.simulator).length;
    skew = 120_000;

    const page = await fetch(link);
    const decided = await post(link, { t: tokenOf(link), verdict: "approve" });

    expect(page.status).toBe(410);
    expect(await page.text()).toContain("This link has expired");
    expect(decided.status).toBe(410);
    expect(await decided.text()).toContain("This link has expired");
    expect(putCalls(stack.simulator)).toHaveLength(calls);
  });

  it("malformed and oversized posts are refused without a decision", async () => {
    await requestApproval(stack);
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";
    const calls = putCalls(stack.simulator).length;

    const bad = await post(link, { t: tokenOf(link), verdict: "maybe" });
    const huge = await post(link, { t: tokenOf(link), verdict: "approve", comment: "x".repeat(20_000) });

    expect(bad.status).toBe(400);
    expect(huge.status).toBe(413);
    expect(putCalls(stack.simulator)).toHaveLength(calls);
  });

  it("each decision and each refused attempt is one audit line: who, channel, approval, outcome or why", async () => {
    const { approvalId } = await requestApproval(stack);
    const links = await linksByRecipient(stack);
    const ana = links.get(ANA) ?? "";
    const bo = links.get(BO) ?? "";
    const before = logs.entries().length;

    await post(ana, { t: tokenOf(ana), verdict: "approve", comment: "ship it" });
    await post(bo, { t: tokenOf(bo), verdict: "approve" });

    const lines = logs
      .entries()
      .slice(before)
      .filter((e) => e.msg === "decision" || e.msg === "decision refused");
    expect(
      lines.map(({ msg, approvalId: id, who, channel, outcome, refused }) => ({
        msg,
        id,
        who,
        channel,
        outcome,
        refused,
      })),
    ).toEqual([
      {
        msg: "decision",
        id: approvalId,
        who: expect.stringContaining("Ana Lima"),
        channel: "email",
        outcome: "approved",
        refused: undefined,
      },
      {
        msg: "decision refused",
        id: approvalId,
        who: expect.stringContaining("Bo Chen"),
        channel: "email",
        outcome: undefined,
        refused: "AlreadyDecided",
      },
    ]);
  });

  it("never writes a link token or the CodePipeline token into a log line", async () => {
    const { token } = await requestApproval(stack);
    const links = await linksByRecipient(stack);
    for (const link of links.values()) await post(link, { t: tokenOf(link), verdict: "approve" });

    const text = logs.text();
    expect(text.length).toBeGreaterThan(0);
    for (const link of links.values()) expect(text).not.toContain(tokenOf(link));
    expect(text).not.toContain(token);
  });
});
