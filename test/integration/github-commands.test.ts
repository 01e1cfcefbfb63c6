import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Approval } from "../../core/approval.js";
import { type GitHubWorld, startGitHubWorld } from "../support/github.js";
import { putCalls } from "../support/simulator.js";

const TARGET = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };

describe("PR comment commands (dynalite + CodePipeline simulator + GitHub stand-in, signed deliveries)", () => {
  let world: GitHubWorld;
  let approval: Approval;

  beforeEach(async () => {
    world = await startGitHubWorld();
    approval = await world.open();
  });
  afterEach(() => world.close());

  const replies = () =>
    world.github.state
      .commentsOn("acme/shop-web", 42)
      .filter((c) => c.appId && !c.body.includes("greenlight:approval"));

  it("a maintainer's /approve → one PutApprovalResult naming them; the comment and check run say so", async () => {
    const { res, comment } = await world.comment("maintainer", "/approve ship it");

    expect(res.status).toBe(200);
    const calls = putCalls(world.sim);
    expect(calls).toHaveLength(1);
    expect(world.sim.latestRun(TARGET)?.summary).toBe("Approved by @maintainer via GitHub: ship it");
    const [status] = world.statusComments();
    expect(world.statusComments()).toHaveLength(1);
    expect(status?.body).toContain("Approved by @maintainer");
    expect(status?.edits).toBeGreaterThan(0);
    const [run] = world.checkRuns();
    expect(world.checkRuns()).toHaveLength(1);
    expect(run).toMatchObject({ status: "completed", conclusion: "success", actions: [] });
    expect(run?.output.title).toContain("Approved");
    expect(run?.output.summary).toContain("Approved by @maintainer");
    expect(world.github.state.comments.find((c) => c.id === comment.id)?.reactions).toEqual([
      { content: "+1", user: "greenlight[bot]" },
    ]);
  });

  it("works whether or not GitHub names the app on its comments (performed_via_github_app, undocumented)", async () => {
    world.github.state.appCommentsNameTheApp = false;

    await world.comment("maintainer", "/approve");

    expect(putCalls(world.sim)).toHaveLength(1);
    expect(world.statusComments()).toHaveLength(1);
    expect(world.statusComments()[0]?.body).toContain("Approved by @maintainer");
  });

  it("a non-ASCII body still verifies (HMAC over the exact UTF-8 bytes)", async () => {
    const { res } = await world.comment("maintainer", "/approve 🚀 prêt à déployer");

    expect(res.status).toBe(200);
    expect(world.sim.latestRun(TARGET)?.summary).toBe(
      "Approved by @maintainer via GitHub: 🚀 prêt à déployer",
    );
  });

  it("the same delivery twice → one decision, one reaction", async () => {
    const first = await world.comment("maintainer", "/approve", "7a1e3c52-0000-4000-8000-000000000001");
    const again = await world.post(first.delivery);
    await world.store.idle();

    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(putCalls(world.sim)).toHaveLength(1);
    expect(world.github.state.comments.find((c) => c.id === first.comment.id)?.reactions).toHaveLength(1);
    expect(world.logs.text()).toContain("github: duplicate delivery ignored");
  });

  it.each([
    ["octo-author", "the PR author", "you cannot approve a deploy of your own change"],
    [
      "co-dev",
      "a commit author (even with maintain access)",
      "you cannot approve a deploy of your own change",
    ],
    ["reader", "a read-only collaborator", "you are not an approver"],
    ["outsider", "someone without access", "you are not an approver"],
    ["invitee", "a pending team invitee", "you are not an approver"],
  ])("%s (%s) /approve → refused with a short reply, nothing written", async (login, _who, message) => {
    const before = await world.store.get(approval.id);

    const { res } = await world.comment(login, "/approve");

    expect(res.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(0);
    const after = await world.store.get(approval.id);
    expect(after?.version).toBe(before?.version);
    expect(after?.votes).toEqual({});
    expect(replies().map((c) => c.body)).toEqual([expect.stringContaining(`@${login} ${message}`)]);
    expect(world.logs.entries()).toContainEqual(
      expect.objectContaining({ msg: "decision refused", who: `github:${login}` }),
    );
  });

  it("a release-team member (team membership, no repo role) may approve", async () => {
    await world.comment("release-lead", "/approve");

    expect(putCalls(world.sim)).toHaveLength(1);
    expect(world.sim.latestRun(TARGET)?.summary).toBe("Approved by @release-lead via GitHub");
  });

  it("the PR author may still /reject their own deploy, with a reason", async () => {
    await world.comment("octo-author", "/reject found a bug in totals");

    expect(world.sim.latestRun(TARGET)?.status).toBe("Failed");
    expect(world.statusComments()[0]?.body).toContain("Rejected by @octo-author");
    expect(world.checkRuns()[0]).toMatchObject({ conclusion: "failure" });
  });

  it("/reject without a reason → asked for one, nothing written", async () => {
    await world.comment("maintainer", "/reject");

    expect(putCalls(world.sim)).toHaveLength(0);
    expect(replies().map((c) => c.body)).toEqual(["@maintainer please give a reason: `/reject <reason>`."]);
  });

  it("a bot's /approve is ignored: no decision, no reply", async () => {
    await world.comment("dependabot[bot]", "/approve");

    expect(putCalls(world.sim)).toHaveLength(0);
    expect(replies()).toHaveLength(0);
    expect(world.logs.text()).toContain("github: command from a bot ignored");
  });

  it("ordinary comments and quoted commands do nothing", async () => {
    await world.comment("maintainer", "Looks good, will /approve after lunch");
    await world.comment("maintainer", "> /approve\nquoting someone");

    expect(putCalls(world.sim)).toHaveLength(0);
    expect(replies()).toHaveLength(0);
  });

  it("/approve after it was decided → a reply saying how it ended, no second call", async () => {
    await world.comment("maintainer", "/approve");
    await world.comment("release-lead", "/approve me too");

    expect(putCalls(world.sim)).toHaveLength(1);
    expect(replies().map((c) => c.body)).toEqual([
      expect.stringMatching(/^@release-lead nothing changed: approved\. Approved by @maintainer/),
    ]);
  });
});

describe("PR comment commands on a high-risk rule (typed confirmation to approve only)", () => {
  let world: GitHubWorld;
  let approval: Approval;

  beforeEach(async () => {
    world = await startGitHubWorld({ highRisk: true });
    approval = await world.open();
  });
  afterEach(() => world.close());

  const replies = () =>
    world.github.state
      .commentsOn("acme/shop-web", 42)
      .filter((c) => c.appId && !c.body.includes("greenlight:approval"));

  it("the status comment says how to approve: /approve <first 4 characters of the commit> [comment]", () => {
    const [status] = world.statusComments();

    expect(status?.body).toContain(
      "to approve it, comment `/approve <first 4 characters of the commit> [comment]` on this pull request",
    );
    expect(status?.body).not.toContain("`/approve [comment]`");
  });

  it("/approve 4f9c ship it → approved with the comment (the characters are not part of it)", async () => {
    await world.comment("maintainer", "/approve 4F9C ship it");

    expect(putCalls(world.sim)).toHaveLength(1);
    expect(world.sim.latestRun(TARGET)?.summary).toBe("Approved by @maintainer via GitHub: ship it");
    expect((await world.store.get(approval.id))?.state).toBe("approved");
  });

  it.each([
    ["/approve", "no characters"],
    ["/approve ship it", "a comment but no characters"],
    ["/approve 4f9d ship it", "the wrong characters"],
  ])("%j (%s) → refused with the syntax, nothing written", async (text) => {
    const before = await world.store.get(approval.id);

    await world.comment("maintainer", text);

    expect(putCalls(world.sim)).toHaveLength(0);
    expect((await world.store.get(approval.id))?.version).toBe(before?.version);
    expect(replies().map((c) => c.body)).toEqual([
      "@maintainer approving this high-risk deploy needs a typed confirmation: `/approve <first 4 characters of the commit> [comment]` (`/reject <reason>` needs none).",
    ]);
  });

  it("/reject <reason> rejects without any characters", async () => {
    await world.comment("maintainer", "/reject totals are wrong");

    expect(putCalls(world.sim)).toHaveLength(1);
    expect(world.sim.latestRun(TARGET)).toMatchObject({
      status: "Failed",
      summary: "Rejected by @maintainer via GitHub: totals are wrong",
    });
    expect(replies()).toHaveLength(0);
  });

  it("/reject whose reason starts with the characters keeps the whole reason", async () => {
    await world.comment("octo-author", "/reject 4f9c breaks totals");

    expect(world.sim.latestRun(TARGET)?.summary).toBe(
      "Rejected by @octo-author via GitHub: 4f9c breaks totals",
    );
  });
});
