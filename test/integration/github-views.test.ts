import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubChannel } from "../../bot/github/channel.js";
import type { Approval } from "../../core/approval.js";
import { decide } from "../../core/decide.js";
import { ClosedElsewhere, InvalidInput } from "../../core/errors.js";
import { expireApproval } from "../../core/expire.js";
import { mutate } from "../../core/mutate.js";
import { closeElsewhere } from "../../core/state-machine.js";
import { type GitHubWorld, PR, REPO, SHA, startGitHubWorld } from "../support/github.js";

const ana = { channel: "email" as const, id: "ana@acme.io", name: "Ana Lima" };

describe("the PR comment and check run follow the approval (projector → GitHub stand-in)", () => {
  let world: GitHubWorld;
  let approval: Approval;

  beforeEach(async () => {
    world = await startGitHubWorld({ quorum: 1 });
    approval = await world.open();
  });
  afterEach(() => world.close());

  const deps = () => ({ store: world.store, pipeline: world.pipeline, clock: world.clock });

  it("opening: the PR and authors land on the context; one marked comment; one check run with Approve / Reject", async () => {
    expect(approval.context.pullRequest).toEqual({
      number: PR,
      url: `https://github.com/${REPO}/pull/${PR}`,
      author: "octo-author",
    });
    expect(approval.context.authors.logins).toEqual(["octo-author", "co-dev"]);
    expect(approval.context.authors.emails).toEqual(["octo@acme.io", "co@acme.io", "pair@acme.io"]);
    const [comment] = world.statusComments();
    expect(world.statusComments()).toHaveLength(1);
    expect(comment?.body).toContain(`<!-- greenlight:approval=${approval.id} -->`);
    expect(comment?.body).toContain("Waiting for approval");
    expect(comment?.body).toContain("| Approvals | 0 of 1 |");
    expect(comment?.body).toContain("`maintain` access or more");
    const [run] = world.checkRuns();
    expect(run).toMatchObject({
      name: "Greenlight · production approval",
      externalId: approval.id,
      status: "in_progress",
      actions: [
        expect.objectContaining({ identifier: "approve" }),
        expect.objectContaining({ identifier: "reject" }),
      ],
    });
    expect(approval.channels.github).toMatchObject({
      repo: REPO,
      prs: "42",
      [`comment:${PR}`]: comment?.id,
      checkRunId: run?.id,
    });
  });

  it("decided by e-mail → the same comment is edited and the check run completes as success", async () => {
    await decide(deps(), { approvalId: approval.id, actor: ana, verdict: "approve", comment: "go" });
    await world.store.idle();

    const comments = world.statusComments();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.edits).toBeGreaterThan(0);
    expect(comments[0]?.body).toContain("Approved by Ana Lima (via e-mail)");
    expect(comments[0]?.body).not.toContain("ana@acme.io");
    expect(world.checkRuns()).toHaveLength(1);
    expect(world.checkRuns()[0]).toMatchObject({ status: "completed", conclusion: "success", actions: [] });
  });

  it("rejected by e-mail → failure, with the reason", async () => {
    await decide(deps(), { approvalId: approval.id, actor: ana, verdict: "reject", comment: "not today" });
    await world.store.idle();

    expect(world.checkRuns()[0]?.conclusion).toBe("failure");
    expect(world.statusComments()[0]?.body).toContain("Rejected by Ana Lima (via e-mail)");
    expect(world.statusComments()[0]?.body).toContain("not today");
  });

  it("expiry shows as timed out", async () => {
    world.setNow(new Date("2026-12-06T20:22:00Z"));
    await expireApproval(deps(), approval.id);
    await world.store.idle();

    expect(world.checkRuns()[0]?.conclusion).toBe("timed_out");
    expect(world.statusComments()[0]?.body).toContain("Expired");
  });

  it("answered in the AWS console → closed elsewhere (neutral); a newer run → superseded (cancelled)", async () => {
    world.sim.completeInConsole({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
      status: "Approved",
    });
    await expect(
      decide(deps(), { approvalId: approval.id, actor: ana, verdict: "approve" }),
    ).rejects.toBeInstanceOf(ClosedElsewhere);
    await world.store.idle();
    expect(world.checkRuns()[0]?.conclusion).toBe("neutral");
    expect(world.statusComments()[0]?.body).toContain("answered it in the AWS console");

    const other = await world.open();
    await mutate(world.store, other.id, (a) => closeElsewhere(a, "superseded", world.clock.now()));
    await world.store.idle();
    const run = world.checkRuns().find((r) => r.externalId === other.id);
    expect(run?.conclusion).toBe("cancelled");
  });

  it("the production deploy outcome appears on both views", async () => {
    await decide(deps(), { approvalId: approval.id, actor: ana, verdict: "approve" });
    await mutate(world.store, approval.id, (a) => ({
      ...a,
      deployment: {
        state: "succeeded",
        at: "2026-11-29T20:40:00Z",
        url: "https://console.aws.amazon.com/codesuite/x",
      },
    }));
    await world.store.idle();

    expect(world.statusComments()[0]?.body).toContain("Deployed to production");
    expect(world.checkRuns()[0]?.output.title).toContain("deployed to production");
  });

  it("quorum progress is shown while votes come in", async () => {
    const w2 = await startGitHubWorld({ quorum: 2 });
    try {
      const a = await w2.open();
      await w2.comment("maintainer", "/approve");
      expect(w2.statusComments()[0]?.body).toContain("| Approvals | 1 of 2: @maintainer |");
      expect(w2.checkRuns()[0]?.output.title).toBe("⏳ Waiting for approval (1 of 2 approvals)");
      expect((await w2.store.get(a.id))?.state).toBe("pending");
    } finally {
      await w2.close();
    }
  });

  it("a write-back lost after posting → the next run finds the comment (marker) and check run (external id)", async () => {
    await mutate(world.store, approval.id, (a) => {
      const {
        checkRunId: _c,
        [`comment:${PR}`]: _k,
        commentHash: _h,
        checkHash: _x,
        ...rest
      } = a.channels.github ?? {};
      return { ...a, channels: { ...a.channels, github: rest } };
    });
    await world.store.idle();

    expect(world.statusComments()).toHaveLength(1);
    expect(world.checkRuns()).toHaveLength(1);
    const refs = (await world.store.get(approval.id))?.channels.github;
    expect(refs?.checkRunId).toBe(world.checkRuns()[0]?.id);
    expect(refs?.[`comment:${PR}`]).toBe(world.statusComments()[0]?.id);
  });

  it("re-projecting an unchanged approval makes no GitHub call", async () => {
    const before = world.github.faults.requests.length;
    const current = await world.store.get(approval.id);
    if (current) await world.channel.sync(current);

    expect(world.github.faults.requests.length).toBe(before);
  });

  it("GitHub failing once → the projector retries; still one comment and one check run", async () => {
    const creates = () => world.github.faults.count(/^POST .*\/check-runs$/);
    const before = creates();
    world.github.faults.failNext(/^POST .*\/check-runs$/, 502, 1);
    const other = await world.open();

    expect(world.checkRuns().filter((r) => r.externalId === other.id)).toHaveLength(1);
    expect(world.statusComments().filter((c) => c.body.includes(other.id))).toHaveLength(1);
    expect(creates() - before).toBe(2); // the failed attempt and the retry
    expect(world.store.failures.size).toBe(0);
  });

  it("two projector runs at once (a retry racing the first) → still one comment and one check run", async () => {
    const listener = world.store.listener;
    world.store.listener = undefined;
    const opened = await world.open();
    await world.release.sync(opened);
    const other = (await world.store.get(opened.id)) ?? opened;
    world.store.listener = listener;

    const runs = await Promise.allSettled([1, 2, 3].map(() => world.channel.sync(other)));
    await world.store.idle();

    expect(world.statusComments().filter((c) => c.body.includes(other.id))).toHaveLength(1);
    expect(world.checkRuns().filter((r) => r.externalId === other.id)).toHaveLength(1);
    expect(runs.filter((r) => r.status === "rejected").map((r) => String(r.reason))).toEqual(
      runs
        .filter((r) => r.status === "rejected")
        .map(() => expect.stringContaining("another run is posting")),
    );
    expect(world.store.failures.size).toBe(0);
  });

  it("the App not configured yet (secret unfilled) → logged, nothing thrown, other channels unaffected", async () => {
    const unconfigured = new GitHubChannel({
      store: world.store,
      clock: world.clock,
      random: { bytes: (n) => new Uint8Array(n) },
      log: world.log,
      pullRequests: world.pullRequests,
      github: async () => {
        throw new InvalidInput("GREENLIGHT_GITHUB_SECRET_ARN", "secret key webhookSecret", "is required");
      },
    });

    await unconfigured.sync({ ...approval, channels: {} });

    expect(world.logs.entries()).toContainEqual(
      expect.objectContaining({
        msg: "github: not configured",
        problem: expect.stringContaining("webhookSecret"),
      }),
    );
  });

  it("the check run is on the deployed commit", () => {
    expect(world.checkRuns()[0]?.headSha).toBe(SHA);
  });
});
