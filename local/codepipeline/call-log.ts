import { savedPayload } from "../state-file.js";
/** One request the simulator received, with secrets redacted. */
export interface CallRecord {
  /** ISO 8601, from the simulator's clock. */
  at: string;
  /** The operation from `X-Amz-Target`, or the raw target if it was not one we know. */
  operation: string;
  params: Record<string, unknown>;
  status: number;
  /** `ok`, or the error name the simulator answered with. */
  outcome: string;
  /** True when the outcome came from `failNext`, not from the model. */
  injected: boolean;
}

const SECRET_KEYS = new Set(["token", "nextToken"]);

/** A deep copy with every `token` cut to its first 4 characters and `…`. */
export function redact(params: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    copy[key] =
      SECRET_KEYS.has(key) && typeof value === "string" ? `${value.slice(0, 4)}…` : redactValue(value);
  }
  return copy;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === "object" && value !== null) return redact(Object.fromEntries(Object.entries(value)));
  return value;
}

/** One line per call: `20:22:00.000 PutApprovalResult pipelineName=shop-web … → 200 ok`. */
export function formatCallLog(calls: readonly CallRecord[]): string {
  return calls
    .map((call) => {
      const params = flatten(call.params)
        .map(([key, value]) => `${key}=${typeof value === "string" ? quote(value) : String(value)}`)
        .join(" ");
      const outcome = `${call.status} ${call.outcome}${call.injected ? " (injected)" : ""}`;
      return `${call.at.slice(11, 23)} ${call.operation}${params ? ` ${params}` : ""} → ${outcome}`;
    })
    .join("\n");
}

function flatten(value: Record<string, unknown>, prefix = ""): [string, unknown][] {
  return Object.entries(value).flatMap(([key, inner]): [string, unknown][] =>
    typeof inner === "object" && inner !== null && !Array.isArray(inner)
      ? flatten(Object.fromEntries(Object.entries(inner)), `${prefix}${key}.`)
      : [[`${prefix}${key}`, inner]],
  );
}

/** Long values (a 513-character summary) are cut so each call stays one readable line. */
function quote(value: string): string {
  return value.length > 80
    ? `${JSON.stringify(value.slice(0, 60))}…(${value.length} chars)`
    : JSON.stringify(value);
}

/** The call log as JSON, for the local stack's data folder (tokens are already redacted). */
export function serializeCalls(calls: readonly CallRecord[]): string {
  return JSON.stringify({ version: 1, calls });
}

/** A call log saved by `serializeCalls`; anything else is refused rather than half-loaded. */
export function parseCalls(text: string): CallRecord[] {
  const calls = savedPayload(JSON.parse(text), "calls", "CodePipeline call log");
  if (!Array.isArray(calls)) throw new Error("not a saved CodePipeline call log (version 1)");
  // Written by serializeCalls from the simulator's own records: the shape is ours.
  return calls as CallRecord[];
}
