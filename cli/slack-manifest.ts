// Greenlight's Slack app manifest for one stack, and Slack's errors as Slack wrote them: the pure
// half of `greenlight slack-app create` (cli/slack-app.ts). Slack's errors: the
// apps.manifest.validate page, "Correcting manifests" (https://api.slack.com/methods/apps.manifest.validate).
import type { WebClient } from "@slack/web-api";
import { parse } from "yaml";
import { z } from "zod";

/** What apps.manifest.validate / create take (the SDK's Manifest type, not exported by name). */
export type SlackManifest = Parameters<WebClient["apps"]["manifest"]["create"]>[0]["manifest"];

const section = z.record(z.string(), z.unknown());
const manifestYmlSchema = z.looseObject({
  display_information: z.looseObject({ name: z.string().min(1) }),
  features: section.optional(),
  oauth_config: section.optional(),
  settings: section.optional(),
});
const obj = (v: unknown): Record<string, unknown> => section.catch({}).parse(v);

/** bot/slack/manifest.yml with this stack's request URL and our redirect; the rest as written. */
export function slackManifest(
  manifestYml: string,
  input: { requestUrl: string; redirectUrl?: string; name?: string },
): SlackManifest {
  const manifest = manifestYmlSchema.parse(parse(manifestYml));
  const settings = { ...manifest.settings };
  settings.interactivity = { ...obj(settings.interactivity), request_url: input.requestUrl };
  // Greenlight subscribes to no events today; a manifest that does gets the same URL.
  if (settings.event_subscriptions)
    settings.event_subscriptions = { ...obj(settings.event_subscriptions), request_url: input.requestUrl };
  const features = { ...manifest.features };
  if (input.name && features.bot_user)
    features.bot_user = { ...obj(features.bot_user), display_name: input.name };
  return {
    ...manifest,
    display_information: { ...manifest.display_information, ...(input.name ? { name: input.name } : {}) },
    features,
    oauth_config: {
      ...manifest.oauth_config,
      ...(input.redirectUrl ? { redirect_urls: [input.redirectUrl] } : {}),
    },
    settings,
  };
}

/**
 * What Slack wrote, from the SDK's platform error: the code, and for `invalid_manifest` each
 * `errors[].message` at its `pointer`; with what to do for the errors a person can fix.
 */
export function slackError(e: unknown): string {
  const data =
    typeof e === "object" && e !== null && "data" in e && typeof e.data === "object" && e.data !== null
      ? (e.data as { error?: unknown; errors?: unknown })
      : undefined;
  if (!data || typeof data.error !== "string") return e instanceof Error ? e.message : String(e);
  const errors = Array.isArray(data.errors)
    ? data.errors.map((x: { message?: unknown; pointer?: unknown }) => `${x.message} (at ${x.pointer})`)
    : [];
  const hint: Record<string, string> = {
    invalid_auth: "the app configuration token is not valid: generate one under api.slack.com/apps",
    not_authed: "no app configuration token reached Slack",
    token_expired:
      "app configuration tokens expire after 12 hours: generate a new one (or rotate it with tooling.tokens.rotate)",
    not_allowed_token_type: "that is not an app configuration token (xoxe.xoxp-…)",
    invalid_code: "Slack's code works once, shortly after the install: install again from a new run",
  };
  const extra = hint[data.error];
  return `${data.error}${errors.length > 0 ? `: ${errors.join("; ")}` : ""}${extra ? ` (${extra})` : ""}`;
}

/** invalid_manifest whose every error points into oauth_config.redirect_urls. */
export function refusesOnlyRedirect(e: unknown): boolean {
  const data = typeof e === "object" && e !== null && "data" in e ? e.data : undefined;
  const parsed = z
    .object({
      error: z.literal("invalid_manifest"),
      errors: z.array(z.object({ pointer: z.string().startsWith("/oauth_config/redirect_urls") })).min(1),
    })
    .safeParse(data);
  return parsed.success;
}
