import * as z from "../../core/zod.js";

/**
 * The slices of GitHub's webhook payloads Greenlight reads, validated after the signature was.
 * Signed by GitHub is not the same as shaped as we expect: a field we rely on is checked here.
 */
const user = z.object({ login: z.string().check(z.minLength(1)), type: z.optional(z.string()) });
const repository = z.object({ full_name: z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/)) });
const installation = z.object({ id: z.number().check(z.int()) });

export const issueCommentEvent = z.object({
  action: z.string(),
  comment: z.object({
    id: z.number().check(z.int()),
    body: z.nullable(z.string()),
    user,
    // When it was written (GitHub's clock): a replayed delivery carries the original time.
    created_at: z.iso.datetime({ offset: true }),
  }),
  issue: z.object({ number: z.number().check(z.int()), pull_request: z.optional(z.looseObject({})) }),
  repository,
  sender: user,
  installation: z.optional(installation),
});
export type IssueCommentEvent = z.infer<typeof issueCommentEvent>;

export const checkRunActionEvent = z.object({
  action: z.literal("requested_action"),
  check_run: z.object({
    id: z.number().check(z.int()),
    head_sha: z.string(),
    external_id: z.nullable(z.string()),
    app: z.nullable(z.object({ id: z.number().check(z.int()) })),
  }),
  requested_action: z.object({ identifier: z.string() }),
  repository,
  sender: user,
  installation: z.optional(installation),
});
export type CheckRunActionEvent = z.infer<typeof checkRunActionEvent>;

/** Where in the payload it did not fit, for the log line (never the payload itself). */
export function payloadProblem(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "payload"}: ${issue.message}` : "payload";
}
