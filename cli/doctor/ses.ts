// The SES side of `greenlight doctor`: the account (sending paused, the sandbox), the sender's
// identity and DKIM, and in the sandbox every recipient the policy mails (SES v2 GetAccount and
// GetEmailIdentity; the local SES answers both, local/ses/account.ts).
import { GetAccountCommand, GetEmailIdentityCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { senderAddress } from "../../lambdas/aws/ses-mailer.js";
import { type Check, clientOf, type Finding, ok, problem, REDEPLOY, skipped, warning } from "./check.js";

interface IdentityStatus {
  name: string;
  verified: boolean;
  status: string;
  dkim: string;
}

/** The identity that lets `address` be used: the address itself, or else its domain. */
async function identityFor(ses: SESv2Client, address: string): Promise<IdentityStatus | undefined> {
  const domain = address.split("@")[1] ?? address;
  let fallback: IdentityStatus | undefined;
  for (const name of address.includes("@") ? [address, domain] : [domain]) {
    try {
      const res = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: name }));
      const found = {
        name,
        verified: res.VerifiedForSendingStatus === true,
        status: res.VerificationStatus ?? "?",
        dkim: res.DkimAttributes?.Status ?? "NOT_STARTED",
      };
      if (found.verified) return found;
      fallback ??= found;
    } catch (e: unknown) {
      if (!(e instanceof Error && e.name === "NotFoundException")) throw e;
    }
  }
  return fallback;
}

const SES_CONSOLE = "SES console → Configuration → Identities";

export const sesCheck: Check = {
  id: "ses",
  title: "SES sender and recipients",
  async run(ctx) {
    const recipients = [
      ...new Set(
        ctx.policy.rules.flatMap((r) => [
          ...(r.email?.recipients ?? []),
          ...r.people.flatMap((p) => (p.email ? [p.email] : [])),
        ]),
      ),
    ].map((a) => a.toLowerCase());
    if (!ctx.policy.rules.some((r) => r.email)) return [skipped("ses", "no rule in the policy uses e-mail")];
    const ses = clientOf(ctx, "sesv2", (c) => new SESv2Client(c));
    if (!ses) return [skipped("ses", "this target has no SES endpoint")];
    const from = ctx.target.outputs.EmailFrom;
    try {
      const findings: Finding[] = [];
      const account = await ses.send(new GetAccountCommand({}));
      const sandbox = account.ProductionAccessEnabled !== true;
      if (account.SendingEnabled === false)
        findings.push(
          problem(
            "ses.account",
            `sending is paused for this account in ${ctx.target.region} (enforcement: ${account.EnforcementStatus ?? "?"})`,
            "SES console → Account dashboard: read why, fix it, and resume sending (aws sesv2 put-account-sending-attributes --sending-enabled)",
          ),
        );
      else if (sandbox)
        findings.push(
          warning(
            "ses.account",
            `the account is in the SES sandbox in ${ctx.target.region}: mail reaches verified recipients only`,
            "SES console → Account dashboard → Request production access (until then every recipient must be verified)",
          ),
        );
      else findings.push(ok("ses.account", `the account sends to anyone in ${ctx.target.region}`));

      if (!from) {
        findings.push(
          warning("ses.sender", "the stack does not say its From address (no EmailFrom output)", REDEPLOY),
        );
      } else {
        const address = senderAddress(from);
        const identity = await identityFor(ses, address);
        if (!identity?.verified)
          findings.push(
            problem(
              "ses.sender",
              identity
                ? `the sender ${address} is not verified (${identity.name}: ${identity.status}): SES refuses every e-mail`
                : `the sender ${address} is no SES identity in ${ctx.target.region}: SES refuses every e-mail`,
              `${SES_CONSOLE} → Create identity: the domain ${address.split("@")[1] ?? address} (DNS records) or the address (a link is mailed to it)`,
            ),
          );
        else {
          findings.push(
            ok("ses.sender", `the sender ${address} may send (identity ${identity.name} verified)`),
          );
          findings.push(
            identity.dkim === "SUCCESS"
              ? ok("ses.dkim", `DKIM signs mail from ${identity.name}`)
              : warning(
                  "ses.dkim",
                  `DKIM for ${identity.name} is ${identity.dkim}: mail may land in spam folders`,
                  `${SES_CONSOLE} → ${identity.name} → Authentication: publish the three DKIM CNAME records`,
                ),
          );
        }
      }
      if (sandbox) {
        for (const recipient of recipients) {
          const identity = await identityFor(ses, recipient);
          findings.push(
            identity?.verified
              ? ok(`ses.recipient:${recipient}`, `${recipient} is verified (the sandbox delivers to it)`)
              : problem(
                  `ses.recipient:${recipient}`,
                  `${recipient} is not verified: in the sandbox SES refuses mail to it`,
                  `${SES_CONSOLE} → Create identity → Email address ${recipient} (they click the link), or request production access`,
                ),
          );
        }
      }
      return findings;
    } finally {
      ses.destroy();
    }
  },
};
