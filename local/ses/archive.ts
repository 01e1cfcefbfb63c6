import type { Logger } from "../../lambdas/log.js";
import { loadStateFile, writeAtomically } from "../state-file.js";
import type { InboxEmail } from "./server.js";

/**
 * The inbox between runs of the local stack: the SES emulator keeps mail in memory only, and the
 * links in it are the only way to the approvals they were sent for.
 */
export async function loadInbox(path: string, log: Logger): Promise<InboxEmail[]> {
  let emails: InboxEmail[] = [];
  await loadStateFile(
    path,
    (text) => {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) throw new Error("expected a list of e-mails");
      // Written by saveInbox from the emulator's own store: the shape is ours.
      emails = parsed as InboxEmail[];
    },
    log,
  );
  return emails;
}

export function saveInbox(path: string, emails: InboxEmail[]): Promise<void> {
  return writeAtomically(path, JSON.stringify(emails));
}
