import type { WebClient } from "@slack/web-api";
import type { Clock } from "../../core/ports.js";
import * as z from "../../core/zod.js";
import type { Log } from "../shared/log.js";
import { permanentError, reportPermanent } from "./problems.js";

/** The part of `users.info`'s answer we read: `user.profile.email`, when Slack gives it. */
const userInfo = z.looseObject({
  user: z.optional(
    z.looseObject({
      profile: z.optional(z.looseObject({ email: z.optional(z.string().check(z.maxLength(320))) })),
    }),
  ),
});

type Lookup = Promise<string | undefined>;

/**
 * Slack users' profile e-mail addresses, from `users.info` (`user.profile.email`), so a person is
 * recognised across channels. Slack includes the field only when the app has `users:read.email`
 * (besides `users:read`, which the method itself needs), and only when the person set one
 * (docs.slack.dev/reference/methods/users.info, "Email addresses"). Cached per container for a few
 * minutes (the method is Tier 4, but a click must stay inside Slack's 3 s). A failed or slow look-up
 * gives `undefined`: rejecting must never wait on it; what an unknown identity may do is core's call.
 */
export class ProfileEmails {
  private readonly cache = new Map<string, { at: number; email: Lookup }>();

  constructor(private readonly options: { clock: Clock; log: Log; ttlMs?: number; timeoutMs?: number }) {}

  email(client: WebClient, user: string): Lookup {
    const now = this.options.clock.now().getTime();
    const hit = this.cache.get(user);
    if (hit && now - hit.at < (this.options.ttlMs ?? 5 * 60_000)) return hit.email;
    const email = this.lookUp(client, user);
    this.cache.set(user, { at: now, email });
    return email;
  }

  private async lookUp(client: WebClient, user: string): Lookup {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), this.options.timeoutMs ?? 1_000);
      timer.unref?.();
    });
    try {
      const answer = await Promise.race([client.users.info({ user }), late]);
      if (answer === "late") {
        this.forget(user);
        this.options.log.warn({ channel: "slack", method: "users.info" }, "slack: profile look-up too slow");
        return undefined;
      }
      const parsed = userInfo.safeParse(answer);
      return parsed.success ? parsed.data.user?.profile?.email : undefined;
    } catch (e: unknown) {
      const problem = permanentError(e);
      // A permanent refusal (missing_scope…) stays cached for the TTL: one line per TTL, not per click.
      if (problem)
        reportPermanent(this.options.log, problem, { method: "users.info" }, this.options.clock.now());
      else {
        this.forget(user);
        this.options.log.warn(
          { channel: "slack", method: "users.info", error: e instanceof Error ? e.message : String(e) },
          "slack: profile look-up failed",
        );
      }
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private forget(user: string): void {
    this.cache.delete(user);
  }
}
