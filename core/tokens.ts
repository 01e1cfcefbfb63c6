import { createHash, timingSafeEqual } from "node:crypto";
import type { Random } from "./ports.js";

const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A link token: 32 bytes from the CSPRNG, base64url (43 characters). */
export function mintLinkToken(random: Random): string {
  const bytes = random.bytes(TOKEN_BYTES);
  if (bytes.length !== TOKEN_BYTES) throw new Error("Random port returned the wrong number of bytes");
  return Buffer.from(bytes).toString("base64url");
}

/** SHA-256 of a token, base64url: the only form a token is stored in. */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/**
 * Constant-time and length-safe: both sides are compared as fixed-length SHA-256 digests, so
 * neither the content nor the length of the candidate leaks through timing.
 */
export function verifyLinkToken(candidate: string, storedHash: string): boolean {
  const a = createHash("sha256").update(candidate, "utf8").digest();
  const b = Buffer.from(storedHash, "base64url");
  if (b.length !== a.length) return false;
  return timingSafeEqual(a, b) && TOKEN_SHAPE.test(candidate);
}

/** Derived from the CodePipeline token, so a redelivered notification maps to the same approval. */
export function approvalIdFor(request: {
  pipeline: string;
  stage: string;
  action: string;
  token: string;
}): string {
  const digest = createHash("sha256")
    .update([request.pipeline, request.stage, request.action, request.token].join("/"))
    .digest();
  return digest.subarray(0, 16).toString("base64url");
}
