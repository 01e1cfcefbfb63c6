import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../local/stack.js";
import { artifactPath, launchChromium } from "../support/browser.js";
import { putCalls } from "../support/simulator.js";
import { ANA, linksByRecipient, requestApproval, testStack } from "../support/stack.js";

describe("a stakeholder approves from the e-mail link in a real browser (Chromium)", () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await testStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("opens the link, sees the page (phone and desktop), approves with a comment, sees the outcome", async () => {
    await requestApproval(stack);
    const link = (await linksByRecipient(stack)).get(ANA);
    if (!link) throw new Error("no e-mail for Ana");

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(link);
    expect(await phone.locator("h1").textContent()).toBe("Production approval: shop-web");
    expect(await phone.getByText("Add express checkout (#42)").count()).toBe(1);
    await phone.screenshot({ path: artifactPath("email-confirmation-390.png"), fullPage: true });
    await phone.close();

    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    desktop.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await desktop.goto(link);
    await desktop.screenshot({ path: artifactPath("email-confirmation-desktop.png"), fullPage: true });
    await desktop.getByLabel("Comment").fill("Looks great on staging");
    await desktop.getByRole("button", { name: "Approve" }).click();
    await desktop.waitForURL((url) => !url.search.includes("t="));

    expect(await desktop.locator("h1").textContent()).toBe("Approved");
    expect(await desktop.getByText("Production deploy continues").count()).toBe(1);
    await desktop.screenshot({ path: artifactPath("email-outcome-desktop.png"), fullPage: true });
    expect(errors).toEqual([]);
    const calls = putCalls(stack.simulator);
    expect(calls).toHaveLength(1);
    const run = stack.simulator.latestRun({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
    });
    expect(run?.summary).toBe("Approved by Ana Lima via e-mail: Looks great on staging");
  });
});
