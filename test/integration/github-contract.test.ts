import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadContract } from "../../local/github/contract.js";
import type { GitHubStandIn } from "../../local/github/server.js";
import {
  checkRunActionPayload,
  foreignCheckRunActionPayload,
  issueCommentPayload,
} from "../../local/github/webhooks.js";
import {
  APP_ID,
  INSTALLATION_ID,
  PR,
  REPO,
  startGitHubWorld,
  startInstalledStandIn,
} from "../support/github.js";

/**
 * The contract check itself: it must see what GitHub's OpenAPI description does not allow, or the
 * green runs of every other GitHub test prove nothing.
 */
describe("GitHub contract check (@octokit/openapi, @octokit/openapi-webhooks)", () => {
  let github: GitHubStandIn;
  let token: string;

  beforeEach(async () => {
    ({ github, token } = await startInstalledStandIn());
    github.pullRequest(REPO, { number: PR, author: "octo-author", headSha: "a".repeat(40) });
  });
  afterEach(() => github.close());

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${github.url}${path}`, {
      ...init,
      headers: { authorization: `token ${token}`, "content-type": "application/json", ...init.headers },
    });

  it("GitHub's description is read once per process, and says which version it is", () => {
    const first = loadContract();
    const again = loadContract();

    expect(again).toBe(first);
    expect(first.versions.rest).toMatch(/^\d+\.\d+\.\d+$/);
    expect(first.loadMs).toBeGreaterThan(0);
  });

  it("an answer the stand-in was made to give in an undocumented shape is a violation", async () => {
    const comment = github.userComment(REPO, PR, "octo-author", "hello");
    await call(`/repos/${REPO}/issues/${PR}/comments`);
    expect(github.violations).toEqual([]);
    // Break the record the way a careless stand-in change would: not a date-time any more.
    comment.createdAt = "yesterday";

    const res = await call(`/repos/${REPO}/issues/${PR}/comments`);

    expect(res.status).toBe(200);
    expect(github.violations).toEqual([
      expect.objectContaining({
        request: `GET /repos/${REPO}/issues/${PR}/comments`,
        operation: "issues/list-comments",
        where: "response body",
        problem: expect.stringContaining('/0/created_at must match format "date-time"'),
      }),
    ]);
  });

  it("a check-run status GitHub does not have is a violation", async () => {
    await call(`/repos/${REPO}/check-runs`, {
      method: "POST",
      body: JSON.stringify({ name: "Greenlight", head_sha: "a".repeat(40) }),
    });
    const [run] = github.state.checkRuns;
    if (run) run.status = "finished";

    await call(`/repos/${REPO}/commits/${"a".repeat(40)}/check-runs`);

    expect(github.violations.map((v) => `${v.where}: ${v.problem}`)).toEqual([
      expect.stringContaining(
        "response body: /check_runs/0/status must be equal to one of the allowed values",
      ),
    ]);
  });

  it("an undocumented route, query parameter or request body is a violation", async () => {
    await call(`/repos/${REPO}/approvals`);
    await call(`/repos/${REPO}/issues/${PR}/comments?sort=newest`);
    await call(`/repos/${REPO}/issues/${PR}/comments`, {
      method: "POST",
      body: JSON.stringify({ text: "hi" }),
    });

    expect(github.violations.map((v) => `${v.request} ${v.where}: ${v.problem}`)).toEqual([
      `GET /repos/${REPO}/approvals route: no such operation in GitHub's REST description`,
      `GET /repos/${REPO}/issues/${PR}/comments query: undocumented query parameter "sort"`,
      expect.stringContaining(
        `POST /repos/${REPO}/issues/${PR}/comments request body: / must have required property 'body'`,
      ),
    ]);
  });

  it("a documented error (404, 422) is fine; a status the operation cannot answer is not", async () => {
    const missing = await call(`/repos/${REPO}/pulls/999`);
    const invalid = await call(`/repos/${REPO}/issues/${PR}/comments`, {
      method: "POST",
      body: JSON.stringify({ body: "" }),
    });
    expect([missing.status, invalid.status]).toEqual([404, 422]);
    expect(github.violations).toEqual([]);
    const contract = loadContract();
    const { operation } = contract.checkRequest({
      method: "GET",
      path: `/repos/${REPO}/pulls/1/commits`,
      query: new URLSearchParams(),
      body: undefined,
    });

    const violations = operation
      ? contract.checkResponse(operation, "GET x", 409, { message: "Conflict" })
      : [];

    expect(violations).toEqual([
      expect.objectContaining({ where: "response status", problem: "status 409 is not documented" }),
    ]);
  });

  it("webhook payloads the stand-in builds match GitHub's webhook schema; a payload missing a required field does not", () => {
    const contract = loadContract();
    const comment = github.userComment(REPO, PR, "maintainer", "/approve");
    const commentPayload = issueCommentPayload({ comment, installationId: INSTALLATION_ID, merged: true });
    const pressPayload = checkRunActionPayload({
      repo: REPO,
      checkRunId: 5,
      headSha: "a".repeat(40),
      externalId: "abc",
      appId: APP_ID,
      identifier: "approve",
      sender: "maintainer",
      installationId: INSTALLATION_ID,
    });
    const { performed_via_github_app: _dropped, ...stripped } = commentPayload.comment;

    expect(contract.checkWebhook("issue_comment", commentPayload)).toEqual([]);
    expect(contract.checkWebhook("check_run", pressPayload)).toEqual([]);
    expect(contract.checkWebhook("check_run", foreignCheckRunActionPayload())).toEqual([]);
    expect(contract.checkWebhook("issue_comment", { ...commentPayload, comment: stripped })).toEqual([
      expect.objectContaining({
        where: "webhook",
        problem: "/comment must have required property 'performed_via_github_app'",
      }),
    ]);
  });

  it("Greenlight's own calls through a whole approval (open, comment, decide) fit GitHub's description", async () => {
    const world = await startGitHubWorld();
    await world.open();

    await world.comment("maintainer", "/approve");

    expect(world.github.faults.requests.length).toBeGreaterThan(8);
    expect(world.github.violations).toEqual([]);
    await world.close();
  });
});
