/**
 * Okta's entitlements and their values (upstream-apis §1.4, §1.9.1-2): lists pinned to one app, CRUD, PUT that
 * keeps, creates and removes values, PATCH operations validated all first, and DELETE that takes the
 * entitlement's values out of every bundle, grant and policy.
 */
import { evaluateFilter, pinnedValues } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import { isObject, type Json } from "../../kit/json.js";
import type { EntitlementRef } from "../data.js";
import { E } from "../errors.js";
import { appScoped, compile, OKTA_FILTERS } from "../filters.js";
import {
  ALL_VALUE_LIST,
  cached,
  ENTITLEMENT_LIST,
  listQuery,
  page,
  sortItems,
  VALUE_LIST,
} from "../lists.js";
import { normalizeOrn, valueOrn } from "../orn.js";
import {
  GOV,
  renderEntitlement,
  renderEntitlementListItem,
  renderValueWithParent,
  selfLinkHeader,
} from "../render.js";
import type { Audit, EntRec, OktaStore, ValRec } from "../store.js";
import { bodyObject, Causes, json, type ValueFields, valueFields } from "../validation.js";

function entitlementOr404(store: OktaStore, id: string): EntRec {
  const e = store.entitlements.get(id);
  if (!e) throw E.notFound(id, "Entitlement");
  return e;
}

function entitlementResponse(
  store: OktaStore,
  status: number,
  e: EntRec,
  values?: ValRec[],
): SandboxResponse {
  return {
    status,
    body: renderEntitlement(store, e, values),
    headers: selfLinkHeader(store, `${GOV}/entitlements/${e.id}`),
  };
}

function addValue(store: OktaStore, e: EntRec, v: ValueFields, audit: Audit): ValRec {
  const id = store.newId("ent");
  const rec: ValRec = {
    id,
    entitlementId: e.id,
    name: v.name ?? "",
    externalValue: v.externalValue ?? "",
    description: v.description ?? undefined,
    orn: valueOrn(id),
    ...audit,
  };
  store.values.set(id, rec);
  return rec;
}

/** The fields a create and a replace both carry. */
function entitlementFields(body: Json, c: Causes) {
  return {
    name: c.string(body, "name", "", { required: true, max: 255 }),
    externalValue: c.string(body, "externalValue", "", { required: true, max: 255 }),
    description: c.string(body, "description", "", { max: 1000 }),
    multiValue: c.boolean(body, "multiValue", "", true),
    dataType: c.oneOf(body, "dataType", "", ["string", "array"] as const, true),
  };
}

function listEntitlements(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const { text, node, app } = appScoped(store, req, OKTA_FILTERS.entitlements);
  const lq = listQuery(req, ENTITLEMENT_LIST);
  const list = cached(store, `ent|${text}|${JSON.stringify(lq.order)}`, () => {
    const ids = store.entitlementsByApp.get(app.id) ?? new Set<string>();
    const matched: EntRec[] = [];
    for (const id of ids) {
      const e = store.entitlements.get(id);
      if (e && evaluateFilter(node, e, OKTA_FILTERS.entitlements)) matched.push(e);
    }
    return sortItems(matched, lq.order);
  });
  return page(
    store,
    `${GOV}/entitlements`,
    lq,
    list,
    (e) => renderEntitlementListItem(store, e, lq.limit),
    true,
  );
}

function createEntitlement(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const body = bodyObject(req, "Entitlement");
  const c = new Causes("entitlements");
  const { name, externalValue, description, multiValue, dataType } = entitlementFields(body, c);
  const parentId = c.externalId(body, "parent", "APPLICATION", true);
  const rawValues = c.array(body, "values", "", { required: true, max: 1000 });
  const values = (rawValues ?? []).map((v, i) => valueFields(v, `/values/${i}`, c, false));
  if (!c.ok) throw E.validation("Entitlement", c.list);
  const app = parentId ? store.apps.get(parentId) : undefined;
  if (!app?.entitlementManagement) throw E.notOptedIn();

  const audit = store.stamp();
  const rec: EntRec = {
    id: store.newId("esp"),
    appId: app.id,
    name: name as string,
    externalValue: externalValue as string,
    description,
    multiValue: multiValue as boolean,
    dataType: multiValue ? "array" : (dataType as "string" | "array"),
    valueIds: [],
    parent: { externalId: app.id, type: "APPLICATION" },
    parentResourceOrn: app.orn,
    ...audit,
  };
  for (const v of values) rec.valueIds.push(addValue(store, rec, v ?? {}, audit).id);
  store.entitlements.set(rec.id, rec);
  store.indexEntitlement(rec);
  return entitlementResponse(store, 201, rec);
}

function replaceEntitlement(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const e = entitlementOr404(store, req.params.entitlementId as string);
  const body = bodyObject(req, "Entitlement");
  const c = new Causes("entitlements");
  c.ownId(body, e.id, "entitlement");
  const { name, externalValue, description, multiValue, dataType } = entitlementFields(body, c);
  // The spec's PUT body (entitlements-full-with-parent) requires both parent and parentResourceOrn.
  const parentId = c.externalId(body, "parent", "APPLICATION", true);
  if (parentId !== undefined && parentId !== e.appId) {
    c.add("/parent/externalId", "The parent of an entitlement can't be changed", "INVALID_VALUE");
  }
  const orn = c.string(body, "parentResourceOrn", "", { required: true, max: 1000 });
  if (orn !== undefined && normalizeOrn(orn) !== normalizeOrn(e.parentResourceOrn)) {
    c.add("/parentResourceOrn", "The parent of an entitlement can't be changed", "INVALID_VALUE");
  }
  const rawValues = c.array(body, "values", "", { required: true, max: 1000 });
  const values = (rawValues ?? []).map((v, i) => valueFields(v, `/values/${i}`, c, false));
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (!v?.id) return;
    if (!e.valueIds.includes(v.id)) {
      c.add(`/values/${i}/id`, `Entitlement value ${v.id} is not a value of ${e.id}`, "IDENTIFIER_NOT_FOUND");
    } else if (seen.has(v.id)) {
      c.add(`/values/${i}/id`, `Entitlement value ${v.id} is listed twice`, "DUPLICATE_VALUE");
    }
    seen.add(v.id);
  });
  if (!c.ok) throw E.validation("Entitlement", c.list);

  const audit = store.stamp();
  const kept = new Set<string>();
  const valueIds: string[] = [];
  for (const v of values) {
    if (!v) continue;
    const existing = v.id ? store.values.get(v.id) : undefined;
    if (existing) {
      const changed =
        existing.name !== v.name ||
        existing.externalValue !== v.externalValue ||
        existing.description !== v.description;
      existing.name = v.name as string;
      existing.externalValue = v.externalValue as string;
      existing.description = v.description ?? undefined;
      if (changed) store.touch(existing, audit);
      kept.add(existing.id);
      valueIds.push(existing.id);
    } else {
      valueIds.push(addValue(store, e, v, audit).id);
    }
  }
  const removed = e.valueIds.filter((vid) => !kept.has(vid));
  e.name = name as string;
  e.externalValue = externalValue as string;
  e.description = description;
  e.multiValue = multiValue as boolean;
  e.dataType = multiValue ? "array" : (dataType as "string" | "array");
  e.valueIds = valueIds;
  store.touch(e, audit);
  store.dropValues(removed, audit);
  return entitlementResponse(store, 200, e);
}

type PatchOp =
  | { kind: "addValue"; value: ValueFields }
  | { kind: "removeValue"; id: string }
  | { kind: "replaceValue"; id: string; value: ValueFields }
  | { kind: "description" | "name"; value: string | undefined };

/**
 * The entitlement's own fields a PATCH may set (ADD or REPLACE): the description may also be removed,
 * the name not (every representation of an entitlement has one).
 */
const ENTITLEMENT_FIELDS: ReadonlyMap<
  string,
  { kind: "description" | "name"; max: number; removable: boolean }
> = new Map([
  ["/description", { kind: "description", max: 1000, removable: true }],
  ["/name", { kind: "name", max: 255, removable: false }],
] as const);

/** The PATCH operations, each validated before any applies; a cause per bad operation, by index. */
function patchOps(e: EntRec, body: unknown[], c: Causes): PatchOp[] {
  const ops: PatchOp[] = [];
  for (const [i, raw] of body.entries()) {
    const at = `/${i}`;
    const fail = (summary: string, reason = "INVALID_OPERATION", where = at) =>
      c.add(where, `Operation ${i}: ${summary}`, reason);
    if (!isObject(raw)) {
      fail("must be an object", "INVALID_DATA_TYPE");
      continue;
    }
    // The spec's enums are upper case: "replace" is not an op.
    const op = raw.op;
    const refType = raw.refType;
    const path = typeof raw.path === "string" ? raw.path : undefined;
    if (op !== "ADD" && op !== "REMOVE" && op !== "REPLACE") {
      fail("op must be ADD, REMOVE or REPLACE", "INVALID_ENUM_VALUE", `${at}/op`);
      continue;
    }
    if (refType !== "ENTITLEMENT-VALUE" && refType !== "ENTITLEMENT") {
      fail("refType must be ENTITLEMENT-VALUE or ENTITLEMENT", "INVALID_ENUM_VALUE", `${at}/refType`);
      continue;
    }
    if (path === undefined) {
      fail("path is required", "REQUIRED_PROPERTY_MISSING", `${at}/path`);
      continue;
    }
    if (refType === "ENTITLEMENT-VALUE") {
      if (op === "ADD") {
        if (path !== "/values/-") {
          fail('an ADD of a value takes the path "/values/-"', "INVALID_PATH", `${at}/path`);
          continue;
        }
        const before = c.list.length;
        const value = valueFields(raw.value, `${at}/value`, c, false);
        if (value && c.list.length === before) ops.push({ kind: "addValue", value });
        continue;
      }
      const m = /^\/values\/([^/]+)$/.exec(path);
      if (!m || m[1] === "-") {
        fail('the path must be "/values/{valueId}"', "INVALID_PATH", `${at}/path`);
        continue;
      }
      const id = m[1] as string;
      if (!e.valueIds.includes(id)) {
        fail(`${id} is not a value of entitlement ${e.id}`, "IDENTIFIER_NOT_FOUND", `${at}/path`);
        continue;
      }
      if (op === "REMOVE") {
        ops.push({ kind: "removeValue", id });
        continue;
      }
      const before = c.list.length;
      // No field of the spec's value is required: a REPLACE with {} changes nothing.
      const value = valueFields(raw.value ?? {}, `${at}/value`, c, true);
      if (!value || c.list.length > before) continue;
      ops.push({ kind: "replaceValue", id, value });
      continue;
    }
    const field = ENTITLEMENT_FIELDS.get(path);
    if (field) {
      if (field.removable && op === "REMOVE") {
        ops.push({ kind: field.kind, value: undefined });
        continue;
      }
      if (!field.removable && op === "REMOVE") {
        fail(`the ${field.kind} can be set (ADD, REPLACE), not removed`, "INVALID_OPERATION", `${at}/op`);
        continue;
      }
      if (typeof raw.value !== "string" || raw.value.length < 1 || raw.value.length > field.max) {
        fail(
          `value must be a ${field.kind} of 1 to ${field.max} characters`,
          "STRING_LENGTH_INVALID",
          `${at}/value`,
        );
        continue;
      }
      ops.push({ kind: field.kind, value: raw.value });
      continue;
    }
    fail('an ENTITLEMENT operation takes the path "/description" or "/name"', "INVALID_PATH", `${at}/path`);
  }
  return ops;
}

function patchEntitlement(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const e = entitlementOr404(store, req.params.entitlementId as string);
  const body = json(req);
  const c = new Causes("entitlements");
  if (!Array.isArray(body) || body.length < 1 || body.length > 100) {
    c.add("/", "The request body must be an array of 1 to 100 operations", "INVALID_DATA_TYPE");
    throw E.validation("Entitlement", c.list);
  }
  const ops = patchOps(e, body, c);
  if (!c.ok) throw E.validation("Entitlement", c.list);

  const audit = store.stamp();
  const changed: string[] = [];
  const removed: string[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case "addValue": {
        const v = addValue(store, e, op.value, audit);
        e.valueIds.push(v.id);
        changed.push(v.id);
        break;
      }
      case "removeValue":
        if (e.valueIds.includes(op.id)) {
          e.valueIds = e.valueIds.filter((id) => id !== op.id);
          removed.push(op.id);
        }
        break;
      case "replaceValue": {
        // A value removed earlier in the same request stays removed: the replace is a no-op.
        const v = e.valueIds.includes(op.id) ? store.values.get(op.id) : undefined;
        const { name, externalValue, description } = op.value;
        if (!v || (name === undefined && externalValue === undefined && description === undefined)) break;
        if (op.value.name !== undefined) v.name = op.value.name;
        if (op.value.externalValue !== undefined) v.externalValue = op.value.externalValue;
        if (op.value.description !== undefined) v.description = op.value.description ?? undefined;
        store.touch(v, audit);
        if (!changed.includes(v.id)) changed.push(v.id);
        break;
      }
      case "description":
        e.description = op.value;
        break;
      case "name":
        e.name = op.value as string;
        break;
    }
  }
  store.touch(e, audit);
  const result = changed.filter((id) => e.valueIds.includes(id)).map((id) => store.values.get(id) as ValRec);
  store.dropValues(removed, audit);
  return entitlementResponse(store, 200, e, result);
}

function deleteEntitlement(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const e = entitlementOr404(store, req.params.entitlementId as string);
  const audit = store.stamp();
  store.entitlements.delete(e.id);
  store.entitlementsByApp.get(e.appId)?.delete(e.id);
  store.dropValues(e.valueIds, audit);
  const strip = (refs: EntitlementRef[]) => refs.filter((r) => r.id !== e.id);
  for (const b of store.bundles.values()) {
    if (b.entitlements.some((r) => r.id === e.id)) {
      b.entitlements = strip(b.entitlements);
      store.touch(b, audit);
    }
  }
  for (const g of store.grants.values()) {
    if (g.entitlements?.some((r) => r.id === e.id)) {
      g.entitlements = strip(g.entitlements);
      store.touch(g, audit);
    }
  }
  for (const app of store.apps.values()) app.policy = strip(app.policy);
  return { status: 204 };
}

function listValues(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const e = entitlementOr404(store, req.params.entitlementId as string);
  const text = req.query.get("filter");
  const node =
    text === null || text.trim() === "" ? undefined : compile(text, OKTA_FILTERS.entitlementValues);
  const lq = listQuery(req, VALUE_LIST);
  if (node === undefined) lq.filter = undefined;
  const list = cached(store, `val|${e.id}|${text ?? ""}|${JSON.stringify(lq.order)}`, () => {
    const matched = store
      .valuesOf(e)
      .filter((v) => !node || evaluateFilter(node, { ...v, labels: [] }, OKTA_FILTERS.entitlementValues));
    return sortItems(matched, lq.order);
  });
  return page(
    store,
    `${GOV}/entitlements/${e.id}/values`,
    lq,
    list,
    (v) => renderValueWithParent(store, v, e, false),
    true,
  );
}

function getValue(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const e = entitlementOr404(store, req.params.entitlementId as string);
  const valueId = req.params.valueId as string;
  const v = e.valueIds.includes(valueId) ? store.values.get(valueId) : undefined;
  if (!v) throw E.notFound(valueId, "EntitlementValue");
  return {
    status: 200,
    body: renderValueWithParent(store, v, e, true),
    headers: selfLinkHeader(store, `${GOV}/entitlements/${e.id}/values/${v.id}`),
  };
}

function listAllValues(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const { text, node, app } = appScoped(store, req, OKTA_FILTERS.allEntitlementValues);
  const lq = listQuery(req, ALL_VALUE_LIST);
  type Row = { id: string; name: string; created: string; lastUpdated: string; value: ValRec; ent: EntRec };
  const list = cached(store, `allval|${text}|${JSON.stringify(lq.order)}`, () => {
    const rows: Row[] = [];
    const ofApp = store.entitlementsByApp.get(app.id) ?? new Set<string>();
    // A filter naming the entitlements (entitlementId eq … OR …) needs only those visited.
    const pinned = pinnedValues(node, "entitlementId");
    const visit = pinned ? [...pinned].filter((id) => ofApp.has(id)) : ofApp;
    for (const entId of visit) {
      const e = store.entitlements.get(entId);
      if (!e) continue;
      for (const v of store.valuesOf(e)) {
        const view = { ...v, parent: e.parent, parentResourceOrn: e.parentResourceOrn };
        if (evaluateFilter(node, view, OKTA_FILTERS.allEntitlementValues)) {
          rows.push({
            id: v.id,
            name: v.name,
            created: v.created,
            lastUpdated: v.lastUpdated,
            value: v,
            ent: e,
          });
        }
      }
    }
    return sortItems(rows, lq.order);
  });
  return page(
    store,
    `${GOV}/entitlements/values`,
    lq,
    list,
    (row) => renderValueWithParent(store, row.value, row.ent, false),
    true,
  );
}

export const entitlementRoutes: RouteTable<OktaStore> = {
  "GET /governance/api/v1/entitlements": listEntitlements,
  "POST /governance/api/v1/entitlements": createEntitlement,
  "GET /governance/api/v1/entitlements/values": listAllValues,
  "GET /governance/api/v1/entitlements/{entitlementId}": (store, req) =>
    entitlementResponse(store, 200, entitlementOr404(store, req.params.entitlementId as string)),
  "PUT /governance/api/v1/entitlements/{entitlementId}": replaceEntitlement,
  "PATCH /governance/api/v1/entitlements/{entitlementId}": patchEntitlement,
  "DELETE /governance/api/v1/entitlements/{entitlementId}": deleteEntitlement,
  "GET /governance/api/v1/entitlements/{entitlementId}/values": listValues,
  "GET /governance/api/v1/entitlements/{entitlementId}/values/{valueId}": getValue,
};
