import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubStandIn } from "../../local/github/server.js";
import { assertContract, REPO, startGitHubWorld, startInstalledStandIn } from "../support/github.js";

type Json = Record<string, unknown>;
const field = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? Reflect.get(v, k) : undefined), o);

/**
 * `GET /repos/{owner}/{repo}/compare/{basehead}` and `GET /repos/{owner}/{repo}/pulls/{n}` from the
 * stand-in's commit graph, as GitHub's REST reference describes them ("Compare two commits",
 * "Get a pull request"), every answer checked against GitHub's OpenAPI description.
 */
describe("GitHub stand-in: the mainline, merged pull requests and compare", () => {
  let github: GitHubStandIn;
  let token: string;

  beforeEach(async () => {
    ({ github, token } = await startInstalledStandIn());
    for (const login of ["ana", "bo", "cy", "dee", "eve"])
      github.person(login, { repo: REPO, role: "write" });
  });
  afterEach(async () => {
    await github.close();
    assertContract(github.violations);
  });

  const get = async (path: string) => {
    const res = await fetch(`${github.url}/repos/${REPO}${path}`, {
      headers: { authorization: `token ${token}` },
    });
    return { status: res.status, body: (await res.json()) as Json, link: res.headers.get("link") ?? "" };
  };
  const commitsOf = (body: Json): Json[] => (Array.isArray(body.commits) ? body.commits : []);
  const logins = (commits: Json[], who: "author" | "committer") => commits.map((k) => field(k, who, "login"));

  it("a release of 5 merged PRs by 3 authors: every PR commit and merge commit, oldest first", async () => {
    const release = github.state.seedRelease(REPO, { authors: ["ana", "bo", "cy"], pulls: 5 });

    const { status, body } = await get(`/compare/${release.base}...${release.head}`);

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ahead", ahead_by: 10, behind_by: 0, total_commits: 10 });
    expect(field(body, "merge_base_commit", "sha")).toBe(release.base);
    const commits = commitsOf(body);
    expect(commits.at(-1)?.sha).toBe(release.head);
    expect(logins(commits, "author")).toEqual([
      "ana",
      "ana",
      "bo",
      "bo",
      "cy",
      "cy",
      "ana",
      "ana",
      "bo",
      "bo",
    ]);
    expect(release.pulls.map((p) => p.number)).toEqual([101, 102, 103, 104, 105]);
    const merges = commits.filter((k) => (Array.isArray(k.parents) ? k.parents.length : 0) === 2);
    expect(merges).toHaveLength(5);
    expect(logins(merges, "committer")).toEqual(Array(5).fill("web-flow"));
    expect(field(merges[0], "commit", "committer", "email")).toBe("noreply@github.com");
    expect(String(field(merges[0], "commit", "message"))).toMatch(/^Merge pull request #101 from acme\//);
  });

  it("squash merges: one commit per PR by its author, committed by GitHub, other committers as Co-authored-by", async () => {
    const headSha = "1".repeat(40);
    github.state.addPull(REPO, {
      number: 7,
      title: "Checkout",
      author: "ana",
      headSha,
      mergeCommitSha: "7".repeat(40),
      mergeStyle: "squash",
      commits: [
        { sha: "2".repeat(40), message: "Start", author: github.state.personOf("ana") },
        { sha: headSha, message: "Finish", author: { name: "Bo", email: "bo@acme.io" } },
      ],
    });
    const base = github.state.mainline(REPO)[0];

    const { body } = await get(`/compare/${base}...main`);

    const [squash, ...rest] = commitsOf(body);
    expect(rest).toEqual([]);
    expect(squash).toMatchObject({
      sha: "7".repeat(40),
      author: { login: "ana" },
      committer: { login: "web-flow" },
    });
    expect(field(squash, "commit", "message")).toBe(
      "Checkout (#7)\n\n* Start\n* Finish\n\nCo-authored-by: Bo <bo@acme.io>",
    );
  });

  it("a PR of 300 commits: PR commits stop at 250; compare pages the whole range and finds the late author", async () => {
    const long = github.state.seedLongPull(REPO, { number: 300, author: "ana", lateAuthor: "eve" });

    const listed = await Promise.all([1, 2, 3].map((n) => get(`/pulls/300/commits?per_page=100&page=${n}`)));
    const pages = await Promise.all(
      [1, 2, 3, 4].map((n) => get(`/compare/${long.base}...${long.head}?per_page=100&page=${n}`)),
    );
    const unpaged = await get(`/compare/${long.base}...${long.head}`);

    const fromPull = listed.flatMap((p) => (Array.isArray(p.body) ? (p.body as Json[]) : []));
    expect(fromPull).toHaveLength(250);
    expect(logins(fromPull, "author")).not.toContain("eve");
    const fromCompare = pages.flatMap((p) => commitsOf(p.body));
    expect(fromCompare).toHaveLength(301);
    expect(new Set(logins(fromCompare, "author"))).toEqual(new Set(["ana", "eve"]));
    expect(pages[0]?.link).toContain('rel="next"');
    expect(pages[0]?.body.total_commits).toBe(301);
    expect(commitsOf(unpaged.body)).toHaveLength(250);
    expect(commitsOf(unpaged.body).at(-1)?.sha).toBe(long.head);
    expect(field(pages[1]?.body, "files")).toEqual([]);
  });

  it("a direct push is on the mainline, has no pull request, and its author is linked by e-mail", async () => {
    const before = github.state.head(REPO);
    const pushed = github.state.pushCommit(REPO, { message: "Hotfix", author: "bo" });
    github.state.pushCommit(REPO, { message: "Typo", author: { name: "Stranger", email: "who@else.io" } });

    const { body } = await get(`/compare/${before}...main`);
    const pulls = await fetch(`${github.url}/repos/${REPO}/commits/${pushed.sha}/pulls`, {
      headers: { authorization: `token ${token}` },
    });

    expect(commitsOf(body).map((k) => field(k, "author", "login") ?? null)).toEqual(["bo", null]);
    expect(field(commitsOf(body)[0], "commit", "author", "email")).toMatch(
      /^\d+\+bo@users\.noreply\.github\.com$/,
    );
    expect(field(commitsOf(body)[0], "parents", 0, "sha")).toBe(before);
    expect(await pulls.json()).toEqual([]);
  });

  it("compare the other way round is behind; identical is identical; an unknown ref is a 404", async () => {
    const release = github.state.seedRelease(REPO, { authors: ["ana"], pulls: 2 });

    const back = await get(`/compare/${release.head}...${release.base}`);
    const same = await get(`/compare/main...${release.head.slice(0, 7)}`);
    const unknown = await get(`/compare/${release.base}...${"9".repeat(40)}`);
    const malformed = await get(`/compare/${release.base}..${release.head}`);

    expect(back.body).toMatchObject({ status: "behind", ahead_by: 0, behind_by: 4, commits: [] });
    expect(same.body).toMatchObject({ status: "identical", total_commits: 0 });
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
  });

  it("GET a pull request: commits count, base and head shas, merge commit and author", async () => {
    const release = github.state.seedRelease(REPO, {
      authors: ["cy"],
      pulls: 1,
      commitsPerPull: 3,
      firstNumber: 55,
      mergedBy: "dee",
    });

    const { status, body } = await get("/pulls/55");
    const missing = await get("/pulls/56");

    expect(status).toBe(200);
    expect(body).toMatchObject({
      number: 55,
      commits: 3,
      merged: true,
      state: "closed",
      user: { login: "cy" },
      merged_by: { login: "dee" },
      base: { sha: release.base, ref: "main" },
      head: { sha: release.pulls[0]?.headSha },
      merge_commit_sha: release.head,
    });
    expect(missing.status).toBe(404);
  });

  it("the test world opens an approval on a seeded release: the app finds the release's last PR", async () => {
    const world = await startGitHubWorld();
    const release = world.github.state.seedRelease(REPO, { authors: ["ana", "bo", "cy"], pulls: 5 });

    const approval = await world.open(release.head);

    expect(approval.context.pullRequest?.number).toBe(105);
    expect(world.github.state.commentsOn(REPO, 105).some((c) => c.body.includes(approval.id))).toBe(true);
    await world.close();
  });
});
