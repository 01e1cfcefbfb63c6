import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack's replay window: requests more than five minutes off our clock, either way, are refused. */
export const MAX_SKEW_SECONDS = 300;

export type SignatureProblem = "missing" | "malformed" | "stale" | "future" | "mismatch";
export type SignatureCheck = { ok: true } | { ok: false; problem: SignatureProblem };

export interface SignedRequest {
  /** The exact bytes received: never a re-serialisation of parsed JSON or form data. */
  body: Uint8Array;
  timestamp: string | undefined;
  signature: string | undefined;
}

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^v0=([0-9a-f]{64})$/;

/**
 * Slack's request signing: HMAC-SHA256 over `v0:{timestamp}:{body}` with the signing secret,
 * compared in constant time. Runs before anything parses the body. Unlike Bolt's verifier this also
 * refuses timestamps from the future, which would otherwise stretch a captured request's lifetime.
 */
export function verifySlackSignature(secret: string, request: SignedRequest, now: Date): SignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return { ok: false, problem: "missing" };
  const match = SIGNATURE.exec(signature);
  if (!TIMESTAMP.test(timestamp) || !match?.[1]) return { ok: false, problem: "malformed" };

  const skew = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (skew > MAX_SKEW_SECONDS) return { ok: false, problem: "stale" };
  if (skew < -MAX_SKEW_SECONDS) return { ok: false, problem: "future" };

  // Bytes in, bytes compared: a body with non-ASCII characters is hashed exactly as it arrived.
  const expected = createHmac("sha256", secret).update(`v0:${timestamp}:`).update(request.body).digest();
  const given = Buffer.from(match[1], "hex");
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, problem: "mismatch" };
}
