/**
 * Atomicwork's grants (upstream-apis §2.2-2.4): create (optionally under a policy), the list with its filter
 * model and two kinds of paging (page numbers, or `next_page_token`), update, revoke (with or without
 * deprovisioning) and each grant's history. What each answers follows the spec's descriptions: a create
 * "returns the created grant", the list "paginated results with page, per_page and next_page_token", a
 * revocation "includes a revocation_status object", history entries "event_type, event_at, event_by"; an
 * update, of which the spec says nothing more than "Empty response body", answers `{}`.
 */
import type { RouteTable, SandboxRequest } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { sortByText } from "../../kit/lists.js";
import { invalid, notFound } from "../errors.js";
import type { AtomicworkStore } from "../store.js";
import { bool, dateTime, int, jsonBody, obj, oneOf, page, param, queryInt, text } from "../validation.js";

const GRANT_STATUSES = ["GRANTED", "EXPIRED", "EXTENDED", "REVOKED"];
/** Sort orders: each field ascending, then descending. */
const orders = (...fields: string[]) => fields.flatMap((f) => [`${f}_ASC`, `${f}_DESC`]);
const HISTORY_SORTS = orders("CREATED_AT", "UPDATED_AT");
const GRANT_SORTS = [
  ...HISTORY_SORTS,
  ...orders("NAME"),
  "PUBLISHED_DESC",
  "UNPUBLISHED_DESC",
  ...orders("EXPIRES_AT", "GRANTED_AT"),
];

/**
 * The grant of the path. `int64` (revoke, history) refuses what is not an integer, as a typed path does;
 * PUT types the same id as a string, so anything else is only an unknown grant there.
 */
function grantOr404(store: AtomicworkStore, req: SandboxRequest, typed: "int64" | "string"): Json {
  const raw = req.params.grant_id ?? "";
  if (typed === "int64" && !/^\d{1,18}$/.test(raw)) throw invalid("grant_id must be an integer (int64)");
  const grant = /^\d{1,18}$/.test(raw) ? store.grants.get(Number(raw)) : undefined;
  if (!grant) throw notFound("Grant", raw);
  return grant;
}

/** The policy a grant is put under, by id or key (404 when unknown); `undefined` when neither is given. */
function policyOf(store: AtomicworkStore, b: Json): Json | undefined {
  const id = int(b.policy_id, "policy_id", false);
  const key = text(b.policy_key, "policy_key", 255, false);
  if (id !== undefined) {
    if (!store.policies.has(id)) throw notFound("Policy", id);
    return store.policyRef(id);
  }
  if (key === undefined) return undefined;
  const policy = store.policyByKey(key);
  if (!policy) throw notFound("Policy", key);
  return store.policyRef(policy.id as number);
}

/** PUBLISHED_DESC: grants of published entitlements first; UNPUBLISHED_DESC: the others first. */
function sortGrants(store: AtomicworkStore, list: Json[], sort: string): Json[] {
  if (sort === "PUBLISHED_DESC" || sort === "UNPUBLISHED_DESC") {
    const published = (g: Json) =>
      store.entitlements.get(Number((g.entitlement as Json).id))?.status === "PUBLISHED";
    const first = sort === "PUBLISHED_DESC";
    return [...list].sort((a, b) => Number(published(b) === first) - Number(published(a) === first));
  }
  const field = sort.replace(/_(ASC|DESC)$/, "").toLowerCase();
  const key = (g: Json) => String(field === "name" ? (g.entitlement as Json).name : (g[field] ?? ""));
  return sortByText(list, key, sort.endsWith("DESC"));
}

/** What each filter attribute reads from a grant (`last_login_at` is accepted; grants carry no login). */
const FILTER_ATTRIBUTES: Readonly<Record<string, (grant: Json) => unknown>> = {
  status: (g) => g.status,
  user: (g) => (g.user as Json)?.id,
  app: (g) => (g.app as Json)?.id,
  entitlement: (g) => (g.entitlement as Json)?.id,
  entitlement_value: (g) => (g.entitlement as Json)?.name,
  granted_at: (g) => g.granted_at,
  expires_at: (g) => g.expires_at,
  last_login_at: () => undefined,
};

const OPERATORS = [
  "EQUALS",
  "NOT_EQUALS",
  "CONTAINS",
  "NOT_CONTAINS",
  "IN",
  "NOT_IN",
  "GREATER_THAN",
  "LESS_THAN",
  "GREATER_THAN_EQUALS",
  "LESS_THAN_EQUALS",
  "IS_BETWEEN",
  "IS_NULL",
  "IS_NOT_NULL",
  "STARTS_WITH",
  "ENDS_WITH",
  "TEXT_CONTAINS",
  "TEXT_DOES_NOT_CONTAINS",
  "IS_ANY_OF",
  "IS_NOT_ANY_OF",
  "IS_EXACTLY",
  "IS_ON_OR_BEFORE",
  "IS_ON_OR_AFTER",
  "IS_WITHIN",
];

interface Filter {
  attribute: string;
  operator: string;
  values: unknown[];
}

/** One filter of the body, checked before any grant is read: {attribute, operator, values:[{value}]}. */
function filterOf(raw: unknown, i: number): Filter {
  const field = `filters[${i}]`;
  const f = obj(raw, field);
  const attribute = text(f.attribute, `${field}.attribute`, 64, true) as string;
  if (!Object.hasOwn(FILTER_ATTRIBUTES, attribute))
    throw invalid(`${field}.attribute ${attribute} is not supported`);
  const operator = oneOf(f.operator ?? "", `${field}.operator`, OPERATORS) as string;
  if (f.values !== undefined && !Array.isArray(f.values)) throw invalid(`${field}.values must be an array`);
  const values = ((f.values as unknown[] | undefined) ?? []).map(
    (v, j) => obj(v, `${field}.values[${j}]`).value,
  );
  return { attribute, operator, values };
}

/** The grants/list filter model (§2.4). */
function matches(grant: Json, { attribute, operator, values }: Filter): boolean {
  const actual = FILTER_ATTRIBUTES[attribute]?.(grant);
  const bucket = (v: unknown) =>
    attribute !== "status"
      ? [v]
      : v === "ACTIVE"
        ? ["GRANTED", "EXTENDED"]
        : v === "INACTIVE"
          ? ["REVOKED", "EXPIRED"]
          : [v];
  const eq = (v: unknown) => bucket(v).some((b) => String(b) === String(actual));
  const time = (v: unknown) => Date.parse(String(v));
  switch (operator) {
    case "EQUALS":
    case "IS_EXACTLY":
      return eq(values[0]);
    case "NOT_EQUALS":
      return !eq(values[0]);
    case "IN":
    case "IS_ANY_OF":
      return values.some(eq);
    case "NOT_IN":
    case "IS_NOT_ANY_OF":
      return !values.some(eq);
    case "CONTAINS":
    case "TEXT_CONTAINS":
      return String(actual ?? "")
        .toLowerCase()
        .includes(String(values[0]).toLowerCase());
    case "STARTS_WITH":
      return String(actual ?? "")
        .toLowerCase()
        .startsWith(String(values[0]).toLowerCase());
    case "IS_NULL":
      return actual === undefined || actual === null;
    case "IS_NOT_NULL":
      return actual !== undefined && actual !== null;
    case "GREATER_THAN":
    case "IS_ON_OR_AFTER":
    case "GREATER_THAN_EQUALS":
      return actual !== undefined && time(actual) >= time(values[0]) + (operator === "GREATER_THAN" ? 1 : 0);
    case "LESS_THAN":
    case "IS_ON_OR_BEFORE":
    case "LESS_THAN_EQUALS":
      return actual !== undefined && time(actual) <= time(values[0]) - (operator === "LESS_THAN" ? 1 : 0);
    case "IS_BETWEEN":
      if (values.length !== 2) throw invalid("IS_BETWEEN needs exactly two values");
      return actual !== undefined && time(actual) >= time(values[0]) && time(actual) <= time(values[1]);
    default:
      throw invalid(`filter.operator ${operator} is not supported for ${attribute}`);
  }
}

export const grantRoutes: RouteTable<AtomicworkStore> = {
  "POST /api/v1/iga/grants": (store, req) => {
    const b = obj(jsonBody(req), "body");
    const userId = int(b.user_id, "user_id", true) as number;
    const entitlementId = int(b.entitlement_id, "entitlement_id", true) as number;
    const grantedBy = int(b.granted_by, "granted_by", false);
    const grantedAt = dateTime(b.granted_at, "granted_at");
    const policy = policyOf(store, b);
    if (!store.users.has(userId)) throw notFound("User", userId);
    if (!store.entitlements.has(entitlementId)) throw notFound("Entitlement", entitlementId);
    const id = store.nextGrant++;
    const grant = store.grantRecord(id, userId, entitlementId, "GRANTED", {
      ...(policy ? { policy, type: "PREAPPROVED" } : {}),
      ...(grantedBy !== undefined ? { granted_by: grantedBy } : {}),
      ...(grantedAt !== undefined ? { granted_at: grantedAt } : {}),
    });
    store.grants.set(id, grant);
    store.record(id, "GRANTED");
    return { status: 200, body: grant };
  },
  "POST /api/v1/iga/grants/list": (store, req) => {
    // The spec's request body is optional: no body means no filters, as `[]` does.
    const body = jsonBody(req, []);
    if (!Array.isArray(body)) throw invalid("The body must be a JSON array of filters");
    const filters = body.map(filterOf);
    const ids = req.query.get("ids")?.split(",").filter(Boolean).map(Number);
    const appId = queryInt(req, "app_id");
    const policyKey = param(req, "policy_id");
    const q = req.query.get("search_key")?.toLowerCase();
    const sort = oneOf(param(req, "sort_order"), "sort_order", GRANT_SORTS);
    let list = [...store.grants.values()].filter(
      (g) =>
        (!ids || ids.includes(g.id as number)) &&
        (appId === undefined || (g.app as Json).id === appId) &&
        // `policy_id` is the policy's UUID key, as the spec describes the parameter.
        (policyKey === undefined || (g.policy as Json | undefined)?.key === policyKey) &&
        (!q ||
          String((g.user as Json).name)
            .toLowerCase()
            .includes(q) ||
          String((g.entitlement as Json).name)
            .toLowerCase()
            .includes(q)) &&
        filters.every((f) => matches(g, f)),
    );
    if (sort) list = sortGrants(store, list, sort);
    const token = req.query.get("next_page_token");
    if (token !== null) {
      const offset = Number(Buffer.from(token, "base64url").toString());
      if (!Number.isInteger(offset) || offset < 0) throw invalid("next_page_token is not valid");
      const perPage = queryInt(req, "per_page") ?? 25;
      if (perPage > 100) throw invalid("per_page must be at most 100");
      const items = list.slice(offset, offset + perPage);
      const more = offset + perPage < list.length;
      return {
        status: 200,
        body: {
          items,
          page: Math.floor(offset / perPage) + 1,
          per_page: perPage,
          total: list.length,
          ...(more ? { next_page_token: Buffer.from(String(offset + perPage)).toString("base64url") } : {}),
        },
      };
    }
    const result = page(req, list, 100);
    const offset =
      ((result.page as number) - 1) * (result.per_page as number) + (result.items as unknown[]).length;
    if (offset < list.length) result.next_page_token = Buffer.from(String(offset)).toString("base64url");
    return { status: 200, body: result };
  },
  "PUT /api/v1/iga/grants/{grant_id}": (store, req) => {
    const grant = grantOr404(store, req, "string");
    const b = obj(jsonBody(req), "body");
    const status = oneOf(b.status, "status", GRANT_STATUSES);
    const grantedBy = int(b.granted_by, "granted_by", false);
    const grantedAt = dateTime(b.granted_at, "granted_at");
    const policy = policyOf(store, b);
    if (status && status !== grant.status) {
      grant.status = status;
      store.record(grant.id as number, status);
    }
    if (policy) grant.policy = policy;
    if (grantedBy !== undefined) grant.granted_by = grantedBy;
    if (grantedAt !== undefined) grant.granted_at = grantedAt;
    grant.updated_at = store.stamp();
    return { status: 200, body: {} };
  },
  "POST /api/v1/iga/grants/{grant_id}/revoke": (store, req) => {
    const grant = grantOr404(store, req, "int64");
    const b = obj(jsonBody(req), "body");
    text(b.reason, "reason", 1000, false);
    const skip = bool(b.skip_deprovisioning, "skip_deprovisioning") ?? true;
    // A 400, one of the statuses Atomicwork documents: it lists no 409.
    if (grant.status === "REVOKED") throw invalid(`Grant ${grant.id} is already revoked`);
    grant.status = "REVOKED";
    grant.revocation_status = skip
      ? { status: "COMPLETED", schedule_id: null }
      : { status: "IN_PROGRESS", schedule_id: `sch_${grant.id}_${store.clock}` };
    grant.updated_at = store.stamp();
    store.record(grant.id as number, "REVOKED");
    return { status: 200, body: grant };
  },
  "GET /api/v1/iga/grants/{grant_id}/history": (store, req) => {
    const grant = grantOr404(store, req, "int64");
    const sort = oneOf(param(req, "sort_order"), "sort_order", HISTORY_SORTS) ?? "CREATED_AT_DESC";
    const list = [...(store.history.get(grant.id as number) ?? [])];
    if (sort.endsWith("DESC")) list.reverse();
    return { status: 200, body: page(req, list, 100) };
  },
};
