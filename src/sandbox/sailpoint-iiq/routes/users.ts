/**
 * IdentityIQ's Users (upstream-apis §3.3, §3.8): identities, with the entitlements and accounts each holds
 * in the extension; one user by id, or by userName with `lookupByName=true`.
 */
import type { RouteTable } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { IIQ_SCHEMA_USER } from "../data.js";
import { listResponse, oneResponse, type ScimResource, TEXT_OPS } from "../scim.js";
import type { IiqStore } from "../store.js";

const USERS: ScimResource = {
  schema: IIQ_SCHEMA_USER,
  filters: {
    userName: { ops: TEXT_OPS },
    "name.familyName": { ops: TEXT_OPS },
    "name.givenName": { ops: TEXT_OPS },
    "emails.value": { ops: TEXT_OPS },
    displayName: { ops: TEXT_OPS },
    active: { ops: ["eq"], kind: "boolean" },
  },
};

/** userName is not case-exact (RFC 7643 §4.1.1). */
function byUserName(store: IiqStore, userName: string): Json | undefined {
  const wanted = userName.toLowerCase();
  return [...store.users.values()].find((u) => String(u.userName).toLowerCase() === wanted);
}

export const userRoutes: RouteTable<IiqStore> = {
  "GET /Users": (store, req) => listResponse(req, [...store.users.values()], USERS),
  "GET /Users/{id}": (store, req) => {
    const key = req.params.id ?? "";
    const byName = req.query.get("lookupByName")?.toLowerCase() === "true";
    return oneResponse(req, byName ? byUserName(store, key) : store.users.get(key), IIQ_SCHEMA_USER);
  },
};
