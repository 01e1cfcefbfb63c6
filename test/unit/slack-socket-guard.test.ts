import { describe, expect, it } from "vitest";
import { createBoltApp, ExternalReceiver } from "../../bot/slack/bolt.js";
import { interactionGuard } from "../../bot/slack/socket-mode.js";
import { captureLogs } from "../support/logs.js";

const click = (team: string, app: string) => ({
  type: "block_actions",
  team: { id: team, domain: "acme" },
  api_app_id: app,
  user: { id: "U0MARIA01", username: "maria" },
  trigger_id: "1.2.3",
  actions: [{ action_id: "probe", type: "button", value: "x" }],
});

/** A Bolt app (no network: nothing here calls Slack) with the Socket Mode guard in front of one listener. */
async function guardedApp() {
  const logs = captureLogs();
  const app = await createBoltApp({
    botToken: "xoxb-test",
    log: logs.log,
    transport: { receiver: new ExternalReceiver() },
  });
  app.use(interactionGuard({ teamId: "T0ACME001", appId: "A0GREENLT" }, logs.log));
  const reached: unknown[] = [];
  app.action("probe", async ({ ack, body }) => {
    reached.push(body);
    await ack();
  });
  const deliver = async (body: Record<string, unknown>) => {
    let acked = false;
    await app.processEvent({
      body,
      ack: async () => {
        acked = true;
      },
    });
    return acked;
  };
  return { deliver, reached, logs };
}

describe("Socket Mode: the same workspace and app checks as the HTTP route, as Bolt middleware", () => {
  it("our workspace and app → the listener runs", async () => {
    const { deliver, reached } = await guardedApp();

    const acked = await deliver(click("T0ACME001", "A0GREENLT"));

    expect(acked).toBe(true);
    expect(reached).toHaveLength(1);
  });

  it.each([
    ["another workspace", click("T0OTHER01", "A0GREENLT"), "foreign-workspace"],
    ["another app", click("T0ACME001", "A0OTHER01"), "foreign-app"],
    [
      "an interaction type we do not use",
      { ...click("T0ACME001", "A0GREENLT"), type: "block_suggestion" },
      "unsupported",
    ],
  ])("%s → acknowledged and dropped before any listener", async (_, body, problem) => {
    const { deliver, reached, logs } = await guardedApp();

    const acked = await deliver(body);

    expect(acked).toBe(true);
    expect(reached).toEqual([]);
    expect(logs.entries()).toContainEqual(expect.objectContaining({ msg: "slack: dropped", problem }));
  });
});
