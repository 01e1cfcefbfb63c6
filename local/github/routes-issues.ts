import { Hono } from "hono";
import { body, fail, page, repoOf, type StandInDeps, type StandInEnv } from "./context.js";

const REACTIONS = new Set(["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]);
const MAX_BODY = 65_536;

/** Issue (pull request) comments and their reactions, written as the calling app's bot user. */
export function issueRoutes(deps: StandInDeps) {
  const { state, json } = deps;
  const app = new Hono<StandInEnv>();
  const shape = (c: (typeof state.comments)[number]) =>
    json.comment(c, c.appId ? state.apps.get(c.appId) : undefined);

  app.get("/repos/:owner/:repo/issues/:n/comments", (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    return c.json(page(c, state.commentsOn(found.repo, Number(c.req.param("n")))).map(shape));
  });

  app.post("/repos/:owner/:repo/issues/:n/comments", async (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const text = (await body(c)).body;
    if (typeof text !== "string" || !text || text.length > MAX_BODY) return fail(c, 422, "Validation Failed");
    const issue = Number(c.req.param("n"));
    if (!state.pulls.some((p) => p.repo === found.repo && p.number === issue))
      return fail(c, 404, "Not Found");
    const appInfo = state.apps.get(found.caller.appId);
    const now = state.timestamp();
    const comment = {
      id: state.id(),
      repo: found.repo,
      issue,
      body: text,
      user: state.user(`${appInfo?.slug ?? "app"}[bot]`, "Bot"),
      appId: found.caller.appId,
      createdAt: now,
      updatedAt: now,
      edits: 0,
      reactions: [],
    };
    state.comments.push(comment);
    return c.json(shape(comment), 201);
  });

  app.patch("/repos/:owner/:repo/issues/comments/:id", async (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const comment = state.comments.find((k) => k.id === Number(c.req.param("id")) && k.repo === found.repo);
    if (!comment) return fail(c, 404, "Not Found");
    const text = (await body(c)).body;
    if (typeof text !== "string" || !text || text.length > MAX_BODY) return fail(c, 422, "Validation Failed");
    if (comment.appId !== found.caller.appId) return fail(c, 403, "Resource not accessible by integration");
    comment.body = text;
    comment.edits++;
    comment.updatedAt = state.timestamp();
    return c.json(shape(comment));
  });

  app.post("/repos/:owner/:repo/issues/comments/:id/reactions", async (c) => {
    const found = repoOf(c, deps);
    if (found.error) return found.error;
    const comment = state.comments.find((k) => k.id === Number(c.req.param("id")) && k.repo === found.repo);
    if (!comment) return fail(c, 404, "Not Found");
    const content = (await body(c)).content;
    if (typeof content !== "string" || !REACTIONS.has(content)) return fail(c, 422, "Validation Failed");
    const by = `${state.apps.get(found.caller.appId)?.slug ?? "app"}[bot]`;
    const existing = comment.reactions.some((r) => r.content === content && r.user === by);
    if (!existing) comment.reactions.push({ content, user: by });
    const id = state.id();
    const reaction = {
      id,
      node_id: `REA_${id}`,
      content,
      user: json.user(state.user(by, "Bot")),
      created_at: state.timestamp(),
    };
    return c.json(reaction, existing ? 200 : 201);
  });

  return app;
}
