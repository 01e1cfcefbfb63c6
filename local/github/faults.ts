import type { MiddlewareHandler } from "hono";
import { Hold } from "../hold.js";
import type { StandInEnv } from "./context.js";

interface Fault {
  match: RegExp;
  status: number;
  remaining: number;
  headers: Record<string, string>;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

/**
 * Failures and delays on demand, and a log of every request (method, path, status: never
 * headers or bodies), so tests can count calls and make GitHub slow or broken.
 */
export class StandInFaults {
  private readonly faults: Fault[] = [];
  private delayMs = 0;
  private readonly hold = new Hold();
  readonly requests: RequestRecord[] = [];

  /**
   * The next `count` requests whose `METHOD /path` matches answer `status` (GitHub's error body),
   * with `headers` (e.g. `retry-after` on a 429).
   */
  failNext(match: RegExp, status = 502, count = 1, headers: Record<string, string> = {}): void {
    this.faults.push({ match, status, remaining: count, headers });
  }

  /** Forget planned failures and delays (the outage is over). */
  clear(): void {
    this.faults.length = 0;
    this.delayMs = 0;
  }

  /** Every request hangs until the returned function is called. */
  hang(): () => void {
    return this.hold.hang();
  }

  /** Every request waits this long first (0 to stop). */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Requests so far whose `METHOD /path` matches. */
  count(match: RegExp): number {
    return this.requests.filter((r) => match.test(`${r.method} ${r.path}`)).length;
  }

  middleware(): MiddlewareHandler<StandInEnv> {
    return async (c, next) => {
      await this.hold.pass();
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const line = `${c.req.method} ${c.req.path}`;
      const fault = this.faults.find((f) => f.remaining > 0 && f.match.test(line));
      if (fault) {
        fault.remaining--;
        this.requests.push({ method: c.req.method, path: c.req.path, status: fault.status });
        return c.json({ message: "Server Error (stand-in fault)" }, fault.status as 500, fault.headers);
      }
      await next();
      this.requests.push({ method: c.req.method, path: c.req.path, status: c.res.status });
      return undefined;
    };
  }
}
