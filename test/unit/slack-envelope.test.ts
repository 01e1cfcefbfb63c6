import { describe, expect, it } from "vitest";
import { foreignInteraction, fromObject, parseInteraction } from "../../bot/slack/envelope.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const form = (payload: unknown) => bytes(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
const click = {
  type: "block_actions",
  team: { id: "T1", domain: "acme" },
  api_app_id: "A1",
  user: { id: "U1" },
};

describe("parseInteraction (runs only on verified bytes)", () => {
  it("reads the form Slack posts for interactions, keeping the whole payload for Bolt", () => {
    const parsed = parseInteraction(form({ ...click, extra: { kept: true } }));

    expect(parsed).toEqual({ ok: true, interaction: { ...click, extra: { kept: true } } });
  });

  it("reads a JSON body too (Events API style), non-ASCII included", () => {
    const parsed = parseInteraction(bytes(JSON.stringify({ ...click, user: { id: "U1", name: "Zoë ✅" } })));

    expect(parsed.ok).toBe(true);
  });

  it.each([
    [
      "a slash command (no payload field)",
      bytes("command=%2Fdeploy&text=now"),
      /slash commands and events are not used/,
    ],
    ["malformed JSON in the payload", bytes("payload=%7Bnot%20json"), /not valid JSON/],
    ["JSON that is not an object", form([1, 2]), /not a Slack interaction/],
    ["an interaction type we do not use", form({ ...click, type: "shortcut" }), /type shortcut are not used/],
    ["bytes that are not UTF-8", new Uint8Array([0x70, 0x3d, 0xff, 0xfe]), /not UTF-8/],
  ])("%s → a clear 400", (_, body, error) => {
    const parsed = parseInteraction(body);

    expect(parsed).toMatchObject({ ok: false, status: 400 });
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });
});

describe("foreignInteraction", () => {
  const expected = { teamId: "T1", appId: "A1" };
  const interaction = (over: object) => {
    const parsed = fromObject({ ...click, ...over });
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.interaction;
  };

  it("accepts our workspace and app", () => {
    expect(foreignInteraction(interaction({}), expected)).toBeUndefined();
  });

  it.each([
    ["another workspace", { team: { id: "T2" } }, "workspace"],
    ["an org-wide install (team null)", { team: null }, "workspace"],
    ["another app", { api_app_id: "A2" }, "app"],
    ["no app id", { api_app_id: undefined }, "app"],
  ])("refuses %s", (_, over, what) => {
    expect(foreignInteraction(interaction(over), expected)).toBe(what);
  });
});
