import type { IncomingMessage, ServerResponse } from "node:http";

/** The JSON 1.1 service target of CodePipeline: `X-Amz-Target: CodePipeline_20150709.<Operation>`. */
export const TARGET_PREFIX = "CodePipeline_20150709.";
export const CONTENT_TYPE = "application/x-amz-json-1.1";

/** HTTP status AWS sends with each error name; anything not listed is a 400. */
const STATUS: Record<string, number> = {
  InternalFailure: 500,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
  AccessDeniedException: 400,
  MissingAuthenticationTokenException: 400,
};

/** An error the simulated service answers with, in the AWS JSON 1.1 shape. */
export class AwsError extends Error {
  readonly status: number;
  constructor(
    readonly type: string,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS[type] ?? 400;
  }
}

/** Reads and parses a JSON 1.1 request body; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError("SerializationException", "Start of structure or map found where not expected.");
  }
  if (!isRecord(parsed)) throw new AwsError("SerializationException", "Expected a JSON object.");
  return parsed;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function sendJson(res: ServerResponse, requestId: string, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(200, {
    "content-type": CONTENT_TYPE,
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": requestId,
  });
  res.end(payload);
}

/** `{"__type": name, "message": …}` plus `x-amzn-ErrorType`, as AWS JSON services answer errors. */
export function sendError(res: ServerResponse, requestId: string, error: AwsError): void {
  const payload = JSON.stringify({ __type: error.type, message: error.message });
  res.writeHead(error.status, {
    "content-type": CONTENT_TYPE,
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": requestId,
    "x-amzn-errortype": `${error.type}:http://internal.amazon.com/coral/com.amazonaws.codepipeline/`,
  });
  res.end(payload);
}

/** JSON 1.1 timestamps are epoch seconds (with a fraction), not ISO strings. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** Collects constraint violations and reports them the way AWS words a `ValidationException`. */
export class Constraints {
  private readonly problems: string[] = [];

  string(value: unknown, path: string, rule: { max: number; min?: number; pattern?: RegExp }): string {
    if (typeof value !== "string") {
      this.problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      return "";
    }
    const problem =
      value.length > rule.max
        ? `Member must have length less than or equal to ${rule.max}`
        : value.length < (rule.min ?? 0)
          ? `Member must have length greater than or equal to ${rule.min}`
          : rule.pattern && !rule.pattern.test(value)
            ? `Member must satisfy regular expression pattern: ${rule.pattern.source}`
            : undefined;
    if (problem) this.problems.push(`Value at '${path}' failed to satisfy constraint: ${problem}`);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly [T, ...T[]]): T {
    const found = allowed.find((option) => option === value);
    if (found !== undefined) return found;
    this.problems.push(
      `Value at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`,
    );
    return allowed[0];
  }

  /** Throws a `ValidationException` if anything was wrong. */
  check(): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length;
    throw new AwsError(
      "ValidationException",
      `${count} validation error${count > 1 ? "s" : ""} detected: ${this.problems.join("; ")}`,
    );
  }
}
