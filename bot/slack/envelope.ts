import * as z from "../../core/zod.js";

/** The interactions Greenlight asks Slack for: button clicks and modal submissions. */
export const SUPPORTED = ["block_actions", "view_submission"] as const;

const envelopeSchema = z.looseObject({
  type: z.string().check(z.maxLength(64)),
  // null for org-wide installs, which Greenlight does not support: it will fail the workspace check.
  team: z.optional(z.nullable(z.looseObject({ id: z.string() }))),
  api_app_id: z.optional(z.string()),
});

/** A verified interaction payload: the fields we route on, and the whole object for Bolt. */
export type Interaction = z.infer<typeof envelopeSchema> & { type: (typeof SUPPORTED)[number] };

export type Parsed = { ok: true; interaction: Interaction } | { ok: false; status: 400; error: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

function bad(error: string): Parsed {
  return { ok: false, status: 400, error };
}

/**
 * Interactivity requests are forms with one `payload` field holding JSON; the Events API sends
 * JSON. Only call this on a verified body: it is the first thing that reads the bytes.
 */
export function parseInteraction(body: Uint8Array): Parsed {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return bad("the body is not UTF-8");
  }
  const json = text.trimStart().startsWith("{") ? text : new URLSearchParams(text).get("payload");
  if (json === null) return bad("expected an interaction payload; slash commands and events are not used");
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return bad("the payload is not valid JSON");
  }
  return fromObject(value);
}

/** The same checks for a payload that arrived already parsed (Socket Mode). */
export function fromObject(value: unknown): Parsed {
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) return bad("the payload is not a Slack interaction");
  const { type } = parsed.data;
  if (!isSupported(type)) return bad(`interactions of type ${type.slice(0, 64)} are not used`);
  return { ok: true, interaction: { ...parsed.data, type } };
}

function isSupported(type: string): type is Interaction["type"] {
  return (SUPPORTED as readonly string[]).includes(type);
}

/** Requests signed with our secret but for another workspace or app (a shared secret, a copied app). */
export function foreignInteraction(
  interaction: Interaction,
  expected: { teamId: string; appId: string },
): string | undefined {
  if (interaction.team?.id !== expected.teamId) return "workspace";
  if (interaction.api_app_id !== expected.appId) return "app";
  return undefined;
}
