import { type DestinationStream, type Logger, pino } from "pino";

/**
 * Structured logs. Tokens, signatures and secrets are redacted by key wherever they appear, as a
 * second line of defence: callers should not log them in the first place (docs/security.md#4-no-token-leaks, docs/security.md#26-audit-trail).
 */
export const REDACT_PATHS = [
  "token",
  "*.token",
  "*.*.token",
  "linkToken",
  "*.linkToken",
  "signature",
  "*.signature",
  "secret",
  "*.secret",
  "headers.authorization",
  "headers.cookie",
];

/** JSON lines on standard output (CloudWatch Logs), or on `destination` (npm start's console). */
export function createLogger(
  options: { level?: string; name?: string; destination?: DestinationStream } = {},
): Logger {
  const settings = {
    level: options.level ?? "info",
    ...(options.name ? { name: options.name } : {}),
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: undefined,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger };
