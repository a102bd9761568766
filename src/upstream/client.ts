/**
 * The upstream HTTP client, on undici: one keep-alive pool per origin, route expansion with every path
 * parameter percent-encoded, stable query encoding, per-provider auth headers, header and body timeouts
 * chained with the MCP call's abort signal, rate pacing and retries, and upstream error bodies parsed
 * into UpstreamError. What differs per provider comes in with its endpoint (`UpstreamProfile`).
 */
import type { Dispatcher } from "undici";
import {
  RateLimitedError,
  registerSecret,
  UpstreamError,
  UpstreamNetworkError,
  UserInputError,
} from "../core/errors.js";
import {
  type Provider,
  parseRoute,
  type QueryValue,
  type RequestParts,
  type Route,
} from "../core/operation.js";
import { VERSION } from "../core/version.js";
import {
  genericErrorInfo,
  type PathIdRule,
  type UpstreamErrorInfo,
  type UpstreamProfile,
} from "./profile.js";
import {
  backoffMs,
  bucketOf,
  type Clock,
  PROBE_POLL_MS,
  type RateBudget,
  RateLimiter,
  realClock,
  Semaphore,
  type WaitReport,
} from "./rate-limit.js";
import { type Headers, header } from "./read.js";

/** The request an auth provider signs for (DPoP proofs bind the method and URL). */
export interface AuthRequest {
  method: string;
  /** Absolute URL without the query (RFC 9449 `htu`). */
  url: string;
}

/** Headers a provider's requests carry: SSWS, API keys, Basic, or OAuth/DPoP tokens. */
export type AuthProvider = (request: AuthRequest) => Promise<Record<string, string>> | Record<string, string>;

export interface ProviderEndpoint {
  /** Origin plus an optional path prefix (IdentityIQ: `https://host/identityiq/scim/v2`). */
  baseUrl: string;
  auth: AuthProvider;
  /** Values to redact from every message (tokens). */
  secrets?: string[];
  /** Content type of request bodies; default application/json. */
  contentType?: string;
  /** What this client needs to know about the provider: its ids, error bodies, rate buckets. */
  profile: UpstreamProfile;
}

export interface UpstreamOptions {
  providers: Partial<Record<Provider, ProviderEndpoint>>;
  /** Requests in flight per provider (default 8). */
  concurrency?: number;
  /** The longest a call may spend waiting on rate limits and retries, in all (default 45 s). */
  maxWaitMs?: number;
  /**
   * The longest a call waits for a slot under the upstream's rate limit (default 20 s, well under a client's
   * usual 60 s timeout). A call that would wait longer fails fast, before anything is sent, naming when the
   * next slot opens (RateLimitedError); so does a 429 whose reset is further away than that.
   */
  maxRateWaitMs?: number;
  /** Retries of network errors and 5xx for idempotent requests (default 2). */
  maxRetries?: number;
  clock?: Clock;
  /** The upstream rate budget: this process's own by default, or one replicas share. */
  budget?: RateBudget;
  /** Tests pass a MockAgent; by default one undici Pool per origin. */
  dispatcher?: Dispatcher;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxBodyBytes?: number;
  userAgent?: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: unknown;
  requestId?: string;
}

/**
 * `/a/{b}` with every param percent-encoded; missing, empty, "." and ".." params are refused, and with a
 * provider's id rule every param must be one of its ids.
 */
export function expandPath(pathTemplate: string, params: Record<string, string>, ids?: PathIdRule): string {
  return pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === "") throw new UserInputError(name, "is required");
    if (value === "." || value === "..")
      throw new UserInputError(name, "must not be a relative path segment");
    if (ids && !ids.pattern.test(value))
      throw new UserInputError(name, `${ids.rule} (refused before any request)`);
    // ":" is a path character (RFC 3986 pchar) and Okta's own traffic sends ORNs with raw colons.
    return encodeURIComponent(value).replace(/%3A/gi, ":");
  });
}

/** Stable query string: insertion order, undefined skipped, arrays comma-joined, %20 for spaces. */
export function encodeQuery(query: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(",") : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** How long to wait before retrying: Retry-After, or else the provider's own reset header. */
export function retryAfterMs(
  profile: UpstreamProfile,
  headers: Headers,
  now: number = Date.now(),
): number | undefined {
  const retryAfter = header(headers, "retry-after");
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return profile.resetAfterMs?.(headers, now);
}

/** Reads an error body: the provider's own shape first, then what any upstream may send. */
export function parseErrorBody(
  profile: UpstreamProfile,
  status: number,
  body: unknown,
  headers: Headers,
): UpstreamErrorInfo {
  return profile.parseError?.(status, body, headers) ?? genericErrorInfo(status, body, headers);
}

const DEFAULTS = {
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 30_000,
  maxBodyBytes: 20 * 1024 * 1024,
  concurrency: 8,
  maxWaitMs: 45_000,
  maxRateWaitMs: 20_000,
  maxRetries: 2,
};

export interface RequestOptions {
  signal?: AbortSignal;
  /**
   * Whether sending the request twice is harmless (reads, PUT, DELETE, searches through POST). Only such
   * requests are retried after a network error or a 5xx: a write that may have happened is never re-sent.
   */
  idempotent?: boolean;
  /** Told whenever the call waits (rate limit, retry backoff), so the client can be shown progress. */
  onWait?: (wait: WaitReport) => void;
}

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

export class UpstreamClient {
  private readonly pools = new Map<string, Dispatcher>();
  private readonly options: UpstreamOptions & typeof DEFAULTS;
  private readonly clock: Clock;
  private readonly limiter: RateBudget;
  private readonly slots = new Map<Provider, Semaphore>();
  /** Calls of this process waiting for a bucket's window to reset. */
  private readonly waiting = new Map<string, number>();

  constructor(options: UpstreamOptions) {
    this.options = { ...DEFAULTS, ...options };
    this.clock = options.clock ?? realClock;
    this.limiter = options.budget ?? new RateLimiter(this.clock);
    for (const [provider, endpoint] of Object.entries(options.providers)) {
      // The key names the provider in errors; the profile holds its id rule: they must agree.
      if (endpoint && endpoint.profile.name !== provider) {
        throw new Error(
          `The endpoint for ${provider} carries the profile of ${endpoint.profile.name}: build each endpoint with its own provider's profile.`,
        );
      }
      for (const secret of endpoint?.secrets ?? []) registerSecret(secret);
    }
  }

  has(provider: Provider): boolean {
    return this.options.providers[provider] !== undefined;
  }

  /** One request; 2xx resolves, >= 400 throws UpstreamError, anything else UpstreamNetworkError. */
  async request(
    provider: Provider,
    route: Route,
    parts: RequestParts,
    options: RequestOptions = {},
  ): Promise<UpstreamResponse> {
    const endpoint = this.options.providers[provider];
    if (!endpoint)
      throw new UpstreamNetworkError(provider, route, "", `provider ${provider} is not configured`);
    const { method, path: template } = parseRoute(route);
    const base = new URL(endpoint.baseUrl);
    const path = `${base.pathname.replace(/\/$/, "")}${expandPath(template, parts.path, endpoint.profile.pathId)}`;
    const search = encodeQuery(parts.query);
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const bucket = bucketOf(endpoint.profile, path);
    const started = this.clock.now();
    // Waiting is bounded: rate-limit waits by maxRateWaitMs, retry backoffs by maxWaitMs, both since the start.
    const rateBound = Math.min(this.options.maxRateWaitMs, this.options.maxWaitMs);
    const waitedMs = () => this.clock.now() - started;
    const wait = async ({ ms, reason }: WaitReport) => {
      options.onWait?.({ ms, reason });
      await this.clock.sleep(ms, options.signal);
    };
    for (let attempt = 0; ; attempt += 1) {
      // Paced before taking a concurrency slot, so a call that waits for the window holds no one else up.
      // Asked again after every pause: a pause reserves nothing, and others wait for the same reset. A call
      // that cannot get a slot in time fails here, before anything is sent.
      for (
        let pause = await this.limiter.delayFor(bucket);
        pause > 0;
        pause = await this.limiter.delayFor(bucket)
      ) {
        if (pause <= PROBE_POLL_MS) {
          // Waiting for an answer that tells the budget (a bucket's first, or a new window's).
          if (waitedMs() + pause > rateBound) throw new RateLimitedError(provider, method, path, pause);
          await this.clock.sleep(pause, options.signal);
          continue;
        }
        // The callers of this process already waiting take the next windows' slots first: this one's slot
        // is as many windows later as they fill.
        const { limit, windowMs = 0 } = this.limiter.shape?.(bucket) ?? {};
        const queued = this.waiting.get(bucket) ?? 0;
        const slotIn = pause + (limit ? Math.floor(queued / limit) * windowMs : 0);
        if (waitedMs() + slotIn > rateBound) throw new RateLimitedError(provider, method, path, slotIn);
        this.waiting.set(bucket, queued + 1);
        try {
          await wait({ ms: pause, reason: "pacing under the upstream's rate limit" });
        } finally {
          const left = (this.waiting.get(bucket) ?? 1) - 1;
          if (left > 0) this.waiting.set(bucket, left);
          else this.waiting.delete(bucket);
        }
      }
      let retry: WaitReport;
      const release = await this.slot(provider).acquire();
      try {
        const response = await this.send(
          provider,
          endpoint,
          base.origin,
          method,
          path,
          search,
          parts.body,
          options.signal,
        );
        await this.limiter.update(bucket, response.headers);
        return response;
      } catch (err) {
        if (err instanceof UpstreamError) await this.limiter.update(bucket, err.headers);
        const delay = this.retryDelay(err, idempotent, attempt);
        if (delay === undefined || options.signal?.aborted) throw err;
        // A 429 is waited out only within the rate wait; past it, the upstream's answer (with its reset) is
        // the result. Other retries share the whole wait budget.
        const bound = isRateLimited(err) ? rateBound : this.options.maxWaitMs;
        if (waitedMs() + delay.ms > bound) throw err;
        retry = delay;
      } finally {
        // The slot is for requests in flight: no one's slot is held through a wait.
        release();
      }
      await wait(retry);
    }
  }

  /** How long to wait before sending again, or undefined when the error is final. */
  private retryDelay(err: unknown, idempotent: boolean, attempt: number): WaitReport | undefined {
    if (isRateLimited(err) && err instanceof UpstreamError) {
      // The upstream refused before doing anything: safe to resend any method once the window resets.
      return {
        ms: err.retryAfterMs ?? backoffMs(attempt),
        reason: "rate limited (429); waiting for the window to reset",
      };
    }
    if (!idempotent || attempt >= this.options.maxRetries) return undefined;
    const transient =
      (err instanceof UpstreamError && err.status >= 500) ||
      (err instanceof UpstreamNetworkError && err.retryable);
    return transient
      ? { ms: backoffMs(attempt), reason: "retrying after a transient upstream failure" }
      : undefined;
  }

  private slot(provider: Provider): Semaphore {
    let slot = this.slots.get(provider);
    if (!slot) {
      slot = new Semaphore(this.options.concurrency);
      this.slots.set(provider, slot);
    }
    return slot;
  }

  private async dispatcherFor(origin: string): Promise<Dispatcher> {
    if (this.options.dispatcher) return this.options.dispatcher;
    let pool = this.pools.get(origin);
    if (!pool) {
      // undici loads on the first request, not at start-up: a server answers tools/list without it.
      const { Pool } = await import("undici");
      pool =
        this.pools.get(origin) ??
        new Pool(origin, {
          connections: 16,
          headersTimeout: this.options.headersTimeoutMs,
          bodyTimeout: this.options.bodyTimeoutMs,
        });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private async send(
    provider: Provider,
    endpoint: ProviderEndpoint,
    origin: string,
    method: string,
    path: string,
    search: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<UpstreamResponse> {
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": this.options.userAgent ?? `entitlement-mcp/${VERSION}`,
      ...(await endpoint.auth({ method, url: `${origin}${path}` })),
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers["content-type"] = endpoint.contentType ?? "application/json";
    let response: Dispatcher.ResponseData;
    try {
      response = await (await this.dispatcherFor(origin)).request({
        origin,
        method: method as Dispatcher.HttpMethod,
        path: `${path}${search}`,
        headers,
        body: payload,
        signal,
        headersTimeout: this.options.headersTimeoutMs,
        bodyTimeout: this.options.bodyTimeoutMs,
      });
    } catch (err) {
      throw new UpstreamNetworkError(provider, method, path, describeNetworkError(err, signal), {
        cause: err,
        retryable: !signal?.aborted,
      });
    }
    const responseHeaders = response.headers as Headers;
    const raw = await this.readBody(provider, method, path, response, signal);
    const own = endpoint.profile.requestIdHeader;
    const requestId =
      (own ? header(responseHeaders, own) : undefined) ?? header(responseHeaders, "x-request-id");
    let parsed: unknown;
    if (raw.length > 0) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        if (response.statusCode < 400) {
          throw new UpstreamNetworkError(
            provider,
            method,
            path,
            `the response (${response.statusCode}) is not valid JSON`,
          );
        }
        parsed = undefined;
      }
    }
    if (response.statusCode >= 400) {
      const info = parseErrorBody(endpoint.profile, response.statusCode, parsed, responseHeaders);
      throw new UpstreamError({
        provider,
        status: response.statusCode,
        ...info,
        requestId,
        method,
        path,
        retryAfterMs: retryAfterMs(endpoint.profile, responseHeaders),
        headers: responseHeaders,
      });
    }
    return { status: response.statusCode, headers: responseHeaders, body: parsed, requestId };
  }

  private async readBody(
    provider: Provider,
    method: string,
    path: string,
    response: Dispatcher.ResponseData,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && declared > this.options.maxBodyBytes) {
      response.body.destroy();
      throw new UpstreamNetworkError(
        provider,
        method,
        path,
        `the response body is too large (${declared} bytes)`,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > this.options.maxBodyBytes) {
          response.body.destroy();
          throw new UpstreamNetworkError(
            provider,
            method,
            path,
            `the response body is too large (over ${this.options.maxBodyBytes} bytes)`,
          );
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof UpstreamNetworkError) throw err;
      throw new UpstreamNetworkError(provider, method, path, describeNetworkError(err, signal), {
        cause: err,
        retryable: !signal?.aborted,
      });
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close().catch(() => {})));
    this.pools.clear();
  }
}

function isRateLimited(err: unknown): boolean {
  return err instanceof UpstreamError && err.status === 429;
}

function describeNetworkError(err: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return "the call was cancelled";
  const code = (err as { code?: string })?.code;
  switch (code) {
    case "UND_ERR_HEADERS_TIMEOUT":
      return "the upstream did not answer in time (headers timeout)";
    case "UND_ERR_BODY_TIMEOUT":
      return "the upstream stopped sending its response (body timeout)";
    case "ECONNREFUSED":
      return "the connection was refused";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "the connection was dropped";
    case "ENOTFOUND":
      return "the host name does not resolve";
    default:
      return `the request failed (${code ?? (err instanceof Error ? err.name : "unknown error")})`;
  }
}
