/** IdentityIQ's Users (upstream-apis §3.3, §3.8): identities, with the entitlements each holds in the extension. */
import type { RouteTable } from "../../kit/http.js";
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
  },
};

export const userRoutes: RouteTable<IiqStore> = {
  "GET /Users": (store, req) => listResponse(req, [...store.users.values()], USERS),
  "GET /Users/{id}": (store, req) => oneResponse(req, store.users.get(req.params.id ?? ""), IIQ_SCHEMA_USER),
};
