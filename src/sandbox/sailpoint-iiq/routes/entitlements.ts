/**
 * IdentityIQ's Entitlements (upstream-apis §3.6, §3.8): read-only, because entitlements come from aggregation;
 * a write is a SCIM 405.
 */
import type { RouteTable } from "../../kit/http.js";
import { IIQ_SCHEMA_ENTITLEMENT } from "../data.js";
import { listResponse, oneResponse, ScimError, type ScimResource, TEXT_OPS } from "../scim.js";
import type { IiqStore } from "../store.js";

const ENTITLEMENTS: ScimResource = {
  schema: IIQ_SCHEMA_ENTITLEMENT,
  filters: {
    displayableName: { ops: TEXT_OPS },
    attribute: { ops: TEXT_OPS },
    value: { ops: TEXT_OPS },
    type: { ops: TEXT_OPS, kind: "enum" },
    "application.value": { ops: TEXT_OPS },
    "application.displayName": { ops: TEXT_OPS },
    requestable: { ops: ["eq"], kind: "boolean" },
  },
};

const readOnly = () => {
  throw new ScimError(405, "The Entitlements endpoint is read-only: entitlements come from aggregation");
};

export const entitlementRoutes: RouteTable<IiqStore> = {
  "GET /Entitlements": (store, req) => listResponse(req, [...store.entitlements.values()], ENTITLEMENTS),
  "GET /Entitlements/{id}": (store, req) =>
    oneResponse(req, store.entitlements.get(req.params.id ?? ""), IIQ_SCHEMA_ENTITLEMENT),
  "POST /Entitlements": readOnly,
  "PUT /Entitlements/{id}": readOnly,
  "DELETE /Entitlements/{id}": readOnly,
};
