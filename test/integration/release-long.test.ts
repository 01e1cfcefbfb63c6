import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO, startGitHubWorld } from "../support/github.js";
import { putCalls } from "../support/simulator.js";

type World = Awaited<ReturnType<typeof startGitHubWorld>>;

describe("a release past GitHub's 250-commit list (GitHub stand-in, real Octokit)", () => {
  let world: World;
  beforeEach(async () => {
    world = await startGitHubWorld();
    world.github.person("eve", { repo: REPO, role: "maintain" });
  });
  afterEach(() => world.close());

  it("finds the author of commits 251–300 of a pull request, and refuses them", async () => {
    // PR #300: 300 commits, the last 50 by eve, which "List commits on a pull request" never shows.
    const long = world.github.state.seedLongPull(REPO, {
      number: 300,
      author: "octo-author",
      lateAuthor: "eve",
    });
    const listed = world.github.state.pulls.find((p) => p.number === 300)?.commits.slice(0, 250) ?? [];
    expect(listed.some((k) => k.author.login === "eve")).toBe(false);

    const approval = await world.open(long.head);

    expect(approval.context.authors.logins).toEqual(expect.arrayContaining(["octo-author", "eve"]));
    await world.comment("eve", "/approve", undefined, 300);
    expect((await world.store.get(approval.id))?.votes).toEqual({});
    await world.comment("maintainer", "/approve", undefined, 300);
    expect(putCalls(world.sim)).toHaveLength(1);
  });

  it("reads a release of 300 merged pull requests since production's commit, every page", async () => {
    const release = world.github.state.seedRelease(REPO, {
      authors: ["ana-x", "bo-x", "eve"],
      pulls: 300,
      firstNumber: 1000,
    });
    await world.deploys.recordDeployed(
      { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" },
      release.base,
      "2026-11-28T00:00:00.000Z",
    );

    const approval = await world.open(release.head);

    expect(approval.context.release?.commits).toBe(600);
    expect((approval.context.release?.pulls.length ?? 0) + (approval.context.release?.morePulls ?? 0)).toBe(
      300,
    );
    expect(approval.context.authors.logins).toEqual(expect.arrayContaining(["ana-x", "bo-x", "eve"]));
    const pr = approval.context.release?.headPulls[0];
    await world.comment("eve", "/approve", undefined, pr);
    expect((await world.store.get(approval.id))?.votes).toEqual({});
    await world.comment("maintainer", "/approve", undefined, pr);
    expect(putCalls(world.sim)).toHaveLength(1);
  });
});
