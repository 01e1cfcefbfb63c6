import type { ApprovalRequest } from "./approval.js";
import { InvalidInput } from "./errors.js";
import * as z from "./zod.js";
import { firstIssue } from "./zod-issues.js";

// Only what PutApprovalResult needs may refuse a notification: the three names and the token
// (API reference, PutApprovalResult: names 1–100 characters of [A-Za-z0-9.@\-_]+, the token a
// UUID) and the expiry Greenlight enforces in code (docs/security.md#9-expiry-is-enforced-in-code). Everything else degrades.
const name = z
  .string()
  .check(z.regex(/^[A-Za-z0-9.@\-_]{1,100}$/, "expected a CodePipeline name (A-Z a-z 0-9 . @ - _)"));
const token = z
  .string()
  .check(
    z.regex(
      /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/,
      "expected a UUID token",
    ),
  );
// `2026-12-06T20:22Z`: minute precision, as CodePipeline sends it; seconds tolerated.
const expires = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/, "expected a UTC time like 2026-12-06T20:22Z"),
  // Date.parse rolls impossible dates over (2026-02-30 → 2026-03-02): require a round trip.
  z.refine((s) => {
    const ms = Date.parse(s);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 16) === s.slice(0, 16);
  }, "expected a real date"),
);

const requiredSchema = z.object({
  approval: z.object({ pipelineName: name, stageName: name, actionName: name, token, expires }),
});

const snsEventSchema = z.object({
  Records: z
    .array(z.object({ Sns: z.object({ Message: z.string() }) }))
    .check(z.minLength(1, "expected at least one record")),
});

const SOURCE = "approval notification";

/**
 * CodePipeline's action configuration values (`CustomData`, `ExternalEntityLink`) are strings of
 * 1–1000 characters (API reference: ActionDeclaration, ActionConfigurationValue). Longer text
 * cannot come from CodePipeline; it is still kept, cut here so the record stays bounded
 * (docs/security.md#33-nothing-grows-without-bound). Each channel cuts it further to its own limits.
 */
export const CONFIGURATION_VALUE_MAX = 1000;
const REGION_MAX = 50;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An optional text field: kept as it is when it is a non-empty string, cut to `max`; else absent. */
function optionalText(value: unknown, max: number): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** True for what a channel may turn into a link: an absolute http(s) URL. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * Parse the JSON CodePipeline publishes for a manual approval (as text or already parsed).
 * Throws `InvalidInput` only when the approval could not be answered (names, token, expiry);
 * optional fields that do not fit degrade instead (docs/security.md#33-nothing-grows-without-bound): a link that is not an http(s)
 * URL is kept and marked as text, long text is cut at CodePipeline's own limit, a field of the
 * wrong type is left out. The review link carries the CodePipeline token and is never kept.
 */
export function parseApprovalMessage(message: unknown): ApprovalRequest {
  let value = message;
  if (typeof message === "string") {
    try {
      value = JSON.parse(message);
    } catch {
      throw new InvalidInput(SOURCE, "", "expected JSON");
    }
  }
  const parsed = requiredSchema.safeParse(value);
  if (!parsed.success || !isRecord(value) || !isRecord(value.approval)) {
    const { field, expected } = parsed.success
      ? { field: "", expected: "expected an object" }
      : firstIssue(parsed.error);
    throw new InvalidInput(SOURCE, field, expected);
  }
  const a = parsed.data.approval;
  const raw = value.approval;
  // The region only labels the approval (answers go through the Lambda's own client): kept as text.
  const region = optionalText(value.region, REGION_MAX) ?? "";
  const consoleLink = optionalText(value.consoleLink, 2048);
  const externalLink = optionalText(raw.externalEntityLink, CONFIGURATION_VALUE_MAX);
  const customData = optionalText(raw.customData, CONFIGURATION_VALUE_MAX);
  return {
    region,
    pipeline: a.pipelineName,
    stage: a.stageName,
    action: a.actionName,
    token: a.token,
    expiresAt: new Date(a.expires).toISOString(),
    ...(consoleLink && isHttpUrl(consoleLink) ? { consoleLink } : {}),
    ...(externalLink ? { externalLink } : {}),
    // CodePipeline does not require ExternalEntityLink to be a URL: say so, so channels show text.
    ...(externalLink && !isHttpUrl(externalLink) ? { externalLinkIsText: true as const } : {}),
    ...(customData ? { customData } : {}),
  };
}

/** The SNS messages of a Lambda SNS event, unparsed, so each record can fail on its own. */
export function snsMessages(event: unknown): string[] {
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) {
    const { field, expected } = firstIssue(parsed.error);
    throw new InvalidInput("SNS event", field, expected);
  }
  return parsed.data.Records.map((r) => r.Sns.Message);
}

/** Accept the SNS Lambda event (first record) or the raw message. */
export function parseApprovalNotification(input: unknown): ApprovalRequest {
  if (typeof input === "object" && input !== null && "Records" in input) {
    const [first] = snsMessages(input);
    return parseApprovalMessage(first);
  }
  return parseApprovalMessage(input);
}
