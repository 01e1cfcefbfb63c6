import type { Approval } from "./approval.js";
import { verifyLinkToken } from "./tokens.js";

/**
 * The recipient a link token was issued to, or undefined. Every stored hash is compared (in
 * constant time each), so the time taken does not depend on which recipient matched.
 */
export function linkRecipient(approval: Approval, token: string): string | undefined {
  let found: string | undefined;
  for (const [key, link] of Object.entries(approval.links)) {
    if (verifyLinkToken(token, link.hash) && !found) found = link.recipient ?? key;
  }
  return found;
}
