import { readFile, writeFile } from "node:fs/promises";
import type { InboxEmail } from "./server.js";

/**
 * The inbox between runs of the local stack: the SES emulator keeps mail in memory only, and the
 * links in it are the only way to the approvals they were sent for.
 */
export async function loadInbox(path: string): Promise<InboxEmail[]> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (!text) return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${path}: expected a list of e-mails`);
  // Written by saveInbox from the emulator's own store: the shape is ours.
  return parsed as InboxEmail[];
}

export function saveInbox(path: string, emails: InboxEmail[]): Promise<void> {
  return writeFile(path, JSON.stringify(emails));
}
