// The SES account the local stack sends through: its sending status, sandbox, and verified
// identities, answered as SES v2 does. aws-ses-v2-local only stores mail; it has no identities
// and answers GetAccount from an environment variable, so the proxy in front of it (faults.ts)
// answers these two operations from here instead.
//
// SES v2 API reference:
//   GetAccount        GET /v2/email/account: ProductionAccessEnabled (false: the sandbox, where
//                     mail goes only to verified identities), SendingEnabled, EnforcementStatus,
//                     SendQuota.
//   GetEmailIdentity  GET /v2/email/identities/{EmailIdentity}: IdentityType (EMAIL_ADDRESS or
//                     DOMAIN), VerifiedForSendingStatus, VerificationStatus (PENDING | SUCCESS |
//                     FAILED | TEMPORARY_FAILURE | NOT_STARTED), DkimAttributes {SigningEnabled,
//                     Status}; an identity never created answers 404 NotFoundException.
// An address may be sent from when it, or its domain, is verified ("Verified identities", SES
// developer guide).
import type { IncomingMessage, ServerResponse } from "node:http";

export type VerificationStatus = "PENDING" | "SUCCESS" | "FAILED" | "TEMPORARY_FAILURE" | "NOT_STARTED";

export interface SesIdentity {
  verification: VerificationStatus;
  /** DKIM signing status; for a domain. An address identity reports its domain's. */
  dkim?: VerificationStatus;
}

export interface SesAccountState {
  productionAccess: boolean;
  sendingEnabled: boolean;
  identities: Record<string, SesIdentity>;
}

export class SesAccount {
  productionAccess: boolean;
  sendingEnabled: boolean;
  private readonly identities = new Map<string, SesIdentity>();

  constructor(state: Partial<SesAccountState> = {}) {
    this.productionAccess = state.productionAccess ?? true;
    this.sendingEnabled = state.sendingEnabled ?? true;
    for (const [name, identity] of Object.entries(state.identities ?? {})) this.setIdentity(name, identity);
  }

  /** Create or change an identity (an address or a domain), as the SES console's verification does. */
  setIdentity(name: string, identity: SesIdentity): this {
    this.identities.set(name.toLowerCase(), identity);
    return this;
  }

  deleteIdentity(name: string): this {
    this.identities.delete(name.toLowerCase());
    return this;
  }

  /** Answers GetAccount and GetEmailIdentity; false for every other request (passed on). */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== "GET") return false;
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/v2/email/account") {
      send(res, 200, this.accountView());
      return true;
    }
    const match = /^\/v2\/email\/identities\/([^/]+)$/.exec(path);
    if (!match?.[1]) return false;
    const name = decodeURIComponent(match[1]);
    const identity = this.identities.get(name.toLowerCase());
    if (!identity) {
      send(res, 404, { message: `Email identity ${name} does not exist.` }, "NotFoundException");
      return true;
    }
    send(res, 200, this.identityView(name, identity));
    return true;
  }

  private accountView() {
    return {
      DedicatedIpAutoWarmupEnabled: false,
      EnforcementStatus: "HEALTHY",
      ProductionAccessEnabled: this.productionAccess,
      SendingEnabled: this.sendingEnabled,
      SendQuota: this.productionAccess
        ? { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 }
        : { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 },
    };
  }

  private identityView(name: string, identity: SesIdentity) {
    const isDomain = !name.includes("@");
    const domain = isDomain ? identity : this.identities.get(name.split("@")[1]?.toLowerCase() ?? "");
    const dkim = identity.dkim ?? domain?.dkim ?? "NOT_STARTED";
    return {
      IdentityType: isDomain ? "DOMAIN" : "EMAIL_ADDRESS",
      FeedbackForwardingStatus: true,
      VerifiedForSendingStatus: identity.verification === "SUCCESS",
      VerificationStatus: identity.verification,
      DkimAttributes: {
        SigningEnabled: dkim === "SUCCESS",
        Status: dkim,
        SigningAttributesOrigin: "AWS_SES",
        Tokens: [],
      },
      MailFromAttributes: { BehaviorOnMxFailure: "USE_DEFAULT_VALUE" },
      Policies: {},
      Tags: [],
    };
  }
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, {
    "content-type": "application/json",
    ...(errorType ? { "x-amzn-errortype": errorType } : {}),
  });
  res.end(JSON.stringify(body));
}
