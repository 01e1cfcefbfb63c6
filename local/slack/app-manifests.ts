/**
 * # Creating a Slack app from a manifest, and installing it, on the stand-in
 *
 * - `apps.manifest.validate` / `apps.manifest.create` (https://docs.slack.dev/reference/methods/apps.manifest.create,
 *   …/apps.manifest.validate): an app configuration token (`xoxe.xoxp-…`, "Your App Configuration
 *   Tokens" on api.slack.com/apps), never a bot token; `manifest` a JSON string. A manifest that
 *   does not fit the schema answers `invalid_manifest` with `errors: [{ message, pointer }]`
 *   (the method page, "Correcting manifests"). `create` answers `app_id`, `credentials`
 *   (`client_id`, `client_secret`, `verification_token`, `signing_secret`) and
 *   `oauth_authorize_url` (the response type in @slack/web-api, AppsManifestCreateResponse).
 * - The install: `slack.com/oauth/v2/authorize?client_id&scope&redirect_uri&state` is a page
 *   where the person allows the app; Slack then redirects to `redirect_uri?code=…&state=…`, and
 *   `oauth.v2.access` (`client_id`, `client_secret`, `code`, `redirect_uri`) trades the code for
 *   the bot token. Errors: `invalid_client_id`, `bad_client_secret`, `invalid_code`,
 *   `bad_redirect_uri` (https://docs.slack.dev/reference/methods/oauth.v2.access).
 *
 * What Slack does not document is stated where the choice is made.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Args, MethodResult } from "./methods.js";
import type { Workspace } from "./workspace.js";

/** The stand-in's app configuration token: fixed and printed in the README, as its bot token is. */
export const LOCAL_CONFIG_TOKEN = "xoxe.xoxp-1-local-greenlight-config";

const CONFIG_TOKEN_LIFETIME_MS = 12 * 60 * 60_000;

interface CreatedApp {
  appId: string;
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  verificationToken: string;
  name: string;
  scopes: string[];
  redirectUrls: string[];
}

interface Grant {
  clientId: string;
  redirectUri: string;
  used: boolean;
}

/** Apps created on the stand-in and the install codes it handed out. */
export class SlackApps {
  readonly configTokens = new Set([LOCAL_CONFIG_TOKEN]);
  /**
   * When each generated token was issued: it expires 12 hours later (`token_expired`;
   * https://api.slack.com/methods/tooling.tokens.rotate). The fixed local token never expires.
   */
  readonly issuedAt = new Map<string, Date>();
  readonly apps = new Map<string, CreatedApp>();
  readonly codes = new Map<string, Grant>();
  /** Bot tokens minted by installs (app id → token). */
  readonly installed = new Map<string, string>();

  /** "Generate Token" on api.slack.com/apps: a configuration token issued at `at`. */
  generateConfigToken(at: Date): string {
    const token = `xoxe.xoxp-1-${randomBytes(12).toString("hex")}`;
    this.configTokens.add(token);
    this.issuedAt.set(token, at);
    return token;
  }

  /** Whether `token` is a bot token one of these installs minted: Slack accepts those as its own. */
  minted(token: string): boolean {
    return [...this.installed.values()].includes(token);
  }

  byClientId(clientId: string): CreatedApp | undefined {
    return [...this.apps.values()].find((a) => a.clientId === clientId);
  }
}

export interface ManifestProblem {
  message: string;
  pointer: string;
}

const SCOPE = /^[a-z]+(?:[.:][a-z]+)*$/;
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The schema checks the stand-in makes (a subset of slackapi/manifest-schema): what Greenlight's
 * manifest relies on, with Slack's pointers. Messages are ours except the documented
 * "Interactivity requires a Request URL"; tests assert codes and pointers, not prose.
 */
export function manifestProblems(manifest: unknown): ManifestProblem[] {
  const m = obj(manifest);
  const problems: ManifestProblem[] = [];
  const name = obj(m.display_information).name;
  if (typeof name !== "string" || name.length === 0 || name.length > 35)
    problems.push({ message: "Must be 1 to 35 characters", pointer: "/display_information/name" });
  const oauth = obj(m.oauth_config);
  const bot = obj(oauth.scopes).bot;
  if (bot !== undefined && !Array.isArray(bot))
    problems.push({ message: "Must be an array of scopes", pointer: "/oauth_config/scopes/bot" });
  const scopes = Array.isArray(bot) ? bot : [];
  scopes.forEach((s, i) => {
    if (typeof s !== "string" || !SCOPE.test(s))
      problems.push({ message: "Invalid scope", pointer: `/oauth_config/scopes/bot/${i}` });
  });
  if (scopes.length > 0 && typeof obj(obj(m.features).bot_user).display_name !== "string")
    problems.push({
      message: "A bot user is required when bot scopes are requested",
      pointer: "/features/bot_user",
    });
  const redirects = oauth.redirect_urls;
  if (redirects !== undefined && !Array.isArray(redirects))
    problems.push({ message: "Must be an array of URLs", pointer: "/oauth_config/redirect_urls" });
  (Array.isArray(redirects) ? redirects : []).forEach((u, i) => {
    if (typeof u !== "string" || !URL.canParse(u))
      problems.push({ message: "Must be a valid URL", pointer: `/oauth_config/redirect_urls/${i}` });
  });
  const settings = obj(m.settings);
  const interactivity = obj(settings.interactivity);
  if (interactivity.is_enabled === true && settings.socket_mode_enabled !== true) {
    const url = interactivity.request_url;
    if (typeof url !== "string" || !URL.canParse(url))
      problems.push({ message: "Interactivity requires a Request URL", pointer: "/settings/interactivity" });
  }
  return problems;
}

const fail = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({
  ok: false,
  error,
  ...extra,
});

function readManifest(args: Args): unknown {
  if (typeof args.manifest !== "string") return args.manifest;
  try {
    return JSON.parse(args.manifest);
  } catch {
    return undefined;
  }
}

const ids = (prefix: string) => `${prefix}${randomBytes(5).toString("hex").toUpperCase()}`;

/**
 * The manifest methods, authenticated by a configuration token. A bot token is the wrong kind:
 * Slack's `not_allowed_token_type`. `oauth.v2.access` takes no token at all.
 */
export function appMethod(
  method: string,
  args: Args,
  bearer: string,
  ctx: { apps: SlackApps; workspace: Workspace; botToken: string; apiUrl: string; now: () => Date },
): MethodResult | undefined {
  if (method === "oauth.v2.access") return access(args, ctx);
  if (method !== "apps.manifest.validate" && method !== "apps.manifest.create") return undefined;
  if (!bearer) return fail("not_authed");
  if (bearer === ctx.botToken || bearer.startsWith("xoxb-")) return fail("not_allowed_token_type");
  if (!ctx.apps.configTokens.has(bearer)) return fail("invalid_auth");
  const issued = ctx.apps.issuedAt.get(bearer);
  if (issued && ctx.now().getTime() - issued.getTime() >= CONFIG_TOKEN_LIFETIME_MS)
    return fail("token_expired");
  const manifest = readManifest(args);
  if (manifest === undefined)
    return fail("invalid_manifest", { errors: [{ message: "Manifest must be valid JSON", pointer: "/" }] });
  const problems = manifestProblems(manifest);
  if (problems.length > 0) return fail("invalid_manifest", { errors: problems });
  if (method === "apps.manifest.validate") return { ok: true };
  const m = obj(manifest);
  const oauth = obj(m.oauth_config);
  const scopes = (obj(oauth.scopes).bot as string[] | undefined) ?? [];
  const app: CreatedApp = {
    appId: ids("A0"),
    clientId: `${Date.now()}.${randomBytes(6).readUIntBE(0, 6)}`,
    clientSecret: randomBytes(16).toString("hex"),
    signingSecret: randomBytes(16).toString("hex"),
    verificationToken: randomBytes(12).toString("base64url"),
    name: String(obj(m.display_information).name),
    scopes,
    redirectUrls: (oauth.redirect_urls as string[] | undefined) ?? [],
  };
  ctx.apps.apps.set(app.appId, app);
  const authorize = new URL("/oauth/v2/authorize", ctx.apiUrl);
  authorize.searchParams.set("client_id", app.clientId);
  authorize.searchParams.set("scope", scopes.join(","));
  return {
    ok: true,
    app_id: app.appId,
    credentials: {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      verification_token: app.verificationToken,
      signing_secret: app.signingSecret,
    },
    oauth_authorize_url: authorize.toString(),
    team_id: ctx.workspace.identity.teamId,
    team_domain: ctx.workspace.identity.teamDomain,
  };
}

function access(args: Args, ctx: { apps: SlackApps; workspace: Workspace }): MethodResult {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const app = ctx.apps.byClientId(str(args.client_id));
  if (!app) return fail("invalid_client_id");
  if (str(args.client_secret) !== app.clientSecret) return fail("bad_client_secret");
  const grant = ctx.apps.codes.get(str(args.code));
  // A code works once (OAuth 2.0, RFC 6749 §4.1.2); Slack names no separate error for a reused one.
  if (!grant || grant.used || grant.clientId !== app.clientId) return fail("invalid_code");
  if (str(args.redirect_uri) !== grant.redirectUri) return fail("bad_redirect_uri");
  grant.used = true;
  const token = `xoxb-${ctx.workspace.identity.teamId}-${randomBytes(12).toString("hex")}`;
  ctx.apps.installed.set(app.appId, token);
  return {
    ok: true,
    app_id: app.appId,
    authed_user: { id: "U0INSTALLR" },
    scope: app.scopes.join(","),
    token_type: "bot",
    access_token: token,
    bot_user_id: ids("U0"),
    team: { id: ctx.workspace.identity.teamId, name: ctx.workspace.identity.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  );
}

/**
 * slack.com's install page (`/oauth/v2/authorize`): GET shows what the app asks for and an Allow
 * button, POST (Allow) redirects to `redirect_uri` with a code. A `redirect_uri` must be one of
 * the app's `redirect_urls` (compared whole here; Slack also accepts sub-paths, which Greenlight
 * does not use).
 */
export function oauthPage(
  apps: SlackApps,
  workspace: Workspace,
  method: string | undefined,
  args: Args,
  res: ServerResponse,
): void {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const app = apps.byClientId(str(args.client_id));
  if (!app) {
    page(res, 400, "Invalid client_id parameter", "<p>invalid_client_id</p>");
    return;
  }
  const redirectUri = str(args.redirect_uri) || app.redirectUrls[0] || "";
  if (!app.redirectUrls.includes(redirectUri)) {
    page(res, 400, "redirect_uri did not match any configured URIs", "<p>bad_redirect_uri</p>");
    return;
  }
  const state = str(args.state);
  if (method !== "POST") {
    const hidden = (name: string, value: string) =>
      `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    page(
      res,
      200,
      `${app.name} is requesting permission to access the ${workspace.identity.teamDomain} Slack workspace`,
      `<ul>${app.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>
      <form method="post" action="/oauth/v2/authorize">${hidden("client_id", app.clientId)}${hidden("redirect_uri", redirectUri)}${hidden("state", state)}
      <button type="submit">Allow</button></form>`,
    );
    return;
  }
  const code = `${Date.now()}.${randomBytes(16).toString("hex")}`;
  apps.codes.set(code, { clientId: app.clientId, redirectUri, used: false });
  const to = new URL(redirectUri);
  to.searchParams.set("code", code);
  if (state) to.searchParams.set("state", state);
  res.writeHead(302, { location: to.toString() });
  res.end();
}

/** Requests for slack.com's web pages rather than the Web API. */
export const isOAuthPage = (req: IncomingMessage) =>
  new URL(req.url ?? "/", "http://x").pathname === "/oauth/v2/authorize";
