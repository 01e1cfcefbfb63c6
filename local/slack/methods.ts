import { randomBytes } from "node:crypto";
import { messageProblems, modalProblems } from "./block-kit.js";
import { type Conversation, type PostedMessage, TRIGGER_LIFETIME_MS, type Workspace } from "./workspace.js";

export type MethodResult = { ok: boolean } & Record<string, unknown>;
export type Args = Record<string, unknown>;
/** What the token may do: the scopes it was granted (OAuth & Permissions → Bot Token Scopes). */
export interface Grant {
  scopes: ReadonlySet<string>;
}
type Method = (args: Args, workspace: Workspace, now: Date, grant: Grant) => MethodResult;

/**
 * The scope each method needs with a bot token ("Scopes" on each method's reference page);
 * views.open needs none. Without it Slack answers `missing_scope` with `needed` and `provided`.
 */
export const METHOD_SCOPES: Record<string, string | undefined> = {
  "chat.postMessage": "chat:write",
  "chat.update": "chat:write",
  "chat.postEphemeral": "chat:write",
  "usergroups.users.list": "usergroups:read",
  "users.info": "users:read",
};

/** chat.postMessage: "Provide no more than 40,000 characters or risk truncation" (method reference). */
export const MAX_TEXT = 40_000;

const fail = (error: string, messages?: string[]): MethodResult => ({
  ok: false,
  error,
  ...(messages ? { response_metadata: { messages } } : {}),
});
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** Form-encoded calls carry `blocks` and `view` as JSON strings; JSON calls carry them as values. */
function json(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** A message as the Web API returns it (`chat.postMessage`'s `message`, history, …). */
export function wireMessage(m: PostedMessage, workspace: Workspace): Record<string, unknown> {
  return {
    type: "message",
    text: m.text,
    user: m.user,
    bot_id: m.botId,
    app_id: m.appId,
    team: workspace.identity.teamId,
    ts: m.ts,
    ...(m.blocks.length > 0 ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.editedAt ? { edited: { user: m.user, ts: m.editedAt } } : {}),
  };
}

interface Content {
  text: string;
  blocks: unknown[];
  /** Slack truncates a longer `text` and says so ("Truncating really long messages", changelog 2018). */
  truncated: boolean;
}

function content(args: Args): Content | MethodResult {
  const given = str(args.text) ?? "";
  const blocks = args.blocks === undefined ? [] : json(args.blocks);
  if (!Array.isArray(blocks)) return fail("invalid_blocks_format");
  if (!given && blocks.length === 0) return fail("no_text");
  const problems = messageProblems(blocks);
  if (problems.length > 0) return { ...fail("invalid_blocks", problems), errors: problems.map(withoutLevel) };
  const truncated = given.length > MAX_TEXT;
  return { text: truncated ? given.slice(0, MAX_TEXT) : given, blocks, truncated };
}

const withoutLevel = (message: string) => message.replace(/^\[ERROR\] /, "");

const TRUNCATED = {
  response_metadata: {
    messages: [
      "[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters.",
    ],
    warnings: ["message_truncated"],
  },
};

/**
 * Where the app may post: the conversation must exist, not be archived, and have the bot as a
 * member — unless the token has `chat:write.public` and the channel is public (chat.postMessage
 * reference, "Errors": `channel_not_found`, `is_archived`, `not_in_channel`).
 */
function postable(ws: Workspace, grant: Grant, channel: string | undefined): Conversation | MethodResult {
  const conversation = channel ? ws.conversation(channel) : undefined;
  if (!conversation) return fail("channel_not_found");
  if (conversation.archived) return fail("is_archived");
  const publicPost = grant.scopes.has("chat:write.public") && !conversation.isPrivate;
  // A private channel the bot is not in does not exist as far as the bot can tell.
  if (!ws.botIsIn(conversation) && conversation.isPrivate) return fail("channel_not_found");
  if (!ws.botIsIn(conversation) && !publicPost) return fail("not_in_channel");
  return conversation;
}

const isResult = (v: object): v is MethodResult => "ok" in v;

/** The Web API methods Greenlight calls, with Slack's argument checks, answers and error codes. */
export const METHODS: Record<string, Method> = {
  "chat.postMessage": (args, ws, now, grant) => {
    const conversation = postable(ws, grant, str(args.channel));
    if (isResult(conversation)) return conversation;
    const channel = conversation.id;
    const found = content(args);
    if (isResult(found)) return found;
    const { truncated, ...body } = found;
    const { botUserId, botId, appId } = ws.identity;
    const threadTs = str(args.thread_ts);
    const message: PostedMessage = {
      channel,
      ts: ws.nextTs(now),
      ...body,
      ...(threadTs ? { threadTs } : {}),
      user: botUserId,
      botId,
      appId,
      history: [],
    };
    ws.messages.push(message);
    return {
      ok: true,
      channel,
      ts: message.ts,
      message: wireMessage(message, ws),
      ...(truncated ? TRUNCATED : {}),
    };
  },

  "chat.update": (args, ws, now) => {
    const channel = str(args.channel);
    const ts = str(args.ts);
    const conversation = channel ? ws.conversation(channel) : undefined;
    if (!conversation) return fail("channel_not_found");
    // "The message cannot be edited within a frozen, archived or deleted channel" (chat.update).
    if (conversation.archived) return fail("is_inactive");
    const message = ts ? ws.message(conversation.id, ts) : undefined;
    if (!message) return fail("message_not_found");
    if (message.user !== ws.identity.botUserId) return fail("cant_update_message");
    const found = content(args);
    if (isResult(found)) return found;
    const { truncated, ...body } = found;
    message.history.push({ text: message.text, blocks: message.blocks });
    Object.assign(message, body, { editedAt: ws.nextTs(now) });
    return {
      ok: true,
      channel: conversation.id,
      ts: message.ts,
      text: message.text,
      message: wireMessage(message, ws),
      ...(truncated ? TRUNCATED : {}),
    };
  },

  "chat.postEphemeral": (args, ws, now, grant) => {
    const conversation = postable(ws, grant, str(args.channel));
    if (isResult(conversation)) return conversation;
    const user = str(args.user);
    if (!user || !ws.users.has(user)) return fail("user_not_found");
    const found = content(args);
    if (isResult(found)) return found;
    const { text } = found;
    if (!text) return fail("no_text");
    if (text.length > MAX_TEXT || found.truncated) return fail("msg_too_long");
    const messageTs = ws.nextTs(now);
    ws.ephemerals.push({ channel: conversation.id, user, text, messageTs });
    return { ok: true, message_ts: messageTs };
  },

  "views.open": (args, ws, now) => {
    const trigger = ws.trigger(str(args.trigger_id) ?? "");
    if (!trigger) return fail("invalid_trigger_id");
    if (trigger.used) return fail("exchanged_trigger_id");
    if (now.getTime() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return fail("expired_trigger_id");
    const view = json(args.view);
    const problems = modalProblems(view);
    if (problems.length > 0 || typeof view !== "object" || view === null)
      return fail("invalid_arguments", problems);
    trigger.used = true;
    const id = ws.newId("V");
    const { teamId, appId, botId } = ws.identity;
    const stored = {
      id,
      team_id: teamId,
      app_id: appId,
      app_installed_team_id: teamId,
      bot_id: botId,
      private_metadata: "",
      callback_id: "",
      external_id: "",
      clear_on_close: false,
      notify_on_close: false,
      ...view,
      state: { values: {} },
      hash: `${Math.floor(now.getTime() / 1000)}.${randomBytes(4).toString("hex")}`,
      root_view_id: id,
      previous_view_id: null,
    };
    ws.views.push({ id, userId: trigger.userId, triggerId: trigger.id, view: stored });
    return { ok: true, view: stored };
  },

  "usergroups.users.list": (args, ws) => {
    const group = ws.groups.get(str(args.usergroup) ?? "");
    return group ? { ok: true, users: [...group.members] } : fail("no_such_subteam");
  },

  "users.info": (args, ws, _now, grant) => {
    const id = str(args.user) ?? "";
    const user = ws.users.get(id);
    if (!user) return fail("user_not_found");
    // "The users:read.email OAuth scope is now required to access the email field in user objects
    // returned by the users.list and users.info web API methods" (users.info reference): without
    // it the field is simply absent; an e-mail the person never set is absent too.
    const email = grant.scopes.has("users:read.email") && user.email ? { email: user.email } : {};
    const profile = { real_name: user.realName ?? user.name, display_name: user.name, ...email };
    return {
      ok: true,
      user: { id, team_id: ws.identity.teamId, name: user.name, real_name: profile.real_name, profile },
    };
  },

  // conversations.info (docs.slack.dev/reference/methods/conversations.info): bot scopes
  // channels:read (public) or groups:read (private); `channel_not_found` for an unknown id, and for
  // a private channel the bot is not in (it cannot see it). Used by `greenlight doctor` only.
  "conversations.info": (args, ws, _now, grant) => {
    const c = ws.conversations.get(str(args.channel) ?? "");
    const needed = c?.isPrivate ? "groups:read" : "channels:read";
    if (!grant.scopes.has(needed))
      return { ok: false, error: "missing_scope", needed, provided: [...grant.scopes].join(",") };
    const botIn = c?.members.has(ws.identity.botUserId) ?? false;
    if (!c || (c.isPrivate && !botIn)) return fail("channel_not_found");
    return {
      ok: true,
      channel: {
        id: c.id,
        name: c.name,
        is_channel: !c.isPrivate,
        is_group: c.isPrivate,
        is_private: c.isPrivate,
        is_archived: c.archived,
        is_member: botIn,
      },
    };
  },

  // Not used by Greenlight (Bolt is configured so it never needs it); answered so a regression
  // shows up in the call log rather than as a crash.
  "auth.test": (_args, ws) => ({
    ok: true,
    url: `https://${ws.identity.teamDomain}.slack.com/`,
    team_id: ws.identity.teamId,
    user_id: ws.identity.botUserId,
    bot_id: ws.identity.botId,
  }),
};
