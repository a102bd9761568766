/**
 * IdentityIQ's Accounts (its 8.3 spec): an identity's account on one application, with the account's
 * attributes under the application's account schema URN. Read here; the sandbox offers no account writes.
 */
import type { RouteTable } from "../../kit/http.js";
import { IIQ_SCHEMA_ACCOUNT } from "../data.js";
import { listResponse, oneResponse, type ScimResource, TEXT_OPS } from "../scim.js";
import type { IiqStore } from "../store.js";

const ACCOUNTS: ScimResource = {
  schema: IIQ_SCHEMA_ACCOUNT,
  filters: {
    "identity.value": { ops: TEXT_OPS },
    "identity.userName": { ops: TEXT_OPS },
    "identity.displayName": { ops: TEXT_OPS },
    "application.value": { ops: TEXT_OPS },
    "application.displayName": { ops: TEXT_OPS },
    displayName: { ops: TEXT_OPS },
    nativeIdentity: { ops: TEXT_OPS },
    active: { ops: ["eq"], kind: "boolean" },
    locked: { ops: ["eq"], kind: "boolean" },
  },
};

export const accountRoutes: RouteTable<IiqStore> = {
  "GET /Accounts": (store, req) => listResponse(req, [...store.accounts.values()], ACCOUNTS),
  "GET /Accounts/{id}": (store, req) =>
    oneResponse(req, store.accounts.get(req.params.id ?? ""), IIQ_SCHEMA_ACCOUNT),
};
