/**
 * The sandbox's tiny HTTP vocabulary: the request/response shapes a provider module works with, and
 * route tables keyed by the upstream docs' route strings (`"GET /governance/api/v1/entitlements/{entitlementId}"`),
 * the same strings the tool definitions use. No provider knowledge lives here.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

export interface SandboxRequest {
  method: string;
  /** The raw path, without the query string. */
  path: string;
  /** The raw query string, without the leading "?". */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw body text ("" when none was sent). */
  body: string;
  /** Decoded route parameters, filled in once a route matched. */
  params: Record<string, string>;
}

export interface SandboxResponse {
  status: number;
  /** Serialised as JSON when present; absent for 204. */
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export interface RouteDef {
  /** `"METHOD /path/{param}"`, exactly as the upstream docs (and the tool definitions) write it. */
  route: string;
  handler: Handler;
  /**
   * A path prefix the route is served under, when the docs write routes relative to a base URL
   * (IdentityIQ's `/identityiq/scim/v2`): `route` stays the documented string, the path gains the prefix.
   */
  prefix?: string;
}

/**
 * One upstream emulated by the sandbox, plugged into the server as a route table. `dispatch` wraps
 * every request the provider answers (auth, rate limits, common headers, error bodies); it receives
 * the matched route, or `undefined` for a path the provider claims but serves no route for.
 */
export interface SandboxProvider {
  readonly name: string;
  readonly routes: readonly RouteDef[];
  /** True for paths this provider answers even when no route matches (its own 404/405 style). */
  claims(path: string): boolean;
  dispatch(req: SandboxRequest, match: RouteMatch | undefined): Promise<SandboxResponse>;
  /** A forced failure with `status`, in this upstream's error style (fault injection). */
  failure?(req: SandboxRequest, status: number): SandboxResponse;
}

export interface RouteMatch {
  def: RouteDef;
  params: Record<string, string>;
  /** False when the path matched a route but the method did not (a 405 in most upstreams). */
  methodAllowed: boolean;
}

/** Reads the whole request body as UTF-8 text, refusing bodies above `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes = 8 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) throw new Error("request body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * One resource's routes: each route string (as the upstream docs and the tool definitions write it) to its
 * handler, a function over the provider's store.
 */
export type RouteTable<S> = Readonly<
  Record<string, (store: S, req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>>
>;

/** The routes of `tables` bound to `store`, in table order (the order `sandbox.routes` lists them in). */
export function bindRoutes<S>(store: S, tables: readonly RouteTable<S>[], prefix?: string): RouteDef[] {
  return tables.flatMap((table) =>
    Object.entries(table).map(([route, handle]) => ({
      route,
      handler: (req: SandboxRequest) => handle(store, req),
      ...(prefix === undefined ? {} : { prefix }),
    })),
  );
}
