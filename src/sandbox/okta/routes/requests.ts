/**
 * Okta's access requests (v2) and what decides them: requests listed (the spec's filter attributes,
 * `orderBy` created or lastUpdated, cursor paging), created from a catalog entry with the requester's field
 * values (202 SUBMITTED; the request then waits for its approver, or is approved and granted at once when
 * its sequence names nobody), read one by one, and given messages; and a resource's request conditions
 * and approval sequences, which the guard reads to tell whether a person approves.
 */
import { evaluateFilter } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import { isObject, type Json } from "../../kit/json.js";
import { OKTA_TOKEN_OWNER_ID } from "../data.js";
import { E, OktaError } from "../errors.js";
import { compile } from "../filters.js";
import { cached, listQuery, page, sortItems } from "../lists.js";
import { appIdFromOrn } from "../orn.js";
import { REQUESTS, RESOURCES, renderCondition, renderRequest, renderSequence } from "../requests-render.js";
import type { FieldValue, OktaRequests, RequestRec } from "../requests-store.js";
import type { AppRec } from "../store.js";
import { bodyObject, Causes, human } from "../validation.js";

const EQ = ["eq"] as const;

/** The spec's x-scim-filter of the request list. */
const REQUEST_FILTERS = {
  status: { ops: EQ, kind: "enum" },
  grantStatus: { ops: EQ, kind: "enum" },
  lastUpdated: { ops: ["gt"], kind: "date" },
  requestedFor: { ops: EQ },
  resourceId: { ops: EQ },
  resourceType: { ops: EQ, kind: "enum" },
  accessScopeId: { ops: EQ },
  accessScopeType: { ops: EQ, kind: "enum" },
} as const;

const REQUEST_LIST = {
  defaultLimit: 20,
  orderFields: ["created", "lastUpdated"],
  defaultOrder: "created desc",
  linkDefaultOrder: false,
};

const FIELD_TYPES = ["TEXT", "SELECT", "MULTISELECT", "ISO_DATE", "DURATION", "OKTA_USER_ID"] as const;

function requestOr404(requests: OktaRequests, id: string): RequestRec {
  const r = requests.requests.get(id);
  if (!r) throw E.notFound(id, "Request");
  return r;
}

function listRequests(requests: OktaRequests, req: SandboxRequest): SandboxResponse {
  const text = req.query.get("filter") ?? undefined;
  const node = text === undefined || text.trim() === "" ? undefined : compile(text, REQUEST_FILTERS);
  const lq = listQuery(req, REQUEST_LIST);
  const list = cached(requests.store, `req|${text ?? ""}|${JSON.stringify(lq.order)}`, () => {
    const matched = [...requests.requests.values()].filter((r) => {
      if (!node) return true;
      const view = {
        status: r.status,
        grantStatus: r.grantStatus,
        lastUpdated: r.lastUpdated,
        requestedFor: r.requestedFor,
        resourceId: r.appId,
        resourceType: "APPLICATION",
        accessScopeId: r.bundleId,
        accessScopeType: "ENTITLEMENT_BUNDLE",
      };
      return evaluateFilter(node, view, REQUEST_FILTERS);
    });
    return sortItems(matched, lq.order);
  });
  return page(requests.store, REQUESTS, lq, list, (r) => renderRequest(requests, r, false), false);
}

/** `{type: OKTA_USER, externalId}` of a known user, checked field by field. */
function principalOf(requests: OktaRequests, body: Json, key: string, c: Causes, required: boolean) {
  const id = c.externalId(body, key, "OKTA_USER", required);
  if (id !== undefined && !requests.store.users.get(id)) {
    c.add(`/${key}/externalId`, `${id} not found`, "IDENTIFIER_NOT_FOUND");
    return undefined;
  }
  return id;
}

/** The requester's field values, each checked against the spec's request-field-value. */
function fieldValues(body: Json, c: Causes): FieldValue[] {
  const raw = c.array(body, "requesterFieldValues", "", { required: false, max: 100 }) ?? [];
  const out: FieldValue[] = [];
  raw.forEach((item, i) => {
    const at = `/requesterFieldValues/${i}`;
    if (!isObject(item)) {
      c.add(at, `${human(at)} must be an object`, "INVALID_DATA_TYPE");
      return;
    }
    const id = c.string(item, "id", at, { required: true, max: 255 });
    const type = c.oneOf(item, "type", at, FIELD_TYPES, false);
    const label = c.string(item, "label", at, { max: 1000 });
    const value = c.string(item, "value", at, { max: 1000 });
    const values = c.array(item, "values", at, { required: false, max: 100 });
    const choices = (values ?? []).filter(
      (v): v is string => typeof v === "string" && v.length >= 1 && v.length <= 280,
    );
    if (values && choices.length !== values.length) {
      c.add(`${at}/values`, "each of values must be a string of 1 to 280 characters", "INVALID_VALUE");
    }
    if (id !== undefined) {
      out.push({
        id,
        ...(label !== undefined ? { label } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(value !== undefined ? { value } : {}),
        ...(values ? { values: choices } : {}),
      });
    }
  });
  return out;
}

/**
 * A request for a catalog entry: what the spec's request-creatable-2 holds, then the entry's condition and
 * its sequence's fields. Unknown field ids and a field without a value are 400s; a required field left
 * out is the spec's 409 (RequiredFieldMissing).
 */
function createRequest(requests: OktaRequests, req: SandboxRequest): SandboxResponse {
  const body = bodyObject(req, "Request");
  const c = new Causes("governance");
  const requested = c.object(body, "requested", "", true);
  let entryId: string | undefined;
  if (requested) {
    c.oneOf(requested, "type", "/requested", ["CATALOG_ENTRY"] as const, true);
    entryId = c.string(requested, "entryId", "/requested", { required: true, min: 20, max: 20 });
  }
  const requestedFor = principalOf(requests, body, "requestedFor", c, true);
  const requestedBy = principalOf(requests, body, "requestedBy", c, false);
  const values = fieldValues(body, c);
  const entry = entryId === undefined ? undefined : requests.entry(entryId);
  if (entryId !== undefined && !entry)
    c.add("/requested/entryId", `${entryId} not found`, "IDENTIFIER_NOT_FOUND");
  const condition = entry ? requests.conditionFor(entry) : undefined;
  if (entry && !condition) {
    c.add("/requested/entryId", `Catalog entry ${entry.id} is not requestable`, "INVALID_VALUE");
  }
  const sequence = condition ? requests.sequences.get(condition.sequenceId) : undefined;
  values.forEach((v, i) => {
    const field = sequence?.fields.find((f) => f.id === v.id);
    if (sequence && !field) {
      c.add(`/requesterFieldValues/${i}/id`, `${v.id} not found`, "IDENTIFIER_NOT_FOUND");
    } else if (field && v.value === undefined && v.values === undefined) {
      c.add(
        `/requesterFieldValues/${i}/value`,
        "must have required property 'value'",
        "REQUIRED_PROPERTY_MISSING",
      );
    }
  });
  if (!c.ok || !entry?.bundle || !condition || !sequence || !requestedFor)
    throw E.validation("Request", c.list);
  const given = new Set(values.map((v) => v.id));
  if (sequence.fields.some((f) => f.required && !given.has(f.id))) {
    throw new OktaError(
      409,
      "E0000001",
      "Api validation failed: /requesterFieldValues must have all required requesterFields",
      [
        {
          errorSummary: "must have all required requesterFields",
          reason: "REQUEST_TYPE_SETTINGS",
          location: "/requesterFieldValues",
          locationType: "body",
          domain: "governance",
        },
      ],
    );
  }
  const labelled = values.map((v) => {
    const field = sequence.fields.find((f) => f.id === v.id);
    return { ...v, label: v.label ?? field?.label, type: v.type ?? field?.type };
  });
  const { submitted } = requests.file(
    { ...entry, bundle: entry.bundle },
    condition,
    { requestedFor, requestedBy: requestedBy ?? OKTA_TOKEN_OWNER_ID },
    labelled,
  );
  return { status: 202, body: renderRequest(requests, submitted, true) };
}

function addMessage(requests: OktaRequests, req: SandboxRequest): SandboxResponse {
  const r = requestOr404(requests, req.params.requestId as string);
  const body = bodyObject(req, "RequestMessage");
  const c = new Causes("governance");
  const message = c.string(body, "message", "", { required: true, max: 5000 });
  if (!c.ok || message === undefined) throw E.validation("RequestMessage", c.list);
  requests.addMessage(r, message);
  return { status: 201 };
}

/** The app a resource id names: its Okta id, or its ORN. */
function resourceOr404(requests: OktaRequests, id: string): AppRec {
  const app = requests.store.apps.get(appIdFromOrn(id) ?? id);
  if (!app) throw E.notFound(id, "Resource");
  return app;
}

export const requestRoutes: RouteTable<OktaRequests> = {
  "GET /governance/api/v2/requests": listRequests,
  "POST /governance/api/v2/requests": createRequest,
  "GET /governance/api/v2/requests/{requestId}": (requests, req) => ({
    status: 200,
    body: renderRequest(requests, requestOr404(requests, req.params.requestId as string), true),
  }),
  "POST /governance/api/v2/requests/{requestId}/messages": addMessage,
  "GET /governance/api/v2/resources/{resourceId}/request-conditions": (requests, req) => {
    const app = resourceOr404(requests, req.params.resourceId as string);
    const data = requests.conditionsOf(app.id).map((c) => renderCondition(requests.store, c, false));
    const self = { href: `${requests.store.cfg.baseUrl()}${RESOURCES}/${app.id}/request-conditions` };
    return { status: 200, body: { data, _links: { self } } };
  },
  "GET /governance/api/v2/resources/{resourceId}/request-conditions/{requestConditionId}": (
    requests,
    req,
  ) => {
    const app = resourceOr404(requests, req.params.resourceId as string);
    const id = req.params.requestConditionId as string;
    const condition = requests.conditions.get(id);
    if (!condition || condition.appId !== app.id) throw E.notFound(id, "RequestCondition");
    return { status: 200, body: renderCondition(requests.store, condition, true) };
  },
  "GET /governance/api/v2/resources/{resourceId}/request-sequences": (requests, req) => {
    const app = resourceOr404(requests, req.params.resourceId as string);
    const data = [...requests.sequences.values()].map((s) => renderSequence(requests.store, s));
    const self = { href: `${requests.store.cfg.baseUrl()}${RESOURCES}/${app.id}/request-sequences` };
    return { status: 200, body: { data, _links: { self } } };
  },
};
