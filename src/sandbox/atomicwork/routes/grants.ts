/**
 * Atomicwork's grants (upstream-apis §2.2-2.4): create (optionally under a policy), the list with its filter
 * model and two kinds of paging (page numbers, or `next_page_token`), update, revoke (with or without
 * deprovisioning) and each grant's history.
 */
import type { RouteTable, SandboxRequest } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { sortByText } from "../../kit/lists.js";
import { AwError, invalid, notFound } from "../errors.js";
import type { AtomicworkStore } from "../store.js";
import { int, jsonBody, obj, oneOf, page, param, text } from "../validation.js";

const GRANT_STATUSES = ["GRANTED", "EXPIRED", "EXTENDED", "REVOKED"];
/** Sort orders: each field ascending, then descending. */
const orders = (...fields: string[]) => fields.flatMap((f) => [`${f}_ASC`, `${f}_DESC`]);
const HISTORY_SORTS = orders("CREATED_AT", "UPDATED_AT");
const GRANT_SORTS = [...HISTORY_SORTS, ...orders("NAME", "GRANTED_AT", "EXPIRES_AT")];

function grantOr404(store: AtomicworkStore, req: SandboxRequest): Json {
  const id = Number(req.params.grant_id);
  const grant = Number.isSafeInteger(id) ? store.grants.get(id) : undefined;
  if (!grant) throw notFound("Grant", req.params.grant_id);
  return grant;
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

/** The grants/list filter model (§2.4): one filter = {attribute, operator, values:[{value}]}. */
function matches(grant: Json, filter: Json): boolean {
  const attribute = text(filter.attribute, "filter.attribute", 64, true) as string;
  const operator = text(filter.operator, "filter.operator", 64, true) as string;
  const values = Array.isArray(filter.values) ? filter.values.map((v) => (v as Json)?.value) : [];
  const read = Object.hasOwn(FILTER_ATTRIBUTES, attribute) ? FILTER_ATTRIBUTES[attribute] : undefined;
  if (!read) throw invalid(`filter.attribute ${attribute} is not supported`);
  const actual = read(grant);
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
    if (!store.users.has(userId)) throw notFound("User", userId);
    if (!store.entitlements.has(entitlementId)) throw notFound("Entitlement", entitlementId);
    const policyId = int(b.policy_id, "policy_id", false);
    if (policyId !== undefined && !store.policies.has(policyId)) throw notFound("Policy", policyId);
    const id = store.nextGrant++;
    const grant = store.grantRecord(id, userId, entitlementId, "GRANTED", {
      ...(policyId ? { policy: { id: policyId, key: store.policies.get(policyId)?.key } } : {}),
      ...(typeof b.granted_by === "number" ? { granted_by: b.granted_by } : {}),
      ...(typeof b.granted_at === "string" ? { granted_at: b.granted_at } : {}),
    });
    store.grants.set(id, grant);
    store.record(id, "GRANTED");
    return { status: 200, body: grant };
  },
  "POST /api/v1/iga/grants/list": (store, req) => {
    const filters = jsonBody(req);
    if (!Array.isArray(filters)) throw invalid("The body must be a JSON array of filters");
    const ids = req.query.get("ids")?.split(",").filter(Boolean).map(Number);
    const appId = int(param(req, "app_id"), "app_id", false);
    const q = req.query.get("search_key")?.toLowerCase();
    const sort = oneOf(param(req, "sort_order"), "sort_order", GRANT_SORTS);
    let list = [...store.grants.values()].filter(
      (g) =>
        (!ids || ids.includes(g.id as number)) &&
        (appId === undefined || (g.app as Json).id === appId) &&
        (!q ||
          String((g.user as Json).name)
            .toLowerCase()
            .includes(q) ||
          String((g.entitlement as Json).name)
            .toLowerCase()
            .includes(q)) &&
        filters.every((f) => matches(g, obj(f, "filter"))),
    );
    if (sort) {
      const field = sort.replace(/_(ASC|DESC)$/, "").toLowerCase();
      const key = (g: Json) =>
        String(field === "name" ? (g.entitlement as Json).name : (g[`${field}`] ?? ""));
      list = sortByText(list, key, sort.endsWith("DESC"));
    }
    const token = req.query.get("next_page_token");
    if (token !== null) {
      const offset = Number(Buffer.from(token, "base64url").toString());
      if (!Number.isInteger(offset) || offset < 0) throw invalid("next_page_token is not valid");
      const perPage = int(param(req, "per_page"), "per_page", false) ?? 25;
      const items = list.slice(offset, offset + perPage);
      const more = offset + perPage < list.length;
      return {
        status: 200,
        body: {
          items,
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
    const grant = grantOr404(store, req);
    const b = obj(jsonBody(req), "body");
    const status = oneOf(b.status, "status", GRANT_STATUSES);
    const policyId = int(b.policy_id, "policy_id", false);
    if (policyId !== undefined && !store.policies.has(policyId)) throw notFound("Policy", policyId);
    if (status && status !== grant.status) {
      grant.status = status;
      store.record(grant.id as number, status);
    }
    if (policyId !== undefined) grant.policy = { id: policyId, key: store.policies.get(policyId)?.key };
    if (typeof b.policy_key === "string") grant.policy = { key: b.policy_key };
    if (typeof b.granted_by === "number") grant.granted_by = b.granted_by;
    if (typeof b.granted_at === "string") grant.granted_at = b.granted_at;
    grant.updated_at = store.stamp();
    return { status: 200, body: grant };
  },
  "POST /api/v1/iga/grants/{grant_id}/revoke": (store, req) => {
    const grant = grantOr404(store, req);
    const b = obj(jsonBody(req), "body");
    text(b.reason, "reason", 1000, false);
    if (b.skip_deprovisioning !== undefined && typeof b.skip_deprovisioning !== "boolean") {
      throw invalid("skip_deprovisioning must be a boolean");
    }
    if (grant.status === "REVOKED")
      throw new AwError(409, "CONFLICT", `Grant ${grant.id} is already revoked`);
    const skip = b.skip_deprovisioning !== false;
    grant.status = "REVOKED";
    grant.revocation_status = skip
      ? { status: "COMPLETED", schedule_id: null }
      : { status: "IN_PROGRESS", schedule_id: `sch_${grant.id}_${store.clock}` };
    grant.updated_at = store.stamp();
    store.record(grant.id as number, "REVOKED");
    return { status: 200, body: grant };
  },
  "GET /api/v1/iga/grants/{grant_id}/history": (store, req) => {
    const grant = grantOr404(store, req);
    const sort = oneOf(param(req, "sort_order"), "sort_order", HISTORY_SORTS) ?? "CREATED_AT_DESC";
    const list = [...(store.history.get(grant.id as number) ?? [])];
    if (sort.endsWith("DESC")) list.reverse();
    return { status: 200, body: page(req, list, 100) };
  },
};
