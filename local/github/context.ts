import type { Context } from "hono";
import type { Caller, StandInAuth } from "./auth.js";
import type { shapes } from "./shapes.js";
import type { GitHubState } from "./state.js";

export type StandInEnv = { Variables: { caller: Caller } };

export interface StandInDeps {
  state: GitHubState;
  auth: StandInAuth;
  json: ReturnType<typeof shapes>;
}

const DOCS = "https://docs.github.com/rest";

/** GitHub's error body: `{ message, documentation_url }`. */
export const fail = (c: Context<StandInEnv>, status: 401 | 403 | 404 | 422, message: string) =>
  c.json({ message, documentation_url: DOCS, status: String(status) }, status);

/**
 * The repository in the path, if the caller's installation can see it. Like GitHub, a repository
 * you cannot see is a 404, not a 403; no credentials at all is a 401.
 */
export function repoOf(c: Context<StandInEnv>, deps: StandInDeps) {
  const fullName = `${c.req.param("owner")}/${c.req.param("repo")}`;
  const caller = c.get("caller");
  if (caller.kind === "anonymous") return { error: fail(c, 401, "Bad credentials") };
  const repo = deps.state.repo(fullName);
  if (!repo || caller.kind !== "installation" || caller.installationId !== repo.installationId)
    return { error: fail(c, 404, "Not Found") };
  return { repo: repo.fullName, caller };
}

/**
 * GitHub's paging ("Using pagination in the REST API"): `per_page` (default 30, at most 100) and
 * `page` (from 1), and an RFC 8288 `Link` header naming the `first`, `prev`, `next` and `last`
 * pages that exist relative to this one (none when everything fits in one page).
 */
export function page<T>(c: Context<StandInEnv>, items: T[], defaultPerPage = 30): T[] {
  const asked = Number.parseInt(c.req.query("per_page") ?? "", 10);
  const perPage = Math.min(Math.max(Number.isNaN(asked) ? defaultPerPage : asked, 1), 100);
  const pageNo = Math.max(Number.parseInt(c.req.query("page") ?? "1", 10) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const url = new URL(c.req.url);
  url.searchParams.set("per_page", String(perPage));
  const at = (n: number, rel: string) => {
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(pageNo > 1 ? [at(Math.min(pageNo - 1, last), "prev")] : []),
    ...(pageNo < last ? [at(pageNo + 1, "next"), at(last, "last")] : []),
    ...(pageNo > 1 ? [at(1, "first")] : []),
  ];
  if (links.length > 0) c.header("Link", links.join(", "));
  return items.slice((pageNo - 1) * perPage, pageNo * perPage);
}

/** A JSON request body as an object (anything else is treated as empty). */
export async function body(c: Context<StandInEnv>): Promise<Record<string, unknown>> {
  const value: unknown = await c.req.json().catch(() => ({}));
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : {};
}
