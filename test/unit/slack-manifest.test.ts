import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = new URL("../../", import.meta.url).pathname;

// Slack's documented bot-token scopes for each Web API method Greenlight calls (each method's
// reference page, "Scopes"); views.open needs none. users.info needs users:read, and the profile
// e-mail Greenlight reads from it also users:read.email (docs.slack.dev/reference/methods/users.info).
const SCOPE_OF: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "views.open": [],
  "usergroups.users.list": ["usergroups:read"],
  "users.info": ["users:read", "users:read.email"],
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every `client.<family>.<method>(` call in the Slack channel's code. */
function calledMethods(): Set<string> {
  const calls = new Set<string>();
  for (const file of sources("bot/slack")) {
    const text = readFileSync(join(ROOT, file), "utf8");
    // Chains may wrap across lines (`client.usergroups.users\n  .list(`).
    for (const m of text.matchAll(/\bclient\.((?:[a-z]+\s*\.\s*)+[a-zA-Z]+)\s*\(/g)) {
      if (m[1]) calls.add(m[1].replace(/\s+/g, ""));
    }
  }
  return calls;
}

describe("bot/slack/manifest.yml", () => {
  const manifest = parse(readFileSync(join(ROOT, "bot/slack/manifest.yml"), "utf8"));

  it("asks for exactly the scopes of the Web API methods the code calls", () => {
    const called = [...calledMethods()].sort();
    const unknown = called.filter((m) => !(m in SCOPE_OF));
    const needed = new Set(called.flatMap((m) => SCOPE_OF[m] ?? []));

    expect(called).toEqual(Object.keys(SCOPE_OF).sort());
    expect(unknown).toEqual([]);
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(needed);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it("turns on interactivity at /slack/events and subscribes to no events", () => {
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: expect.stringMatching(/^https:\/\/.+\/slack\/events$/),
    });
    expect(manifest.settings.event_subscriptions).toBeUndefined();
    expect(manifest.features.slash_commands).toBeUndefined();
  });
});
