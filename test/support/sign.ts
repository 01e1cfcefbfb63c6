import { createHmac } from "node:crypto";

/** A request body as it travels: text, or bytes that need not be UTF-8. */
export type Body = string | Uint8Array;

/** Hex HMAC-SHA256: the one place the tests compute it. Strings are hashed as UTF-8. */
const hmacHex = (secret: string, ...parts: Body[]): string => {
  const mac = createHmac("sha256", secret);
  for (const part of parts) mac.update(part);
  return mac.digest("hex");
};

/**
 * Slack's request signature ("Verifying requests from Slack"): `v0=` + hex
 * HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`), computed independently of the app.
 */
export function slackSignature(secret: string, body: Body, timestamp: string | number): string {
  return `v0=${hmacHex(secret, `v0:${timestamp}:`, body)}`;
}

/** GitHub's `X-Hub-Signature-256` ("Validating webhook deliveries"): `sha256=` + hex HMAC of the exact body. */
export function githubSignature(secret: string, body: Body): string {
  return `sha256=${hmacHex(secret, body)}`;
}
