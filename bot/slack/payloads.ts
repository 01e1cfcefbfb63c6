import { z } from "zod";
import { APPROVAL_ID, INPUT } from "./ids.js";
import { type ModalContext, readModalContext } from "./modals.js";

const user = z.object({
  id: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
  username: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
});
export type SlackUser = z.infer<typeof user>;

const clickSchema = z.object({
  user,
  trigger_id: z.string().max(256),
  channel: z.object({ id: z.string().max(32) }).optional(),
  container: z.looseObject({ channel_id: z.string().max(32).optional() }).optional(),
  actions: z
    .array(z.looseObject({ action_id: z.string().max(255), value: z.string().max(2000).optional() }))
    .min(1),
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

const stateValue = z.looseObject({ value: z.string().nullable().optional() });
const submissionSchema = z.object({
  user,
  view: z.object({
    private_metadata: z.string().max(3000),
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
