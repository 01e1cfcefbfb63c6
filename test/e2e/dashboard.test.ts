import type { Browser, Dialog, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Launched, launch, parseLaunchArgs } from "../../local/launch.js";
import { artifactPath, launchChromium } from "../support/browser.js";

const ANA = "ana@acme.io";

// Generous limits: these wait for a real pipeline run in a real browser on a shared 2-core machine;
// they bound a hang, they do not measure speed.
describe("the local dashboard in Chromium: start a run, decide from the inbox, watch production", {
  timeout: 90_000,
}, () => {
  let running: Launched;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // What `npm start` runs, on a free port, in memory, with stages a fiftieth of their usual length.
    running = await launch(parseLaunchArgs(["--memory", "--time-scale", "0.02"], { PORT: "0" }), () => {});
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${running.stack.url}/local`);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });
  beforeEach(() => running.stack.ses.clear());

  /** Start a run from the dashboard; its row appears at the top of the runs table. */
  async function startRun(): Promise<string> {
    const before = await page.locator("tr[data-execution]").count();
    await page.getByRole("button", { name: "Start a run" }).click();
    await expect.poll(() => page.locator("tr[data-execution]").count(), { timeout: 15_000 }).toBe(before + 1);
    const id = await page.locator("tr[data-execution]").first().getAttribute("data-execution");
    if (!id) throw new Error("no run row");
    return id;
  }

  /**
   * Open Ana's e-mail link from the inbox panel: it opens the approval page in a new tab. First
   * wait until GitHub has named the change's authors: until then nobody may approve (docs/security.md#19-no-self-approval-by-default).
   */
  async function openAnasLink(runId: string): Promise<Page> {
    await expect
      .poll(
        async () => {
          const [approval] = await running.stack.store.findByExecution("shop-web", runId);
          return Boolean(approval?.context.authorsResolvedAt);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect.poll(() => page.locator("[data-email]").count(), { timeout: 30_000 }).toBe(2);
    const email = page.locator("[data-email]").filter({ hasText: `to ${ANA}` });
    // The inbox re-renders as it polls, which can swallow a click inside its iframe: read the
    // link the e-mail shows and open it in a new tab, as a reader would.
    const href = await email
      .frameLocator("iframe")
      .getByRole("link", { name: "Review and decide" })
      .getAttribute("href", { timeout: 15_000 });
    if (!href) throw new Error("the e-mail has no Review and decide link");
    const tab = await browser.newPage();
    await tab.goto(href);
    return tab;
  }

  const stageCell = (id: string, stage: string) =>
    page.locator(`tr[data-execution="${id}"] td[data-stage="${stage}"]`);

  it("approves from the e-mail and sees the run reach Production, Succeeded", async () => {
    const id = await startRun();
    const tab = await openAnasLink(id);

    expect(await tab.locator("h1").textContent()).toBe("Production approval: shop-web");
    await tab.getByLabel("Comment").fill("Checked on staging");
    await tab.getByRole("button", { name: "Approve" }).click();
    await tab.waitForURL((url) => !url.search.includes("t="));
    expect(await tab.locator("h1").textContent()).toBe("Approved");
    await tab.close();

    await expect
      .poll(() => stageCell(id, "Production").textContent(), { timeout: 15_000 })
      .toContain("Succeeded");
    const approval = page.locator(`[data-approval]`).filter({ hasText: id.slice(0, 8) });
    await expect.poll(() => approval.textContent(), { timeout: 15_000 }).toContain("Approved by Ana Lima");
    await expect
      .poll(() => approval.textContent(), { timeout: 15_000 })
      .toContain("Production deploy succeeded");
    const slack = page.locator("section[data-panel=slack] [data-slack-ts]").first();
    await expect.poll(() => slack.textContent(), { timeout: 15_000 }).toContain("Approved by Ana Lima");
    const pr = page.locator("section[data-panel=github] [data-pull]").first();
    await expect.poll(() => pr.textContent(), { timeout: 15_000 }).toContain("Approved by Ana Lima");
    await page.screenshot({ path: artifactPath("dashboard-approved.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("approves with /approve from the pull request panel's comment box, as a maintainer", async () => {
    const id = await startRun();
    const pr = page.locator("section[data-panel=github] [data-pull]").first();
    await expect.poll(() => pr.textContent(), { timeout: 15_000 }).toContain("Waiting for approval");

    await pr.getByLabel("Comment", { exact: true }).fill("/approve verified on staging");
    await pr.getByLabel("Comment as").selectOption("bo-chen");
    await pr.getByRole("button", { name: "Comment" }).click();

    await expect
      .poll(() => stageCell(id, "Production").textContent(), { timeout: 15_000 })
      .toContain("Succeeded");
    await expect.poll(() => pr.textContent(), { timeout: 15_000 }).toContain("Approved by @bo-chen");
    const slack = page.locator("section[data-panel=slack] [data-slack-ts]").first();
    await expect
      .poll(() => slack.textContent(), { timeout: 15_000 })
      .toContain("Approved by Bo Chen via GitHub");
    expect(errors).toEqual([]);
  });

  it("presses Approve on the Slack message as an approver (an outsider is refused first)", async () => {
    const id = await startRun();
    const slack = page.locator("section[data-panel=slack] [data-slack-ts]").first();
    await expect.poll(() => slack.textContent(), { timeout: 15_000 }).toContain("Who can approve");

    // Slack asks before an Approve (the button's `confirm` object); the dashboard asks the same.
    const asked: string[] = [];
    const accept = (d: Dialog) => {
      asked.push(d.message());
      void d.accept();
    };
    page.on("dialog", accept);
    await slack.getByLabel("Act as").selectOption({ label: "Olly Outsider" });
    await slack.getByRole("button", { name: "Approve", exact: true }).click();
    const note = page.locator("section[data-panel=slack] [data-slack-ephemeral]");
    await expect.poll(() => note.textContent(), { timeout: 15_000 }).toContain("Nothing was recorded");
    await slack.getByLabel("Act as").selectOption({ label: "Bo Chen" });
    await slack.getByRole("button", { name: "Approve", exact: true }).click();
    page.off("dialog", accept);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(/goes to production|counts towards/);

    await expect
      .poll(() => stageCell(id, "Production").textContent(), { timeout: 15_000 })
      .toContain("Succeeded");
    await expect.poll(() => slack.textContent(), { timeout: 15_000 }).toContain("Approved by @bo.chen");
    const pr = page.locator("section[data-panel=github] [data-pull]").first();
    await expect.poll(() => pr.textContent(), { timeout: 15_000 }).toContain("Approved by");
    expect(errors).toEqual([]);
  });

  it("rejects from the e-mail and sees the run stop at Approval", async () => {
    const id = await startRun();
    const tab = await openAnasLink(id);

    await tab.getByLabel("Comment").fill("Totals are wrong on staging");
    await tab.getByRole("button", { name: "Reject" }).click();
    await tab.waitForURL((url) => !url.search.includes("t="));
    expect(await tab.locator("h1").textContent()).toBe("Rejected");
    await tab.close();

    await expect.poll(() => stageCell(id, "Approval").textContent(), { timeout: 10_000 }).toContain("Failed");
    expect(await page.locator(`tr[data-execution="${id}"]`).getAttribute("data-status")).toBe("Failed");
    expect(await stageCell(id, "Production").textContent()).toContain("—");
    const approval = page.locator(`[data-approval]`).filter({ hasText: id.slice(0, 8) });
    await expect.poll(() => approval.textContent(), { timeout: 15_000 }).toContain("Rejected by Ana Lima");
    await page.screenshot({ path: artifactPath("dashboard-rejected.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
