import { describe, expect, it } from "vitest";
import { blockHtml, blocksHtml, mrkdwnHtml } from "../../local/dashboard/slack-html.js";

const ctx = { userName: (id: string) => (id === "U0MARIA01" ? "maria" : undefined) };
const mrkdwn = (text: string, verbatim?: boolean) => ({
  type: "mrkdwn",
  text,
  ...(verbatim === undefined ? {} : { verbatim }),
});

describe("Block Kit as HTML", () => {
  it("formats bold, italic, strike, code, mentions and Slack links", () => {
    const out = mrkdwnHtml(
      "*Ship* _now_ ~later~ `v1` <@U0MARIA01> <https://x.test/a?b=1&amp;c=2|the run>",
      ctx,
    ).value;

    expect(out).toContain("<strong>Ship</strong>");
    expect(out).toContain("<em>now</em>");
    expect(out).toContain("<del>later</del>");
    expect(out).toContain("<code>v1</code>");
    expect(out).toContain('<span class="sk-mention">@maria</span>');
    expect(out).toContain('<a href="https://x.test/a?b=1&amp;c=2" rel="noreferrer">the run</a>');
  });

  it("draws > quotes as a quote bar, not a literal >", () => {
    const out = mrkdwnHtml("Reason:\n&gt; not on staging\n&gt; yet", ctx).value;

    expect(out).toContain('<blockquote class="sk-quote">not on staging<br>yet</blockquote>');
    expect(out).not.toContain("&gt;");
  });

  it("escapes hostile text and makes links only from Slack-link syntax with http(s)", () => {
    const out = blockHtml(
      {
        type: "section",
        text: mrkdwn(
          '<img src=x onerror=alert(1)> "q" <javascript:alert(1)|click> [a](https://evil.test)',
          true,
        ),
      },
      ctx,
    ).value;

    expect(out).not.toContain("<img");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(out).toContain("&quot;q&quot;");
    expect(out).not.toContain('href="javascript');
    expect(out).not.toContain('href="https://evil.test"');
  });

  it("links bare URLs unless verbatim", () => {
    expect(mrkdwnHtml("see https://x.test/", ctx).value).toContain('href="https://x.test/"');
    expect(
      blockHtml({ type: "section", text: mrkdwn("see https://x.test/", true) }, ctx).value,
    ).not.toContain("href");
  });

  it("lays out header, fields in two columns, context, divider", () => {
    const out = blocksHtml(
      [
        { type: "header", text: { type: "plain_text", text: "Deploy <shop>" } },
        { type: "section", fields: [mrkdwn("*Pipeline*\nshop"), mrkdwn("*Commit*\nabc")] },
        {
          type: "context",
          elements: [
            mrkdwn(":white_check_mark: approved"),
            { type: "image", image_url: "https://x.test/i.png", alt_text: "avatar" },
          ],
        },
        { type: "divider" },
      ],
      ctx,
    ).value;

    expect(out).toContain('<p class="sk-header">Deploy &lt;shop&gt;</p>');
    expect(out).toMatch(
      /<div class="sk-fields"><div class="sk-field"><strong>Pipeline<\/strong><br>shop<\/div><div class="sk-field">/,
    );
    expect(out).toContain(
      '<div class="sk-context"><span>✅ approved</span><span class="sk-image" role="img" aria-label="avatar">',
    );
    expect(out).toContain('<hr class="sk-divider">');
  });

  it("draws buttons once, styled, url buttons as links, confirm kept", () => {
    const out = blockHtml(
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "approve",
            style: "primary",
            text: { type: "plain_text", text: "Approve" },
          },
          {
            type: "button",
            action_id: "reject",
            style: "danger",
            text: { type: "plain_text", text: "Reject" },
            confirm: {
              title: { type: "plain_text", text: "Sure?" },
              text: { type: "plain_text", text: "Really?" },
              confirm: { type: "plain_text", text: "Yes" },
              deny: { type: "plain_text", text: "No" },
            },
          },
          { type: "button", url: "https://x.test/run", text: { type: "plain_text", text: "Open" } },
        ],
      },
      ctx,
    ).value;

    expect(out.match(/<button/g)).toHaveLength(2);
    expect(out).toContain('value="approve" class="sk-btn primary">Approve</button>');
    expect(out).toContain('class="sk-btn danger" data-confirm="Really?">Reject</button>');
    expect(out).toContain('<a class="sk-btn" href="https://x.test/run" rel="noreferrer">Open</a>');
  });

  it("draws an input block with its error under it", () => {
    const input = {
      type: "input",
      block_id: "reason",
      label: { type: "plain_text", text: "Why?" },
      element: { type: "plain_text_input", action_id: "reason", multiline: true, max_length: 500 },
    };

    const plain = blockHtml(input, ctx).value;
    const invalid = blockHtml(input, ctx, { errors: { reason: "Please say <why>" } }).value;

    expect(plain).toContain('<textarea id="sk-in-reason" name="reason" required maxlength="500" rows="3">');
    expect(plain).not.toContain("sk-error");
    expect(invalid).toContain(
      '<p class="sk-error" id="sk-in-reason-error" data-slack-error="reason">Please say &lt;why&gt;</p>',
    );
    expect(invalid).toContain('aria-invalid="true"');
  });
});
