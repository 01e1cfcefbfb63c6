import { describe, expect, it } from "vitest";
import { contextFromRevision, resolveContext } from "../../core/context.js";
import { aRequest } from "./builders.js";
import { FakePipeline } from "./fakes.js";

const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";
/** The GitHub (OAuth, version 1) source's revision URL. */
const GITHUB_URL = `https://github.com/acme/shop/commit/${SHA}`;
/**
 * What GetPipelineExecution really returns for a GitHub (CodeConnections) source: a console
 * redirect naming the repository and commit (recorded responses; docs/fidelity.md).
 */
const CONNECTIONS_URL = `https://us-east-2.console.aws.amazon.com/codesuite/settings/connections/redirect?connectionArn=arn%3Aaws%3Acodeconnections%3Aus-east-2%3A111122223333%3Aconnection%2Fc9d8e7f6-1a2b-4c3d-9e8f-7a6b5c4d3e2f&referenceType=COMMIT&FullRepositoryId=acme%2Fshop&Commit=${SHA}`;
const URL = CONNECTIONS_URL;
const EXECUTION = "8e5f1a2b-3c4d-4e5f-9a8b-7c6d5e4f3a2b";
const NO_AUTHORS = { logins: [], emails: [] };

/** A CodeConnections (GitHub) revision summary, as GetPipelineExecution returns it. */
function connectionsSummary(message: string): string {
  return JSON.stringify({ ProviderType: "GitHub", CommitMessage: message });
}

describe("contextFromRevision", () => {
  it("finds the repository in a CodeConnections console redirect, and in a github.com commit URL", () => {
    const summary = connectionsSummary("Add express checkout (#42)");
    for (const url of [CONNECTIONS_URL, GITHUB_URL]) {
      const context = contextFromRevision({ commit: SHA, summary, url });

      expect(context.repository).toBe("acme/shop");
      expect(context.commit?.url).toBe(GITHUB_URL);
      expect(context.pullRequest).toEqual({ number: 42, url: "https://github.com/acme/shop/pull/42" });
    }
  });

  it.each([
    [
      "GitLab (its repositories cannot be read on GitHub)",
      JSON.stringify({ ProviderType: "GitLab", CommitMessage: "x" }),
      CONNECTIONS_URL,
    ],
    [
      "a redirect on another host",
      connectionsSummary("x"),
      CONNECTIONS_URL.replace("console.aws.amazon.com", "console.aws.example.com"),
    ],
    [
      "a redirect without FullRepositoryId",
      connectionsSummary("x"),
      CONNECTIONS_URL.replace("FullRepositoryId", "Repository"),
    ],
    [
      "a malformed repository",
      connectionsSummary("x"),
      CONNECTIONS_URL.replace("acme%2Fshop", "acme%2Fshop%2Fextra"),
    ],
    [
      "an S3 source",
      "Amazon S3 version id: 3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
      "https://s3.console.aws.amazon.com/s3/object/bucket?key=app.zip",
    ],
  ])("names no GitHub repository for %s", (_label, summary, url) => {
    const context = contextFromRevision({ commit: SHA, summary, url });

    expect(context.repository).toBeUndefined();
  });

  it("knows nothing without a revision", () => {
    expect(contextFromRevision(undefined)).toEqual({ authors: NO_AUTHORS });
    expect(contextFromRevision(undefined, EXECUTION)).toEqual({
      executionId: EXECUTION,
      authors: NO_AUTHORS,
    });
  });

  it("knows nothing about a revision without a commit", () => {
    expect(contextFromRevision({ summary: "Merge pull request #42 from acme/x" })).toEqual({
      authors: NO_AUTHORS,
    });
  });

  it("reads a merge commit from a CodeConnections summary", () => {
    // Prepare
    const revision = {
      commit: SHA,
      summary: connectionsSummary(
        "Merge pull request #42 from acme/express-checkout\n\nAdd express checkout",
      ),
      url: URL,
    };

    // Act
    const context = contextFromRevision(revision, EXECUTION);

    // Assess
    expect(context).toEqual({
      executionId: EXECUTION,
      commit: {
        sha: SHA,
        message: "Merge pull request #42 from acme/express-checkout\n\nAdd express checkout",
        // People get the commit on GitHub, not a console redirect that needs an AWS sign-in.
        url: GITHUB_URL,
      },
      repository: "acme/shop",
      pullRequest: { number: 42, url: "https://github.com/acme/shop/pull/42" },
      authors: NO_AUTHORS,
    });
  });

  it.each([
    ["a squash merge", "Add express checkout (#42)", 42],
    ["a squash merge with a body", "Add express checkout (#42)\n\n* fix tax (#7)\n* fix total (#8)", 42],
    ["a squash merge with trailing blanks", "Add express checkout (#1234)  ", 1234],
    ["a merge commit", "Merge pull request #9 from acme/fix", 9],
  ])("finds the pull request of %s", (_label, message, number) => {
    const context = contextFromRevision({ commit: SHA, summary: connectionsSummary(message), url: URL });

    expect(context.pullRequest).toEqual({ number, url: `https://github.com/acme/shop/pull/${number}` });
  });

  it.each([
    ["a plain commit", "Fix the checkout total"],
    ["an issue reference", "Fix #42 in checkout"],
    ["a number mid-title", "Follow-up to (#42) for checkout"],
    ["a revert of a squash", 'Revert "Add express checkout (#42)"'],
    ["a merge of a branch", "Merge branch 'main' into feature"],
  ])("finds no pull request in %s", (_label, message) => {
    const context = contextFromRevision({ commit: SHA, summary: connectionsSummary(message), url: URL });

    expect(context).not.toHaveProperty("pullRequest");
    expect(context.commit?.message).toBe(message);
  });

  it("shows a plain-text summary (CodeCommit, S3) as it is", () => {
    const context = contextFromRevision({ commit: SHA, summary: "Add express checkout (#42)" });

    expect(context.commit).toEqual({ sha: SHA, message: "Add express checkout (#42)" });
    expect(context.pullRequest).toEqual({ number: 42 });
    expect(context).not.toHaveProperty("repository");
  });

  it.each([
    ["broken JSON", '{"ProviderType": "GitHub", "CommitMessage": '],
    ["JSON without a message", '{"ProviderType":"GitHub"}'],
    ["JSON with a non-text message", '{"CommitMessage": 42}'],
  ])("shows %s as it is", (_label, summary) => {
    expect(contextFromRevision({ commit: SHA, summary }).commit?.message).toBe(summary);
  });

  it("leaves the message out when there is no summary", () => {
    expect(contextFromRevision({ commit: SHA, url: URL }).commit).toEqual({ sha: SHA, url: GITHUB_URL });
  });

  it.each([
    [
      "a CodeCommit console URL",
      "https://us-east-2.console.aws.amazon.com/codesuite/codecommit/repositories/shop/commit/9f86d08",
    ],
    ["a GitHub URL that is not a commit", "https://github.com/acme/shop/tree/main"],
    ["a look-alike host", `https://github.com.evil.example/acme/shop/commit/${SHA}`],
  ])("finds no repository in %s", (_label, url) => {
    const context = contextFromRevision({ commit: SHA, summary: connectionsSummary("Add it (#42)"), url });

    expect(context).not.toHaveProperty("repository");
    expect(context.pullRequest).toEqual({ number: 42 });
  });
});

describe("resolveContext", () => {
  it("asks for the run at the action, then for its first source revision", async () => {
    // Prepare
    const pipeline = new FakePipeline();
    pipeline.actionState = { executionId: EXECUTION, status: "InProgress" };
    pipeline.revisions = [
      { commit: SHA, summary: connectionsSummary("Add express checkout (#42)"), url: URL },
      { commit: "0000000000000000000000000000000000000000", summary: "other source" },
    ];

    // Act
    const { context, problem } = await resolveContext(pipeline, aRequest());

    // Assess
    expect(problem).toBeUndefined();
    expect(context).toMatchObject({
      executionId: EXECUTION,
      commit: { sha: SHA },
      pullRequest: { number: 42 },
    });
    expect(pipeline.stateCalls).toEqual([
      { pipeline: "shop-web", stage: "Approve", action: "StakeholderApproval" },
    ]);
    expect(pipeline.revisionCalls).toEqual([{ pipeline: "shop-web", executionId: EXECUTION }]);
  });

  it("keeps the run when it has no source revisions", async () => {
    const pipeline = new FakePipeline();
    pipeline.actionState = { executionId: EXECUTION };

    const result = await resolveContext(pipeline, aRequest());

    expect(result).toEqual({ context: { executionId: EXECUTION, authors: NO_AUTHORS } });
  });

  it("reports a missing execution as a problem, not an error", async () => {
    const pipeline = new FakePipeline();

    const result = await resolveContext(pipeline, aRequest());

    expect(result).toEqual({ context: { authors: NO_AUTHORS }, problem: "no execution at the action" });
  });

  it.each([
    ["a PipelineError", "unavailable" as const, "fake CodePipeline: unavailable"],
    ["any Error", new Error("socket hang up"), "socket hang up"],
  ])("turns %s into a problem", async (_label, failure, problem) => {
    const pipeline = new FakePipeline();
    pipeline.stateFailure = failure;

    const result = await resolveContext(pipeline, aRequest());

    expect(result).toEqual({ context: { authors: NO_AUTHORS }, problem });
  });

  it("turns a thrown non-Error into a problem too", async () => {
    const pipeline = new FakePipeline();
    pipeline.approvalActionState = () => Promise.reject("throttled");

    const result = await resolveContext(pipeline, aRequest());

    expect(result.problem).toBe("throttled");
  });
});
