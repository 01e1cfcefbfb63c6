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

/** `?per_page=&page=` paging with GitHub's `Link` header, so Octokit's paginate follows it. */
export function page<T>(c: Context<StandInEnv>, items: T[]): T[] {
  const perPage = Math.min(Math.max(Number(c.req.query("per_page") ?? 30) || 30, 1), 100);
  const pageNo = Math.max(Number(c.req.query("page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  if (pageNo < last) {
    const url = new URL(c.req.url);
    url.searchParams.set("per_page", String(perPage));
    const at = (n: number) => {
      url.searchParams.set("page", String(n));
      return url.toString();
    };
    c.header("Link", `<${at(pageNo + 1)}>; rel="next", <${at(last)}>; rel="last"`);
  }
  return items.slice((pageNo - 1) * perPage, pageNo * perPage);
}

/** A JSON request body as an object (anything else is treated as empty). */
export async function body(c: Context<StandInEnv>): Promise<Record<string, unknown>> {
  const value: unknown = await c.req.json().catch(() => ({}));
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : {};
}
