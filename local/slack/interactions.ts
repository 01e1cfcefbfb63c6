import { createHmac } from "node:crypto";
import { wireMessage } from "./methods.js";
import type { OpenedView, PostedMessage, Workspace } from "./workspace.js";

/** A request as Slack sends it to the app's interactivity URL. */
export interface SignedInteraction {
  body: string;
  headers: Record<string, string>;
}

/**
 * Slack's signing, computed here independently of the app's verifier:
 * `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`).
 */
export function signInteraction(signingSecret: string, body: string, at: Date): SignedInteraction {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = createHmac("sha256", signingSecret)
    .update(`v0:${timestamp}:${body}`, "utf8")
    .digest("hex");
  return {
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": `v0=${signature}`,
    },
  };
}

/** Interactivity payloads travel as a form with one field, `payload`, holding the JSON. */
export const formBody = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

export interface Clicker {
  id: string;
  name: string;
}

function userOf(workspace: Workspace, user: Clicker) {
  return { id: user.id, username: user.name, name: user.name, team_id: workspace.identity.teamId };
}

function common(workspace: Workspace, user: Clicker, triggerId: string) {
  const { teamId, teamDomain, appId } = workspace.identity;
  return {
    team: { id: teamId, domain: teamDomain },
    user: userOf(workspace, user),
    api_app_id: appId,
    // The deprecated verification token: Slack still sends it; apps must not rely on it.
    token: "Shh_It_Is_A_Deprecated_Verification_Token",
    trigger_id: triggerId,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** `block_actions` for a click on a button of a posted message (Slack's documented shape). */
export function blockActionsPayload(input: {
  workspace: Workspace;
  user: Clicker;
  message: PostedMessage;
  action: Record<string, unknown>;
  triggerId: string;
  responseUrl: string;
  at: Date;
}): Record<string, unknown> {
  const { workspace, message } = input;
  return {
    type: "block_actions",
    ...common(workspace, input.user, input.triggerId),
    container: { type: "message", message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    channel: { id: message.channel, name: "deploys" },
    message: wireMessage(message, workspace),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [{ ...input.action, action_ts: `${Math.floor(input.at.getTime() / 1000)}.000100` }],
  };
}

/** `view_submission` for a modal the app opened, with what the person typed into its inputs. */
export function viewSubmissionPayload(input: {
  workspace: Workspace;
  user: Clicker;
  view: OpenedView;
  values: Record<string, string>;
  triggerId: string;
}): Record<string, unknown> {
  const blocks = Array.isArray(input.view.view.blocks) ? input.view.view.blocks : [];
  const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const block of blocks) {
    if (typeof block !== "object" || block === null || !("block_id" in block) || !("element" in block))
      continue;
    const { block_id, element } = block;
    if (typeof block_id !== "string" || typeof element !== "object" || element === null) continue;
    const actionId = "action_id" in element && typeof element.action_id === "string" ? element.action_id : "";
    values[block_id] = { [actionId]: { type: "plain_text_input", value: input.values[block_id] ?? null } };
  }
  return {
    type: "view_submission",
    ...common(input.workspace, input.user, input.triggerId),
    view: { ...input.view.view, state: { values } },
    response_urls: [],
  };
}
