import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { delivery, issueCommentPayload } from "../../local/github/webhooks.js";
import { type GitHubWorld, INSTALLATION_ID, PR, REPO, SECRET, startGitHubWorld } from "../support/github.js";
import { putCalls } from "../support/simulator.js";

/**
 * GitHub signs the body only, with no time in the signature, and `X-GitHub-Delivery` is not signed
 * (docs: "Validating webhook deliveries"). A captured delivery can be resent under a new delivery
 * id at any time: the comment's own `created_at` and `id` are what tell a replay (docs/security.md#30-signed-comments-expire).
 */
describe("replayed issue_comment deliveries (issue 12, item 6)", () => {
  let world: GitHubWorld;

  beforeEach(async () => {
    world = await startGitHubWorld();
  });
  afterEach(() => world.close());

  /** The same signed body, sent again as if it were a new delivery. */
  const replay = async (body: string) => {
    const payload: unknown = JSON.parse(body);
    const res = await world.post(delivery("issue_comment", payload, SECRET));
    await world.store.idle();
    return res;
  };

  it("an /approve captured on one approval, resent after a new approval opened on the PR, does not vote on the new one", async () => {
    const first = await world.open();
    const { delivery: captured } = await world.comment("maintainer", "/approve ship it");
    expect(putCalls(world.sim)).toHaveLength(1);
    expect((await world.store.get(first.id))?.state).not.toBe("pending");
    world.setNow(new Date("2026-11-30T09:00:00Z"));
    const second = await world.open();

    const res = await replay(captured.body);

    expect(res.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(1);
    const after = await world.store.get(second.id);
    expect(after?.state).toBe("pending");
    expect(after?.votes).toEqual({});
  });

  it("a comment written before the approval opened never counts for it, even delivered for the first time", async () => {
    const early = world.github.userComment(REPO, PR, "maintainer", "/approve");
    world.setNow(new Date("2026-11-29T20:25:00Z"));
    const approval = await world.open();

    const res = await world.post(
      delivery(
        "issue_comment",
        issueCommentPayload({ comment: early, installationId: INSTALLATION_ID, merged: true }),
        SECRET,
      ),
    );
    await world.store.idle();

    expect(res.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(0);
    expect((await world.store.get(approval.id))?.state).toBe("pending");
    expect(world.logs.text()).toContain("written before");
  });

  it("one comment id counts at most once: refused once, it stays refused when resent after the person gained access", async () => {
    const approval = await world.open();
    const { delivery: captured } = await world.comment("reader", "/approve");
    expect(putCalls(world.sim)).toHaveLength(0);
    world.github.person("reader", { repo: REPO, role: "maintain" });

    const res = await replay(captured.body);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ duplicate: true });
    expect(putCalls(world.sim)).toHaveLength(0);
    expect((await world.store.get(approval.id))?.state).toBe("pending");
    expect(world.logs.text()).toContain("comment already handled");
  });

  it("one second before the approval opened is too early (no tolerance the unsafe way)", async () => {
    world.setNow(new Date("2026-11-29T20:21:59Z"));
    const early = world.github.userComment(REPO, PR, "maintainer", "/approve");
    world.setNow(new Date("2026-11-29T20:22:00.400Z"));
    await world.open();

    await world.post(
      delivery(
        "issue_comment",
        issueCommentPayload({ comment: early, installationId: INSTALLATION_ID, merged: true }),
        SECRET,
      ),
    );
    await world.store.idle();

    expect(putCalls(world.sim)).toHaveLength(0);
  });

  it("a comment written after the approval opened still counts (the check does not refuse the honest case)", async () => {
    await world.open();
    world.setNow(new Date("2026-11-29T20:23:00Z"));

    const { res } = await world.comment("maintainer", "/approve");

    expect(res.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(1);
  });
});
