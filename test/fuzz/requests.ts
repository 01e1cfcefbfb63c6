import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { githubSignature, slackSignature } from "../support/sign.js";

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** What it takes to sign like Slack and GitHub, so that garbage can arrive correctly signed too. */
export interface Signers {
  /** Slack's signing secret. */
  slack: string;
  /** GitHub's webhook secret. */
  github: string;
  /** Unix seconds, for Slack's timestamp. */
  now: () => number;
}

// `fetch`'s Request refuses CONNECT, TRACE and TRACK before any router sees them.
const method = fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
const ascii = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

function path(approvalId: string) {
  const segment = fc.oneof(
    fc.constantFrom(
      "a",
      "slack",
      "events",
      "github",
      "webhooks",
      "healthz",
      "local",
      "..",
      "%2e%2e",
      "%00",
      "",
    ),
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
  );
  return fc.oneof(
    fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join("/")}`),
    fc.constant(`/a/${approvalId}`),
    fc.string({ maxLength: 60 }).map((t) => `/a/${approvalId}?t=${encodeURIComponent(t)}`),
    fc.constantFrom(
      "/slack/events",
      "/github/webhooks",
      "/slack/events?x=1",
      "/github/webhooks/",
      "/healthz",
    ),
  );
}

/** Anything anywhere, but mostly what an attacker aims at: POSTs to the routes that decide. */
function route(approvalId: string) {
  const target = fc.constantFrom("/slack/events", "/github/webhooks", `/a/${approvalId}`);
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ method, path: path(approvalId) }) },
    { weight: 3, arbitrary: fc.record({ method: fc.constant("POST"), path: target }) },
  );
}

const body: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }), // mostly not UTF-8
  fc.constantFrom(
    "t=&verdict=approve",
    "t=%ZZ&verdict=approve",
    "verdict=reject&comment=%E0%A4%A",
    '{"type":',
  ),
  fc.json({ maxDepth: 4 }),
  fc.json({ maxDepth: 3 }).map((j) => `payload=${encodeURIComponent(j)}`),
  fc
    .record({ type: fc.constantFrom("block_actions", "view_submission", "shortcut", "x"), team: fc.json() })
    .map((p) => `payload=${encodeURIComponent(JSON.stringify(p))}`),
  fc.constantFrom("[".repeat(5000), `payload=${"%7B".repeat(3000)}`, "\uFEFF{}", "\u0000"),
  fc
    .record({ t: fc.string({ maxLength: 50 }), verdict: fc.constantFrom("approve", "reject", "x") })
    .map((f) => new URLSearchParams(f).toString()),
  // Over the Slack cap (64 KB) and, rarely, over GitHub's (1 MB).
  fc.constantFrom(70_000, 70_000, 1_100_000).map((n) => "x".repeat(n)),
);

const contentType = fc.constantFrom(
  "application/x-www-form-urlencoded",
  "application/json",
  "application/json; charset=utf-16",
  "multipart/form-data; boundary=xyz",
  "text/plain; charset=latin1",
  "application/octet-stream",
  "",
);

/** One random request; a third of them carry a correct Slack or GitHub signature for their body. */
export function requestArbitrary(approvalId: string, signers: Signers): fc.Arbitrary<FuzzRequest> {
  const extras = fc.dictionary(fc.stringMatching(/^x-[a-z-]{1,20}$/), ascii(40), { maxKeys: 3 });
  const skew = fc.constantFrom(0, 0, -400, 400, -100_000);
  const signing = fc.constantFrom("none", "garbage", "slack", "github", "both");
  const githubEvent = fc.oneof(fc.constantFrom("issue_comment", "check_run", "ping", "push"), ascii(12));
  const encoding = fc.option(fc.constantFrom("gzip", "br", "deflate", "identity", "x-unknown"), {
    nil: undefined,
  });
  return fc
    .record({
      route: route(approvalId),
      body,
      contentType,
      extras,
      skew,
      signing,
      githubEvent,
      encoding,
    })
    .chain((r) =>
      fc.record({ garbage: hex(64), retry: fc.constantFrom("", "1", "2") }).map(({ garbage, retry }) => {
        const ts = String(signers.now() + r.skew);
        const headers: Record<string, string> = { ...r.extras, "user-agent": "fuzz" };
        if (r.contentType) headers["content-type"] = r.contentType;
        if (r.encoding) headers["content-encoding"] = r.encoding;
        if (retry)
          Object.assign(headers, { "x-slack-retry-num": retry, "x-slack-retry-reason": "http_timeout" });
        if (r.signing !== "none") {
          const slackSig =
            r.signing === "garbage" ? `v0=${garbage}` : slackSignature(signers.slack, asText(r.body), ts);
          const githubSig =
            r.signing === "garbage" ? `sha256=${garbage}` : githubSignature(signers.github, r.body);
          Object.assign(headers, {
            "x-slack-request-timestamp": ts,
            "x-github-event": r.githubEvent,
            "x-github-delivery": randomUUID(),
          });
          if (r.signing !== "github") headers["x-slack-signature"] = slackSig;
          if (r.signing !== "slack") headers["x-hub-signature-256"] = githubSig;
        }
        return { ...r.route, headers, body: r.body };
      }),
    );
}

/** Slack signs `v0:{ts}:{body}` over the bytes; for bytes that are not UTF-8 this signature is simply wrong. */
const asText = (b: string | Uint8Array) => (typeof b === "string" ? b : Buffer.from(b).toString("latin1"));
