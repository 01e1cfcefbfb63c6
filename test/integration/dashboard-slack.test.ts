import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION, INPUT } from "../../bot/slack/ids.js";
import { parsePolicyObject } from "../../core/policy.js";
import type { Stack } from "../../local/stack.js";
import { requestApproval, testStack } from "../support/stack.js";

const MARIA = "U0MARIA01";
const policy = parsePolicyObject({
  version: 1,
  people: [{ name: "Maria Souza", slack: MARIA, github: false }],
  // No GitHub on this stack, so authors cannot be read: the rule allows self-approval.
  rules: [
    {
      match: { pipeline: "shop-*" },
      selfApproval: true,
      slack: { channel: "C0DEPLOYS", approvers: { users: [MARIA] } },
    },
  ],
});

describe("dashboard Slack panel: pressing buttons as a person", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await testStack({ policy, slack: true });
  });
  afterAll(() => stack.close());

  const click = (body: object) =>
    fetch(`${stack.url}/local/slack/click`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("approves as an approver, then answers a press on the replaced button with 409, not a crash", async () => {
    const { approvalId } = await requestApproval(stack);
    const message = stack.slack?.standIn.messages()[0];
    if (!message) throw new Error("nothing was posted to Slack");
    const press = { channel: message.channel, ts: message.ts, actionId: ACTION.approve, user: MARIA };

    const first = await click(press);
    await stack.settled();
    const stale = await click(press);
    const unknown = await click({ ...press, ts: "1.000" });
    const malformed = await click({ channel: message.channel });

    expect(first.status).toBe(200);
    expect((await stack.store.get(approvalId))?.state).toBe("approved");
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: expect.stringContaining("button is gone") });
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
  });
});

describe("dashboard Slack panel: a modal submitted through the stand-in", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await testStack({ policy, slack: true });
  });
  afterAll(() => stack.close());

  const post = (path: string, body: object) =>
    fetch(`${stack.url}/local/slack/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const panel = async () => (await fetch(`${stack.url}/local/panels/slack`)).text();

  it("shows Greenlight's response_action errors under the input, and the answer's view after", async () => {
    const { approvalId } = await requestApproval(stack);
    const message = stack.slack?.standIn.messages()[0];
    if (!message) throw new Error("nothing was posted to Slack");
    await post("click", { channel: message.channel, ts: message.ts, actionId: ACTION.reject, user: MARIA });
    await stack.settled();
    const view = stack.slack?.standIn.workspace.views.at(-1);
    if (!view) throw new Error("no modal was opened");

    const blank = await post("submit", { viewId: view.id, user: MARIA, [INPUT.reason]: "   " });
    const withError = await panel();
    const reasoned = await post("submit", {
      viewId: view.id,
      user: MARIA,
      [INPUT.reason]: "Broken <b>checkout</b>",
    });
    await stack.settled();
    const after = await panel();

    expect(blank.status).toBe(200);
    expect(withError).toContain(`data-slack-modal="${view.id}"`);
    expect(withError).toContain(
      `data-slack-error="${INPUT.reason}">Please say why you are rejecting this deploy.</p>`,
    );
    expect(reasoned.status).toBe(200);
    expect((await stack.store.get(approvalId))?.state).toBe("rejected");
    expect(after).not.toContain(`data-slack-modal="${view.id}"`);
    expect(after).not.toContain("data-slack-error");
    expect(after).not.toContain("<b>checkout</b>");
  });
});
