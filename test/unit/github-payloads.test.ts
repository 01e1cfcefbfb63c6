import { describe, expect, it } from "vitest";
import { issueCommentEvent } from "../../bot/github/payloads.js";

const event = (createdAt: unknown) => ({
  action: "created",
  comment: { id: 7, body: "/approve", user: { login: "ana" }, created_at: createdAt },
  issue: { number: 42, pull_request: {} },
  repository: { full_name: "acme/shop-web" },
  sender: { login: "ana" },
});

describe("issue_comment payload: the comment's own time is required (docs/security.md#30-signed-comments-expire)", () => {
  it("accepts GitHub's timestamps, in UTC or with an offset (GitHub Enterprise writes offsets)", () => {
    expect(issueCommentEvent.safeParse(event("2026-11-29T20:22:00Z")).success).toBe(true);
    expect(issueCommentEvent.safeParse(event("2021-08-19T12:16:32.000-04:00")).success).toBe(true);
  });

  it("refuses a comment without a usable created_at: without it a replay cannot be told apart", () => {
    expect(issueCommentEvent.safeParse(event(undefined)).success).toBe(false);
    expect(issueCommentEvent.safeParse(event("yesterday")).success).toBe(false);
  });
});
