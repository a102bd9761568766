/**
 * Atomicwork's error style (upstream-apis §2.5): `{error, code}` with the HTTP status, a 429 with
 * `Retry-After`. Handlers throw AwError; the provider renders it.
 */
import type { SandboxResponse } from "../kit/http.js";

export class AwError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new AwError(400, "INVALID_REQUEST", message);

/** A 404 for an object that does not exist, e.g. `notFound("Grant", 7)`. */
export const notFound = (what: string, id: unknown) =>
  new AwError(404, "NOT_FOUND", `${what} ${id} not found`);

/** The response for anything a handler threw; anything but an AwError is a 500. */
export function errorResponse(err: unknown): SandboxResponse {
  const e = err instanceof AwError ? err : new AwError(500, "INTERNAL_ERROR", "Internal server error");
  return { status: e.status, headers: e.headers, body: { error: e.message, code: e.code } };
}

/** A forced failure (fault injection) in Atomicwork's style. */
export function injectedError(status: number): AwError {
  return new AwError(
    status,
    status === 429 ? "RATE_LIMITED" : "INJECTED",
    `Injected failure ${status}`,
    status === 429 ? { "Retry-After": "1" } : {},
  );
}
