import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePolicyObject } from "../../core/policy.js";
import type { Stack } from "../../local/stack.js";
import { artifactPath, launchChromium } from "../support/browser.js";
import { putCalls } from "../support/simulator.js";
import { ANA, BO, linksByRecipient, requestApproval, testStack } from "../support/stack.js";

/** The stack's e-mail rule (see test/support/stack.ts), high-risk or not. */
const policy = (highRisk: boolean) =>
  parsePolicyObject({
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
        highRisk,
        email: { recipients: [ANA, BO] },
      },
    ],
  });

/** What a person might type in each kind of field before pressing Enter. */
const typed = (name: string | null) => (name === "confirmation" ? "4f9c" : "do not ship: totals are wrong");

/**
 * docs/security.md#31-no-implicit-decision, issue 14: pressing Enter in a text field submits the form through its *default
 * button*, "the first submit button in tree order whose form owner is that form element" (HTML,
 * § 4.10.21.2 Implicit submission, https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#implicit-submission).
 * Approve used to be that button. No keyboard path in a field may decide.
 */
describe.each([
  ["high-risk", true],
  ["normal", false],
])("Enter in any field of the confirmation page decides nothing (%s rule, Chromium)", (kind, highRisk) => {
  let stack: Stack;
  let browser: Browser;
  let approvalId: string;
  let link: string;

  beforeAll(async () => {
    stack = await testStack({ policy: policy(highRisk) });
    browser = await launchChromium();
    ({ approvalId } = await requestApproval(stack));
    const found = (await linksByRecipient(stack)).get(ANA);
    if (!found) throw new Error("no e-mail for Ana");
    link = found;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** The page's fields, by name, as a person sees them (no hidden inputs). */
  const fieldsOf = (page: Page) =>
    page
      .locator("form input:not([type=hidden]), form textarea")
      .evaluateAll((els) => els.map((el) => el.getAttribute("name")));

  const assertUndecided = async () => {
    await stack.settled();
    const approval = await stack.store.get(approvalId);
    expect(approval?.state).toBe("pending");
    expect(approval?.votes).toEqual({});
    expect(putCalls(stack.simulator)).toHaveLength(0);
  };

  it("lists the fields the test presses Enter in", async () => {
    const page = await browser.newPage();
    await page.goto(link);

    expect(await fieldsOf(page)).toEqual(highRisk ? ["comment", "confirmation"] : ["comment"]);
    await page.close();
  });

  it("every field, filled in, then Enter: no vote, no PutApprovalResult, still pending", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(link);
    const names = await fieldsOf(page);

    for (const name of names) {
      await page.goto(link);
      // Fill every field (the worst case: a complete form), then press Enter in this one.
      for (const other of names) await page.locator(`[name="${other}"]`).fill(typed(other));
      await page.locator(`[name="${name}"]`).press("Enter");
      await page.waitForLoadState("load");
      await assertUndecided();
    }
    await page.screenshot({ path: artifactPath(`email-enter-${kind}-desktop.png`), fullPage: true });
    expect(names.length).toBeGreaterThan(0);
    await page.close();
  });

  it("Enter where the browser submits says: choose Approve or Reject, keeping what was typed", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link);
    // A textarea takes Enter as a new line; a single-line input submits the form implicitly.
    const field = highRisk ? "confirmation" : "comment";
    await page.locator('[name="comment"]').fill("do not ship: totals are wrong");
    if (highRisk) await page.locator('[name="confirmation"]').fill("4f9c");
    const answered = highRisk ? page.waitForResponse((r) => r.request().method() === "POST") : undefined;
    await page.locator(`[name="${field}"]`).press("Enter");

    if (answered) {
      expect((await answered).status()).toBe(400);
      await page.waitForLoadState("load");
      expect(await page.getByRole("alert").textContent()).toBe(
        "Nothing was decided: choose Approve or Reject.",
      );
      expect(await page.locator('[name="comment"]').inputValue()).toBe("do not ship: totals are wrong");
    } else {
      // No single-line field: Enter is a new line in the comment, and nothing is sent.
      expect(await page.locator('[name="comment"]').inputValue()).toBe("do not ship: totals are wrong\n");
    }
    await page.screenshot({ path: artifactPath(`email-enter-${kind}-390.png`), fullPage: true });
    await assertUndecided();
    await page.close();
  });

  it("the default button is invisible and out of the keyboard's and screen readers' way", async () => {
    const page = await browser.newPage();
    await page.goto(link);

    expect(await page.getByRole("button").allTextContents()).toEqual(["Approve", "Reject"]);
    await page.close();
  });

  it("then a deliberate Reject, with no typed characters, rejects", async () => {
    const page = await browser.newPage();
    await page.goto(link);
    await page.locator('[name="comment"]').fill("do not ship: totals are wrong");
    await page.getByRole("button", { name: "Reject" }).click();
    await page.waitForURL((url) => !url.search.includes("t="));

    expect(await page.locator("h1").textContent()).toBe("Rejected");
    await stack.settled();
    expect((await stack.store.get(approvalId))?.state).toBe("rejected");
    expect(putCalls(stack.simulator)).toHaveLength(1);
    await page.close();
  });
});
