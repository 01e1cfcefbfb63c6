import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Hold } from "../hold.js";
import type { SesAccount } from "./account.js";

interface Fault {
  status: number;
  remaining: number;
  headers: Record<string, string>;
}

// SES v2 names its errors in this header; the SDK reads the error's kind from it.
const ERROR_TYPE: Record<number, string> = {
  429: "TooManyRequestsException",
  500: "InternalFailure",
  503: "ServiceUnavailable",
};

/**
 * The SES emulator cannot fail or be slow, so the SES client talks to it through this proxy,
 * which can: delay every request, answer the next few with an error, or hang until released.
 * Everything else is passed through byte for byte.
 */
export class SesFaults {
  private readonly faults: Fault[] = [];
  private readonly hold = new Hold();
  private delayMs = 0;
  /** Requests received, and how many of them were answered with an injected error. */
  received = 0;
  failed = 0;

  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** The next `count` requests answer `status` (429 is SES's throttling) with `headers`. */
  failNext(status = 500, count = 1, headers: Record<string, string> = {}): void {
    this.faults.push({ status, remaining: count, headers });
  }

  /** Forget planned failures and the delay (the outage is over). */
  clear(): void {
    this.faults.length = 0;
    this.delayMs = 0;
  }

  /** Every request hangs until the returned function is called. */
  hang(): () => void {
    return this.hold.hang();
  }

  /** A proxy to the emulator at `target`, on a free local port. */
  async listen(target: string, account?: SesAccount): Promise<{ url: string; close(): Promise<void> }> {
    const server: Server = createServer(async (req, res) => {
      this.received++;
      await this.hold.pass();
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const fault = this.faults.find((f) => f.remaining > 0);
      if (fault) {
        fault.remaining--;
        this.failed++;
        req.resume();
        const type = ERROR_TYPE[fault.status] ?? "InternalFailure";
        res.writeHead(fault.status, {
          "content-type": "application/json",
          "x-amzn-errortype": type,
          ...fault.headers,
        });
        res.end(JSON.stringify({ message: `${type} (stand-in fault)` }));
        return;
      }
      if (account?.answer(req, res)) {
        req.resume();
        return;
      }
      const upstream = request(
        `${target}${req.url ?? "/"}`,
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
}
