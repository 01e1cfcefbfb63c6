import type { Operation } from "./operations.js";

/** Pass as the error name to have the connection dropped without an answer. */
export const CONNECTION_RESET = "ECONNRESET";

export interface FaultOptions {
  /** The call takes effect first and only its answer is lost: "the write landed, the reply did not". */
  afterApplying?: boolean;
}

interface Fault {
  operation: Operation | "*";
  error: string;
  remaining: number;
  afterApplying: boolean;
}

/** Planned failures: the next `times` calls of an operation answer with an error instead. */
export class FaultPlan {
  private readonly faults: Fault[] = [];

  add(operation: Operation | "*", error: string, times: number, options: FaultOptions = {}): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer: ${times}`);
    this.faults.push({ operation, error, remaining: times, afterApplying: options.afterApplying ?? false });
  }

  /** The error this call should fail with, if one is planned; planned faults are used in order. */
  take(operation: string): { error: string; afterApplying: boolean } | undefined {
    const fault = this.faults.find((f) => f.operation === "*" || f.operation === operation);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return { error: fault.error, afterApplying: fault.afterApplying };
  }

  clear(): void {
    this.faults.length = 0;
  }
}

/** What AWS says with each injected error; the name alone decides how the SDK classifies it. */
export function faultMessage(error: string): string {
  if (error === "ThrottlingException") return "Rate exceeded";
  if (error === "InternalFailure" || error === "InternalServerError") return "An internal error occurred";
  if (error.startsWith("ServiceUnavailable")) return "Service is unavailable, try again later";
  return `Injected ${error}`;
}
