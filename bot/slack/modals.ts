import type { KnownBlock, ModalView } from "@slack/types";
import type { Approval, Verdict } from "../../core/approval.js";
import { confirmationPhrase } from "../../core/authorize.js";
import * as z from "../../core/zod.js";
import { viewOf } from "../shared/describe.js";
import { APPROVAL_ID, INPUT, MAX_COMMENT, VIEW } from "./ids.js";
import { cutMrkdwn, escapeCut, LIMIT, link, oneLine } from "./mrkdwn.js";

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });

/** What a modal remembers between opening and submission (Slack keeps it server-side for us). */
const modalContext = z.object({
  approvalId: z.string().check(z.regex(APPROVAL_ID)),
  channel: z.optional(z.string().check(z.regex(/^[CGD][A-Z0-9]{2,}$/))),
});
export type ModalContext = z.infer<typeof modalContext>;

export function readModalContext(privateMetadata: string): ModalContext | undefined {
  try {
    const parsed = modalContext.safeParse(JSON.parse(privateMetadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function summary(approval: Approval): KnownBlock {
  const v = viewOf(approval, new Date(approval.createdAt));
  const commit = v.commit
    ? `\n${link(v.commit.url, v.commit.short, 1000)} ${escapeCut(oneLine(v.commit.message ?? "", 150), 800)}`
    : "";
  const where = escapeCut(oneLine(`${v.pipeline} · ${v.stage}`, 200), 1000);
  return { type: "section", text: { type: "mrkdwn", text: `*${where}* → production${commit}` } };
}

/** Approving only: rejecting is never harder than approving (docs/security.md#31-no-implicit-decision). */
function confirmationInput(verdict: Verdict, approval: Approval): KnownBlock[] {
  const phrase = verdict === "approve" ? confirmationPhrase(approval) : undefined;
  if (!phrase) return [];
  const of = approval.context.commit ? "the commit" : "the pipeline name";
  return [
    {
      type: "input",
      block_id: INPUT.confirmation,
      label: plain(`Type the first ${phrase.length} characters of ${of} to approve`),
      element: { type: "plain_text_input", action_id: INPUT.confirmation, max_length: 40 },
      hint: plain("This production deploy asks for a typed confirmation to approve it."),
    },
  ];
}

/**
 * Approve (optional comment) or reject (required reason). Slack itself refuses to submit an empty
 * required input; the listener checks again, because a blank-but-spaces reason gets through.
 */
export function decisionModal(verdict: Verdict, approval: Approval, context: ModalContext): ModalView {
  const reject = verdict === "reject";
  const input: KnownBlock = {
    type: "input",
    block_id: reject ? INPUT.reason : INPUT.comment,
    optional: !reject,
    label: plain(reject ? "Why are you rejecting it?" : "Comment"),
    element: {
      type: "plain_text_input",
      action_id: reject ? INPUT.reason : INPUT.comment,
      multiline: true,
      max_length: MAX_COMMENT,
      placeholder: plain(reject ? "What needs to change before this can ship?" : "Looks good on staging"),
    },
    hint: plain("Posted in the channel and recorded in CodePipeline with your name."),
  };
  return {
    type: "modal",
    callback_id: reject ? VIEW.reject : VIEW.approve,
    private_metadata: JSON.stringify(context),
    title: plain(reject ? "Reject deploy" : "Approve deploy"),
    submit: plain(reject ? "Reject" : "Approve"),
    close: plain("Cancel"),
    blocks: [summary(approval), input, ...confirmationInput(verdict, approval)],
  };
}

/** Replaces a submitted modal when the decision could not be made, saying why. */
export function noticeModal(title: string, text: string): ModalView {
  return {
    type: "modal",
    title: plain(oneLine(title, 24)),
    close: plain("Close"),
    // The text can name every approver of a rule: kept within a section's 3000 characters.
    blocks: [{ type: "section", text: { type: "mrkdwn", text: cutMrkdwn(text, LIMIT.text) } }],
  };
}
