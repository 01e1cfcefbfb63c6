import { z } from "zod";

// Block Kit's documented limits for the blocks Greenlight uses, so the stand-in refuses what Slack
// would refuse (`invalid_blocks`) instead of letting a test pass on a message Slack rejects.
const plain = (max: number) =>
  z.strictObject({
    type: z.literal("plain_text"),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
const text = (max: number) =>
  z.strictObject({
    type: z.enum(["plain_text", "mrkdwn"]),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
    verbatim: z.boolean().optional(),
  });
const style = z.enum(["primary", "danger"]).optional();
const confirm = z.strictObject({
  title: plain(100),
  text: text(300),
  confirm: plain(30),
  deny: plain(30),
  style,
});
const button = z.strictObject({
  type: z.literal("button"),
  text: plain(75),
  action_id: z.string().min(1).max(255).optional(),
  value: z.string().max(2000).optional(),
  url: z.string().max(3000).optional(),
  style,
  confirm: confirm.optional(),
  accessibility_label: z.string().max(75).optional(),
});
const textInput = z.strictObject({
  type: z.literal("plain_text_input"),
  action_id: z.string().min(1).max(255).optional(),
  multiline: z.boolean().optional(),
  min_length: z.number().int().min(0).max(3000).optional(),
  max_length: z.number().int().min(1).max(3000).optional(),
  placeholder: plain(150).optional(),
  initial_value: z.string().optional(),
  focus_on_load: z.boolean().optional(),
});
const blockId = z.string().min(1).max(255).optional();

const block = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("header"), block_id: blockId, text: plain(150) }),
  z.strictObject({
    type: z.literal("section"),
    block_id: blockId,
    text: text(3000).optional(),
    fields: z.array(text(2000)).min(1).max(10).optional(),
    accessory: button.optional(),
  }),
  z.strictObject({
    type: z.literal("context"),
    block_id: blockId,
    elements: z.array(text(3000)).min(1).max(10),
  }),
  z.strictObject({ type: z.literal("actions"), block_id: blockId, elements: z.array(button).min(1).max(25) }),
  z.strictObject({ type: z.literal("divider"), block_id: blockId }),
  z.strictObject({
    type: z.literal("input"),
    block_id: blockId,
    label: plain(2000),
    element: textInput,
    hint: plain(2000).optional(),
    optional: z.boolean().optional(),
  }),
]);

const messageBlocks = z.array(block).max(50);
const modal = z.strictObject({
  type: z.literal("modal"),
  title: plain(24),
  submit: plain(24).optional(),
  close: plain(24).optional(),
  blocks: z.array(block).max(100),
  private_metadata: z.string().max(3000).optional(),
  callback_id: z.string().max(255).optional(),
  clear_on_close: z.boolean().optional(),
  notify_on_close: z.boolean().optional(),
  external_id: z.string().max(255).optional(),
});

/** Slack's style of complaint: `[ERROR] … [json-pointer:/blocks/0/text/text]`. */
function problems(result: z.ZodSafeParseResult<unknown>, root: string): string[] {
  if (result.success) return [];
  return result.error.issues.map((i) => `[ERROR] ${i.message} [json-pointer:${root}/${i.path.join("/")}]`);
}

export function messageProblems(blocks: unknown): string[] {
  return problems(messageBlocks.safeParse(blocks), "/blocks");
}

export function modalProblems(view: unknown): string[] {
  const found = problems(modal.safeParse(view), "/view");
  if (found.length > 0) return found;
  const inputs = modal.parse(view).blocks.filter((b) => b.type === "input");
  const submit = typeof view === "object" && view !== null && "submit" in view;
  return inputs.length > 0 && !submit
    ? ["[ERROR] a modal with inputs needs a submit button [json-pointer:/view]"]
    : [];
}
