import { randomBytes } from "node:crypto";
import { messageProblems, modalProblems } from "./block-kit.js";
import { type PostedMessage, TRIGGER_LIFETIME_MS, type Workspace } from "./workspace.js";

export type MethodResult = { ok: boolean } & Record<string, unknown>;
export type Args = Record<string, unknown>;
type Method = (args: Args, workspace: Workspace, now: Date) => MethodResult;

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

function content(args: Args): { text: string; blocks: unknown[] } | MethodResult {
  const text = str(args.text) ?? "";
  const blocks = args.blocks === undefined ? [] : json(args.blocks);
  if (!Array.isArray(blocks)) return fail("invalid_blocks_format");
  if (!text && blocks.length === 0) return fail("no_text");
  const problems = messageProblems(blocks);
  return problems.length > 0 ? fail("invalid_blocks", problems) : { text, blocks };
}

/** The Web API methods Greenlight calls, with Slack's argument checks, answers and error codes. */
export const METHODS: Record<string, Method> = {
  "chat.postMessage": (args, ws, now) => {
    const channel = str(args.channel);
    if (!channel) return fail("channel_not_found");
    const body = content(args);
    if ("ok" in body) return body;
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
    return { ok: true, channel, ts: message.ts, message: wireMessage(message, ws) };
  },

  "chat.update": (args, ws, now) => {
    const channel = str(args.channel);
    const ts = str(args.ts);
    const message = channel && ts ? ws.message(channel, ts) : undefined;
    if (!message) return fail(channel ? "message_not_found" : "channel_not_found");
    if (message.user !== ws.identity.botUserId) return fail("cant_update_message");
    const body = content(args);
    if ("ok" in body) return body;
    message.history.push({ text: message.text, blocks: message.blocks });
    Object.assign(message, body, { editedAt: ws.nextTs(now) });
    return { ok: true, channel, ts, text: message.text, message: wireMessage(message, ws) };
  },

  "chat.postEphemeral": (args, ws, now) => {
    const channel = str(args.channel);
    const user = str(args.user);
    if (!channel) return fail("channel_not_found");
    if (!user) return fail("user_not_found");
    const text = str(args.text);
    if (!text) return fail("no_text");
    const messageTs = ws.nextTs(now);
    ws.ephemerals.push({ channel, user, text, messageTs });
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

  "users.info": (args, ws) => {
    const id = str(args.user) ?? "";
    const user = ws.users.get(id);
    if (!user) return fail("user_not_found");
    const profile = { real_name: user.realName ?? user.name, display_name: user.name };
    return {
      ok: true,
      user: { id, team_id: ws.identity.teamId, name: user.name, real_name: profile.real_name, profile },
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
