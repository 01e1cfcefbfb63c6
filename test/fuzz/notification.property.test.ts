import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../core/errors.js";
import { parseApprovalMessage, parseApprovalNotification, snsMessages } from "../../core/notification.js";
import { approvalMessage, snsEvent } from "../../local/codepipeline/notification.js";

/**
 * Properties of the approval-notification parser, the edge where CodePipeline's SNS message
 * enters: nothing it is given makes it throw anything but the typed InvalidInput; every message
 * CodePipeline could send is read back field for field; and whatever it returns after a message
 * was corrupted still satisfies the contract the rest of the code trusts.
 */
const RUNS = { numRuns: 300, seed: 20261130 };
const NAME = /^[A-Za-z0-9.@\-_]{1,100}$/;
const TOKEN = /^[a-fA-F0-9]{8}(-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$/;

/** Only InvalidInput may escape; returns the request when there was one. */
function parseOrRefuse(parse: () => ReturnType<typeof parseApprovalMessage>) {
  try {
    return parse();
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(InvalidInput);
    return undefined;
  }
}

const name = fc.stringMatching(NAME);
const notification = fc.record({
  region: fc.constantFrom("us-east-1", "eu-central-1", "ap-southeast-2", "us-gov-west-1"),
  pipeline: name,
  stage: name,
  action: name,
  token: fc.uuid(),
  // CodePipeline's expiry has minute precision.
  expiresAt: fc
    .integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2099, 0, 1) / 60_000 })
    .map((m) => new Date(m * 60_000)),
  externalEntityLink: fc.option(fc.webUrl({ validSchemes: ["https"] }), { nil: undefined }),
  customData: fc.option(fc.string({ maxLength: 1000 }), { nil: undefined }),
});

describe("approval notification parser: properties", () => {
  it("throws nothing but InvalidInput, whatever it is given", () => {
    const anything = fc.oneof(fc.anything(), fc.json(), fc.string(), fc.constant(null));
    fc.assert(
      fc.property(anything, (input) => {
        parseOrRefuse(() => parseApprovalNotification(input));
        try {
          snsMessages(input);
        } catch (e: unknown) {
          expect(e).toBeInstanceOf(InvalidInput);
        }
      }),
      RUNS,
    );
  });

  it("reads back every message CodePipeline could send, field for field, as text or in an SNS event", () => {
    fc.assert(
      fc.property(notification, (n) => {
        const fromText = parseApprovalMessage(approvalMessage(n));
        const fromEvent = parseApprovalNotification(snsEvent(n));

        expect(fromEvent).toEqual(fromText);
        expect(fromText).toMatchObject({
          region: n.region,
          pipeline: n.pipeline,
          stage: n.stage,
          action: n.action,
          token: n.token,
          expiresAt: n.expiresAt.toISOString(),
        });
        expect(fromText.customData).toBe(n.customData || undefined);
      }),
      RUNS,
    );
  });

  it("after any single-byte change, either refuses or returns a request that still keeps the contract", () => {
    fc.assert(
      fc.property(notification, fc.nat(), fc.integer({ min: 1, max: 255 }), (n, at, delta) => {
        const bytes = Buffer.from(approvalMessage(n), "utf8");
        const i = at % bytes.length;
        bytes[i] = ((bytes[i] ?? 0) + delta) % 256;
        const request = parseOrRefuse(() => parseApprovalMessage(bytes.toString("utf8")));
        if (!request) return;
        for (const field of [request.pipeline, request.stage, request.action]) expect(field).toMatch(NAME);
        expect(request.token).toMatch(TOKEN);
        expect(Number.isNaN(Date.parse(request.expiresAt))).toBe(false);
        expect((request.customData ?? "").length).toBeLessThanOrEqual(1000);
      }),
      RUNS,
    );
  });
});
