/**
 * Route matching for the sandbox: route strings as the upstream docs write them
 * (`"GET /governance/api/v1/entitlements/{entitlementId}"`), matched so that literal segments win over
 * parameters (`/entitlements/values` is never taken for an entitlement id).
 */
import type { RouteDef, RouteMatch } from "./http.js";

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
