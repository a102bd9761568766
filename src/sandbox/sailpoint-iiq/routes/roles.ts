/** IdentityIQ's Roles (its 8.3 spec): by id, or by name with `lookupByName=true`; each with its owner. */
import type { RouteTable } from "../../kit/http.js";
import { listResponse, oneResponse, type ScimResource, TEXT_OPS } from "../scim.js";
import { IIQ_SCHEMA_ROLE, type IiqStore } from "../store.js";

const ROLES: ScimResource = {
  schema: IIQ_SCHEMA_ROLE,
  filters: {
    name: { ops: TEXT_OPS },
    displayableName: { ops: TEXT_OPS },
    "type.name": { ops: TEXT_OPS },
    "owner.value": { ops: TEXT_OPS },
    "owner.displayName": { ops: TEXT_OPS },
    active: { ops: ["eq"], kind: "boolean" },
  },
};

export const roleRoutes: RouteTable<IiqStore> = {
  "GET /Roles": (store, req) => listResponse(req, [...store.roles.values()], ROLES),
  "GET /Roles/{id}": (store, req) => {
    const key = req.params.id ?? "";
    const byName = req.query.get("lookupByName")?.toLowerCase() === "true";
    const role = byName ? [...store.roles.values()].find((r) => r.name === key) : store.roles.get(key);
    return oneResponse(req, role, IIQ_SCHEMA_ROLE);
  },
};
