import { afterEach, describe, expect, it } from "vitest";
import { openApproval } from "../../core/open.js";
import { parsePolicyObject } from "../../core/policy.js";
import { type Stack, startStack } from "../../local/stack.js";
import { testRequest } from "../support/approvals.js";
import { SHOP_PIPELINE } from "../support/simulator.js";

const REPO = "acme/shop-web";
const SHA = "0123456789abcdef0123456789abcdef01234567";

const policy = parsePolicyObject({
  version: 1,
  rules: [
    {
      name: "shop",
      match: { pipeline: "shop-*" },
      email: { recipients: ["ana@example.com"] },
      github: { repo: REPO, approvers: { logins: ["ana-lima"] } },
    },
  ],
});

describe("the local stack with GitHub: stand-in + App channel + /github/webhooks over real HTTP", () => {
  let stack: Stack | undefined;
  afterEach(() => stack?.close());

  it("an approval shows on an (automatic) PR; a comment from the comment box approves it", async () => {
    stack = await startStack({
      policy,
      github: {
        people: [{ login: "ana-lima", role: "maintain" }],
        autoPullAuthor: "octo-dev",
        contract: true,
      },
    });
    const github = stack.github;
    if (!github) throw new Error("github was asked for");
    stack.simulator.definePipeline(SHOP_PIPELINE);
    const { token } = stack.simulator.startApproval({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
      revision: {
        commit: SHA,
        summary: "Add checkout (#42)",
        url: `https://github.com/${REPO}/commit/${SHA}`,
      },
    });
    await openApproval({ ...stack, policy }, testRequest({ token }));
    await stack.settled();
    const [pull] = github.standIn.state.pulls;
    if (!pull) throw new Error("no PR");

    const res = await github.comment({
      repo: REPO,
      pr: pull.number,
      login: "ana-lima",
      text: "/approve looks good",
    });
    await stack.settled();

    expect(res.status).toBe(200);
    const run = stack.simulator.latestRun({
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
    });
    expect(run?.summary).toBe("Approved by @ana-lima via GitHub: looks good");
    const snapshot = github.standIn.state.snapshot();
    expect(snapshot.pulls[0]?.comments[0]?.body).toContain("Approved by @ana-lima");
    expect(snapshot.pulls[0]?.checkRuns[0]).toMatchObject({ conclusion: "success" });
    expect(github.standIn.violations).toEqual([]);
  });
});
