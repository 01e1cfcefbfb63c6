import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { approvalIdFor, hashLinkToken, mintLinkToken, verifyLinkToken } from "../../core/tokens.js";
import { aRequest } from "./builders.js";
import { FakeRandom, FixedRandom } from "./fakes.js";

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe("mintLinkToken", () => {
  it("makes a 43-character base64url token from 32 random bytes", () => {
    // Prepare
    const random = new FakeRandom(7);

    // Act
    const token = mintLinkToken(random);

    // Assess
    expect(token).toHaveLength(43);
    expect(token).toMatch(BASE64URL);
    expect(random.requests).toEqual([32]);
  });

  it("encodes exactly the bytes the Random port gave", () => {
    const value = Uint8Array.from({ length: 32 }, (_, i) => i * 8);

    const token = mintLinkToken(new FixedRandom(value));

    expect(Buffer.from(token, "base64url")).toEqual(Buffer.from(value));
  });

  it("is deterministic for a deterministic Random, and differs between draws", () => {
    const a = new FakeRandom(42);
    const b = new FakeRandom(42);

    const first = [mintLinkToken(a), mintLinkToken(a)];
    const second = [mintLinkToken(b), mintLinkToken(b)];

    expect(first).toEqual(second);
    expect(first[0]).not.toBe(first[1]);
  });

  it.each([[16], [31], [33], [0]])("refuses a Random that returns %i bytes", (n) => {
    expect(() => mintLinkToken(new FixedRandom(new Uint8Array(n)))).toThrow(/wrong number of bytes/);
  });

  it("always gives 43 base64url characters (property)", () => {
    fc.assert(
      fc.property(bytes32, (value) => {
        const token = mintLinkToken(new FixedRandom(value));
        return token.length === 43 && BASE64URL.test(token);
      }),
    );
  });
});

describe("hashLinkToken", () => {
  const token = mintLinkToken(new FakeRandom(3));

  it("is the SHA-256 of the token, base64url", () => {
    const hash = hashLinkToken(token);

    expect(hash).toBe(createHash("sha256").update(token).digest("base64url"));
    expect(hash).toHaveLength(43);
    expect(hash).not.toBe(token);
  });

  it("is stable and tells tokens apart", () => {
    const other = mintLinkToken(new FakeRandom(4));

    expect(hashLinkToken(token)).toBe(hashLinkToken(token));
    expect(hashLinkToken(other)).not.toBe(hashLinkToken(token));
  });
});

describe("verifyLinkToken", () => {
  const token = mintLinkToken(new FakeRandom(11));
  const stored = hashLinkToken(token);

  it("accepts the token whose hash is stored", () => {
    expect(verifyLinkToken(token, stored)).toBe(true);
  });

  it("refuses another token", () => {
    expect(verifyLinkToken(mintLinkToken(new FakeRandom(12)), stored)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["one character short", token.slice(0, 42)],
    ["one character long", `${token}A`],
    ["padded", `${token}=`],
    ["twice", token + token],
    ["much longer", "A".repeat(10_000)],
    ["the stored hash itself", stored],
    ["with a space", ` ${token}`],
  ])("refuses a candidate that is %s", (_label, candidate) => {
    expect(verifyLinkToken(candidate, stored)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["not base64", "!!!!"],
    ["too short", stored.slice(0, 20)],
    ["too long", `${stored}AAAA`],
    ["hex, not base64url", createHash("sha256").update(token).digest("hex")],
    ["the token itself", token],
  ])("refuses when the stored hash is %s", (_label, hash) => {
    expect(verifyLinkToken(token, hash)).toBe(false);
  });

  it("refuses a candidate that is not token-shaped even when its hash matches", () => {
    // Only minted tokens are valid links, whatever ended up hashed.
    const odd = "not a token";

    expect(verifyLinkToken(odd, hashLinkToken(odd))).toBe(false);
  });

  it("refuses any single-character change (property)", () => {
    fc.assert(
      fc.property(
        bytes32,
        fc.nat({ max: 42 }),
        fc.integer({ min: 1, max: ALPHABET.length - 1 }),
        (value, index, shift) => {
          const minted = mintLinkToken(new FixedRandom(value));
          const original = minted.charAt(index);
          const replacement = ALPHABET.charAt((ALPHABET.indexOf(original) + shift) % ALPHABET.length);
          const changed = minted.slice(0, index) + replacement + minted.slice(index + 1);

          return (
            verifyLinkToken(minted, hashLinkToken(minted)) && !verifyLinkToken(changed, hashLinkToken(minted))
          );
        },
      ),
    );
  });

  it("refuses anything but the minted token (property)", () => {
    fc.assert(
      fc.property(bytes32, fc.string({ unit: "binary", maxLength: 100 }), (value, candidate) => {
        const minted = mintLinkToken(new FixedRandom(value));
        fc.pre(candidate !== minted);
        return !verifyLinkToken(candidate, hashLinkToken(minted));
      }),
    );
  });
});

describe("approvalIdFor", () => {
  const request = aRequest();

  it("is 128 bits of SHA-256 over pipeline/stage/action/token, base64url", () => {
    const expected = createHash("sha256")
      .update("shop-web/Approve/StakeholderApproval/3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d")
      .digest()
      .subarray(0, 16)
      .toString("base64url");

    const id = approvalIdFor(request);

    expect(id).toBe(expected);
    expect(id).toHaveLength(22);
  });

  it("is the same for a redelivered notification", () => {
    expect(approvalIdFor({ ...request })).toBe(approvalIdFor(request));
  });

  it.each([
    ["pipeline", { pipeline: "shop-api" }],
    ["stage", { stage: "Approve2" }],
    ["action", { action: "OtherApproval" }],
    ["token", { token: "00000000-9a4d-4e7b-8c21-5d6f7a8b9c0d" }],
  ])("changes when the %s changes", (_label, change) => {
    expect(approvalIdFor({ ...request, ...change })).not.toBe(approvalIdFor(request));
  });

  it("ignores fields outside the action's identity", () => {
    expect(approvalIdFor(aRequest({ expiresAt: "2027-01-01T00:00:00.000Z", region: "eu-west-1" }))).toBe(
      approvalIdFor(request),
    );
  });
});
