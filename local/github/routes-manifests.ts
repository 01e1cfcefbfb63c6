/**
 * # Registering a GitHub App from a manifest, on the stand-in
 *
 * GitHub's manifest flow ("Registering a GitHub App from a manifest",
 * https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest):
 *
 * 1. a page POSTs a JSON `manifest` (and optionally `state`, in the form's query) to
 *    `github.com/settings/apps/new` or `github.com/organizations/ORG/settings/apps/new`;
 * 2. the person checks the name and presses "Create GitHub App"; GitHub registers the App and
 *    redirects to the manifest's `redirect_url` with `?code=…` (and `&state=…` when given);
 * 3. `POST /app-manifests/{code}/conversions` (api.github.com, no authentication, operation
 *    `apps/create-from-manifest`) answers 201 with the App and its `pem`, `webhook_secret`,
 *    `client_id`, `client_secret`; 404 and 422 are its documented errors. "You must complete this
 *    step of the GitHub App Manifest flow within one hour."
 *
 * `pages` are github.com's side (mounted before the API's middlewares: they are not REST
 * operations); `api` is the conversion. The App is registered when the person creates it, so the
 * stand-in accepts JWTs signed with its key from then on; the key itself is kept only until the
 * code is converted (GitHub keeps public keys, not private ones).
 */
import { createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { StandInEnv } from "./context.js";
import type { shapes } from "./shapes.js";
import type { GitHubState } from "./state.js";

/** "You must complete all three steps in the GitHub App Manifest flow within one hour." */
export const MANIFEST_CODE_MS = 60 * 60_000;

/**
 * Which permission each event GitHub Apps may subscribe to needs, for the events Greenlight and
 * its tests use ("Webhook events and payloads", Availability; docs/FACTS: "Default events are not
 * supported by permissions: issue_comment"). An event not listed here is refused as unknown.
 */
const EVENT_PERMISSION: Record<string, string> = {
  issue_comment: "issues",
  issues: "issues",
  check_run: "checks",
  check_suite: "checks",
  pull_request: "pull_requests",
  pull_request_review: "pull_requests",
  push: "contents",
  deployment: "deployments",
  deployment_status: "deployments",
};
const ACCESS = new Set(["read", "write", "admin"]);

export interface ManifestInput {
  name?: string;
  url: string;
  hook_attributes?: { url: string; active?: boolean };
  redirect_url?: string;
  description?: string;
  public?: boolean;
  default_events: string[];
  default_permissions: Record<string, string>;
}

const isUrl = (v: unknown) => typeof v === "string" && URL.canParse(v);

/** The manifest's fields as GitHub's parameter table has them, or the problems GitHub would show. */
export function readManifest(text: string): ManifestInput | string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return ["The manifest is not valid JSON"];
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return ["The manifest must be a JSON object"];
  const m = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!isUrl(m.url)) problems.push("Url is not a valid URL (url is required: the App's homepage)");
  const hook = m.hook_attributes as Record<string, unknown> | undefined;
  if (hook !== undefined && (typeof hook !== "object" || !isUrl(hook?.url)))
    problems.push("Hook url is not a valid URL (hook_attributes.url)");
  if (m.redirect_url !== undefined && !isUrl(m.redirect_url))
    problems.push("Redirect url is not a valid URL");
  const permissions = (m.default_permissions ?? {}) as Record<string, unknown>;
  if (typeof permissions !== "object" || Array.isArray(permissions))
    problems.push("default_permissions must be an object");
  for (const [name, access] of Object.entries(permissions))
    if (typeof access !== "string" || !ACCESS.has(access))
      problems.push(`Permission ${name} must be read, write or admin`);
  const events = m.default_events ?? [];
  if (!Array.isArray(events)) problems.push("default_events must be an array");
  const unsupported = (Array.isArray(events) ? events : []).filter((e) => {
    const needs = typeof e === "string" ? EVENT_PERMISSION[e] : undefined;
    return !needs || !permissions[needs];
  });
  if (unsupported.length > 0)
    problems.push(`Default events are not supported by permissions: ${unsupported.join(", ")}`);
  if (problems.length > 0) return problems;
  return {
    ...(typeof m.name === "string" ? { name: m.name } : {}),
    url: m.url as string,
    ...(hook ? { hook_attributes: { url: hook.url as string, active: hook.active !== false } } : {}),
    ...(typeof m.redirect_url === "string" ? { redirect_url: m.redirect_url } : {}),
    ...(typeof m.description === "string" ? { description: m.description } : {}),
    public: m.public === true,
    default_events: events as string[],
    default_permissions: permissions as Record<string, string>,
  };
}

/** A registered App's secrets, waiting for its code to be converted (once, within the hour). */
interface Pending {
  appId: number;
  slug: string;
  name: string;
  owner: string;
  manifest: ManifestInput;
  pem: string;
  webhookSecret: string;
  clientId: string;
  clientSecret: string;
  createdAt: number;
  converted: boolean;
}

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

export function manifestFlow(deps: {
  state: GitHubState;
  json: ReturnType<typeof shapes>;
  /** github.com's address: the stand-in's own URL (known once it listens). */
  web: () => string;
}) {
  const { state, json, web } = deps;
  const codes = new Map<string, Pending>();
  const pages = new Hono<StandInEnv>();

  const page = (title: string, body: unknown, status: 200 | 404 | 422 = 200) =>
    new Response(
      html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`.toString(),
      { status, headers: { "content-type": "text/html; charset=utf-8" } },
    );

  const newApp = async (c: Context<StandInEnv>, owner: string, action: string) => {
    const form = await c.req.parseBody();
    const text = typeof form.manifest === "string" ? form.manifest : "";
    const manifest = readManifest(text);
    if (Array.isArray(manifest))
      return page(
        "Invalid GitHub App manifest",
        html`<ul>${manifest.map((p) => html`<li class="problem">${p}</li>`)}</ul>`,
        422,
      );
    // GitHub's example puts `state` in the form's query; a `state` field is taken too.
    const given = typeof form.state === "string" ? form.state : c.req.query("state");
    return page(
      `Create GitHub App for ${owner}`,
      html`<form method="post" action="${action}">
        <label>GitHub App name <input name="name" value="${manifest.name ?? ""}" required></label>
        <input type="hidden" name="manifest" value="${text}">
        ${given !== undefined ? html`<input type="hidden" name="state" value="${given}">` : ""}
        <dl>
          <dt>Homepage URL</dt><dd>${manifest.url}</dd>
          <dt>Webhook URL</dt><dd class="hook">${manifest.hook_attributes?.url ?? "(none)"}</dd>
          <dt>Redirect URL</dt><dd>${manifest.redirect_url ?? "(none)"}</dd>
          <dt>Visibility</dt><dd>${manifest.public ? "Any account" : `Only on this account (${owner})`}</dd>
          <dt>Permissions</dt><dd><ul>${Object.entries(manifest.default_permissions).map(
            ([k, v]) => html`<li>${k}: ${v}</li>`,
          )}</ul></dd>
          <dt>Events</dt><dd><ul>${manifest.default_events.map((e) => html`<li>${e}</li>`)}</ul></dd>
        </dl>
        <button type="submit">Create GitHub App for ${owner}</button>
      </form>`,
    );
  };

  const create = async (c: Context<StandInEnv>, owner: string) => {
    const form = await c.req.parseBody();
    const manifest = readManifest(typeof form.manifest === "string" ? form.manifest : "");
    if (Array.isArray(manifest)) return page("Invalid GitHub App manifest", html`<p>${manifest[0]}</p>`, 422);
    const name = (typeof form.name === "string" ? form.name : "").trim();
    const slug = slugOf(name);
    if (!slug) return page("Name can't be blank", html`<p>Go back and name the App.</p>`, 422);
    if ([...state.apps.values()].some((a) => a.slug === slug))
      return page("Name is already in use", html`<p>Go back and choose another name.</p>`, 422);
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const appId = state.id();
    state.apps.set(appId, { id: appId, slug, publicKey: createPublicKey(publicKey) });
    state.user(owner);
    const code = randomBytes(20).toString("hex");
    codes.set(code, {
      appId,
      slug,
      name,
      owner,
      manifest,
      pem: privateKey,
      webhookSecret: randomBytes(20).toString("hex"),
      clientId: `Iv23${randomBytes(8).toString("hex")}`,
      clientSecret: randomBytes(20).toString("hex"),
      createdAt: state.now().getTime(),
      converted: false,
    });
    if (!manifest.redirect_url)
      return page(`${name} was created`, html`<p>No redirect_url was given. Code: <code>${code}</code></p>`);
    const to = new URL(manifest.redirect_url);
    to.searchParams.set("code", code);
    if (typeof form.state === "string") to.searchParams.set("state", form.state);
    return new Response(null, { status: 302, headers: { location: to.toString() } });
  };

  const blank = (owner: string) =>
    page(
      `Register new GitHub App for ${owner}`,
      html`<p>This stand-in registers Apps from a manifest only: POST a <code>manifest</code> here.</p>`,
    );

  // Hono routes HEAD to GET: these GETs only show a page.
  pages.get("/settings/apps/new", () => blank("local-admin"));
  pages.get("/organizations/:org/settings/apps/new", (c) => blank(c.req.param("org")));
  pages.post("/settings/apps/new", (c) => newApp(c, "local-admin", "/settings/apps/new/create"));
  pages.post("/organizations/:org/settings/apps/new", (c) => {
    const org = c.req.param("org");
    return newApp(c, org, `/organizations/${encodeURIComponent(org)}/settings/apps/new/create`);
  });
  pages.post("/settings/apps/new/create", (c) => create(c, "local-admin"));
  pages.post("/organizations/:org/settings/apps/new/create", (c) => create(c, c.req.param("org")));
  pages.get("/apps/:slug/installations/new", (c) => {
    const app = [...state.apps.values()].find((a) => a.slug === c.req.param("slug"));
    if (!app) return page("Not Found", html`<p>No such App.</p>`, 404);
    return page(
      `Install ${app.slug}`,
      html`<p>On the local stand-in, <code>npm start</code> installs this App on the policy's repositories when it next starts.</p>`,
    );
  });

  const api = new Hono<StandInEnv>();
  api.post("/app-manifests/:code/conversions", (c) => {
    const pending = codes.get(c.req.param("code"));
    const notFound = {
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest",
      status: "404",
    };
    // A used code is gone, as an unknown one: GitHub hands the private key out once.
    if (!pending || pending.converted) return c.json(notFound, 404);
    if (state.now().getTime() - pending.createdAt > MANIFEST_CODE_MS) {
      codes.delete(c.req.param("code"));
      return c.json(
        {
          message: "Validation Failed",
          errors: ["The code has expired: the manifest flow must be completed within one hour"],
          documentation_url: "https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest",
          status: "422",
        },
        422,
      );
    }
    pending.converted = true;
    const { pem, webhookSecret, clientId, clientSecret } = pending;
    pending.pem = "";
    const created = state.timestamp();
    return c.json(
      {
        id: pending.appId,
        slug: pending.slug,
        node_id: `A_${pending.appId}`,
        client_id: clientId,
        owner: json.user(state.user(pending.owner)),
        name: pending.name,
        description: pending.manifest.description ?? "",
        external_url: pending.manifest.url,
        html_url: `${web()}/apps/${pending.slug}`,
        created_at: created,
        updated_at: created,
        permissions: { ...pending.manifest.default_permissions },
        events: pending.manifest.default_events,
        client_secret: clientSecret,
        webhook_secret: webhookSecret,
        pem,
      },
      201,
    );
  });

  return { pages, api };
}
