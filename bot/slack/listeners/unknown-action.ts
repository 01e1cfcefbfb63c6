import type { App } from "@slack/bolt";
import { ACTION } from "../ids.js";
import { readClick } from "../payloads.js";
import type { VoteDeps } from "../vote.js";
import { tell } from "./tell.js";

// Every action id that is not ours: buttons from older message versions, or another app's blocks.
const NOT_OURS = new RegExp(`^(?!(?:${Object.values(ACTION).join("|")})$)`);

/** Clicks on buttons Greenlight does not know: acknowledged, explained, nothing written. */
export function unknownActionListener(app: App, deps: VoteDeps): void {
  app.action(NOT_OURS, async ({ ack, body, client }) => {
    await ack();
    const click = readClick(body);
    deps.log.warn({ channel: "slack", action: click?.actionId.slice(0, 64) }, "slack: unknown action");
    if (!click) return;
    await tell(
      client,
      deps.log,
      { channel: click.channel, user: click.user.id },
      "Greenlight does not know this button (the message may be from an older version). Nothing was recorded.",
    );
  });
}
