import type { MiddlewareHandler } from "hono";
import { problem } from "./format.js";

/** Names the local stack answers to (it listens on the loopback interface only). */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The host name of a Host header (`name[:port]`, IPv6 in brackets), lower-case, if well formed. */
function hostName(host: string): string | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  return m?.[1]?.toLowerCase();
}

/** `application/json`, parameters (`; charset=utf-8`) allowed. */
const isJson = (type: string | undefined) =>
  (type ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";

/**
 * The dashboard shows live link tokens (`/local/inbox`) and can start runs and press buttons, so
 * only pages of the dashboard itself may use it:
 *
 * - DNS rebinding: a site whose name is made to resolve to 127.0.0.1 reaches this server *as its
 *   own origin*, so the browser's same-origin rules and `Sec-Fetch-Site` do not help; the Host
 *   header still carries the attacker's name. Only loopback names are served (403).
 * - A foreign `Origin` (another site, another local port, `null` from a sandbox or a file) is
 *   refused on every request that sends one (403): the dashboard's own fetches are same-origin.
 * - POSTs (and any other method that is not a read) must be `application/json` (415): it is not a CORS-safelisted type, so another site
 *   cannot send it without a preflight, which this server never answers.
 *
 * (Fetch standard, "CORS-safelisted request-header"; OWASP DNS rebinding and CSRF guidance.)
 */
export function localOnly(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host") ?? "";
    const name = hostName(host);
    if (!name || !LOOPBACK.has(name)) {
      return c.json(
        problem(
          `the local dashboard answers only to localhost, 127.0.0.1 or [::1], not to Host "${host.slice(0, 100)}"`,
        ),
        403,
      );
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) {
      return c.json(
        problem(`requests from another site are refused (Origin "${origin.slice(0, 100)}")`),
        403,
      );
    }
    const reads = c.req.method === "GET" || c.req.method === "HEAD";
    if (!reads && !isJson(c.req.header("content-type"))) {
      return c.json(problem("POST a JSON body, with Content-Type: application/json"), 415);
    }
    await next();
    return undefined;
  };
}
