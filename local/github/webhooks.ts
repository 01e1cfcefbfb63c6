import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import type { WebhookEventName } from "@octokit/webhooks-types";
import type { Comment } from "./state.js";

// The package's main is a JSON file; require() reads it on Node and under vitest alike.
const definitions: WebhookDefinition[] = createRequire(import.meta.url)("@octokit/webhooks-examples");

/** `sha256=<hex HMAC-SHA256 of the exact body>`, as GitHub signs deliveries. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export interface Delivery {
  id: string;
  event: string;
  body: string;
  headers: Record<string, string>;
}

/** A delivery as GitHub sends it: the JSON body and its event, delivery and signature headers. */
export function delivery(
  event: string,
  payload: unknown,
  secret: string,
  id: string = randomUUID(),
): Delivery {
  const body = JSON.stringify(payload);
  return {
    id,
    event,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/stand-in",
      "x-github-delivery": id,
      "x-github-event": event,
      "x-hub-signature-256": signWebhook(secret, body),
    },
  };
}

/** POST a delivery to a running router (the dashboard does this; tests may use `app.request`). */
export function send(url: string, d: Delivery): Promise<Response> {
  return fetch(url, { method: "POST", headers: d.headers, body: d.body });
}

function example<N extends WebhookEventName>(event: N, action: string) {
  const definition = definitions.find((d): d is WebhookDefinition<N> => d.name === event);
  const found = definition?.examples.find((x) => "action" in x && x.action === action);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event}.${action}`);
  return structuredClone(found);
}

/** The example's repository renamed: its owner keeps every field GitHub's user schema requires. */
const repository = (base: { owner: object }, fullName: string) => {
  const [owner = "", name = ""] = fullName.split("/");
  return { name, full_name: fullName, owner: { ...base.owner, login: owner, type: "Organization" } };
};

const person = (login: string, type = login.endsWith("[bot]") ? "Bot" : "User", id = 1) => ({
  login,
  id,
  type,
});

/** GitHub's reaction counts on a comment or issue (`reactions` is required in current payloads). */
const noReactions = (url: string) => ({
  url: `${url}/reactions`,
  total_count: 0,
  "+1": 0,
  "-1": 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
});

/** `issue_comment.created` on a pull request, from GitHub's recorded example with our values. */
export function issueCommentPayload(input: { comment: Comment; installationId: number; merged?: boolean }) {
  const base = example("issue_comment", "created");
  const c = input.comment;
  const api = `https://api.github.com/repos/${c.repo}`;
  // The recorded example predates fields GitHub's webhook schema now requires: they are added here.
  return {
    ...base,
    comment: {
      ...base.comment,
      id: c.id,
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      url: `${api}/issues/comments/${c.id}`,
      html_url: `https://github.com/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${api}/issues/${c.issue}`,
      user: { ...base.comment.user, ...person(c.user.login, c.user.type, c.user.id) },
      performed_via_github_app: null,
      reactions: noReactions(`${api}/issues/comments/${c.id}`),
    },
    issue: {
      ...base.issue,
      number: c.issue,
      labels: [],
      active_lock_reason: null,
      reactions: noReactions(`${api}/issues/${c.issue}`),
      pull_request: {
        url: `https://api.github.com/repos/${c.repo}/pulls/${c.issue}`,
        html_url: `https://github.com/${c.repo}/pull/${c.issue}`,
        merged_at: input.merged ? "2026-11-29T20:05:00Z" : null,
      },
    },
    repository: { ...base.repository, ...repository(base.repository, c.repo) },
    sender: { ...base.sender, ...person(c.user.login, c.user.type, c.user.id) },
    installation: { id: input.installationId, node_id: `I_${input.installationId}` },
  };
}

/** `check_run.requested_action` (a button pressed), from GitHub's recorded example with our values. */
export function checkRunActionPayload(input: {
  repo: string;
  checkRunId: number;
  headSha: string;
  externalId: string;
  appId: number;
  identifier: string;
  sender: string;
  installationId: number;
}) {
  const base = example("check_run", "requested_action");
  return {
    ...base,
    check_run: {
      ...base.check_run,
      id: input.checkRunId,
      head_sha: input.headSha,
      external_id: input.externalId,
      app: { ...base.check_run.app, id: input.appId },
    },
    requested_action: { identifier: input.identifier },
    repository: { ...base.repository, ...repository(base.repository, input.repo) },
    sender: { ...base.sender, ...person(input.sender) },
    installation: { id: input.installationId, node_id: `I_${input.installationId}` },
  };
}

/** The recorded check_run.requested_action example untouched: another app's check run. */
export const foreignCheckRunActionPayload = () => example("check_run", "requested_action");
