import { SESv2Client } from "@aws-sdk/client-sesv2";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { approvalEmail } from "../../bot/email/message.js";
import { confirmationPage } from "../../bot/email/pages.js";
import { escapeText, MARKER } from "../../bot/github/markdown.js";
import { renderCheckRun, renderComment } from "../../bot/github/render.js";
import { approvalMessage } from "../../bot/slack/message.js";
import type { Actor, Approval } from "../../core/approval.js";
import { castVote } from "../../core/state-machine.js";
import { buildSummary } from "../../core/summary.js";
import { neutral, neutralLine } from "../../core/untrusted.js";
import { SesMailer } from "../../lambdas/aws/ses-mailer.js";
import { aDecision, anApproval, aVote } from "./builders.js";

/** Every character neutral removes (docs/security.md#32-untrusted-text-is-neutral), as a test of what was rendered. */
const INVISIBLE =
  /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/;
const BIDI_AND_ZERO_WIDTH =
  "\u202Eevil\u202C\u2066x\u2069\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202D\u2060\u2064\uFEFF\u00AD";

/** One hostile line with everything that could deceive a reader or ping, link or inject. */
const HOSTILE =
  `Fix typo${BIDI_AND_ZERO_WIDTH} cc @org/team &#64;everyone <!channel> <@U0BOSS> ` +
  "https://evil.example/x www.evil.example dev@evil.example";
const LONG = "A".repeat(5000);

const MALLORY: Actor = {
  channel: "email",
  id: "mallory@acme.io",
  name: `Mal\u202Elory ${HOSTILE}\r\nX-Evil: 1`,
};

/** An approval whose commit message, PR title, custom data, voter's name and comment are hostile. */
function hostileApproval(): Approval {
  const approval = anApproval({
    context: {
      commit: {
        sha: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
        message: `${HOSTILE} ${LONG}\r\nBcc: victim@evil.example\n\nbody`,
      },
      release: {
        commits: 2,
        headPulls: [7],
        pulls: [
          {
            number: 7,
            title: `${HOSTILE}\r\nsecond line`,
            url: "https://github.com/acme/shop/pull/7",
            author: "dev-author",
          },
        ],
      },
    },
    request: { customData: `Notes ${HOSTILE}\r\nBcc: x@evil.example` },
    rule: { quorum: 2 },
  });
  return castVote(
    approval,
    aVote(MALLORY, { comment: `ok ${HOSTILE}\r\n${LONG}` }),
    new Date("2026-12-01T10:00:00Z"),
  ).approval;
}

const NOW = new Date("2026-12-01T10:00:00Z");

describe("neutral", () => {
  it("removes bidi and invisible format characters and keeps the visible text", () => {
    expect(neutral(`a${BIDI_AND_ZERO_WIDTH}b`)).toBe("aevilxb");
    expect(neutral("tag\u{E0041}\u{E007F}s")).toBe("tags");
  });

  it("spells every line end as \\n and turns other controls into spaces", () => {
    expect(neutral("a\r\nb\rc\u2028d\u0085e\u001b[31mf\u0000")).toBe("a\nb\nc\nd\ne [31mf ");
  });

  it("puts text on one line when one line is wanted", () => {
    expect(neutralLine("  a\r\n\tb\u2029c \u200B ")).toBe("a b c");
  });
});

describe("hostile text in every channel's output", () => {
  it("the request e-mail: one-line subject without CR/LF, no invisible characters anywhere", () => {
    const email = approvalEmail(hostileApproval(), "https://greenlight.example/a/x?t=tok", NOW);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).not.toContain("Bcc");
    expect(email.subject.length).toBeLessThanOrEqual(200);
    expect(email.subject).toMatch(/^Approval needed: .*Fix typoevilx cc @org\/team/);
    for (const part of [email.subject, email.html, email.text]) expect(part).not.toMatch(INVISIBLE);
    expect(email.html).not.toContain("<!channel>");
    expect(email.html).not.toMatch(/href="https:\/\/evil/);
    expect(email.text).not.toContain("\r");
  });

  it("a commit message with a lone CR or U+2028 still gives a one-line subject", () => {
    for (const message of ["Ship it\rBcc: victim@evil.example", "Ship it\u2028Bcc: victim@evil.example"]) {
      const approval = anApproval({
        context: { commit: { sha: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", message } },
      });
      const { subject } = approvalEmail(approval, "https://greenlight.example/a/x?t=tok", NOW, 1);
      expect(subject).toBe("Reminder: approval still needed: shop-web → Approve (Ship it)");
    }
  });

  it("the confirmation page: no invisible characters, no markup or links from the text", () => {
    const page = confirmationPage(hostileApproval(), "tok", NOW);
    expect(page).not.toMatch(INVISIBLE);
    expect(page).not.toContain("<!channel>");
    expect(page).toContain("&lt;!channel&gt;");
    expect(page).not.toMatch(/href="https:\/\/evil/);
  });

  it("the Slack message: no invisible characters, no forged mention, ping or link", () => {
    const json = JSON.stringify(approvalMessage(hostileApproval()));
    expect(json).not.toMatch(INVISIBLE);
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<@U0BOSS>");
    expect(json).not.toContain("<https://evil");
    expect(json).toContain("&lt;!channel&gt;");
    expect(json).toContain("&amp;#64;everyone");
  });

  it("the GitHub comment and check run: no mentions, entities, links, HTML or invisible characters", () => {
    const approval = hostileApproval();
    const run = renderCheckRun(approval);
    for (const md of [renderComment(approval), run.output.summary, run.output.title]) {
      expect(md).not.toMatch(INVISIBLE);
      expect(md).not.toMatch(/@(org|everyone|evil)/);
      expect(md).not.toMatch(/&#64;/);
      expect(md).not.toContain("<!channel>");
      // Outside code spans, no URL GFM's autolink extension would link.
      const prose = md.replace(/`[^`\n]*`/g, "");
      expect(prose).not.toMatch(/https?:\/\/evil|www\.evil/);
    }
    const comment = renderComment(approval);
    expect(comment).toContain("`https://evil.example/x`");
    expect(comment).toContain("`www.evil.example`");
    expect(comment).toContain("＠org/team &amp;\\#64;everyone \\<\\!channel\\>");
  });

  it("the CodePipeline summary: one line, neutral, within 512 characters", () => {
    const approval = hostileApproval();
    const vote = Object.values(approval.votes)[0];
    if (!vote) throw new Error("the hostile approval has a vote");
    const summary = buildSummary(aDecision({ ...vote, verdict: "reject" }));
    expect(summary).not.toMatch(INVISIBLE);
    expect(summary).not.toMatch(/[\r\n]/);
    expect(summary.length).toBeLessThanOrEqual(512);
    expect(summary).toMatch(/^Rejected by Mallory Fix typoevilx/);
  });
});

describe("GitHub escapeText", () => {
  it("cannot forge our marker from inside a URL", () => {
    const approval = anApproval({
      context: {
        commit: {
          sha: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
          message: "https://x.example/<!-- greenlight:approval=AAAAAAAAAAAAAAAAAAAAAA -->",
        },
      },
    });
    expect([...renderComment(approval).matchAll(MARKER)].map((m) => m[1])).toEqual([approval.id]);
  });

  it("keeps a URL readable as code and cuts long lines", () => {
    expect(escapeText("see https://evil.example/x?a=1&b=2 now")).toBe(
      "see `https://evil.example/x?a=1&b=2` now",
    );
    expect(escapeText(LONG, 200)).toHaveLength(200);
  });
});

describe("SES mailer", () => {
  afterEach(() => nock.cleanAll());

  it("never sends CR/LF in the Subject, whoever built the message", async () => {
    let sent: unknown;
    nock("http://ses.test")
      .post("/v2/email/outbound-emails", (body) => {
        sent = body;
        return true;
      })
      .reply(200, { MessageId: "m-1" });
    const client = new SESv2Client({
      endpoint: "http://ses.test",
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    });
    const mailer = new SesMailer("greenlight@acme.io", client);

    await mailer.send("ana@acme.io", {
      subject: "Ship it\r\nBcc: victim@evil.example\u202E",
      html: "<p>x</p>",
      text: "x",
    });

    expect(sent).toMatchObject({
      Content: { Simple: { Subject: { Data: "Ship it Bcc: victim@evil.example" } } },
    });
  });
});
