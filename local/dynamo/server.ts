import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

export interface LocalDynamo {
  url: string;
  /** Requests received, by operation (X-Amz-Target), for counting reads and writes per use case. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/**
 * dynalite, a DynamoDB implementation on LevelDB (or memory), on a local port. The real SDK talks
 * to it over HTTP, so what runs here is what runs on AWS.
 */
export async function startLocalDynamo(options: { port?: number; path?: string } = {}): Promise<LocalDynamo> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  const requests = new Map<string, number>();
  server.prependListener("request", (req) => {
    const target = req.headers["x-amz-target"];
    const op = typeof target === "string" ? (target.split(".").pop() ?? target) : "unknown";
    requests.set(op, (requests.get(op) ?? 0) + 1);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
