import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../bot/shared/hono-env.js";
import type { Log } from "../bot/shared/log.js";
import { InvalidInput } from "../core/errors.js";
import * as z from "../core/zod.js";
import { readSecretString, type SecretReader } from "./aws/secrets.js";
import { EDGE_HEADER, ENV } from "./config-names.js";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * True when `given` equals one of `accepted`. Both sides are hashed first, so the comparison is
 * constant-time and length-safe; every candidate is compared (no early exit); empty values never match.
 */
export function matchesAny(given: string, accepted: readonly string[]): boolean {
  const g = digest(given);
  let ok = false;
  for (const value of accepted) {
    const same = timingSafeEqual(g, digest(value));
    ok = (same && value.length > 0) || ok;
  }
  return ok;
}

/**
 * Refuses, before any other work, every request that did not come through the edge: CloudFront adds
 * `x-greenlight-edge` with a secret value (a custom origin header). OAC cannot be used instead: it
 * needs `x-amz-content-sha256` on every POST, which Slack, GitHub and browsers never send
 * (CloudFront developer guide, "Restrict access to an AWS Lambda function URL origin").
 * Fails closed: a secret that cannot be read refuses too (503, so the operator sees an outage).
 */
export function originCheck(options: {
  accepted: () => Promise<readonly string[]>;
  log: Log;
  header?: string;
}): MiddlewareHandler<AppEnv> {
  const header = options.header ?? EDGE_HEADER;
  return async (c, next) => {
    const given = c.req.header(header);
    if (given === undefined) return c.text("Forbidden", 403);
    let accepted: readonly string[];
    try {
      accepted = await options.accepted();
    } catch (e: unknown) {
      options.log.error({ err: e }, "edge: the origin header's secret could not be read; request refused");
      return c.text("Service Unavailable", 503);
    }
    if (!matchesAny(given, accepted)) return c.text("Forbidden", 403);
    await next();
    return undefined;
  };
}

const secretSchema = z.object({
  current: z.string().check(z.minLength(32, "expected the current origin header value (32+ characters)")),
  previous: z.optional(z.string()),
});

/**
 * The accepted values from the edge's secret `{"current": …, "previous": …}`, re-read at most every
 * `ttlMs` (5 minutes) so a rotation reaches warm functions; a failed read is not cached.
 */
export function edgeSecretValues(
  secretArn: string,
  readSecret: SecretReader = readSecretString,
  now: () => number = Date.now,
  ttlMs = 300_000,
): () => Promise<readonly string[]> {
  let cached: { at: number; values: Promise<readonly string[]> } | undefined;
  return () => {
    if (cached && now() - cached.at < ttlMs) return cached.values;
    const values = readSecret(secretArn).then((text) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e: unknown) {
        if (e instanceof SyntaxError) throw new InvalidInput(ENV.edgeSecretArn, "", "expected a JSON secret");
        throw e;
      }
      const parsed = secretSchema.safeParse(json);
      if (!parsed.success)
        throw new InvalidInput(ENV.edgeSecretArn, "secret key current", "expected 32+ characters");
      const { current, previous } = parsed.data;
      return previous ? [current, previous] : [current];
    });
    const entry = { at: now(), values };
    cached = entry;
    values.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return values;
  };
}

/** The origin check when the edge is configured (`GREENLIGHT_EDGE_SECRET_ARN`), else nothing. */
export function originCheckFor(edgeSecretArn: string | undefined, log: Log) {
  return edgeSecretArn ? originCheck({ accepted: edgeSecretValues(edgeSecretArn), log }) : undefined;
}
