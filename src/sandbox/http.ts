/**
 * The sandbox's tiny HTTP vocabulary: a route table keyed by the upstream docs' route strings
 * (`"GET /governance/api/v1/entitlements/{entitlementId}"`), a matcher that prefers literal segments
 * over parameters (so `/entitlements/values` is never taken for an entitlement id), and the
 * request/response shapes a provider module works with. No provider knowledge lives here.
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

interface CompiledRoute {
  def: RouteDef;
  method: string;
  segments: string[];
  /** Names of the `{param}` segments, by position (undefined for literal segments). */
  params: (string | undefined)[];
  /** For ranking: literal segments before parameters, position by position. */
  rank: string;
}

export class Router {
  private readonly compiled: CompiledRoute[];
  private readonly defs: readonly RouteDef[];

  constructor(defs: readonly RouteDef[]) {
    this.defs = defs;
    this.compiled = defs.map((def) => compile(def));
    // Most specific first: at the first segment where two routes differ, a literal beats a param.
    this.compiled.sort((a, b) => (a.rank < b.rank ? 1 : a.rank > b.rank ? -1 : 0));
  }

  /** Every route string, in definition order, without duplicates. */
  routes(): string[] {
    return [...new Set(this.defs.map((d) => d.route))];
  }

  /** The best route for the path; `methodAllowed` is false when only other methods serve the path. */
  match(method: string, path: string): RouteMatch | undefined {
    const segments = splitPath(path);
    if (!segments) return undefined;
    let pathOnly: RouteMatch | undefined;
    for (const route of this.compiled) {
      const params = matchSegments(route, segments);
      if (!params) continue;
      if (route.method === method) return { def: route.def, params, methodAllowed: true };
      pathOnly ??= { def: route.def, params, methodAllowed: false };
    }
    return pathOnly;
  }
}

function compile(def: RouteDef): CompiledRoute {
  const space = def.route.indexOf(" ");
  const method = def.route.slice(0, space);
  const segments = `${def.prefix ?? ""}${def.route.slice(space + 1)}`.split("/").filter((s) => s !== "");
  const params = segments.map((s) => (s.startsWith("{") && s.endsWith("}") ? s.slice(1, -1) : undefined));
  const rank = params.map((p) => (p === undefined ? "1" : "0")).join("");
  return { def, method, segments, params, rank };
}

function splitPath(path: string): string[] | undefined {
  if (!path.startsWith("/")) return undefined;
  const parts = path.slice(1).split("/");
  // A trailing slash or an empty segment never matches a route.
  if (parts.some((p) => p === "")) return parts.length === 1 && parts[0] === "" ? [] : undefined;
  return parts;
}

function matchSegments(route: CompiledRoute, segments: string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const name = route.params[i];
    const actual = segments[i] as string;
    if (name === undefined) {
      if (route.segments[i] !== actual) return undefined;
      continue;
    }
    try {
      params[name] = decodeURIComponent(actual);
    } catch {
      return undefined;
    }
  }
  return params;
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
 * A small deterministic PRNG (mulberry32), so ids, error ids and request ids are the same on
 * every run of the same scenario.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** `n` characters of base62. */
  chars(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += BASE62[Math.floor(this.next() * 62)];
    return out;
  }
}

export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 32-bit FNV-1a of a string: a stable seed derived from a name. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stable Okta-style id: 3-character prefix + 17 base62 characters derived from `key`. */
export function stableId(prefix: string, key: string): string {
  return prefix + new Prng(fnv1a(`${prefix}:${key}`)).chars(20 - prefix.length);
}
