import { randomBytes, verify } from "node:crypto";
import type { GitHubState } from "./state.js";

const TOKEN_MS = 60 * 60_000;

export type Caller =
  | { kind: "app"; appId: number }
  | { kind: "installation"; installationId: number; appId: number }
  | { kind: "anonymous" };

function jsonPart(part: string | undefined): unknown {
  try {
    return JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

const field = (o: unknown, key: string): unknown =>
  typeof o === "object" && o !== null && key in o ? Reflect.get(o, key) : undefined;

/**
 * GitHub App authentication as GitHub does it: an RS256 JWT signed with the app's private key
 * (`iss` = app id, short-lived) proves the app; the JWT buys hour-long installation tokens.
 */
export class StandInAuth {
  private readonly tokens = new Map<string, { installationId: number; expiresAt: number }>();
  /** Tokens issued, for tests that check the app did authenticate (never logged anywhere). */
  issued = 0;

  constructor(private readonly state: GitHubState) {}

  private verifyJwt(jwt: string): number | undefined {
    const [head, body, sig] = jwt.split(".");
    if (field(jsonPart(head), "alg") !== "RS256" || !body || !sig) return undefined;
    const claims = jsonPart(body);
    const appId = Number(field(claims, "iss"));
    const exp = Number(field(claims, "exp"));
    const app = this.state.apps.get(appId);
    if (!app || !(exp * 1000 > Date.now())) return undefined;
    const ok = verify(
      "RSA-SHA256",
      Buffer.from(`${head}.${body}`),
      app.publicKey,
      Buffer.from(sig, "base64url"),
    );
    return ok ? appId : undefined;
  }

  /** Who is calling, from the Authorization header (`Bearer <jwt>` or `token <installation token>`). */
  caller(authorization: string | undefined): Caller {
    const [, credential = ""] = /^(?:bearer|token)\s+(\S+)$/i.exec(authorization ?? "") ?? [];
    if (credential.split(".").length === 3) {
      const appId = this.verifyJwt(credential);
      return appId === undefined ? { kind: "anonymous" } : { kind: "app", appId };
    }
    const token = this.tokens.get(credential);
    const installation =
      token && token.expiresAt > Date.now() && this.state.installations.get(token.installationId);
    return installation
      ? { kind: "installation", installationId: installation.id, appId: installation.appId }
      : { kind: "anonymous" };
  }

  issue(installationId: number): { token: string; expires_at: string } {
    const token = `ghs_${randomBytes(27).toString("base64url")}`;
    const expiresAt = Date.now() + TOKEN_MS;
    this.tokens.set(token, { installationId, expiresAt });
    this.issued++;
    return { token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, "Z") };
  }
}
