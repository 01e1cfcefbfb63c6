import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { Mailer } from "../../bot/email/mailer.js";
import type { EmailMessage } from "../../bot/email/message.js";
import { neutralLine } from "../../core/untrusted.js";

/** The address of a From value: `Greenlight <a@acme.io>` → `a@acme.io` (what SES verifies). */
export function senderAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

/** Mailer on SES v2 `SendEmail` (simple content: subject, HTML and text parts). */
export class SesMailer implements Mailer {
  constructor(
    private readonly from: string,
    private readonly client: SESv2Client = new SESv2Client({}),
    private readonly configurationSet?: string,
  ) {}

  async send(to: string, message: EmailMessage): Promise<{ messageId: string }> {
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            // Whoever built the message, a subject never carries CR/LF into the header.
            Subject: { Data: neutralLine(message.subject), Charset: "UTF-8" },
            Body: {
              Html: { Data: message.html, Charset: "UTF-8" },
              Text: { Data: message.text, Charset: "UTF-8" },
            },
          },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    return { messageId: out.MessageId ?? "" };
  }
}
