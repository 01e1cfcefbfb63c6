import * as z from "../../core/zod.js";
import { APPROVAL_ID, INPUT } from "./ids.js";
import { type ModalContext, readModalContext } from "./modals.js";

const user = z.object({
  id: z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/)),
  username: z.optional(z.string().check(z.maxLength(200))),
  name: z.optional(z.string().check(z.maxLength(200))),
});
export type SlackUser = z.infer<typeof user>;

const clickSchema = z.object({
  user,
  trigger_id: z.string().check(z.maxLength(256)),
  channel: z.optional(z.object({ id: z.string().check(z.maxLength(32)) })),
  container: z.optional(z.looseObject({ channel_id: z.optional(z.string().check(z.maxLength(32))) })),
  actions: z
    .array(
      z.looseObject({
        action_id: z.string().check(z.maxLength(255)),
        value: z.optional(z.string().check(z.maxLength(2000))),
      }),
    )
    .check(z.minLength(1)),
});

export interface Click {
  user: SlackUser;
  triggerId: string;
  actionId: string;
  /** Where to answer with an ephemeral message. */
  channel?: string;
  /** Undefined when the button's value is not one of our approval ids. */
  approvalId?: string;
}

/** The parts of a `block_actions` payload a listener uses, or undefined when they are not there. */
export function readClick(body: unknown): Click | undefined {
  const parsed = clickSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { user, trigger_id, channel, container, actions } = parsed.data;
  const [action] = actions;
  if (!action) return undefined;
  const channelId = channel?.id ?? container?.channel_id;
  return {
    user,
    triggerId: trigger_id,
    actionId: action.action_id,
    ...(channelId ? { channel: channelId } : {}),
    ...(action.value && APPROVAL_ID.test(action.value) ? { approvalId: action.value } : {}),
  };
}

const stateValue = z.looseObject({ value: z.optional(z.nullable(z.string())) });
const submissionSchema = z.object({
  user,
  view: z.object({
    private_metadata: z.string().check(z.maxLength(3000)),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValue)) }),
  }),
});

export interface Submission {
  user: SlackUser;
  context: ModalContext;
  comment?: string;
  confirmation?: string;
}

/** The parts of a `view_submission` payload for one of our decision modals. */
export function readSubmission(body: unknown): Submission | undefined {
  const parsed = submissionSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { user, view } = parsed.data;
  const context = readModalContext(view.private_metadata);
  if (!context) return undefined;
  const input = (id: string) => view.state.values[id]?.[id]?.value ?? undefined;
  const comment = input(INPUT.reason) ?? input(INPUT.comment);
  const confirmation = input(INPUT.confirmation);
  return {
    user,
    context,
    ...(comment !== undefined ? { comment } : {}),
    ...(confirmation !== undefined ? { confirmation } : {}),
  };
}
