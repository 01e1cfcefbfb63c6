import { describe, expect, it } from "vitest";
import { DomainError, InvalidInput } from "../../core/errors.js";
import { parseApprovalMessage, parseApprovalNotification, snsMessages } from "../../core/notification.js";
import { fixture } from "./builders.js";

interface Message {
  region: unknown;
  consoleLink?: unknown;
  approval: Record<string, unknown>;
}

/** A fresh copy of the recorded notification, to bend one field at a time. */
function message(): Message {
  return fixture("codepipeline-approval-message.json") as Message;
}

function withApproval(field: string, value: unknown): Message {
  const m = message();
  if (value === undefined) delete m.approval[field];
  else m.approval[field] = value;
  return m;
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e: unknown) {
    return e;
  }
  throw new Error("expected an error");
}

const FIXTURE_REQUEST = {
  region: "us-east-2",
  pipeline: "shop-web",
  stage: "Approve",
  action: "StakeholderApproval",
  token: "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d",
  expiresAt: "2026-12-06T20:22:00.000Z",
  consoleLink: "https://console.aws.amazon.com/codepipeline/home?region=us-east-2#/view/shop-web",
  externalLink: "https://staging.shop.example.com",
  customData: "Review the staging site and approve or reject the release.",
};

describe("parseApprovalMessage", () => {
  it("parses the recorded CodePipeline notification", () => {
    // Prepare
    const input = fixture("codepipeline-approval-message.json");

    // Act
    const request = parseApprovalMessage(input);

    // Assess
    expect(request).toEqual(FIXTURE_REQUEST);
  });

  it("parses the notification as JSON text, the way SNS delivers it", () => {
    const text = JSON.stringify(fixture("codepipeline-approval-message.json"));

    const request = parseApprovalMessage(text);

    expect(request).toEqual(FIXTURE_REQUEST);
  });

  it("turns the minute-precision expiry into a full ISO instant", () => {
    const input = withApproval("expires", "2026-12-06T20:22Z");

    const request = parseApprovalMessage(input);

    expect(request.expiresAt).toBe("2026-12-06T20:22:00.000Z");
  });

  it.each([
    ["2026-12-06T20:22:15Z", "2026-12-06T20:22:15.000Z"],
    ["2026-12-06T20:22:15.250Z", "2026-12-06T20:22:15.250Z"],
    ["2024-02-29T00:00Z", "2024-02-29T00:00:00.000Z"],
  ])("tolerates seconds and fractions: %s", (expires, expected) => {
    const input = withApproval("expires", expires);

    const request = parseApprovalMessage(input);

    expect(request.expiresAt).toBe(expected);
  });

  it("leaves out optional links and custom data that are absent or null", () => {
    const input = message();
    delete input.consoleLink;
    input.approval.externalEntityLink = null;
    input.approval.approvalReviewLink = null;
    input.approval.customData = null;

    const request = parseApprovalMessage(input);

    expect(request).toEqual({
      region: "us-east-2",
      pipeline: "shop-web",
      stage: "Approve",
      action: "StakeholderApproval",
      token: "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d",
      expiresAt: "2026-12-06T20:22:00.000Z",
    });
    expect(Object.keys(request)).not.toContain("externalLink");
  });

  it("never exposes the review link, which carries the CodePipeline token", () => {
    const request = parseApprovalMessage(message());

    expect(JSON.stringify(request)).not.toContain("approve/3f2b6c1e");
  });

  it.each([["us-gov-west-1"], ["ap-southeast-2"], ["eu-central-1"]])("accepts the region %s", (region) => {
    const input = { ...message(), region };

    expect(parseApprovalMessage(input).region).toBe(region);
  });

  it("accepts every character CodePipeline allows in names, and upper-case tokens", () => {
    const input = message();
    input.approval.pipelineName = "shop.web@v2_blue-green";
    input.approval.token = "3F2B6C1E-9A4D-4E7B-8C21-5D6F7A8B9C0D";

    const request = parseApprovalMessage(input);

    expect(request.pipeline).toBe("shop.web@v2_blue-green");
    expect(request.token).toBe("3F2B6C1E-9A4D-4E7B-8C21-5D6F7A8B9C0D");
  });

  describe("degrades optional fields instead of dropping the approval (issue 13 item 2)", () => {
    it("keeps custom data of 1000 characters, CodePipeline's own limit (ActionConfigurationValue)", () => {
      const input = withApproval("customData", "x".repeat(1000));

      const request = parseApprovalMessage(input);

      expect(request.customData).toHaveLength(1000);
      expect(request.token).toBe(FIXTURE_REQUEST.token);
    });

    it("keeps a link typed without a scheme, marked as text so no channel links it", () => {
      const input = withApproval("externalEntityLink", "staging.shop.example.com/checkout");

      const request = parseApprovalMessage(input);

      expect(request.externalLink).toBe("staging.shop.example.com/checkout");
      expect(request.externalLinkIsText).toBe(true);
    });

    it("does not mark an http(s) link as text", () => {
      const request = parseApprovalMessage(message());

      expect(request.externalLink).toBe("https://staging.shop.example.com");
      expect(request).not.toHaveProperty("externalLinkIsText");
    });

    it("keeps a javascript: link as inert text", () => {
      const request = parseApprovalMessage(withApproval("externalEntityLink", "javascript:alert(1)"));

      expect(request).toMatchObject({ externalLink: "javascript:alert(1)", externalLinkIsText: true });
    });

    it("cuts text longer than CodePipeline allows at 1000 characters, keeping the approval", () => {
      const input = withApproval("customData", "y".repeat(5000));

      const request = parseApprovalMessage(input);

      expect(request.customData).toHaveLength(1000);
      expect(request.customData?.endsWith("…")).toBe(true);
    });

    it.each<[string, () => Message, Partial<Record<string, unknown>>]>([
      ["custom data as an object", () => withApproval("customData", { a: 1 }), { customData: undefined }],
      ["a review link that is not a URL", () => withApproval("approvalReviewLink", "see the console"), {}],
      [
        "a console link that is not http(s)",
        () => ({ ...message(), consoleLink: "ftp://x" }),
        { consoleLink: undefined },
      ],
      ["a region CodePipeline would not send", () => ({ ...message(), region: "Ohio" }), { region: "Ohio" }],
      ["a region of the wrong type", () => ({ ...message(), region: 2 }), { region: "" }],
      [
        "an external link of the wrong type",
        () => withApproval("externalEntityLink", 7),
        { externalLink: undefined },
      ],
    ])("opens with %s", (_label, input, expected) => {
      const request = parseApprovalMessage(input());

      expect(request).toMatchObject({ pipeline: "shop-web", token: FIXTURE_REQUEST.token });
      for (const [key, value] of Object.entries(expected)) {
        if (value === undefined) expect(request).not.toHaveProperty(key);
        else expect(request).toHaveProperty(key, value);
      }
    });
  });

  describe("refuses only what PutApprovalResult needs, with InvalidInput naming the field", () => {
    const cases: Array<[string, () => unknown, string]> = [
      ["missing approval", () => ({ region: "us-east-2" }), "approval"],
      ["pipeline with a space", () => withApproval("pipelineName", "shop web"), "approval.pipelineName"],
      ["empty pipeline", () => withApproval("pipelineName", ""), "approval.pipelineName"],
      ["pipeline of 101", () => withApproval("pipelineName", "p".repeat(101)), "approval.pipelineName"],
      ["missing stage", () => withApproval("stageName", undefined), "approval.stageName"],
      ["action with a slash", () => withApproval("actionName", "a/b"), "approval.actionName"],
      ["token not a UUID", () => withApproval("token", "not-a-token"), "approval.token"],
      [
        "token with a suffix",
        () => withApproval("token", "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0dX"),
        "approval.token",
      ],
      ["missing token", () => withApproval("token", undefined), "approval.token"],
      ["expires as a number", () => withApproval("expires", 1796588520000), "approval.expires"],
      ["expires without a zone", () => withApproval("expires", "2026-12-06T20:22"), "approval.expires"],
      ["expires with an offset", () => withApproval("expires", "2026-12-06T20:22+01:00"), "approval.expires"],
      ["expires with a space", () => withApproval("expires", "2026-12-06 20:22Z"), "approval.expires"],
      ["expires in month 13", () => withApproval("expires", "2026-13-06T20:22Z"), "approval.expires"],
      ["expires on 30 February", () => withApproval("expires", "2026-02-30T20:22Z"), "approval.expires"],
      ["expires at 25:00", () => withApproval("expires", "2026-12-06T25:00Z"), "approval.expires"],
      ["missing expires", () => withApproval("expires", undefined), "approval.expires"],
    ];

    it.each(cases)("%s", (_label, input, field) => {
      // Prepare
      const value = input();

      // Act
      const error = caught(() => parseApprovalMessage(value));

      // Assess
      expect(error).toBeInstanceOf(InvalidInput);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: "invalid-input", source: "approval notification", field });
      expect((error as InvalidInput).message).toMatch(new RegExp(`^approval notification: ${field}: \\S`));
    });
  });

  it("says what the expiry should look like", () => {
    const error = caught(() => parseApprovalMessage(withApproval("expires", "tomorrow")));

    expect(error).toMatchObject({
      field: "approval.expires",
      expected: expect.stringContaining("2026-12-06T20:22Z"),
    });
  });

  it("refuses text that is not JSON", () => {
    const error = caught(() => parseApprovalMessage("APPROVAL NEEDED: shop-web"));

    expect(error).toBeInstanceOf(InvalidInput);
    expect(error).toMatchObject({ field: "", expected: "expected JSON" });
  });

  it.each([[null], [42], [[]], ["null"]])("refuses a message that is not an object: %j", (input) => {
    expect(() => parseApprovalMessage(input)).toThrow(InvalidInput);
  });
});

describe("snsMessages", () => {
  it("returns the raw message of each record", () => {
    const event = fixture("sns-lambda-event.json") as { Records: Array<{ Sns: { Message: string } }> };
    const [record] = event.Records;
    if (!record) throw new Error("fixture has no record");
    event.Records.push({ ...record, Sns: { ...record.Sns, Message: "second" } });

    const messages = snsMessages(event);

    expect(messages).toHaveLength(2);
    expect(JSON.parse(messages[0] ?? "")).toEqual(fixture("codepipeline-approval-message.json"));
    expect(messages[1]).toBe("second");
  });

  it.each([
    ["no records", { Records: [] }, "Records"],
    ["records not a list", { Records: {} }, "Records"],
    ["record without Sns", { Records: [{ EventSource: "aws:sns" }] }, "Records[0].Sns"],
    ["message not text", { Records: [{ Sns: { Message: { a: 1 } } }] }, "Records[0].Sns.Message"],
  ])("refuses an event with %s, naming the field", (_label, event, field) => {
    const error = caught(() => snsMessages(event));

    expect(error).toBeInstanceOf(InvalidInput);
    expect(error).toMatchObject({ source: "SNS event", field });
  });
});

describe("parseApprovalNotification", () => {
  it("parses the recorded SNS Lambda event", () => {
    const event = fixture("sns-lambda-event.json");

    const request = parseApprovalNotification(event);

    expect(request).toEqual(FIXTURE_REQUEST);
  });

  it("parses a raw message too", () => {
    expect(parseApprovalNotification(fixture("codepipeline-approval-message.json"))).toEqual(FIXTURE_REQUEST);
  });

  it("reports a bad field inside the SNS message by its message path", () => {
    const event = fixture("sns-lambda-event.json") as { Records: Array<{ Sns: { Message: string } }> };
    const record = event.Records[0];
    if (!record) throw new Error("fixture has no record");
    record.Sns.Message = record.Sns.Message.replace("2026-12-06T20:22Z", "2026-12-06");

    const error = caught(() => parseApprovalNotification(event));

    expect(error).toMatchObject({ source: "approval notification", field: "approval.expires" });
  });

  it("reports an empty SNS event as an SNS event problem", () => {
    const error = caught(() => parseApprovalNotification({ Records: [] }));

    expect(error).toMatchObject({ source: "SNS event", field: "Records" });
  });
});
