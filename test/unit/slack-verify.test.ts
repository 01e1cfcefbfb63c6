import { describe, expect, it } from "vitest";
import { verifySlackSignature } from "../../bot/slack/verify.js";
import { slackSignature } from "../support/sign.js";

// Slack's documented example ("Verifying requests from Slack"), as docs/security.md#15-every-slack-request-is-verified quotes it.
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP = "1531420618";
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const AT = new Date(Number(TIMESTAMP) * 1000);

const bytes = (text: string) => new TextEncoder().encode(text);
const sign = (body: Uint8Array, timestamp: string) => slackSignature(SECRET, body, timestamp);

describe("verifySlackSignature", () => {
  it("the tests' signer reproduces Slack's documented example", () => {
    expect(slackSignature(SECRET, BODY, TIMESTAMP)).toBe(SIGNATURE);
    expect(sign(bytes(BODY), TIMESTAMP)).toBe(SIGNATURE);
  });

  it("verifies Slack's documented example", () => {
    const check = verifySlackSignature(
      SECRET,
      { body: bytes(BODY), timestamp: TIMESTAMP, signature: SIGNATURE },
      AT,
    );

    expect(check).toEqual({ ok: true });
  });

  it.each([
    ["one character of the body changed", BODY.replace("roadrunner", "roadrunnex"), SIGNATURE, SECRET],
    ["a byte appended to the body", `${BODY}&`, SIGNATURE, SECRET],
    ["another secret", BODY, SIGNATURE, "8f742231b10e8888abcd99yyyzzz85a6"],
    ["a signature with one digit changed", BODY, SIGNATURE.replace(/3$/, "4"), SECRET],
  ])("refuses %s", (_, body, signature, secret) => {
    const check = verifySlackSignature(secret, { body: bytes(body), timestamp: TIMESTAMP, signature }, AT);

    expect(check).toEqual({ ok: false, problem: "mismatch" });
  });

  it.each([
    [-301, "stale"],
    [301, "future"],
  ])("refuses a timestamp %i s off our clock (%s), even correctly signed", (offset, problem) => {
    const timestamp = String(Number(TIMESTAMP) + offset);
    const body = bytes(BODY);

    const check = verifySlackSignature(SECRET, { body, timestamp, signature: sign(body, timestamp) }, AT);

    expect(check).toEqual({ ok: false, problem });
  });

  it.each([-300, 300])("accepts a timestamp exactly %i s off (the window is ±5 minutes)", (offset) => {
    const timestamp = String(Number(TIMESTAMP) + offset);
    const body = bytes(BODY);

    expect(verifySlackSignature(SECRET, { body, timestamp, signature: sign(body, timestamp) }, AT)).toEqual({
      ok: true,
    });
  });

  it.each([
    ["no timestamp header", undefined, SIGNATURE, "missing"],
    ["no signature header", TIMESTAMP, undefined, "missing"],
    ["empty headers", "", "", "missing"],
    ["a timestamp that is not a number", "1531420618.5", SIGNATURE, "malformed"],
    ["another signature version", TIMESTAMP, SIGNATURE.replace("v0=", "v1="), "malformed"],
    ["a truncated signature", TIMESTAMP, SIGNATURE.slice(0, -2), "malformed"],
    ["an upper-case hex signature", TIMESTAMP, SIGNATURE.toUpperCase().replace("V0=", "v0="), "malformed"],
  ])("refuses %s", (_, timestamp, signature, problem) => {
    const check = verifySlackSignature(SECRET, { body: bytes(BODY), timestamp, signature }, AT);

    expect(check).toEqual({ ok: false, problem });
  });

  it("hashes the bytes as received: a non-ASCII body verifies, and its Latin-1 re-encoding does not", () => {
    const text = 'payload={"user":{"name":"Zoë"},"text":"déployer ✅ 🚀"}';
    const utf8 = bytes(text);
    const signature = sign(utf8, TIMESTAMP);
    const latin1 = new Uint8Array(Buffer.from(text, "latin1"));

    expect(verifySlackSignature(SECRET, { body: utf8, timestamp: TIMESTAMP, signature }, AT)).toEqual({
      ok: true,
    });
    expect(verifySlackSignature(SECRET, { body: latin1, timestamp: TIMESTAMP, signature }, AT)).toEqual({
      ok: false,
      problem: "mismatch",
    });
  });
});
