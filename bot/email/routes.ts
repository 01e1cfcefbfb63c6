import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { Actor, Approval } from "../../core/approval.js";
import { authorize, confirmationPhrase, namedActor, principalFor } from "../../core/authorize.js";
import { type DecideDeps, decide } from "../../core/decide.js";
import { AlreadyDecided, ClosedElsewhere, Expired, InvalidInput, NotAllowed } from "../../core/errors.js";
import { linkRecipient } from "../../core/links.js";
import * as z from "../../core/zod.js";
import type { AppEnv } from "../shared/hono-env.js";
import { statusOf } from "../shared/http-status.js";
import type { Log } from "../shared/log.js";
import { endedPage, NOT_VALID, resultPage } from "./outcomes.js";
import { confirmationPage, type FormState, outcomePage, PAGE_STYLE_HASH } from "./pages.js";

export interface EmailRouteDeps extends DecideDeps {
  log: Log;
}

const ID = /^[A-Za-z0-9_-]{22}$/;
const form = z.object({
  t: z.string().check(z.maxLength(100)),
  // Optional here so that a form sent without a choice (Enter in a field: see pages.ts) is
  // answered with the page and "choose", not a bare "not valid".
  verdict: z.optional(z.enum(["approve", "reject"])),
  comment: z.optional(z.string().check(z.maxLength(1000))),
  confirmation: z.optional(z.string().check(z.maxLength(40))),
});

/**
 * What the page says about the person the link decides as: their name, and, when approving would
 * be refused whatever they type (an author under `selfApproval: false`, an unlinked identity under
 * a quorum …), why, so the page offers Reject only (docs/security.md#31-no-implicit-decision).
 */
function personState(approval: Approval, actor: Actor): Pick<FormState, "decidingAs" | "cannotApprove"> {
  const decidingAs = actor.name ? `${actor.name} (${actor.id})` : actor.id;
  try {
    authorize(approval, actor, "approve", confirmationPhrase(approval));
    return { decidingAs };
  } catch (e: unknown) {
    if (!(e instanceof NotAllowed) || e.reason === "not-an-approver") return { decidingAs };
    return { decidingAs, cannotApprove: e.message };
  }
}

/** The decision form; a body that is not a readable form is a bad request, never a crash. */
async function readForm(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return undefined;
  try {
    return Object.fromEntries((await request.formData()).entries());
  } catch {
    return undefined;
  }
}

/**
 * `/a/:id`: GET/HEAD show what is waiting and never change anything (mail scanners fetch links);
 * POST, carrying the link token in its body, decides.
 */
export function emailRoutes(deps: EmailRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(
    "*",
    secureHeaders({
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: [`'${PAGE_STYLE_HASH}'`],
        imgSrc: ["data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    }),
    async (c, next) => {
      c.set("renderError", (error, status) => c.html(errorPage(error), status as 400));
      await next();
      c.header("Cache-Control", "no-store");
    },
  );

  /** The approval and the recipient this token belongs to, or nothing: unknown and wrong look alike. */
  async function lookUp(
    id: string,
    token: string,
  ): Promise<{ approval: Approval; recipient: string } | undefined> {
    if (!ID.test(id) || !token) return undefined;
    const approval = await deps.store.get(id);
    const recipient = approval && linkRecipient(approval, token);
    return approval && recipient ? { approval, recipient } : undefined;
  }

  app.get("/:id", async (c) => {
    const found = await lookUp(c.req.param("id"), c.req.query("t") ?? "");
    if (!found) return c.html(NOT_VALID(), 404);
    const { approval, recipient } = found;
    const now = deps.clock.now();
    const actor = namedActor(approval.rule, { channel: "email", id: recipient });
    const principal = principalFor(approval.rule, actor);
    if (approval.state !== "pending" || Date.parse(approval.request.expiresAt) <= now.getTime()) {
      const ended = approval.state === "pending" ? { ...approval, state: "expired" as const } : approval;
      return c.html(endedPage(ended, principal, now), approval.state === "pending" ? 410 : 200);
    }
    const confirm = confirmationPhrase(approval);
    return c.html(
      confirmationPage(approval, c.req.query("t") ?? "", now, {
        ...personState(approval, actor),
        ...(confirm ? { confirmLength: confirm.length } : {}),
      }),
    );
  });

  app.post("/:id", bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.html(NOT_VALID(), 413) }), async (c) => {
    const parsed = form.safeParse(await readForm(c.req.raw));
    if (!parsed.success)
      throw new InvalidInput("decision form", parsed.error.issues[0]?.path.join(".") ?? "", "invalid");
    const { t: token, verdict, comment, confirmation } = parsed.data;
    const found = await lookUp(c.req.param("id"), token);
    if (!found) return c.html(NOT_VALID(), 404);
    const { approval, recipient } = found;
    const actor = namedActor(approval.rule, { channel: "email", id: recipient });
    const principal = principalFor(approval.rule, actor);
    c.set("principal", principal);
    const now = deps.clock.now();
    const confirm = confirmationPhrase(approval);
    const again = (error: string, status: number, errorField?: FormState["errorField"]) =>
      c.html(
        confirmationPage(approval, token, now, {
          error,
          ...(errorField ? { errorField } : {}),
          ...personState(approval, actor),
          ...(comment ? { comment } : {}),
          ...(confirm ? { confirmLength: confirm.length } : {}),
        }),
        status as 400,
      );

    // No explicit choice, no decision: only a deliberate press of Approve or Reject decides.
    if (!verdict) return again("Nothing was decided: choose Approve or Reject.", 400);
    if (verdict === "reject" && !comment?.trim())
      return again("Please give a reason to reject.", 400, "comment");
    try {
      const result = await decide(deps, {
        approvalId: approval.id,
        current: approval,
        actor,
        verdict,
        ...(comment ? { comment } : {}),
        ...(confirmation ? { confirmation } : {}),
      });
      deps.log.info(
        { approvalId: approval.id, who: principal, channel: "email", outcome: result.outcome },
        "decision",
      );
      return c.html(resultPage(result, deps.clock.now()));
    } catch (e: unknown) {
      deps.log.warn(
        {
          approvalId: approval.id,
          who: principal,
          channel: "email",
          refused: e instanceof Error ? e.name : "error",
        },
        "decision refused",
      );
      if (e instanceof NotAllowed && e.reason !== "invalid-link")
        return again(
          e.message,
          statusOf(e),
          e.reason === "confirmation-required" ? "confirmation" : undefined,
        );
      if (e instanceof AlreadyDecided || e instanceof Expired || e instanceof ClosedElsewhere) {
        const current = (await deps.store.get(approval.id)) ?? approval;
        return c.html(endedPage(current, principal, deps.clock.now()), statusOf(e) as 409);
      }
      throw e;
    }
  });

  app.all("/:id", (c) => c.text("Method Not Allowed", 405, { Allow: "GET, HEAD, POST" }));

  function errorPage(error: unknown): string {
    if (error instanceof InvalidInput)
      return outcomePage("This request is not valid", "Open the link from your e-mail again.", "stop");
    return outcomePage("Something went wrong", "Nothing was decided. Please try again in a minute.", "stop");
  }

  return app;
}
