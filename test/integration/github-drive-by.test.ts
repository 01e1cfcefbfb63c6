import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Approval } from "../../core/approval.js";
import { type GitHubWorld, PR, REPO, startGitHubWorld } from "../support/github.js";
import { putCalls } from "../support/simulator.js";

/**
 * GitHub API calls a drive-by `/approve` may cost. Measured on the stand-in (`faults.requests`):
 * before Greenlight kept its own PR index, 4 calls on every comment, first or repeat (list the PR's
 * comments, one more page per 100 comments on a busy PR; collaborator permission; team membership;
 * a reply every time): 160 calls and 40 replies for 20 outsiders commenting twice. Now:
 * permission + team membership (the approver check must ask GitHub: access can change), plus one
 * reply the first time only. So 3, then 2 (100 calls, 20 replies); the installation token is cached.
 */
const MAX_CALLS_FIRST = 3;
const MAX_CALLS_REPEAT = 2;
const OUTSIDERS = Array.from({ length: 20 }, (_, i) => `drive-by-${i + 1}`);

describe("drive-by comments on a busy PR (dynalite + CodePipeline simulator + GitHub stand-in)", () => {
  let world: GitHubWorld;
  let approval: Approval;

  beforeEach(async () => {
    world = await startGitHubWorld();
    approval = await world.open();
    for (const login of OUTSIDERS) world.github.person(login);
  });
  afterEach(() => world.close());

  const replies = () =>
    world.github.state.commentsOn(REPO, PR).filter((c) => c.appId && !c.body.includes("greenlight:approval"));
  /** GitHub API calls (`METHOD /path`) made while `login` comments `text`; handled before it returns. */
  async function callsFor(login: string, text: string, pr = PR): Promise<string[]> {
    const before = world.github.faults.requests.length;
    await world.comment(login, text, undefined, pr);
    return world.github.faults.requests.slice(before).map((r) => `${r.method} ${r.path}`);
  }

  it("20 outsiders /approve twice → exactly one reply each, none the second time, few calls per comment", async () => {
    const first: string[][] = [];
    const repeat: string[][] = [];

    for (const login of OUTSIDERS) first.push(await callsFor(login, "/approve"));
    for (const login of OUTSIDERS) repeat.push(await callsFor(login, "/approve please"));

    expect(putCalls(world.sim)).toHaveLength(0);
    expect((await world.store.get(approval.id))?.votes).toEqual({});
    for (const login of OUTSIDERS)
      expect(replies().filter((c) => c.body.startsWith(`@${login} `))).toHaveLength(1);
    expect(replies()).toHaveLength(OUTSIDERS.length);
    expect(Math.max(...first.map((c) => c.length))).toBeLessThanOrEqual(MAX_CALLS_FIRST);
    expect(Math.max(...repeat.map((c) => c.length))).toBeLessThanOrEqual(MAX_CALLS_REPEAT);
    // No scan of the PR's comments, however busy it is.
    expect(
      [...first, ...repeat].flat().filter((c) => c.startsWith("GET ") && c.endsWith("/comments")),
    ).toEqual([]);
    expect(world.logs.text()).toContain("github: refusal already answered; no reply");
  });

  it("after the drive-bys, a maintainer's /approve still decides", async () => {
    for (const login of OUTSIDERS.slice(0, 5)) await world.comment(login, "/approve");

    await world.comment("maintainer", "/approve ship it");

    expect(putCalls(world.sim)).toHaveLength(1);
    expect(
      world.sim.latestRun({ pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" })?.summary,
    ).toBe("Approved by @maintainer via GitHub: ship it");
    expect((await world.store.get(approval.id))?.state).toBe("approved");
  });

  it("a bot's /approve and a command on a PR without an approval cost no GitHub call", async () => {
    world.github.pullRequest(REPO, {
      number: 43,
      title: "Docs",
      author: "octo-author",
      headSha: "c".repeat(40),
      mergeCommitSha: "d".repeat(40),
      commits: [],
    });

    const bot = await callsFor("dependabot[bot]", "/approve");
    const elsewhere = await callsFor("outsider", "/approve", 43);

    expect([bot, elsewhere]).toEqual([[], []]);
    expect(replies()).toHaveLength(0);
  });

  it("an approver refused for another reason is told once per reason", async () => {
    await world.comment("octo-author", "/approve");
    await world.comment("octo-author", "/approve really");
    await world.comment("octo-author", "/reject");
    await world.comment("octo-author", "/reject");

    expect(replies().map((c) => c.body)).toEqual([
      expect.stringContaining("@octo-author you cannot approve a deploy of your own change"),
      "@octo-author please give a reason: `/reject <reason>`.",
    ]);
  });

  it("someone told 'nothing changed' once is not told again", async () => {
    await world.comment("maintainer", "/approve");
    await world.comment("release-lead", "/approve");
    await world.comment("release-lead", "/approve again");

    expect(replies().map((c) => c.body)).toEqual([expect.stringMatching(/^@release-lead nothing changed/)]);
  });
});
