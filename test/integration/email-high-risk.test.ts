import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePolicyObject } from "../../core/policy.js";
import type { Stack } from "../../local/stack.js";
import { putCalls } from "../support/simulator.js";
import { ANA, BO, linksByRecipient, requestApproval, testStack } from "../support/stack.js";

const HIGH_RISK = parsePolicyObject({
  version: 1,
  people: [
    { name: "Ana Lima", email: ANA, github: false },
    { name: "Bo Chen", email: BO, github: false },
  ],
  rules: [
    {
      name: "shop production",
      match: { pipeline: "shop-*" },
      selfApproval: true,
      highRisk: true,
      email: { recipients: [ANA, BO] },
    },
  ],
});

/**
 * The e-mail page of a high-risk rule (docs/security.md#3-typed-confirmation-on-high-risk-rules, docs/security.md#31-no-implicit-decision): the typed characters guard approving
 * only, and a form sent without an explicit choice (Enter in a field) decides nothing.
 */
describe("e-mail decisions on a high-risk rule (local stack)", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await testStack({ policy: HIGH_RISK });
  });
  afterAll(() => stack.close());

  const post = (url: string, form: Record<string, string>) =>
    fetch(url.split("?")[0] ?? url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  const tokenOf = (link: string) => new URL(link).searchParams.get("t") ?? "";
  const open = async () => {
    await stack.ses.clear();
    const { approvalId } = await requestApproval(stack);
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";
    return { approvalId, link, calls: putCalls(stack.simulator).length };
  };

  it("the page: a verdict-less default button first, the field labelled for approving and not required", async () => {
    const { link } = await open();

    const body = await (await fetch(link)).text();

    const buttons = [...body.matchAll(/<button[^>]*>/g)].map((m) => m[0]);
    expect(buttons[0]).toBe('<button type="submit" hidden tabindex="-1" formnovalidate>');
    expect(buttons.slice(1).map((b) => /value="(\w+)"/.exec(b)?.[1])).toEqual(["approve", "reject"]);
    expect(body).toContain("To approve, type the first 4 characters of the commit");
    expect(body).toContain("(not needed to reject)");
    expect(body).not.toMatch(/name="confirmation"[^>]*required/);
  });

  it("a POST without a verdict (what Enter sends) → 400, the page says choose, the comment kept, nothing decided", async () => {
    const { approvalId, link, calls } = await open();

    const res = await post(link, { t: tokenOf(link), comment: "do not ship", confirmation: "4f9c" });

    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain("Nothing was decided: choose Approve or Reject.");
    expect(body).toContain(">do not ship</textarea>");
    expect((await stack.store.get(approvalId))?.votes).toEqual({});
    expect(putCalls(stack.simulator)).toHaveLength(calls);
  });

  it("approve without the characters → refused on the page; with them → approved", async () => {
    const { approvalId, link, calls } = await open();

    const refused = await post(link, { t: tokenOf(link), verdict: "approve" });
    const approved = await post(link, { t: tokenOf(link), verdict: "approve", confirmation: "4F9C" });

    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Type the first 4 characters to confirm");
    expect(approved.status).toBe(200);
    expect((await stack.store.get(approvalId))?.state).toBe("approved");
    expect(putCalls(stack.simulator)).toHaveLength(calls + 1);
  });

  it("reject with a reason and no characters → rejected", async () => {
    const { approvalId, link, calls } = await open();

    const res = await post(link, { t: tokenOf(link), verdict: "reject", comment: "totals are wrong" });

    expect(res.status).toBe(200);
    expect((await stack.store.get(approvalId))?.state).toBe("rejected");
    expect(putCalls(stack.simulator)).toHaveLength(calls + 1);
  });

  it("the page says whom the link decides as", async () => {
    const { link } = await open();
    const body = await (await fetch(link)).text();
    expect(body).toContain(
      '<p class="hint" id="deciding-as">You are deciding as <strong>Ana Lima (ana@acme.io)</strong>.</p>',
    );
  });

  it("an error about a field is shown next to it, which gets the focus; the other field is left alone", async () => {
    const { link } = await open();

    const wrong = await (
      await post(link, { t: tokenOf(link), verdict: "approve", confirmation: "zzzz" })
    ).text();
    const noReason = await (await post(link, { t: tokenOf(link), verdict: "reject" })).text();

    expect(wrong).toMatch(
      /<p class="error" id="confirmation-error" role="alert">Type the first 4 characters to confirm<\/p>\n<input type="text" id="confirmation"[^>]* aria-describedby="confirmation-error" aria-invalid="true" autofocus>/,
    );
    expect(wrong).not.toMatch(/<textarea[^>]*autofocus/);
    expect(noReason).toMatch(
      /<p class="error" id="comment-error" role="alert">Please give a reason to reject.<\/p>\n<textarea id="comment"[^>]* aria-describedby="comment-error" aria-invalid="true" autofocus>/,
    );
    expect(noReason).not.toMatch(/<input type="text" id="confirmation"[^>]*autofocus/);
  });
});

describe("e-mail: a person who cannot approve is told so before pressing anything (local stack)", () => {
  let stack: Stack;
  // selfApproval: false and no GitHub App: the change's authors cannot be read, so nobody may
  // approve (fail closed), and the page must say so rather than offer a button that cannot work.
  const BLIND = parsePolicyObject({
    version: 1,
    people: [{ name: "Ana Lima", email: ANA, github: false }],
    rules: [{ name: "shop production", match: { pipeline: "shop-*" }, email: { recipients: [ANA] } }],
  });
  beforeAll(async () => {
    stack = await testStack({ policy: BLIND });
  });
  afterAll(() => stack.close());

  it("no Approve button, the reason on the page, Reject still offered", async () => {
    await requestApproval(stack);
    const link = (await linksByRecipient(stack)).get(ANA) ?? "";

    const body = await (await fetch(link)).text();

    const buttons = [...body.matchAll(/<button[^>]*value="(\w+)"/g)].map((m) => m[1]);
    expect(buttons).toEqual(["reject"]);
    expect(body).toMatch(
      /<p class="notice" id="cannot-approve" role="note">Greenlight cannot approve this deploy: [^<]+Rejecting still works/,
    );
    expect(body).toContain("(required to reject)");
  });
});
