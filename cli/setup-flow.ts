// What `greenlight github-app create` and `slack-app create` share: the page on 127.0.0.1 that
// starts a browser flow and receives the redirect back (`?code=…&state=…`, the state checked),
// and where the credentials go (the stack's Secrets Manager secret, or the local data folder).
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { type CliIo, EXIT } from "./io.js";
import { splitLocalFlag, TARGET_OPTIONS, type Target } from "./target.js";

/** A page of ours (the start page, the outcome after the redirect). */
export function setupPage(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}code{word-break:break-all}</style></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

export interface CallbackServer {
  /** The start page (what the person opens). */
  url: string;
  /** Where the service sends the browser back. */
  redirectUrl: string;
  /** The one-time value the redirect must carry back. */
  state: string;
  /** The `code` of the first redirect whose state matches; rejects on `?error=` or the timeout. */
  code: Promise<string>;
  /** Show the outcome on the redirect's page (it waits for this), then stop listening. */
  finish(outcome: { ok: boolean; title: string; text: string }): Promise<void>;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Listen on 127.0.0.1 (a random port): `GET /` is `start(redirectUrl, state)`, `GET callbackPath`
 * is the way back. A redirect with another state is refused and the wait goes on: it did not
 * come from the flow this command started.
 */
export async function callbackServer(options: {
  callbackPath: string;
  service: string;
  timeoutMs: number;
  start: (redirectUrl: string, state: string) => Response | Promise<Response>;
}): Promise<CallbackServer> {
  const state = randomBytes(24).toString("base64url");
  let resolveCode: (code: string) => void = () => {};
  let rejectCode: (e: Error) => void = () => {};
  const code = new Promise<string>((resolve, reject) => {
    resolveCode = resolve;
    rejectCode = reject;
  });
  code.catch(() => {});
  let shown: (outcome: { ok: boolean; title: string; text: string }) => void = () => {};
  const outcome = new Promise<{ ok: boolean; title: string; text: string }>((resolve) => {
    shown = resolve;
  });
  let responded: () => void = () => {};
  const sent = new Promise<void>((resolve) => {
    responded = resolve;
  });
  let answered = false;
  let redirectUrl = "";
  let taken = false;

  const app = new Hono();
  app.get("/", () => options.start(redirectUrl, state));
  app.get(options.callbackPath, async (c) => {
    const error = c.req.query("error");
    const given = c.req.query("state") ?? "";
    const got = c.req.query("code");
    if (!same(given, state))
      return c.html(
        setupPage(
          "This is not the set-up you started",
          html`<p>The answer from ${options.service} does not carry this command's state. Start again from the page the command printed.</p>`,
        ),
        400,
      );
    if (taken)
      return c.html(setupPage("Already done", html`<p>This set-up has finished; see the terminal.</p>`), 409);
    taken = true;
    if (error) rejectCode(new Error(`${options.service} answered "${error}" instead of a code`));
    else if (!got) rejectCode(new Error(`${options.service} sent the browser back without a code`));
    else resolveCode(got);
    const result = await outcome;
    answered = true;
    return c.html(setupPage(result.title, html`<p>${result.text}</p>`), result.ok ? 200 : 502);
  });

  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  // The outcome page is written out before the server stops: "finish" fires once the bytes left.
  server.on("request", (_req, res) => res.on("finish", () => answered && responded()));
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redirectUrl = `${base}${options.callbackPath}`;
  const timer = setTimeout(
    () =>
      rejectCode(
        new Error(`no answer from ${options.service} within ${Math.round(options.timeoutMs / 60_000)} min`),
      ),
    options.timeoutMs,
  );
  timer.unref();

  return {
    url: `${base}/`,
    redirectUrl,
    state,
    code,
    async finish(result) {
      clearTimeout(timer);
      shown(result);
      // The redirect's page gets its answer before the server stops (if the browser is there).
      if (taken) await Promise.race([sent, new Promise((r) => setTimeout(r, 2_000))]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A channel secret counts as filled when any key holds a value (the stack creates them empty). */
export function secretFilled(secret: Record<string, unknown> | undefined): boolean {
  return Object.entries(secret ?? {}).some(
    ([key, value]) => key !== "unused" && value !== "" && value !== null && value !== undefined,
  );
}

/** Overwrite the stack's secret `arn` with `value` (Secrets Manager PutSecretValue). */
export async function putChannelSecret(target: Target, arn: string, value: Record<string, unknown>) {
  const config = target.client("secretsmanager");
  if (!config) throw new Error(`${target.where} has no Secrets Manager`);
  const client = new SecretsManagerClient(config);
  try {
    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify(value) }));
  } finally {
    client.destroy();
  }
}

/**
 * `greenlight <command> create …` with the target options, --force and --data plus `extra`: the
 * values, or a usage error already written out (EXIT.usage).
 */
export function createArgs(
  command: string,
  argv: string[],
  extra: Record<string, { type: "string" | "boolean" }>,
  usage: string,
  io: CliIo,
): Record<string, string | boolean | undefined> | number {
  try {
    const { values, positionals } = parseArgs({
      args: splitLocalFlag(argv),
      options: {
        ...TARGET_OPTIONS,
        ...extra,
        force: { type: "boolean" },
        data: { type: "string", default: ".data" },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length === 1 && positionals[0] === "create") return values;
    io.err(`greenlight ${command}: expected "create"\n\n${usage}`);
  } catch (e: unknown) {
    io.err(`greenlight ${command}: ${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
  }
  return EXIT.usage;
}
