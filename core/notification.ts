import type { ApprovalRequest } from "./approval.js";
import { InvalidInput } from "./errors.js";
import * as z from "./zod.js";
import { firstIssue } from "./zod-issues.js";

// CodePipeline's documented limits for names and the approval token pattern.
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
const httpsUrl = z.string().check(
  z.url("expected a URL"),
  z.refine((s) => /^https?:\/\//i.test(s), "expected an http(s) URL"),
);

const messageSchema = z.object({
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "expected an AWS region")),
  consoleLink: z.optional(httpsUrl),
  approval: z.object({
    pipelineName: name,
    stageName: name,
    actionName: name,
    token,
    expires,
    externalEntityLink: z.nullish(httpsUrl),
    approvalReviewLink: z.nullish(httpsUrl),
    customData: z.nullish(z.string().check(z.maxLength(500, "expected at most 500 characters"))),
  }),
});

const snsEventSchema = z.object({
  Records: z
    .array(z.object({ Sns: z.object({ Message: z.string() }) }))
    .check(z.minLength(1, "expected at least one record")),
});

const SOURCE = "approval notification";

/** Parse the JSON CodePipeline publishes for a manual approval (as text or already parsed). */
export function parseApprovalMessage(message: unknown): ApprovalRequest {
  let value = message;
  if (typeof message === "string") {
    try {
      value = JSON.parse(message);
    } catch {
      throw new InvalidInput(SOURCE, "", "expected JSON");
    }
  }
  const parsed = messageSchema.safeParse(value);
  if (!parsed.success) {
    const { field, expected } = firstIssue(parsed.error);
    throw new InvalidInput(SOURCE, field, expected);
  }
  const { region, consoleLink, approval: a } = parsed.data;
  return {
    region,
    pipeline: a.pipelineName,
    stage: a.stageName,
    action: a.actionName,
    token: a.token,
    expiresAt: new Date(a.expires).toISOString(),
    ...(consoleLink ? { consoleLink } : {}),
    ...(a.externalEntityLink ? { externalLink: a.externalEntityLink } : {}),
    ...(a.customData ? { customData: a.customData } : {}),
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
