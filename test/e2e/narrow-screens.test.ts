import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Launched, launch, parseLaunchArgs } from "../../local/launch.js";
import { axeViolations, horizontalOverflow } from "../support/axe.js";
import { artifactPath, launchChromium } from "../support/browser.js";
import { linksByRecipient } from "../support/stack.js";
import { waitFor } from "../support/wait.js";

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const SMALL = { width: 320, height: 640 };
const PANELS = ["pipelines", "approvals", "codepipeline", "slack", "github", "inbox"];

// Generous limits: a real run and a real browser on a shared 2-core machine; they bound a hang.
describe("narrow screens and accessibility (Chromium, axe-core)", { timeout: 90_000 }, () => {
  let running: Launched;
  let browser: Browser;
  let link = "";
  let emailHtml = "";

  beforeAll(async () => {
    running = await launch(parseLaunchArgs(["--memory", "--time-scale", "0.02"], { PORT: "0" }), () => {});
    const { stack } = running;
    const { executionId } = stack.pipelines?.runner.start("shop-web") ?? { executionId: "" };
    // Every panel has something to show: the run, the approval, the e-mails, the message, the PR.
    await waitFor(
      "the approval on every channel",
      async () => {
        await stack.settled();
        const [approval] = await stack.store.findByExecution("shop-web", executionId);
        return (
          approval?.context.authorsResolvedAt &&
          (await stack.ses.emails()).length === 2 &&
          stack.slack?.standIn.messages().length &&
          stack.github?.standIn.state.checkRuns.length
        );
      },
      30_000,
    );
    link = (await linksByRecipient(stack)).get("ana@acme.io") ?? "";
    emailHtml = (await stack.ses.emails())[0]?.body.html ?? "";
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(url);
    return page;
  }

  it("the audit finds what it should: a button without a name is a critical finding", async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.setContent(
      '<!doctype html><html lang="en"><title>t</title><main><button></button></main></html>',
    );
    const findings = await axeViolations(page);
    await page.close();

    expect(findings.map((f) => [f.id, f.impact])).toEqual([["button-name", "critical"]]);
  });

  for (const [name, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`the dashboard at ${viewport.width} px: no horizontal scroll, page or panel; no serious axe finding`, async () => {
      const page = await open(`${running.stack.url}/local`, viewport);
      await page.locator("[data-email] iframe").first().waitFor();

      const overflow = await horizontalOverflow(page);
      const panels: { id: string; over: number }[] = await page.evaluate(
        `[...document.querySelectorAll("section[data-panel]")].map((s) => ({ id: s.dataset.panel, over: s.scrollWidth - s.clientWidth }))`,
      );
      // One panel after the other: axe runs one audit at a time.
      const findings: Record<string, unknown[]> = { page: await axeViolations(page) };
      for (const p of PANELS) findings[p] = await axeViolations(page, `section[data-panel="${p}"]`);
      await page.screenshot({ path: artifactPath(`dashboard-${name}.png`), fullPage: true });
      await page.close();

      expect(overflow).toBeLessThanOrEqual(0);
      expect(panels.map((p) => p.id).sort()).toEqual([...PANELS].sort());
      expect(panels.filter((p) => p.over > 0)).toEqual([]);
      expect(findings).toEqual(Object.fromEntries(["page", ...PANELS].map((p) => [p, []])));
    });

    it(`the inbox at ${viewport.width} px shows the whole e-mail, "Review and decide" included, without scrolling in its frame`, async () => {
      const page = await open(`${running.stack.url}/local`, viewport);
      const frameElement = page.locator("[data-email] iframe").first();
      await frameElement.waitFor();
      const frame = await (await frameElement.elementHandle())?.contentFrame();
      if (!frame) throw new Error("no e-mail frame");
      await frame.waitForLoadState();
      const button = frame.getByRole("link", { name: "Review and decide" });
      await button.waitFor();
      // The frame grows to its content once loaded.
      await waitFor("the frame to fit its e-mail", async () => {
        const inner: number = await frame.evaluate("document.documentElement.scrollHeight");
        const box = await frameElement.boundingBox();
        return box && box.height >= inner ? true : undefined;
      });
      const inner: { scrollHeight: number; height: number; scrollWidth: number; width: number } =
        await frame.evaluate(
          "({ scrollHeight: document.documentElement.scrollHeight, height: innerHeight, scrollWidth: document.documentElement.scrollWidth, width: innerWidth })",
        );
      const frameBox = await frameElement.boundingBox();
      const buttonBox = await button.boundingBox();
      await page.close();

      expect(inner.scrollHeight).toBeLessThanOrEqual(inner.height);
      expect(inner.scrollWidth).toBeLessThanOrEqual(inner.width);
      expect(frameBox && buttonBox).toBeTruthy();
      if (!frameBox || !buttonBox) return;
      expect(buttonBox.y + buttonBox.height).toBeLessThanOrEqual(frameBox.y + frameBox.height);
    });
  }

  it("the e-mail reads at 320 px: long links wrap, nothing scrolls sideways; no serious axe finding", async () => {
    // As a mail client shows it: the message's own HTML (the inbox's frame forbids the audit's script).
    const page = await browser.newPage({ viewport: SMALL });
    await page.setContent(emailHtml);
    const overflow = await horizontalOverflow(page);
    const findings = await axeViolations(page);
    await page.screenshot({ path: artifactPath("email-320.png"), fullPage: true });
    await page.close();

    expect(overflow).toBeLessThanOrEqual(0);
    expect(findings).toEqual([]);
  });

  it("the confirmation, outcome and error pages at 1280, 390 and 320 px: no sideways scroll, no serious axe finding", async () => {
    const results: Record<string, { overflow: number; findings: unknown[] }> = {};
    const check = async (name: string, page: Page) => {
      results[name] = { overflow: await horizontalOverflow(page), findings: await axeViolations(page) };
      await page.screenshot({ path: artifactPath(`${name}.png`), fullPage: true });
    };
    for (const viewport of [DESKTOP, PHONE, SMALL]) {
      const page = await open(link, viewport);
      await check(`confirmation-${viewport.width}`, page);
      await page.close();
      const error = await open(`${link.split("?")[0]}?t=not-the-token`, viewport);
      await check(`error-${viewport.width}`, error);
      await error.close();
    }
    const page = await open(link, PHONE);
    await page
      .getByLabel("Comment")
      .fill("Checked on staging at https://staging.shop.example.com/checkout?step=express&basket=42");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.waitForURL((url) => !url.search.includes("t="));
    for (const viewport of [DESKTOP, PHONE, SMALL]) {
      await page.setViewportSize(viewport);
      await check(`outcome-${viewport.width}`, page);
    }
    const title = await page.locator("h1").textContent();
    await page.close();

    expect(title).toBe("Approved");
    expect(Object.entries(results).filter(([, r]) => r.overflow > 0 || r.findings.length > 0)).toEqual([]);
  });
});
