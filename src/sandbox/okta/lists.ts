/**
 * How Okta lists (upstream-apis §1.5): the governance API's cursor pages (`after` = the last id, `limit`, `orderBy`, `include`,
 * `_links` and `Link` headers with the query canonicalised, `metadata.total`), and the management API's
 * bare arrays paged by `Link` headers. Results are cached per store version, so paging a large list does
 * not filter and sort it again for every page.
 */
import type { SandboxRequest, SandboxResponse } from "../kit/http.js";
import type { Json } from "../kit/json.js";
import { E, queryCause } from "./errors.js";
import type { OktaStore } from "./store.js";

export const MAX_LIMIT = 200;

interface OrderTerm {
  field: string;
  desc: boolean;
}

export interface ListQuery {
  filter?: string;
  after?: string;
  limit: number;
  order: OrderTerm[];
  /** Canonical `orderBy` for links (the caller's, or the endpoint's default when links add it). */
  orderLink?: string;
  include: string[];
}

export interface ListOptions {
  defaultLimit: number;
  orderFields: readonly string[];
  defaultOrder: string;
  /** Whether hrefs carry the default orderBy when the caller sent none (entitlements, values). */
  linkDefaultOrder: boolean;
  multiOrder?: boolean;
  /** The spec's enum of `include` items, where the endpoint takes `include`. */
  include?: readonly string[];
}

export const ENTITLEMENT_LIST: ListOptions = {
  defaultLimit: 20,
  orderFields: ["name", "created", "lastUpdated", "id"],
  defaultOrder: "name asc",
  linkDefaultOrder: true,
};
export const VALUE_LIST: ListOptions = { ...ENTITLEMENT_LIST };
export const ALL_VALUE_LIST: ListOptions = { ...ENTITLEMENT_LIST, defaultLimit: 200, defaultOrder: "id asc" };
export const BUNDLE_LIST: ListOptions = {
  defaultLimit: 20,
  orderFields: ["created", "lastUpdated", "name", "id"],
  defaultOrder: "id asc",
  linkDefaultOrder: false,
  multiOrder: true,
  include: ["full_entitlements"],
};
export const GRANT_LIST: ListOptions = {
  defaultLimit: 20,
  orderFields: ["id", "created", "lastUpdated"],
  defaultOrder: "id asc",
  linkDefaultOrder: false,
  include: ["full_entitlements", "metadata"],
};

export function enc(value: string): string {
  return encodeURIComponent(value);
}

/**
 * The `include` query parameters, split on commas; with `allowed` (the spec's enum of the endpoint's
 * include items), a value outside it is a 400 naming it.
 */
export function includes(req: SandboxRequest, allowed?: readonly string[]): string[] {
  const values = req.query
    .getAll("include")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  const unknown = allowed ? values.filter((v) => !allowed.includes(v)) : [];
  if (unknown.length > 0) {
    throw E.validation("include", [
      queryCause(
        "/include",
        `include must be one of ${allowed?.join(", ")}, not ${unknown.map((v) => `"${v}"`).join(", ")}`,
        "INVALID_ENUM_VALUE",
      ),
    ]);
  }
  return values;
}

/** limit, after, orderBy and include of a governance list, validated Okta style (400 E0000029). */
export function listQuery(req: SandboxRequest, o: ListOptions): ListQuery {
  const q = req.query;
  let limit = o.defaultLimit;
  const rawLimit = q.get("limit");
  if (rawLimit !== null) {
    const n = /^\d+$/.test(rawLimit.trim()) ? Number(rawLimit.trim()) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw E.paging([
        queryCause(
          "/limit",
          `limit must be an integer from 1 to ${MAX_LIMIT}, not "${rawLimit}"`,
          "INVALID_DATA_TYPE",
        ),
      ]);
    }
    limit = n;
  }
  const after = q.get("after") ?? undefined;
  if (after !== undefined && after.trim() === "") {
    throw E.paging([queryCause("/after", "after must not be empty", "empty.openapi.validation")]);
  }
  let order: OrderTerm[] = parseOrder(o.defaultOrder);
  let orderLink = o.linkDefaultOrder ? o.defaultOrder : undefined;
  const rawOrder = q.get("orderBy");
  if (rawOrder !== null) {
    const terms = rawOrder.split(",").map((t) => t.trim());
    const bad = (detail: string) =>
      E.paging([queryCause("/orderBy", `Invalid orderBy "${rawOrder}": ${detail}`, "STRING_FORMAT_INVALID")]);
    if (terms.length > 1 && !o.multiOrder) throw bad("sorting by a single field is supported");
    order = [];
    for (const term of terms) {
      const m = /^(\w+)(?:\s+(asc|desc))?$/i.exec(term);
      if (!m || !o.orderFields.includes(m[1] as string)) {
        throw bad(`use one of ${o.orderFields.map((f) => `"${f} asc|desc"`).join(", ")}`);
      }
      order.push({ field: m[1] as string, desc: (m[2] ?? "asc").toLowerCase() === "desc" });
    }
    orderLink = order.map((t) => `${t.field} ${t.desc ? "desc" : "asc"}`).join(",");
  }
  return {
    filter: q.get("filter") ?? undefined,
    after,
    limit,
    order,
    orderLink,
    include: includes(req, o.include),
  };
}

function parseOrder(text: string): OrderTerm[] {
  return text.split(",").map((t) => {
    const [field, dir] = t.trim().split(/\s+/);
    return { field: field as string, desc: (dir ?? "asc").toLowerCase() === "desc" };
  });
}

function compareKeys(a: string[], b: string[], terms: OrderTerm[]): number {
  for (let i = 0; i < terms.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return (x < y ? -1 : 1) * (terms[i]?.desc ? -1 : 1);
  }
  return 0;
}

function orderKey(
  item: { id: string; name?: string; created?: string; lastUpdated?: string },
  field: string,
): string {
  switch (field) {
    case "name":
      return (item.name ?? "").toLowerCase();
    case "created":
      return item.created ?? "";
    case "lastUpdated":
      return item.lastUpdated ?? "";
    default:
      return item.id;
  }
}

/** Items in the list's order (name case-insensitively), ties broken by id. */
export function sortItems<T extends { id: string; name?: string; created?: string; lastUpdated?: string }>(
  items: T[],
  terms: OrderTerm[],
): T[] {
  const all = terms.some((t) => t.field === "id") ? terms : [...terms, { field: "id", desc: false }];
  return items
    .map((item) => ({ item, keys: all.map((t) => orderKey(item, t.field)) }))
    .sort((a, b) => compareKeys(a.keys, b.keys, all))
    .map((x) => x.item);
}

/** A list result for `key`, built once per store version. */
export function cached<T extends { id: string }>(
  store: OktaStore,
  key: string,
  build: () => T[],
): { items: T[]; index: Map<string, number> } {
  const hit = store.listCache.get(key);
  if (hit && hit.version === store.version) return { items: hit.items as T[], index: hit.index };
  const items = build();
  const index = new Map(items.map((item, i) => [item.id, i]));
  if (store.listCache.size > 256) store.listCache.clear();
  store.listCache.set(key, { version: store.version, items, index });
  return { items, index };
}

/** `self`/`next` hrefs with the query canonicalised: filter, after, limit, orderBy, include. */
function listHref(store: OktaStore, path: string, lq: ListQuery, after: string | undefined): string {
  const parts: string[] = [];
  if (lq.filter !== undefined) parts.push(`filter=${enc(lq.filter)}`);
  if (after !== undefined) parts.push(`after=${enc(after)}`);
  parts.push(`limit=${lq.limit}`);
  if (lq.orderLink !== undefined) parts.push(`orderBy=${enc(lq.orderLink)}`);
  if (lq.include.length > 0) parts.push(`include=${enc(lq.include.join(","))}`);
  return `${store.cfg.baseUrl()}${path}?${parts.join("&")}`;
}

/** One page of a governance list, with `_links`, `Link` headers and (optionally) `metadata.total`. */
export function page<T extends { id: string }>(
  store: OktaStore,
  path: string,
  lq: ListQuery,
  list: { items: T[]; index: Map<string, number> },
  render: (item: T) => unknown,
  metadata: boolean,
): SandboxResponse {
  let start = 0;
  if (lq.after !== undefined) {
    const at = list.index.get(lq.after);
    if (at === undefined) {
      throw E.paging([
        queryCause(
          "/after",
          "The after parameter is invalid; be sure to use links from the previous response",
          "INVALID_AFTER_PARAMETER",
        ),
      ]);
    }
    start = at + 1;
  }
  const slice = list.items.slice(start, start + lq.limit);
  const last = slice[slice.length - 1];
  const more = start + lq.limit < list.items.length && last !== undefined;
  const self = listHref(store, path, lq, lq.after);
  const next = more ? listHref(store, path, lq, last.id) : undefined;
  const links: Json = { self: { href: self, hints: {} } };
  if (next) links.next = { href: next, hints: {} };
  const body: Json = { data: slice.map(render), _links: links };
  if (metadata) body.metadata = { total: list.items.length };
  const link = [`<${self}>; rel="self"`];
  if (next) link.push(`<${next}>; rel="next"`);
  return { status: 200, body, headers: { Link: link } };
}

/** A management API list (users, apps): a bare array, `after`/`limit` paging in `Link` headers. */
export function managementPage<T extends { id: string }>(
  store: OktaStore,
  req: SandboxRequest,
  path: string,
  items: T[],
  defaultLimit: number,
  keep: readonly string[],
  render: (item: T) => unknown,
): SandboxResponse {
  const q = req.query;
  let limit = defaultLimit;
  const rawLimit = q.get("limit");
  if (rawLimit !== null) {
    const n = /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw E.paging([
        {
          errorSummary: `limit must be an integer from 1 to ${MAX_LIMIT}`,
          location: "/limit",
          locationType: "query",
        },
      ]);
    }
    limit = n;
  }
  const after = q.get("after");
  let start = 0;
  if (after !== null) {
    const at = items.findIndex((i) => i.id === after);
    if (at < 0) {
      throw E.paging([
        {
          errorSummary: "The after parameter is invalid",
          reason: "INVALID_AFTER_PARAMETER",
          location: "/after",
          locationType: "query",
        },
      ]);
    }
    start = at + 1;
  }
  const slice = items.slice(start, start + limit);
  const kept = keep.flatMap((k) => {
    const v = q.get(k);
    return v === null ? [] : [`${k}=${enc(v)}`];
  });
  const href = (cursor: string | null) =>
    `${store.cfg.baseUrl()}${path}?${[...kept, ...(cursor !== null ? [`after=${enc(cursor)}`] : []), `limit=${limit}`].join("&")}`;
  const link = [`<${href(after)}>; rel="self"`];
  const last = slice[slice.length - 1];
  if (start + limit < items.length && last) link.push(`<${href(last.id)}>; rel="next"`);
  return { status: 200, body: slice.map(render), headers: { Link: link } };
}
