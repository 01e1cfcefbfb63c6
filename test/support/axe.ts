import axe from "axe-core";
import type { Page } from "playwright-core";

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical findings on the page (or inside `include`, a selector). The
 * engine is evaluated through the DevTools protocol, so the page's own CSP (no inline script)
 * stays on. Frames are checked on their own pages: axe would wait for an engine they lack.
 */
export async function axeViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  // Once per page; the trailing `undefined` keeps Playwright from calling what the source returns.
  if (await page.evaluate("typeof window.axe === 'undefined'"))
    await page.evaluate(`${axe.source}\n;undefined`);
  const context = include ? JSON.stringify({ include: [include] }) : "document";
  const found: axe.Result[] = await page.evaluate(
    `axe.run(${context}, { iframes: false }).then((r) => r.violations)`,
  );
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
}

/** How far the page is wider than its window (0 or less: no horizontal scroll). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
}
