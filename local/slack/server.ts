import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "yaml";
import { Hold } from "../hold.js";
import { type Fault, handleApiRequest, type SlackCall } from "./api.js";
import { SlackApps } from "./app-manifests.js";
import {
  blockActionsPayload,
  type Clicker,
  formBody,
  type SignedInteraction,
  signInteraction,
  viewSubmissionPayload,
} from "./interactions.js";
import { renderBlocks } from "./render.js";
import { type PostedMessage, Workspace, type WorkspaceIdentity } from "./workspace.js";

export type { SlackCall } from "./api.js";

export interface SlackStandInOptions {
  port?: number;
  now?: () => Date;
  botToken?: string;
  /** The app's signing secret: Slack knows it, so the stand-in signs the interactions it sends. */
  signingSecret?: string;
  identity?: Partial<WorkspaceIdentity>;
  /** The bot token's scopes; by default exactly what the app's manifest asks for. */
  scopes?: Iterable<string>;
}

/**
 * The bot scopes bot/slack/manifest.yml asks for: the stand-in grants the token exactly these, so
 * a call the manifest forgot a scope for fails here with `missing_scope`, as it would on Slack.
 */
export function manifestScopes(): string[] {
  const manifest: unknown = parse(
    readFileSync(new URL("../../bot/slack/manifest.yml", import.meta.url), "utf8"),
  );
  const scopes =
    typeof manifest === "object" && manifest !== null && "oauth_config" in manifest
      ? (manifest.oauth_config as { scopes?: { bot?: unknown } }).scopes?.bot
      : undefined;
  if (!Array.isArray(scopes)) throw new Error("bot/slack/manifest.yml: no oauth_config.scopes.bot");
  return scopes.filter((s): s is string => typeof s === "string");
}

const DEFAULT_IDENTITY: WorkspaceIdentity = {
  teamId: "T0GREENLT",
  teamDomain: "greenlight-local",
  appId: "A0GREENLT",
  botId: "B0GREENLT",
  botUserId: "U0GREENLT",
};

/**
 * A Slack Web API stand-in on a local port: the real `@slack/web-api` client talks to it through
 * `slackApiUrl`. It keeps what was posted (for tests and the dashboard), answers with Slack's shapes
 * and error codes, can be told to fail or be slow, and plays Slack's other half: it builds the signed
 * interaction requests a click or a modal submission sends to the app.
 */
export class SlackStandIn {
  readonly calls: SlackCall[] = [];
  /** Bodies posted to the `response_url`s it handed out. */
  readonly responses: unknown[] = [];
  readonly workspace: Workspace;
  readonly botToken: string;
  readonly signingSecret: string;
  readonly faults = new Map<string, Fault>();
  readonly delays = new Map<string, number>();
  readonly scopes: Set<string>;
  readonly hold = new Hold();
  /** Apps created with apps.manifest.create and installed with oauth.v2.access. */
  readonly apps = new SlackApps();
  readonly now: () => Date;
  private server: Server | undefined;
  url = "";

  private constructor(options: SlackStandInOptions) {
    this.workspace = new Workspace({ ...DEFAULT_IDENTITY, ...options.identity });
    this.botToken = options.botToken ?? "xoxb-local-greenlight";
    this.signingSecret = options.signingSecret ?? "local-signing-secret-0123456789ab";
    this.now = options.now ?? (() => new Date());
    this.scopes = new Set(options.scopes ?? manifestScopes());
  }

  static async start(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
    const standIn = new SlackStandIn(options);
    const server = createServer((req, res) => void handleApiRequest(standIn, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    standIn.server = server;
    standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return standIn;
  }

  /** What `WebClient` needs as `slackApiUrl` (with the trailing `/api/`). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  addUser(id: string, name: string, realName?: string, email?: string): this {
    this.workspace.users.set(id, { name, ...(realName ? { realName } : {}), ...(email ? { email } : {}) });
    return this;
  }

  /**
   * A channel in the workspace. `invited` (the default) puts the app's bot user in it, as
   * `/invite @Greenlight` does; without it, posts answer `not_in_channel` (or, private,
   * `channel_not_found`), as on Slack.
   */
  addChannel(id: string, options: { name?: string; invited?: boolean; isPrivate?: boolean } = {}): this {
    const members = new Set<string>(options.invited === false ? [] : [this.workspace.identity.botUserId]);
    this.workspace.conversations.set(id, {
      id,
      name: options.name ?? id.toLowerCase(),
      isPrivate: options.isPrivate ?? false,
      archived: false,
      members,
    });
    return this;
  }

  /** Someone archives the channel: posts answer `is_archived`, updates `is_inactive`. */
  archiveChannel(id: string): this {
    const conversation = this.workspace.conversations.get(id);
    if (!conversation) throw new Error(`No channel ${id}`);
    conversation.archived = true;
    return this;
  }

  /** Someone removes the app from the channel (`/remove @Greenlight`), or invites it back. */
  setInvited(id: string, invited: boolean): this {
    const conversation = this.workspace.conversations.get(id);
    if (!conversation) throw new Error(`No channel ${id}`);
    if (invited) conversation.members.add(this.workspace.identity.botUserId);
    else conversation.members.delete(this.workspace.identity.botUserId);
    return this;
  }

  setGroup(id: string, handle: string, members: string[]): this {
    this.workspace.groups.set(id, { handle, members });
    return this;
  }

  /**
   * The next `times` calls to `method` ("*": any) answer `error`; `ratelimited` answers HTTP 429
   * with `Retry-After`, `http_500` (any status) answers that HTTP error.
   */
  failNext(method: string, error: string, times = 1): void {
    this.faults.set(method, { error, times });
  }

  /** Calls to `method` ("*": any) wait `ms` first. */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Every Web API call hangs until the returned function is called. */
  hang(): () => void {
    return this.hold.hang();
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Top-level messages (not thread replies), oldest first. */
  messages(channel?: string): PostedMessage[] {
    return this.workspace.messages.filter((m) => !m.threadTs && (!channel || m.channel === channel));
  }

  replies(channel: string, ts: string): PostedMessage[] {
    return this.workspace.messages.filter((m) => m.channel === channel && m.threadTs === ts);
  }

  /** The message as people read it, one line per block. */
  render(message: Pick<PostedMessage, "blocks">): string[] {
    return renderBlocks(message.blocks, this.workspace);
  }

  /** Someone clicks a button on a posted message: the signed `block_actions` request Slack sends. */
  click(input: {
    user: Clicker;
    message: PostedMessage;
    actionId: string;
    value?: string;
  }): SignedInteraction {
    const at = this.now();
    const buttons = input.message.blocks.flatMap((b) =>
      typeof b === "object" && b !== null && "elements" in b && Array.isArray(b.elements) ? b.elements : [],
    );
    let button: unknown = buttons.find((e) => typeof e === "object" && e?.action_id === input.actionId);
    // `value` crafts a click on a button the message does not have (an older version's, another app's).
    if (input.value !== undefined) {
      button = {
        type: "button",
        action_id: input.actionId,
        text: { type: "plain_text", text: "?" },
        value: input.value,
      };
    }
    if (typeof button !== "object" || button === null) {
      throw new Error(`The message has no button ${input.actionId} (any more)`);
    }
    const action = { ...button, block_id: "actions" };
    const payload = blockActionsPayload({
      workspace: this.workspace,
      user: input.user,
      message: input.message,
      action,
      triggerId: this.workspace.mintTrigger(input.user.id, at),
      responseUrl: `${this.url}/actions/${this.calls.length}`,
      at,
    });
    return signInteraction(this.signingSecret, formBody(payload), at);
  }

  /** Someone submits a modal the app opened, having typed `values` (by block id). */
  submit(input: { user: Clicker; viewId: string; values: Record<string, string> }): SignedInteraction {
    const view = this.workspace.views.find((v) => v.id === input.viewId);
    if (!view) throw new Error(`No open view ${input.viewId}`);
    const at = this.now();
    const payload = viewSubmissionPayload({
      workspace: this.workspace,
      user: input.user,
      view,
      values: input.values,
      triggerId: this.workspace.mintTrigger(input.user.id, at),
    });
    return signInteraction(this.signingSecret, formBody(payload), at);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
