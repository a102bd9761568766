/**
 * SCIM 2.0 as IdentityIQ serves it (upstream-apis §3.3-3.7): ListResponse paging by startIndex/count (at most
 * 1000 a page), the filter subset of each resource (parsed; anything else is `invalidFilter`),
 * sortBy/sortOrder, `attributes` over `excludedAttributes`, errors in the SCIM envelope with a string
 * status, and the ServiceProviderConfig that says so.
 */
import { compileFilter, evaluateFilter, FilterError, type FilterOp, type FilterSpec } from "../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../kit/http.js";
import type { Json } from "../kit/json.js";
import { sortByText } from "../kit/lists.js";

const MAX_RESULTS = 1000;
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/** The operators IdentityIQ accepts on text attributes. */
export const TEXT_OPS: readonly FilterOp[] = ["eq", "co", "sw"];

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }
}

/** The response for anything a handler threw, in the SCIM error envelope; anything but a ScimError is a 500. */
export function errorResponse(err: unknown): SandboxResponse {
  const e = err instanceof ScimError ? err : new ScimError(500, "Internal error");
  return {
    status: e.status,
    headers: { "Content-Type": "application/scim+json" },
    body: {
      schemas: [ERROR_SCHEMA],
      ...(e.scimType ? { scimType: e.scimType } : {}),
      detail: e.detail,
      status: String(e.status),
    },
  };
}

/** Attributes that are returned whatever `attributes`/`excludedAttributes` say. */
const ALWAYS = new Set(["id", "schemas", "meta"]);

/** `attributes` / `excludedAttributes` (URN-qualified or not; sub-attributes like `application.displayName`). */
function project(resource: Json, schema: string, req: SandboxRequest): Json {
  const names = (list: string | null) =>
    (list ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean)
      .map((a) => (a.startsWith(`${schema}:`) ? a.slice(schema.length + 1) : a));
  const wanted = names(req.query.get("attributes"));
  if (wanted.length > 0) {
    const out: Json = {};
    for (const [key, value] of Object.entries(resource)) {
      if (ALWAYS.has(key)) out[key] = value;
    }
    for (const name of wanted) {
      const [head, sub] = name.split(".", 2) as [string, string | undefined];
      if (!(head in resource)) {
        // An extension attribute asked for by its full URN (e.g. the user's entitlements).
        if (name in resource) out[name] = resource[name];
        continue;
      }
      const value = resource[head];
      if (sub === undefined) out[head] = value;
      else {
        const pick = (v: unknown) => (v && typeof v === "object" ? { [sub]: (v as Json)[sub] } : v);
        out[head] = Array.isArray(value) ? value.map(pick) : pick(value);
      }
    }
    return out;
  }
  const drop = new Set(names(req.query.get("excludedAttributes")).filter((n) => !ALWAYS.has(n)));
  return Object.fromEntries(Object.entries(resource).filter(([key]) => !drop.has(key)));
}

/** How a resource type lists: its schema URN and its filter table. */
export interface ScimResource {
  schema: string;
  filters: FilterSpec;
}

/** A ListResponse of `items`: filtered, sorted, one page from startIndex, each projected. */
export function listResponse(req: SandboxRequest, items: Json[], resource: ScimResource): SandboxResponse {
  const { schema } = resource;
  const startIndex = req.query.has("startIndex") ? Number(req.query.get("startIndex")) : 1;
  const count = req.query.has("count") ? Number(req.query.get("count")) : MAX_RESULTS;
  if (!Number.isInteger(startIndex) || startIndex < 1) {
    throw new ScimError(400, "startIndex must be a whole number of at least 1", "invalidValue");
  }
  if (!Number.isInteger(count) || count < 0)
    throw new ScimError(400, "count must be a whole number", "invalidValue");
  let matched = items;
  const filter = req.query.get("filter");
  if (filter) {
    try {
      const node = compileFilter(filter, resource.filters);
      matched = items.filter((item) => evaluateFilter(node, item, resource.filters));
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      const attr = /attribute:? ([\w.:]+)/.exec(err.message)?.[1];
      throw new ScimError(
        400,
        err.kind === "unsupported" && attr
          ? `Invalid filter, attribute does not support search: ${attr}`
          : `Invalid filter: ${err.message}`,
        "invalidFilter",
      );
    }
  }
  const sortBy = req.query.get("sortBy");
  if (sortBy) {
    const key = sortBy.startsWith(`${schema}:`) ? sortBy.slice(schema.length + 1) : sortBy;
    const descending = (req.query.get("sortOrder") ?? "ascending").toLowerCase() === "descending";
    matched = sortByText(matched, (r) => String(r[key] ?? ""), descending);
  }
  const page = matched.slice(startIndex - 1, startIndex - 1 + Math.min(count, MAX_RESULTS));
  return {
    status: 200,
    body: {
      schemas: [LIST_SCHEMA],
      totalResults: matched.length,
      itemsPerPage: page.length,
      startIndex,
      Resources: page.map((r) => project(r, schema, req)),
    },
  };
}

/** One resource by the `{id}` of the route, projected, or a SCIM 404. */
export function oneResponse(
  req: SandboxRequest,
  resource: Json | undefined,
  schema: string,
): SandboxResponse {
  if (!resource) throw new ScimError(404, `Resource not found: ${req.params.id ?? ""}`);
  return { status: 200, body: project(resource, schema, req) };
}

/** Discovery: what this SCIM service supports. Served without authentication. */
export const DISCOVERY_ROUTE = "GET /ServiceProviderConfig";

export const discoveryRoutes: RouteTable<unknown> = {
  [DISCOVERY_ROUTE]: () => ({
    status: 200,
    body: {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: false },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: MAX_RESULTS },
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        { type: "httpbasic", name: "HTTP Basic", description: "Authentication via HTTP Basic" },
        {
          type: "oauthbearertoken",
          name: "OAuth Bearer Token",
          description: "OAuth 2.0 client credentials",
        },
      ],
    },
  }),
};
