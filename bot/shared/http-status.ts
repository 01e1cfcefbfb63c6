import {
  AlreadyDecided,
  ClosedElsewhere,
  Expired,
  InvalidInput,
  NotAllowed,
  NotFound,
} from "../../core/errors.js";

/** The one mapping from domain errors to HTTP status codes. */
export function statusOf(error: unknown): number {
  if (error instanceof InvalidInput) return 400;
  if (error instanceof NotAllowed) return error.reason === "invalid-link" ? 404 : 403;
  if (error instanceof NotFound) return 404;
  if (error instanceof AlreadyDecided || error instanceof ClosedElsewhere) return 409;
  if (error instanceof Expired) return 410;
  if (typeof error === "object" && error !== null && "getResponse" in error && "status" in error) {
    return typeof error.status === "number" ? error.status : 500;
  }
  return 500;
}
