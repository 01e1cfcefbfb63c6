import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Approval } from "../../core/approval.js";
import {
  checkRunActionPayload,
  delivery,
  foreignCheckRunActionPayload,
} from "../../local/github/webhooks.js";
import {
  APP_ID,
  type GitHubWorld,
  INSTALLATION_ID,
  PR,
  REPO,
  SECRET,
  SHA,
  startGitHubWorld,
} from "../support/github.js";
import { putCalls } from "../support/simulator.js";

const TARGET = { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" };

let world: GitHubWorld;
let approval: Approval;
let checkRunId: number;

async function press(
  identifier: string,
  sender: string,
  overrides: Partial<Parameters<typeof checkRunActionPayload>[0]> = {},
) {
  const payload = checkRunActionPayload({
    repo: REPO,
    checkRunId,
    headSha: SHA,
    externalId: approval.id,
    appId: APP_ID,
    identifier,
    sender,
    installationId: INSTALLATION_ID,
    ...overrides,
  });
  const res = await world.post(delivery("check_run", payload, SECRET));
  await world.store.idle();
  return res;
}

describe("Approve / Reject on the check run (check_run.requested_action)", () => {
  beforeEach(async () => {
    world = await startGitHubWorld();
    approval = await world.open();
    checkRunId = world.checkRuns()[0]?.id ?? -1;
  });
  afterEach(() => world.close());

  const ignoredLines = () => world.logs.entries().filter((e) => e.msg === "github: check-run action ignored");

  it("a maintainer presses Approve → one PutApprovalResult naming them; the check run completes", async () => {
    const res = await press("approve", "maintainer");

    expect(res.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(1);
    expect(world.sim.latestRun(TARGET)?.summary).toBe("Approved by @maintainer via GitHub");
    expect(world.checkRuns()[0]).toMatchObject({ conclusion: "success", actions: [] });
  });

  it("Reject by a maintainer rejects", async () => {
    await press("reject", "maintainer");

    expect(world.sim.latestRun(TARGET)?.status).toBe("Failed");
    expect(world.checkRuns()[0]?.conclusion).toBe("failure");
  });

  it("the PR author presses Approve → refused, answered on the PR, nothing written", async () => {
    const before = await world.store.get(approval.id);

    await press("approve", "octo-author");

    expect(putCalls(world.sim)).toHaveLength(0);
    expect((await world.store.get(approval.id))?.version).toBe(before?.version);
    const replies = world.github.state.commentsOn(REPO, PR).filter((c) => c.body.startsWith("@octo-author"));
    expect(replies.map((c) => c.body)).toEqual([
      expect.stringContaining("cannot approve a deploy of your own change"),
    ]);
  });

  it("another app's check run (GitHub's recorded example, untouched) → ignored, nothing written", async () => {
    const requestsBefore = world.github.faults.requests.length;

    const res = await world.post(delivery("check_run", foreignCheckRunActionPayload(), SECRET));

    expect(res.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(0);
    expect(world.github.faults.requests.length).toBe(requestsBefore);
    expect(ignoredLines()).toEqual([expect.objectContaining({ ignored: "check run of another app" })]);
  });

  it.each([
    ["another commit", { headSha: "c".repeat(40) }, "another commit"],
    ["another check run id", { checkRunId: 999_999 }, "not this approval's check run"],
    ["an unknown approval", { externalId: "AAAAAAAAAAAAAAAAAAAAAA" }, "unknown approval"],
    ["another repository", { repo: "acme/other" }, "not this approval's check run"],
    ["an unknown button", { identifier: "deploy-now" }, "unknown action"],
  ])("our app id but %s → ignored with a log line, nothing written", async (_what, overrides, why) => {
    await press("approve", "maintainer", overrides);

    expect(putCalls(world.sim)).toHaveLength(0);
    expect((await world.store.get(approval.id))?.votes).toEqual({});
    expect(ignoredLines()).toEqual([expect.objectContaining({ ignored: why })]);
  });
});

describe("the check run on a high-risk rule: Reject only, and how to approve", () => {
  beforeEach(async () => {
    world = await startGitHubWorld({ highRisk: true });
    approval = await world.open();
    checkRunId = world.checkRuns()[0]?.id ?? -1;
  });
  afterEach(() => world.close());

  it("offers no Approve button (it cannot carry the typed characters) and says how to approve", () => {
    const [run] = world.checkRuns();

    expect(run?.actions).toEqual([
      { label: "Reject", description: "Stop this deploy", identifier: "reject" },
    ]);
    expect(run?.output.summary).toContain(
      "to approve it, comment `/approve <first 4 characters of the commit> [comment]` on the pull request",
    );
  });

  it("Reject by a maintainer rejects, no characters asked", async () => {
    await press("reject", "maintainer");

    expect(putCalls(world.sim)).toHaveLength(1);
    expect(world.sim.latestRun(TARGET)?.status).toBe("Failed");
    expect(world.checkRuns()[0]).toMatchObject({ conclusion: "failure", actions: [] });
  });

  it("an Approve pressed anyway (a view from before) → refused, told how, nothing written", async () => {
    const before = await world.store.get(approval.id);

    await press("approve", "maintainer");

    expect(putCalls(world.sim)).toHaveLength(0);
    expect((await world.store.get(approval.id))?.version).toBe(before?.version);
    const replies = world.github.state.commentsOn(REPO, PR).filter((c) => c.body.startsWith("@maintainer"));
    expect(replies.map((c) => c.body)).toEqual([
      expect.stringContaining("`/approve <first 4 characters of the commit> [comment]`"),
    ]);
  });
});
