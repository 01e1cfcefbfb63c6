import { z } from "zod";

/**
 * The slices of GitHub's webhook payloads Greenlight reads, validated after the signature was.
 * Signed by GitHub is not the same as shaped as we expect: a field we rely on is checked here.
 */
const user = z.object({ login: z.string().min(1), type: z.string().optional() });
const repository = z.object({ full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/) });
const installation = z.object({ id: z.number().int() });

export const issueCommentEvent = z.object({
  action: z.string(),
  comment: z.object({ id: z.number().int(), body: z.string().nullable(), user }),
  issue: z.object({ number: z.number().int(), pull_request: z.object({}).loose().optional() }),
  repository,
  sender: user,
  installation: installation.optional(),
});
export type IssueCommentEvent = z.infer<typeof issueCommentEvent>;

export const checkRunActionEvent = z.object({
  action: z.literal("requested_action"),
  check_run: z.object({
    id: z.number().int(),
    head_sha: z.string(),
    external_id: z.string().nullable(),
    app: z.object({ id: z.number().int() }).nullable(),
  }),
  requested_action: z.object({ identifier: z.string() }),
  repository,
  sender: user,
  installation: installation.optional(),
});
export type CheckRunActionEvent = z.infer<typeof checkRunActionEvent>;

/** Where in the payload it did not fit, for the log line (never the payload itself). */
export function payloadProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "payload"}: ${issue.message}` : "payload";
}
