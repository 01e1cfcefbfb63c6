import type { EmailMessage } from "./message.js";

/** Sends one e-mail. The SES adapter implements it on AWS and against the local inbox. */
export interface Mailer {
  send(to: string, message: EmailMessage): Promise<{ messageId: string }>;
}
