/**
 * What the upstream client needs to know about one provider. Each endpoint carries its provider's
 * profile (src/providers/<p>.ts), so this layer names no provider. Every hook but the id rule has a
 * generic default: an `error`/`message`/`detail` body or a Bearer challenge, one rate bucket per
 * provider, Retry-After only, X-Request-Id.
 */
import type { UpstreamCause } from "../core/errors.js";
import { asObject } from "../core/json.js";
import type { Provider } from "../core/operation.js";
import { type Headers, header, nonEmptyText } from "./read.js";

/** What an id in a URL path must look like, and the rule a refusal names. */
export interface PathIdRule {
  pattern: RegExp;
  rule: string;
}

/** What an error response says: the upstream's code, its summary and any per-field causes. */
export interface UpstreamErrorInfo {
  code?: string;
  summary: string;
  causes: UpstreamCause[];
}

export interface UpstreamProfile {
  name: Provider;
  /**
   * Every path param must be one of the provider's ids. Ids taken from ORNs and upstream objects (the
   * guard's reads follow references) are held to the rule of an id a user types before they enter a URL.
   */
  pathId: PathIdRule;
  /** Reads the provider's own error body; undefined when the body is not in its shape. */
  parseError?(status: number, body: unknown, headers: Headers): UpstreamErrorInfo | undefined;
  /** The rate bucket a request path counts against; by default the provider is one bucket. */
  bucketOf?(path: string): string;
  /** When no Retry-After came: how long the provider's own reset header says to wait. */
  resetAfterMs?(headers: Headers, now: number): number | undefined;
  /** The provider's own request-id header, read before X-Request-Id. */
  requestIdHeader?: string;
}

/** Any provider's error body: `error`/`message`/`detail`, or a Bearer insufficient_scope challenge. */
export function genericErrorInfo(status: number, body: unknown, headers: Headers): UpstreamErrorInfo {
  const obj = asObject(body);
  if (obj) {
    const summary =
      nonEmptyText(obj.error) ??
      nonEmptyText(obj.message) ??
      nonEmptyText(obj.detail) ??
      nonEmptyText(obj.errorSummary);
    if (summary) return { code: nonEmptyText(obj.code) ?? nonEmptyText(obj.errorCode), summary, causes: [] };
  }
  const challenge = header(headers, "www-authenticate");
  if (status === 403 && challenge?.includes("insufficient_scope")) {
    const scope = /scope="([^"]*)"/.exec(challenge)?.[1];
    return {
      code: "insufficient_scope",
      summary: `The access token lacks the required scope${scope ? ` ${scope}` : ""}.`,
      causes: [],
    };
  }
  return { summary: `HTTP ${status} with no error details`, causes: [] };
}
