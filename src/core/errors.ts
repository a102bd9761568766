/**
 * The error taxonomy and the ONE formatter of tool errors. Every message has one shape: what failed,
 * why (the field and rule, or the upstream status, code and summary), and what to do next.
 * Registered secrets are redacted from everything this module produces.
 */
import { randomBytes } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { PROVIDER_NAMES, type Provider } from "./operation.js";
import { mapStrings, sanitizeText } from "./sanitize.js";

const SECRETS = new Set<string>();

/** Adds a value (a token, a key) that must never appear in any message. */
export function registerSecret(secret: string): void {
  if (secret && secret.length >= 4) SECRETS.add(secret);
}

/** Replaces every occurrence of each secret with [REDACTED]; registered secrets are always included. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) out = redactOne(out, secret);
  for (const secret of SECRETS) out = redactOne(out, secret);
  return out;
}

// Runs on every string of every result: look before copying.
const redactOne = (text: string, secret: string) =>
  secret && text.includes(secret) ? text.split(secret).join("[REDACTED]") : text;

/** `value` with every registered secret redacted from every string (tool results, previews). */
export function redactData<T>(value: T): T {
  if (SECRETS.size === 0) return value;
  return mapStrings(value, (text) => redactSecrets(text));
}

export interface UpstreamCause {
  summary: string;
  reason?: string;
  location?: string;
  locationType?: string;
  domain?: string;
}

/** The display names live with the Provider vocabulary; re-exported for the MCP layer's imports. */

export interface UpstreamErrorInit {
  provider: Provider;
  status: number;
  code?: string;
  summary: string;
  causes?: UpstreamCause[];
  requestId?: string;
  method: string;
  path: string;
  retryAfterMs?: number;
  /** The response headers (rate-limit state); never printed. */
  headers?: Record<string, string | string[] | undefined>;
}

/** The upstream answered with an error status. Keeps everything the upstream said that helps. */
export class UpstreamError extends Error {
  override name = "UpstreamError";
  readonly provider: Provider;
  readonly status: number;
  readonly code?: string;
  readonly summary: string;
  readonly causes: UpstreamCause[];
  readonly requestId?: string;
  readonly method: string;
  readonly path: string;
  readonly retryAfterMs?: number;
  readonly headers: Record<string, string | string[] | undefined>;

  constructor(init: UpstreamErrorInit) {
    const summary = redactSecrets(init.summary);
    super(
      `${PROVIDER_NAMES[init.provider]} answered ${init.status}${init.code ? ` ${init.code}` : ""}: ${summary}`,
    );
    this.provider = init.provider;
    this.status = init.status;
    this.code = init.code;
    this.summary = summary;
    this.causes = (init.causes ?? []).map((c) => ({ ...c, summary: redactSecrets(c.summary) }));
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
    this.headers = init.headers ?? {};
  }
}

/** The upstream could not be reached, did not answer in time, or answered with an unusable body. */
export class UpstreamNetworkError extends Error {
  override name = "UpstreamNetworkError";
  /** True when sending again may succeed (connection refused, dropped, timed out); false for bad bodies. */
  readonly retryable: boolean;
  constructor(
    readonly provider: Provider,
    readonly method: string,
    readonly path: string,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(redactSecrets(message), options);
    this.retryable = options?.retryable ?? false;
  }
}

/** Whole seconds for a wait, at least 1: what a person or a model can act on. */
export function secondsText(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/**
 * The upstream's rate limit has no slot for this call within the wait the server allows
 * (`UpstreamOptions.maxRateWaitMs`): the call fails fast, before anything is sent, with the time to retry.
 */
export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(
    readonly provider: Provider,
    readonly method: string,
    readonly path: string,
    /** When the next slot opens, from now. */
    readonly retryAfterMs: number,
  ) {
    super(
      `${PROVIDER_NAMES[provider]}'s rate limit: the next slot is in ${secondsText(retryAfterMs)}; try again then`,
    );
  }
}

/** Input the server refuses before anything is sent upstream. */
export class UserInputError extends Error {
  override name = "UserInputError";
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

/**
 * Shared state the server needs for a safe answer (the confirmation store, when replicas share one) cannot
 * be reached. Guarded writes fail closed on it; nothing is sent upstream.
 */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
}

/**
 * A setting (flag or environment variable) is missing or breaks its rule; the message names it. At start-up
 * the CLI prints it and exits 2; found later (a key that cannot sign), it becomes a tool error.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const STATUS_HINTS: Record<number, string> = {
  400: "Fix the named field(s) and call again.",
  401: "The server's credentials for this provider were rejected: check the configured API token (it is never shown).",
  403: "The credentials lack the admin role or OAuth scope this operation needs.",
  404: "Check the id: list or search first (okta_search_apps, okta_search_users, the list tools).",
  405: "The upstream does not support this method on this path.",
  409: "The object's current state conflicts with this change: read it again before retrying.",
};

function hintFor(err: UpstreamError): string {
  if (err.status === 429) {
    const name = PROVIDER_NAMES[err.provider];
    return err.retryAfterMs !== undefined
      ? `${name}'s rate limit: the next slot is in ${secondsText(err.retryAfterMs)}; try again then.`
      : `Rate limited by ${name}; try again in a minute.`;
  }
  if (err.status >= 500) return "The upstream failed; try again later.";
  return STATUS_HINTS[err.status] ?? "";
}

function causeLine(c: UpstreamCause): string {
  const where = c.location ? `${c.location}: ` : "";
  const reason = c.reason ? ` (${c.reason})` : "";
  return `- ${where}${c.summary}${reason}`;
}

function formatUpstream(err: UpstreamError): string {
  const lines = [`${err.message.replace(/\.?$/, ".")}`];
  for (const cause of err.causes) lines.push(causeLine(cause));
  const hint = hintFor(err);
  if (hint) lines.push(hint);
  if (err.requestId) lines.push(`Request id: ${err.requestId}.`);
  // A 4xx means the upstream refused the request as a whole.
  if (err.status >= 400 && err.status < 500) lines.push("Nothing was changed.");
  return lines.join("\n");
}

/**
 * Error results are text only: SDK clients validate `structuredContent` against the tool's output
 * schema even when `isError` is set, so an error object there would turn the error into a protocol failure.
 */
function result(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: sanitizeText(redactSecrets(text)) }] };
}

/** Turns anything thrown inside a tool into a tool error result; the registrar's one catch calls it. */
export function toToolResult(err: unknown): CallToolResult {
  if (err instanceof UpstreamError) {
    return result(formatUpstream(err));
  }
  if (err instanceof UserInputError) {
    return result(
      `Invalid input: ${err.field}: ${err.rule}. Nothing was sent upstream; nothing was changed.`,
    );
  }
  if (err instanceof RateLimitedError) return result(`${err.message}. Nothing was changed.`);
  if (err instanceof UpstreamNetworkError) {
    return result(
      `${PROVIDER_NAMES[err.provider]} could not be used for ${err.method} ${err.path}: ${err.message}. ` +
        "The request may be retried; if it was a write, read the object first to see whether it happened.",
    );
  }
  if (err instanceof ConfigError) return result(`Server configuration problem: ${err.message}`);
  if (err instanceof StoreUnavailable) {
    return result(
      `The confirmation store is unavailable (${err.message}). Try again shortly. Nothing was changed.`,
    );
  }
  const incident = randomBytes(4).toString("hex");
  const detail = err instanceof Error ? (err.stack ?? err.message) : typeof err;
  process.stderr.write(`entitlement-mcp error: incident ${incident}: ${redactSecrets(detail)}\n`);
  return result(`Internal error (incident ${incident}); the details are in the server's log.`);
}
