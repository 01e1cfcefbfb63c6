import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SKEW_SECONDS, type SignedRequest, verifySlackSignature } from "../../bot/slack/verify.js";
import { slackSignature } from "../support/sign.js";

/**
 * Properties of Slack's request verification over arbitrary input: it never throws, it accepts
 * every request signed the way Slack signs, and any single-byte change to the body, the timestamp
 * or the signature is refused. Deterministic: fixed seeds.
 */
const NOW = new Date("2026-11-30T12:00:00Z");
const NOW_S = Math.floor(NOW.getTime() / 1000);
const RUNS = { numRuns: 300, seed: 20261130 };

const secret = fc.string({ minLength: 1, maxLength: 64 });
const body = fc.uint8Array({ maxLength: 2048 });
const inWindow = fc.integer({ min: -MAX_SKEW_SECONDS, max: MAX_SKEW_SECONDS }).map((d) => String(NOW_S + d));
const signed = fc
  .record({ secret, body, timestamp: inWindow })
  .map(({ secret, body, timestamp }): { secret: string; request: SignedRequest } => ({
    secret,
    request: { body, timestamp, signature: slackSignature(secret, body, timestamp) },
  }));

/** The string with the character at `at` replaced by a different one from `alphabet`. */
function changeOneChar(s: string, at: number, pick: number, alphabet: string): string {
  const i = at % s.length;
  const choices = [...alphabet].filter((c) => c !== s[i]);
  return `${s.slice(0, i)}${choices[pick % choices.length]}${s.slice(i + 1)}`;
}
const PRINTABLE = "0123456789abcdefABCDEFv=:x -";

describe("verifySlackSignature: properties", () => {
  it("never throws, whatever arrives", () => {
    const maybe = fc.option(fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^v0=[0-9a-f]{0,70}$/)));
    fc.assert(
      fc.property(secret, body, maybe, maybe, fc.date({ noInvalidDate: true }), (s, b, ts, sig, now) => {
        const check = verifySlackSignature(
          s,
          { body: b, timestamp: ts ?? undefined, signature: sig ?? undefined },
          now,
        );
        expect(typeof check.ok).toBe("boolean");
      }),
      RUNS,
    );
  });

  it("accepts every request signed as Slack signs, within the replay window", () => {
    fc.assert(
      fc.property(signed, ({ secret, request }) => {
        expect(verifySlackSignature(secret, request, NOW)).toEqual({ ok: true });
      }),
      RUNS,
    );
  });

  it("refuses any single-byte change to the body", () => {
    const changed = signed.filter(({ request }) => request.body.length > 0);
    fc.assert(
      fc.property(changed, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ secret, request }, at, delta) => {
        const tampered = Uint8Array.from(request.body);
        const i = at % tampered.length;
        tampered[i] = ((tampered[i] ?? 0) + delta) % 256;
        expect(verifySlackSignature(secret, { ...request, body: tampered }, NOW).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it("refuses any single-character change to the timestamp or the signature", () => {
    const field = fc.constantFrom("timestamp", "signature" as const);
    fc.assert(
      fc.property(signed, field, fc.nat(), fc.nat(), ({ secret, request }, which, at, pick) => {
        const value = request[which] ?? "";
        const tampered = { ...request, [which]: changeOneChar(value, at, pick, PRINTABLE) };
        expect(verifySlackSignature(secret, tampered, NOW).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it("refuses a correct signature made with another secret", () => {
    fc.assert(
      fc.property(signed, secret, ({ secret: right, request }, wrong) => {
        fc.pre(wrong !== right);
        expect(verifySlackSignature(wrong, request, NOW)).toEqual({ ok: false, problem: "mismatch" });
      }),
      RUNS,
    );
  });
});
