import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { delivery, signWebhook } from "../../local/github/webhooks.js";
import { type GitHubWorld, PR, REPO, SECRET, startGitHubWorld } from "../support/github.js";
import { putCalls } from "../support/simulator.js";

describe("POST /github/webhooks through the router (signature, size, de-duplication, failures, logs)", () => {
  let world: GitHubWorld;

  beforeEach(async () => {
    world = await startGitHubWorld();
    await world.open();
  });
  afterEach(() => world.close());

  /** A signed /approve delivery from the maintainer, plus the comment it is about. */
  function approveDelivery(id?: string) {
    const comment = world.github.userComment(REPO, PR, "maintainer", "/approve");
    const payload = {
      action: "created",
      comment: {
        id: comment.id,
        body: comment.body,
        created_at: comment.createdAt,
        user: { login: "maintainer", type: "User" },
      },
      issue: { number: PR, pull_request: { url: "x" } },
      repository: { full_name: REPO, name: "shop-web", owner: { login: "acme" } },
      sender: { login: "maintainer", type: "User" },
      installation: { id: 77 },
    };
    return delivery("issue_comment", payload, SECRET, id);
  }

  it.each([
    [
      "a tampered body",
      (d: ReturnType<typeof approveDelivery>) => ({ ...d, body: d.body.replace("/approve", "/approvE") }),
    ],
    [
      "a truncated signature",
      (d: ReturnType<typeof approveDelivery>) => ({
        ...d,
        headers: {
          ...d.headers,
          "x-hub-signature-256": d.headers["x-hub-signature-256"]?.slice(0, 40) ?? "",
        },
      }),
    ],
    [
      "no signature",
      (d: ReturnType<typeof approveDelivery>) => ({
        ...d,
        headers: { ...d.headers, "x-hub-signature-256": "" },
      }),
    ],
    [
      "a sha1 signature",
      (d: ReturnType<typeof approveDelivery>) => ({
        ...d,
        headers: { ...d.headers, "x-hub-signature-256": "sha1=0123" },
      }),
    ],
    [
      "another secret",
      (d: ReturnType<typeof approveDelivery>) => ({
        ...d,
        headers: { ...d.headers, "x-hub-signature-256": signWebhook("wrong-secret", d.body) },
      }),
    ],
  ])("%s → 401, nothing decided, and the delivery id is not used up", async (_what, spoil) => {
    const good = approveDelivery();

    const res = await world.post(spoil(good));
    await world.store.idle();

    expect(res.status).toBe(401);
    expect(putCalls(world.sim)).toHaveLength(0);
    const retry = await world.post(good);
    await world.store.idle();
    expect(retry.status).toBe(200);
    expect(putCalls(world.sim)).toHaveLength(1);
  });

  it("an oversized body → 413 before any signature check, with a clear log line", async () => {
    const big = delivery("issue_comment", { action: "created", padding: "x".repeat(1_100_000) }, SECRET);

    const res = await world.post(big);

    expect(res.status).toBe(413);
    expect(world.logs.text()).toContain("github: webhook body over the size limit ignored");
  });

  it("a verified delivery without a delivery id → 400; GitHub's ping → 202", async () => {
    const d = approveDelivery();
    const { "x-github-delivery": _id, ...headers } = d.headers;

    expect((await world.post({ ...d, headers })).status).toBe(400);
    expect((await world.post(delivery("ping", { zen: "Keep it logically awesome." }, SECRET))).status).toBe(
      202,
    );
    expect(putCalls(world.sim)).toHaveLength(0);
  });

  it.each(["0", "null", '"x"', "[]"])(
    "a signed delivery whose body is JSON but not an object (%s) → 400, not a crash; nothing claimed",
    async (body) => {
      const d = delivery("issue_comment", {}, SECRET, "0b6e1f5e-0000-4000-8000-00000000f00d");
      const signed = {
        ...d,
        body,
        headers: { ...d.headers, "x-hub-signature-256": signWebhook(SECRET, body) },
      };

      const res = await world.post(signed);

      expect(res.status).toBe(400);
      expect(world.logs.text()).toContain("github: webhook body is not a JSON object; refused");
      expect((await world.post(approveDelivery(d.id))).status).toBe(200); // the id was not used up
    },
  );

  it("other methods → 405", async () => {
    const res = await world.router.request("/github/webhooks", { method: "GET" });

    expect(res.status).toBe(405);
  });

  it("GitHub failing during handling → 500 and the claim released, so a redelivery does the work once", async () => {
    world.github.faults.failNext(/permission$/, 502, 1);
    const d = approveDelivery("5b0c4a4e-0000-4000-8000-00000000beef");

    const first = await world.post(d);
    const again = await world.post(d);
    await world.store.idle();
    const third = await world.post(d);

    expect(first.status).toBe(500);
    expect(again.status).toBe(200);
    expect(await third.json()).toMatchObject({ duplicate: true });
    expect(putCalls(world.sim)).toHaveLength(1);
    expect(world.logs.text()).toContain("github: webhook handling failed");
  });

  it("logs never contain signatures, tokens, the secret, the key or payloads", async () => {
    const secretComment = "/approve private words 7c1f";
    const d = delivery("issue_comment", { action: "created", body: secretComment }, SECRET);
    await world.post({ ...d, body: d.body.replace("7c1f", "7c1e") });
    await world.post(approveDelivery());
    await world.comment("octo-author", secretComment);
    await world.store.idle();

    const text = world.logs.text();
    expect(world.github.auth.issued).toBeGreaterThan(0);
    expect(text).not.toMatch(/sha256=[0-9a-f]{64}/);
    expect(text).not.toContain("ghs_");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain("7c1f");
    expect(text).not.toContain("7c1e");
    expect(text).toContain("github: webhook signature does not match; refused");
  });
});
