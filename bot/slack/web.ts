import { type Logger, LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";
import type { Log } from "../shared/log.js";

/** Strings only, cut short: SDK log lines can carry request data, and a payload never goes to our logs. */
function line(parts: unknown[]): string {
  return parts
    .map((p) => (typeof p === "string" ? p : p instanceof Error ? p.message : "[object]"))
    .join(" ")
    .slice(0, 300);
}

/** The Slack SDKs' logger interface on our structured log; their debug and info chatter is dropped. */
export function slackLogger(log: Log): Logger {
  let level = LogLevel.WARN;
  return {
    debug: () => {},
    info: () => {},
    warn: (...parts: unknown[]) => log.warn({ source: "slack-sdk" }, line(parts)),
    error: (...parts: unknown[]) => log.error({ source: "slack-sdk" }, line(parts)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * Web API client options for both the interaction path (which must answer Slack within 3 s) and
 * the projector (whose caller retries): fail fast, retry once, never sit out a rate limit.
 * `apiUrl` points at a stand-in locally and in tests (keep the trailing `/api/`).
 */
export function webClientOptions(log: Log, apiUrl?: string): WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    logger: slackLogger(log),
    logLevel: LogLevel.WARN,
    timeout: 3_000,
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 200 },
    rejectRateLimitedCalls: true,
  };
}

export function slackWebClient(botToken: string, log: Log, apiUrl?: string): WebClient {
  return new WebClient(botToken, webClientOptions(log, apiUrl));
}
