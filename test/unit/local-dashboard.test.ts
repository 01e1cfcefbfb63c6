import { describe, expect, it } from "vitest";
import type { RunView, StageView } from "../../local/codepipeline/simulator.js";
import { buttonsOf, modalOf } from "../../local/dashboard/block-kit.js";
import { reactionsLine } from "../../local/dashboard/github-panel.js";
import { renderMarkdown } from "../../local/dashboard/markdown.js";
import { resumePoint } from "../../local/pipeline/resume.js";

const stage = (name: string, status?: string, actions: StageView["actions"] = []): StageView => ({
  name,
  ...(status ? { status } : {}),
  actions,
});
const run = (stages: StageView[], status = "InProgress"): RunView => ({
  executionId: "e1",
  status,
  startTime: "2026-11-29T20:22:00.000Z",
  lastUpdateTime: "2026-11-29T20:22:00.000Z",
  stages,
});
const build = (status?: "InProgress" | "Succeeded") => ({
  name: "Build",
  category: "Build" as const,
  ...(status ? { status } : {}),
});
const approval = { name: "Approve", category: "Approval" as const, status: "InProgress" as const };

describe("resumePoint: where a saved run picks up after a restart", () => {
  it("enters the first stage of a run that had not started, and the next one after a finished stage", () => {
    expect(resumePoint(run([stage("Source"), stage("Build")]))).toEqual({ kind: "enter", stage: 0 });
    expect(resumePoint(run([stage("Source", "Succeeded"), stage("Build")]))).toEqual({
      kind: "enter",
      stage: 1,
    });
  });

  it("finishes a running build, starts the next action, and keeps an approval waiting", () => {
    expect(resumePoint(run([stage("Build", "InProgress", [build("InProgress")])]))).toEqual({
      kind: "finish",
      stage: 0,
      action: 0,
    });
    expect(resumePoint(run([stage("Build", "InProgress", [build("Succeeded"), build()])]))).toEqual({
      kind: "start",
      stage: 0,
      action: 1,
    });
    expect(resumePoint(run([stage("Approval", "InProgress", [approval])]))).toEqual({
      kind: "wait",
      stage: 0,
      action: 0,
    });
  });

  it("leaves ended runs alone", () => {
    expect(resumePoint(run([stage("Source", "Succeeded")], "Succeeded"))).toBeUndefined();
    expect(resumePoint(run([stage("Source", "Failed")]))).toBeUndefined();
  });
});

describe("the pull request panel's markdown", () => {
  it("renders headings, tables, links and code, and escapes everything else", () => {
    const out = renderMarkdown(
      "<!-- greenlight:approval=abc -->\n### ✅ Approved: `shop-web`\n\n| | |\n| --- | --- |\n| Commit | [`4f9c2d1`](https://github.com/acme/shop/commit/4f9c2d1) Fix \\(\\#42\\) |\n<script>alert(1)</script> [x](javascript:alert(1))",
    ).value;

    expect(out).not.toContain("greenlight:approval");
    expect(out).toContain('<p class="md-heading">✅ Approved: <code>shop-web</code></p>');
    expect(out).toContain(
      '<a href="https://github.com/acme/shop/commit/4f9c2d1" rel="noreferrer" target="_blank"><code>4f9c2d1</code></a> Fix (#42)',
    );
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).not.toContain('javascript:alert(1)"');
    expect(out).not.toMatch(/href="javascript/);
  });
});

describe("reading Block Kit for the Slack panel", () => {
  it("finds a message's buttons and a modal's inputs", () => {
    const blocks = [
      { type: "section", text: { type: "mrkdwn", text: "hi" } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "approve",
            style: "primary",
            text: { type: "plain_text", text: "Approve" },
          },
          {
            type: "button",
            action_id: "reject",
            style: "danger",
            text: { type: "plain_text", text: "Reject" },
          },
        ],
      },
    ];
    const view = {
      title: { type: "plain_text", text: "Reject" },
      submit: { type: "plain_text", text: "Reject" },
      blocks: [{ type: "input", block_id: "reason", label: { type: "plain_text", text: "Why?" } }],
    };

    expect(buttonsOf(blocks)).toEqual([
      { actionId: "approve", label: "Approve", style: "primary" },
      { actionId: "reject", label: "Reject", style: "danger" },
    ]);
    expect(modalOf(view)).toEqual({
      title: "Reject",
      submit: "Reject",
      inputs: [{ blockId: "reason", label: "Why?", optional: false }],
    });
  });
});

describe("the pull request panel's reactions", () => {
  it("are GitHub's emoji, each once with its count", () => {
    expect(
      reactionsLine([{ content: "+1" }, { content: "eyes" }, { content: "+1" }, { content: "rocket" }]),
    ).toBe("👍 2 👀 🚀");
    expect(reactionsLine([{ content: "something-new" }])).toBe("something-new");
  });
});
