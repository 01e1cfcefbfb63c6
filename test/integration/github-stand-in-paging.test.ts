import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubStandIn } from "../../local/github/server.js";
import { assertContract, REPO, startInstalledStandIn, TestOctokit } from "../support/github.js";

/**
 * The stand-in pages lists as GitHub does ("Using pagination in the REST API"): `per_page`
 * (default 30, max 100), `page`, and a `Link` header with first/prev/next/last; "List commits on a
 * pull request" returns at most 250 commits in all.
 */
describe("GitHub stand-in: paging as GitHub pages", () => {
  let github: GitHubStandIn;
  let token: string;

  beforeEach(async () => {
    ({ github, token } = await startInstalledStandIn());
  });
  afterEach(async () => {
    await github.close();
    assertContract(github.violations);
  });

  const get = async (path: string) => {
    const res = await fetch(`${github.url}${path}`, { headers: { authorization: `token ${token}` } });
    const body: unknown = await res.json();
    return { res, items: Array.isArray(body) ? body : [], body, link: res.headers.get("link") ?? "" };
  };
  const rels = (link: string) =>
    Object.fromEntries(
      [...link.matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [
        m[2],
        new URL(m[1] ?? "").searchParams.get("page"),
      ]),
    );

  /** A merged PR with `n` commits, all made with the API every stand-in version had. */
  const longPull = (number: number, n: number) =>
    github.pullRequest(REPO, {
      number,
      author: "octo-author",
      headSha: "f".repeat(40),
      mergeCommitSha: "e".repeat(40),
      commits: Array.from({ length: n }, (_, i) => ({
        sha: i.toString(16).padStart(40, "0"),
        message: `Step ${i + 1}`,
        author: { login: "octo-author", name: "Octo", email: "octo@acme.io" },
      })),
    });

  it("PR commits: 30 by default, per_page up to 100, Link next/last, at most 250 in all", async () => {
    longPull(7, 300);

    const first = await get(`/repos/${REPO}/pulls/7/commits`);
    const hundred = await get(`/repos/${REPO}/pulls/7/commits?per_page=100`);
    const tooMany = await get(`/repos/${REPO}/pulls/7/commits?per_page=500`);
    const last = await get(`/repos/${REPO}/pulls/7/commits?per_page=100&page=3`);
    const beyond = await get(`/repos/${REPO}/pulls/7/commits?per_page=100&page=4`);

    expect(first.items).toHaveLength(30);
    expect(rels(first.link)).toEqual({ next: "2", last: "9" });
    expect(hundred.items).toHaveLength(100);
    expect(rels(hundred.link)).toEqual({ next: "2", last: "3" });
    expect(tooMany.items).toHaveLength(100);
    expect(last.items).toHaveLength(50);
    expect(rels(last.link)).toEqual({ prev: "2", first: "1" });
    expect(beyond.items).toHaveLength(0);
  });

  it("Octokit's paginate follows the Link header and gets exactly the first 250 commits of a 300-commit PR", async () => {
    longPull(8, 300);
    const octokit = new TestOctokit({ auth: { token }, baseUrl: github.url });

    const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
      owner: "acme",
      repo: "shop-web",
      pull_number: 8,
      per_page: 100,
    });

    expect(commits).toHaveLength(250);
    expect(commits.at(-1)?.commit.message).toBe("Step 250");
  });

  it("pull requests of a commit page too", async () => {
    for (const number of [1, 2, 3])
      github.pullRequest(REPO, {
        number,
        author: "octo-author",
        headSha: `${number}`.repeat(40),
        commits: [
          { sha: "c".repeat(40), message: "Shared", author: { name: "Octo", email: "octo@acme.io" } },
        ],
      });

    const page1 = await get(`/repos/${REPO}/commits/${"c".repeat(40)}/pulls?per_page=2`);
    const page2 = await get(`/repos/${REPO}/commits/${"c".repeat(40)}/pulls?per_page=2&page=2`);

    expect(page1.items).toHaveLength(2);
    expect(rels(page1.link)).toEqual({ next: "2", last: "2" });
    expect(page2.items).toHaveLength(1);
  });

  it("check runs of a ref page, and total_count counts them all", async () => {
    longPull(9, 1);
    for (let i = 0; i < 3; i++)
      await fetch(`${github.url}/repos/${REPO}/check-runs`, {
        method: "POST",
        headers: { authorization: `token ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: `check ${i}`, head_sha: "e".repeat(40) }),
      });

    const listed = await get(`/repos/${REPO}/commits/${"e".repeat(40)}/check-runs?per_page=2`);

    expect(listed.body).toMatchObject({ total_count: 3 });
    expect(Reflect.get(Object(listed.body), "check_runs")).toHaveLength(2);
    expect(rels(listed.link)).toEqual({ next: "2", last: "2" });
  });

  it("comments: a middle page links to first, prev, next and last", async () => {
    longPull(10, 1);
    for (let i = 0; i < 5; i++) github.userComment(REPO, 10, "octo-author", `comment ${i}`);

    const middle = await get(`/repos/${REPO}/issues/10/comments?per_page=2&page=2`);

    expect(middle.items.map((c) => Reflect.get(Object(c), "body"))).toEqual(["comment 2", "comment 3"]);
    expect(rels(middle.link)).toEqual({ first: "1", prev: "1", next: "3", last: "3" });
  });
});
