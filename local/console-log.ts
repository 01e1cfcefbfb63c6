// What `npm start` prints when nobody asked for logs: one short line per warning or error, for a
// person at a terminal ("12:04:31 warning  runner: the approval action does not notify …
// (pipeline=shop-web)"). With LOG_LEVEL set, the JSON lines the functions write on AWS instead.
// Redaction happens before this sees a line (lambdas/log.ts): what is printed was already censored.
import type { DestinationStream } from "pino";

const LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warning",
  50: "error",
  60: "fatal",
};
const LEFT_OUT = new Set(["level", "time", "msg", "name", "pid", "hostname"]);

function value(v: unknown): string {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** One pino JSON line → one line for a person; a line that is not JSON is passed on as it is. */
export function friendlyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith("\n") ? line : `${line}\n`;
  }
  const time = typeof entry.time === "number" ? new Date(entry.time).toISOString().slice(11, 19) : "";
  const level = (LEVELS[Number(entry.level)] ?? String(entry.level)).padEnd(7);
  const details = Object.entries(entry)
    .filter(([k, v]) => !LEFT_OUT.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`);
  const msg = typeof entry.msg === "string" ? entry.msg : "";
  return `${time} ${level}  ${msg}${details.length > 0 ? ` (${details.join(" ")})` : ""}\n`;
}

/** A pino destination writing friendly lines to `out` (standard error by default). */
export function friendlyDestination(
  out: { write(text: string): unknown } = process.stderr,
): DestinationStream {
  return { write: (line: string) => void out.write(friendlyLine(line)) };
}
