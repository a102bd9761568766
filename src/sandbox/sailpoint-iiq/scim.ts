/**
 * SCIM 2.0 as IdentityIQ serves it (upstream-apis §3.3-3.7, its 8.3 OpenAPI spec, RFC 7644): ListResponse
 * paging by startIndex/count (below 1 means 1; count 0 the total only; at most maxResults a page), the
 * filter subset of each resource with attribute names in any case (anything else is `invalidFilter`),
 * sortBy/sortOrder, `attributes` over `excludedAttributes` (URN-qualified names reach into an extension),
 * and errors in the SCIM envelope with a string status.
 */
import {
  compileFilter,
  evaluateFilter,
  FilterError,
  type FilterOp,
  type FilterSpec,
  getPath,
} from "../kit/filter.js";
import type { SandboxRequest, SandboxResponse } from "../kit/http.js";
import type { Json } from "../kit/json.js";
import { sortByText } from "../kit/lists.js";

/** The most resources one page holds (ServiceProviderConfig's filter.maxResults). */
export const MAX_RESULTS = 1000;
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

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

/**
 * An attribute name as a path into a resource (RFC 7644 §3.10): the core schema's URN dropped, an extension's
 * URN kept as the first key (its attributes are nested under it, RFC 7643 §3.3), the rest split on dots;
 * each key spelled as the resource spells it, compared without case. Undefined for an attribute it lacks.
 */
function pathOf(resource: Json, schema: string, name: string): string[] | undefined {
  const keys = Object.keys(resource);
  const lower = name.toLowerCase();
  let head: string | undefined;
  let rest = name;
  if (lower.startsWith(`${schema.toLowerCase()}:`)) rest = name.slice(schema.length + 1);
  else {
    const urn = keys.find(
      (k) => k.startsWith("urn:") && (lower === k.toLowerCase() || lower.startsWith(`${k.toLowerCase()}:`)),
    );
    if (urn) {
      head = urn;
      rest = name.slice(urn.length + 1);
    }
  }
  const parts = rest === "" ? [] : rest.split(".");
  const path = head ? [head, ...parts] : parts;
  let node: unknown = resource;
  const out: string[] = [];
  for (const part of path) {
    const object = Array.isArray(node) ? node.find((v) => v && typeof v === "object") : node;
    if (!object || typeof object !== "object") return undefined;
    const key = Object.keys(object).find((k) => k.toLowerCase() === part.toLowerCase());
    if (key === undefined) return undefined;
    out.push(key);
    node = (object as Json)[key];
  }
  return out.length > 0 ? out : undefined;
}

/** `value` reduced to what `path` reaches, keeping its shape (arrays element by element). */
function pick(value: unknown, path: string[]): unknown {
  if (path.length === 0) return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, path));
  if (!value || typeof value !== "object") return value;
  const [key, ...rest] = path as [string, ...string[]];
  return key in value ? { [key]: pick((value as Json)[key], rest) } : {};
}

/** Deep-merges what `pick` returned for several paths. */
function merge(into: unknown, add: unknown): unknown {
  if (Array.isArray(into) && Array.isArray(add)) return into.map((v, i) => merge(v, add[i]));
  if (into && add && typeof into === "object" && typeof add === "object") {
    const out: Json = { ...(into as Json) };
    for (const [k, v] of Object.entries(add as Json)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  return add;
}

/** `value` without what `path` reaches. */
function omit(value: unknown, path: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => omit(v, path));
  if (!value || typeof value !== "object") return value;
  const [key, ...rest] = path as [string, ...string[]];
  const { [key]: inner, ...others } = value as Json;
  return rest.length === 0 || inner === undefined ? others : { ...others, [key]: omit(inner, rest) };
}

/** Comma-separated attribute names; spaces around them do not count. */
const names = (list: string | null) =>
  (list ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);

/**
 * `attributes` / `excludedAttributes` applied to one resource; id, schemas and meta always stay, and so do
 * the resource type's own `always` attributes (those its schema requires, like a Workflow's name).
 */
export function project(
  resource: Json,
  schema: string,
  req: SandboxRequest,
  always: readonly string[] = [],
): Json {
  const kept = (key: string) => ALWAYS.has(key) || always.includes(key);
  const wanted = names(req.query.get("attributes"));
  if (wanted.length > 0) {
    let out: unknown = Object.fromEntries(Object.entries(resource).filter(([key]) => kept(key)));
    for (const name of wanted) {
      const path = pathOf(resource, schema, name);
      if (path) out = merge(out, pick(resource, path));
    }
    return out as Json;
  }
  let out: unknown = resource;
  for (const name of names(req.query.get("excludedAttributes"))) {
    const path = pathOf(resource, schema, name);
    if (path && !(path.length === 1 && kept(path[0] as string))) out = omit(out, path);
  }
  return out as Json;
}

/** How a resource type lists: its schema URN, its filter table, and its default page size. */
export interface ScimResource {
  schema: string;
  filters: FilterSpec;
  /** The spec's default `count` (1000 unless it says otherwise). */
  defaultCount?: number;
  /** Attributes returned whatever `attributes`/`excludedAttributes` say, besides id, schemas and meta. */
  always?: readonly string[];
}

/** An integer query parameter, or a SCIM 400 naming it. */
function integerParam(req: SandboxRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value)) {
    throw new ScimError(400, `${name} must be an integer, got "${raw}"`, "invalidValue");
  }
  return value;
}

/** What a sort compares: text, or a reference's display name (`application` sorts by the application's). */
function sortKey(item: Json, path: string): string {
  const value = getPath(item, path)[0];
  if (value && typeof value === "object") {
    const ref = value as Json;
    return String(ref.displayName ?? ref.display ?? ref.value ?? "");
  }
  return value === undefined || value === null ? "" : String(value);
}

function filtered(req: SandboxRequest, items: Json[], resource: ScimResource): Json[] {
  const filter = req.query.get("filter");
  if (!filter) return items;
  try {
    const node = compileFilter(filter, resource.filters, { caseInsensitiveNames: true });
    return items.filter((item) => evaluateFilter(node, item, resource.filters));
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

function sorted(req: SandboxRequest, items: Json[], schema: string): Json[] {
  const sortBy = req.query.get("sortBy");
  if (!sortBy || items.length === 0) return items;
  const path = pathOf(items[0] as Json, schema, sortBy)?.join(".") ?? sortBy;
  const descending = (req.query.get("sortOrder") ?? "ascending").toLowerCase() === "descending";
  return sortByText(items, (r) => sortKey(r, path), descending);
}

/** A ListResponse of `items`: filtered, sorted, one page from startIndex, each projected (RFC 7644 §3.4.2). */
export function listResponse(req: SandboxRequest, items: Json[], resource: ScimResource): SandboxResponse {
  // RFC 7644 §3.4.2.4: a startIndex below 1 means 1, a negative count means 0 (the total only).
  const startIndex = Math.max(1, integerParam(req, "startIndex", 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, integerParam(req, "count", resource.defaultCount ?? 1000)));
  const matched = sorted(req, filtered(req, items, resource), resource.schema);
  const page = matched.slice(startIndex - 1, startIndex - 1 + count);
  return {
    status: 200,
    body: {
      schemas: [LIST_SCHEMA],
      totalResults: matched.length,
      itemsPerPage: page.length,
      startIndex,
      Resources: page.map((r) => project(r, resource.schema, req, resource.always)),
    },
  };
}

/** One resource, projected, or a SCIM 404 naming what was asked for. */
export function oneResponse(
  req: SandboxRequest,
  resource: Json | undefined,
  schema: string,
  always?: readonly string[],
): SandboxResponse {
  if (!resource) throw new ScimError(404, `Resource not found: ${req.params.id ?? ""}`);
  return { status: 200, body: project(resource, schema, req, always) };
}
