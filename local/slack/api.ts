import type { IncomingMessage, ServerResponse } from "node:http";
import type { Hold } from "../hold.js";
import { appMethod, isOAuthPage, oauthPage, type SlackApps } from "./app-manifests.js";
import { type Args, METHOD_SCOPES, METHODS, type MethodResult } from "./methods.js";
import type { Workspace } from "./workspace.js";

export interface SlackCall {
  method: string;
  /** The arguments, without the token. */
  args: Args;
  ok: boolean;
  error?: string;
}

export interface Fault {
  error: string;
  times: number;
}

/** What the Web API side of the stand-in works on; owned by SlackStandIn. */
export interface ApiState {
  workspace: Workspace;
  botToken: string;
  now(): Date;
  calls: SlackCall[];
  responses: unknown[];
  faults: Map<string, Fault>;
  /** The bot token's scopes: by default what bot/slack/manifest.yml asks for. */
  scopes: Set<string>;
  delays: Map<string, number>;
  hold: Hold;
  /** Apps created from manifests and their installs (local/slack/app-manifests.ts). */
  apps: SlackApps;
  readonly apiUrl: string;
}

async function readArgs(req: IncomingMessage): Promise<Args> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  const text = Buffer.concat(chunks).toString("utf8");
  const query = Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams);
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    const parsed: unknown = text ? JSON.parse(text) : {};
    return typeof parsed === "object" && parsed !== null ? { ...query, ...parsed } : query;
  }
  return { ...query, ...Object.fromEntries(new URLSearchParams(text)) };
}

/**
 * One Web API request, the way Slack answers it: `POST /api/<method>`, the token as a bearer header
 * (or a `token` argument), HTTP 200 with `{ ok: false, error }` for errors, 429 when rate limited.
 * Every call is recorded without its token. `/actions/…` plays the `response_url`s handed out.
 */
export async function handleApiRequest(
  state: ApiState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const send = (status: number, body: MethodResult, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };
  try {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const args = await readArgs(req);
    if (isOAuthPage(req)) return oauthPage(state.apps, state.workspace, req.method, args, res);
    if (path.startsWith("/actions/")) {
      state.responses.push(args);
      return send(200, { ok: true });
    }
    const method = path.startsWith("/api/") ? path.slice(5) : "";
    const { token, ...rest } = args;
    const bearer =
      req.headers.authorization?.replace(/^Bearer\s+/i, "") ?? (typeof token === "string" ? token : "");
    const record = (result: MethodResult) => {
      const error = typeof result.error === "string" ? result.error : undefined;
      // oauth.v2.access carries the client secret and the code: the log keeps the client id only.
      const logged = method === "oauth.v2.access" ? { client_id: rest.client_id } : rest;
      state.calls.push({ method, args: logged, ok: result.ok, ...(error ? { error } : {}) });
      return result;
    };
    await state.hold.pass();
    const wait = state.delays.get(method) ?? state.delays.get("*");
    if (wait) await new Promise((r) => setTimeout(r, wait));
    const ctx = {
      apps: state.apps,
      workspace: state.workspace,
      botToken: state.botToken,
      apiUrl: state.apiUrl,
      now: () => state.now(),
    };
    const appResult = appMethod(method, rest, bearer, ctx);
    if (appResult) return send(200, record(appResult));
    if (!bearer) return send(200, record({ ok: false, error: "not_authed" }));
    if (bearer !== state.botToken && !state.apps.minted(bearer))
      return send(200, record({ ok: false, error: "invalid_auth" }));
    const fault = state.faults.get(method) ?? state.faults.get("*");
    if (fault && fault.times > 0) {
      fault.times -= 1;
      const result = record({ ok: false, error: fault.error });
      if (fault.error === "ratelimited") return send(429, result, { "retry-after": "1" });
      // `http_500`, `http_503`…: the HTTP error itself, as when Slack's edge has an outage.
      const status = Number(/^http_(\d{3})$/.exec(fault.error)?.[1] ?? 200);
      return send(status, result);
    }
    const impl = METHODS[method];
    if (!impl) return send(200, record({ ok: false, error: "unknown_method" }));
    const needed = METHOD_SCOPES[method];
    if (needed && !state.scopes.has(needed)) {
      // The shape Slack answers with (seen in public bug reports): what was needed, what the token has.
      const provided = [...state.scopes].join(",");
      return send(200, record({ ok: false, error: "missing_scope", needed, provided }));
    }
    send(200, record(impl(rest, state.workspace, state.now(), { scopes: state.scopes })));
  } catch (e: unknown) {
    send(500, { ok: false, error: "fatal_error", detail: e instanceof Error ? e.message : String(e) });
  }
}
