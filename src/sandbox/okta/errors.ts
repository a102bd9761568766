/**
 * Okta's error vocabulary (upstream-apis §1.7): the error body `{errorCode, errorSummary, errorLink,
 * errorId, errorCauses}` and the codes each failure carries, plus the bare 403 a token without the
 * needed scope gets (§1.2). Handlers throw these; the provider renders them.
 */
import type { SandboxResponse } from "../kit/http.js";

export interface Cause {
  errorSummary: string;
  reason?: string;
  location?: string;
  locationType?: "body" | "query" | "header" | "method" | "path";
  domain?: string;
}

/** An Okta error response, thrown by handlers and rendered by `errorResponse`. */
export class OktaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly summary: string,
    readonly causes: Cause[] = [],
  ) {
    super(summary);
    this.name = "OktaError";
  }
}

/**
 * A 403 for a token without the scope a route needs: the scope in the challenge (§1.2), and the error
 * body the spec's authorization-error-response defines.
 */
export class ScopeError extends Error {
  constructor(readonly scope: string) {
    super(`insufficient scope: ${scope}`);
  }
}

/** A cause in the query string, as the governance API words them. */
export function queryCause(location: string, errorSummary: string, reason: string): Cause {
  return { errorSummary, reason, location, locationType: "query", domain: "governance" };
}

export const E = {
  validation: (what: string, causes: Cause[]) =>
    new OktaError(400, "E0000001", `Api validation failed: ${what}`, causes),
  malformed: () => new OktaError(400, "E0000003", "The request body was not well-formed."),
  missing: (causes: Cause[]) =>
    new OktaError(400, "E0000028", "The request is missing a required parameter.", causes),
  paging: (causes: Cause[]) => new OktaError(400, "E0000029", "Invalid paging request.", causes),
  filter: (causes: Cause[]) => new OktaError(400, "E0000029", "Invalid filter", causes),
  unknownExternalId: (cause: Cause) => new OktaError(400, "E0000029", "Invalid externalId request.", [cause]),
  scim: (detail: string) =>
    new OktaError(400, "E0000053", "Invalid SCIM filter.", [
      queryCause("/filter", detail, "STRING_FORMAT_INVALID"),
    ]),
  search: (detail: string) =>
    new OktaError(400, "E0000031", "Invalid search criteria.", [
      { errorSummary: detail, location: "filter", locationType: "query" },
    ]),
  notFound: (id: string, type: string) =>
    new OktaError(404, "E0000007", `Not found: Resource not found: ${id} (${type})`),
  notOptedIn: () => new OktaError(404, "E0000007", "Not found: Resource not found: null (SharedAppInstance)"),
  method: () => new OktaError(405, "E0000022", "The endpoint does not support the provided HTTP method"),
  conflict: (causes: Cause[]) =>
    new OktaError(409, "E0000169", "Object status conflicts with requested operation.", causes),
  // The spec's authentication-error-response: E0000004 "Authentication failed.".
  auth: () => new OktaError(401, "E0000004", "Authentication failed."),
  forbidden: (causes: Cause[]) =>
    new OktaError(403, "E0000006", "You do not have permission to perform the requested action.", causes),
  rate: () => new OktaError(429, "E0000047", "API call exceeded rate limit due to too many requests."),
  internal: () => new OktaError(500, "E0000009", "Internal Server Error"),
};

/** A forced failure (fault injection) as Okta would word it. */
export function injectedError(status: number, path: string): OktaError {
  if (status === 429) return E.rate();
  if (status === 401) return E.auth();
  if (status === 403) return E.forbidden([]);
  if (status === 404) return E.notFound(path, "Path");
  if (status >= 500) return new OktaError(status, "E0000009", "Internal Server Error");
  return new OktaError(status, "E0000001", "Api validation failed: injected fault");
}

/**
 * The response for anything a handler threw: Okta's error body (a fresh `errorId` each time), the bare
 * scope challenge, or a 500 for a bug in the emulator (logged to stderr).
 */
export function errorResponse(err: unknown, orgUrl: string, errorId: () => string): SandboxResponse {
  let e: OktaError;
  let headers: Record<string, string> | undefined;
  if (err instanceof ScopeError) {
    headers = {
      "WWW-Authenticate": `Bearer authorization_uri="${orgUrl}/oauth2/v1/authorize", realm="${orgUrl}", scope="${err.scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`,
    };
    e = E.forbidden([]);
  } else if (err instanceof OktaError) {
    e = err;
  } else {
    process.stderr.write(`okta sandbox: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    e = E.internal();
  }
  return {
    status: e.status,
    ...(headers ? { headers } : {}),
    body: {
      errorCode: e.code,
      errorSummary: e.summary,
      errorLink: e.code,
      errorId: `oae${errorId()}`,
      errorCauses: e.causes,
    },
  };
}
