import { randomBytes } from "node:crypto";
import { encodeState, restoreState } from "../state-file.js";

/** One version of a message, as the channel shows it. */
export interface MessageContent {
  text: string;
  blocks: unknown[];
}

export interface PostedMessage extends MessageContent {
  channel: string;
  ts: string;
  /** Set on thread replies. */
  threadTs?: string;
  user: string;
  botId: string;
  appId: string;
  /** Earlier versions, oldest first (what chat.update replaced). */
  history: MessageContent[];
  editedAt?: string;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  messageTs: string;
}

export interface OpenedView {
  id: string;
  userId: string;
  triggerId: string;
  /** The view as Slack stores it: what the app sent plus Slack's own fields (id, hash, state…). */
  view: Record<string, unknown>;
}

export interface Trigger {
  id: string;
  userId: string;
  issuedAt: number;
  used: boolean;
}

export interface WorkspaceIdentity {
  teamId: string;
  teamDomain: string;
  appId: string;
  botId: string;
  botUserId: string;
}

/** A conversation: who is in it (the bot too, once invited), and whether it was archived. */
export interface Conversation {
  id: string;
  name: string;
  isPrivate: boolean;
  archived: boolean;
  members: Set<string>;
}

/** Slack says a trigger id must be used within three seconds. */
export const TRIGGER_LIFETIME_MS = 3_000;

/**
 * The state behind the Slack stand-in: messages per channel, ephemerals, opened modals, users,
 * user groups and interaction triggers. Ids are shaped like Slack's so the app cannot tell.
 */
export class Workspace {
  readonly messages: PostedMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views: OpenedView[] = [];
  readonly users = new Map<string, { name: string; realName?: string; email?: string }>();
  readonly conversations = new Map<string, Conversation>();
  readonly groups = new Map<string, { handle: string; members: string[] }>();
  private readonly triggers = new Map<string, Trigger>();
  private seq = 0;

  constructor(readonly identity: WorkspaceIdentity) {}

  /** A message timestamp: seconds, then a per-workspace sequence, as Slack formats them. */
  nextTs(now: Date): string {
    this.seq += 1;
    return `${Math.floor(now.getTime() / 1000)}.${String(this.seq).padStart(6, "0")}`;
  }

  newId(prefix: string): string {
    return `${prefix}${randomBytes(5).toString("hex").toUpperCase()}`;
  }

  /** A trigger id, as Slack issues with each interaction for the app to open a modal with. */
  mintTrigger(userId: string, now: Date): string {
    this.seq += 1;
    const id = `${this.seq}${Math.floor(now.getTime() / 1000)}.${this.seq}.${randomBytes(16).toString("hex")}`;
    this.triggers.set(id, { id, userId, issuedAt: now.getTime(), used: false });
    return id;
  }

  trigger(id: string): Trigger | undefined {
    return this.triggers.get(id);
  }

  /**
   * A conversation by id, or by name (`deploys` or `#deploys`): chat.postMessage's `channel`
   * "can be an encoded ID, or a name" (method reference).
   */
  conversation(idOrName: string): Conversation | undefined {
    const byId = this.conversations.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, "");
    return [...this.conversations.values()].find((c) => c.name === name);
  }

  /** Is the app's bot user in the conversation (invited with `/invite @Greenlight`)? */
  botIsIn(conversation: Conversation): boolean {
    return conversation.members.has(this.identity.botUserId);
  }

  message(channel: string, ts: string): PostedMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /**
   * The whole workspace as JSON, for the local stack's data folder: whatever fields it has, so a
   * restart keeps messages, modals and all the rest. The identity is the starting stand-in's own.
   */
  save(): string {
    return encodeState(this, ["identity"]);
  }

  /** A workspace saved by `save`, back into this one (merged over the users and channels set up). */
  load(text: string): void {
    restoreState(this, text);
  }
}
