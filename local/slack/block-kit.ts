import { z } from "zod";

/*
 * The Block Kit the stand-in accepts: the blocks and elements Greenlight uses, with the limits
 * Slack's Block Kit reference documents (docs.slack.dev/reference/block-kit/blocks/…,
 * …/block-elements/button-element, …/composition-objects/…, …/surfaces/modal), so the stand-in
 * refuses with `invalid_blocks` what Slack would refuse instead of letting a test pass on a message
 * Slack rejects.
 *
 * Two checks keep it honest against Slack's own published types (`@slack/types`, the package the
 * Web API client and Bolt are typed with): the schemas are strict (no key the types do not have),
 * and test/unit/slack-block-kit.test.ts asserts at the type level that whatever they accept is a
 * `KnownBlock` / `ModalView`. The types carry the shapes; the lengths exist only in the reference
 * (JSDoc in the types), so they are enforced here at run time.
 */

/** Slack's wording in `invalid_blocks` answers: "must be less than 3001 characters". */
const text = (max: number) =>
  z
    .string()
    .min(1, { error: "must be more than 0 characters" })
    .max(max, { error: `must be less than ${max + 1} characters` });

const plain = (max: number) =>
  z.strictObject({ type: z.literal("plain_text"), text: text(max), emoji: z.boolean().optional() });
const mrkdwn = (max: number) =>
  z.strictObject({ type: z.literal("mrkdwn"), text: text(max), verbatim: z.boolean().optional() });
/** A text object: plain_text or mrkdwn, at most 3000 characters unless the field says less. */
const textObject = (max = 3000) => z.discriminatedUnion("type", [plain(max), mrkdwn(max)]);

const style = z.enum(["primary", "danger"]).optional();
const id = text(255).optional();

const confirm = z.strictObject({
  title: plain(100),
  text: textObject(300),
  confirm: plain(30),
  deny: plain(30),
  style,
});

const button = z.strictObject({
  type: z.literal("button"),
  text: plain(75),
  action_id: id,
  value: text(2000).optional(),
  url: text(3000).optional(),
  style,
  confirm: confirm.optional(),
  accessibility_label: text(75).optional(),
});

const textInput = z.strictObject({
  type: z.literal("plain_text_input"),
  action_id: id,
  multiline: z.boolean().optional(),
  min_length: z.number().int().min(0).max(3000).optional(),
  max_length: z.number().int().min(1).max(3000).optional(),
  placeholder: plain(150).optional(),
  initial_value: z.string().optional(),
  focus_on_load: z.boolean().optional(),
});

const header = z.strictObject({ type: z.literal("header"), block_id: id, text: plain(150) });
const section = z
  .strictObject({
    type: z.literal("section"),
    block_id: id,
    text: textObject(3000).optional(),
    fields: z.array(textObject(2000)).min(1).max(10).optional(),
    accessory: button.optional(),
    expand: z.boolean().optional(),
  })
  .refine((s) => s.text !== undefined || s.fields !== undefined, {
    error: "a section needs text or fields",
  });
const context = z.strictObject({
  type: z.literal("context"),
  block_id: id,
  elements: z.array(textObject(3000)).min(1).max(10),
});
const actions = z.strictObject({
  type: z.literal("actions"),
  block_id: id,
  elements: z.array(button).min(1).max(25),
});
const divider = z.strictObject({ type: z.literal("divider"), block_id: id });
const input = z.strictObject({
  type: z.literal("input"),
  block_id: id,
  label: plain(2000),
  element: textInput,
  hint: plain(2000).optional(),
  optional: z.boolean().optional(),
  dispatch_action: z.boolean().optional(),
});

export const messageBlock = z.discriminatedUnion("type", [header, section, context, actions, divider]);
export const modalBlock = z.discriminatedUnion("type", [header, section, context, actions, divider, input]);

/** "You can include up to 50 blocks in each message, and 100 blocks in modals" (Blocks reference). */
const messageBlocks = z.array(messageBlock).max(50);

export const modalView = z.strictObject({
  type: z.literal("modal"),
  title: plain(24),
  submit: plain(24).optional(),
  close: plain(24).optional(),
  blocks: z.array(modalBlock).max(100),
  private_metadata: z.string().max(3000).optional(),
  callback_id: z.string().max(255).optional(),
  clear_on_close: z.boolean().optional(),
  notify_on_close: z.boolean().optional(),
  external_id: z.string().max(255).optional(),
});

export type StandInMessageBlock = z.infer<typeof messageBlock>;
export type StandInModalView = z.infer<typeof modalView>;

/** Slack's style of complaint: `[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]`. */
function problems(result: z.ZodSafeParseResult<unknown>, root: string): string[] {
  if (result.success) return [];
  return result.error.issues.map((i) => `[ERROR] ${i.message} [json-pointer:${root}/${i.path.join("/")}]`);
}

export function messageProblems(blocks: unknown): string[] {
  return problems(messageBlocks.safeParse(blocks), "/blocks");
}

export function modalProblems(view: unknown): string[] {
  const parsed = modalView.safeParse(view);
  if (!parsed.success) return problems(parsed, "/view");
  const inputs = parsed.data.blocks.filter((b) => b.type === "input");
  return inputs.length > 0 && !parsed.data.submit
    ? ["[ERROR] a modal with inputs needs a submit button [json-pointer:/view]"]
    : [];
}
