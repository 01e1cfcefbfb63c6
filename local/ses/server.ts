import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import sesModule from "aws-ses-v2-local";
import { SesAccount, type SesAccountState } from "./account.js";
import { SesFaults } from "./faults.js";

export interface InboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

export interface LocalSes {
  /** Where the SES client sends: the fault proxy in front of the emulator. */
  url: string;
  /** Delays, errors and hangs on demand (the emulator itself always answers at once). */
  faults: SesFaults;
  /** The account's sandbox status and verified identities (GetAccount, GetEmailIdentity). */
  account: SesAccount;
  /** Everything the emulator received, oldest first (its `GET /store`). */
  emails(): Promise<InboxEmail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface LocalSesOptions {
  port?: number;
  /** E-mails kept from an earlier run of the local stack, listed before the new ones. */
  archive?: InboxEmail[];
  /** The account as SES would report it; production access and no identities by default. */
  account?: Partial<SesAccountState>;
}

// The package's default export is the function under plain Node and `{ default }` under vitest.
type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

function serverFactory(): StartServer {
  const m: unknown = sesModule;
  if (typeof m === "function") return m as StartServer;
  if (m && typeof m === "object" && "default" in m && typeof m.default === "function") {
    return m.default as StartServer;
  }
  throw new Error("aws-ses-v2-local: unexpected module shape");
}

/**
 * aws-ses-v2-local, the SES v1/v2 emulator, on a local port: the real SES adapter sends to it,
 * tests and the dashboard read what arrived. Its store lives in the process (one inbox per process).
 */
export async function startLocalSes(options: LocalSesOptions = {}): Promise<LocalSes> {
  let archive = options.archive ?? [];
  const server = await serverFactory()({ host: "127.0.0.1", port: options.port ?? 0 });
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const faults = new SesFaults();
  const account = new SesAccount(options.account);
  const proxy = await faults.listen(url, account);
  return {
    url: proxy.url,
    faults,
    account,
    async emails() {
      const res = await fetch(`${url}/store`);
      const body = (await res.json()) as { emails: InboxEmail[] };
      return [...archive, ...body.emails];
    },
    async clear() {
      archive = [];
      await fetch(`${url}/clear-store`, { method: "POST" });
    },
    async close() {
      await proxy.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
