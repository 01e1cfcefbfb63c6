import { Writable } from "node:stream";
import { pino } from "pino";
import { REDACT_PATHS } from "../../lambdas/log.js";

/** A real pino logger (same redaction as production) whose output the test can read. */
export function captureLogs() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const log = pino(
    { level: "debug", redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: undefined },
    sink,
  );
  return {
    log,
    lines,
    text: () => lines.join("\n"),
    entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
