/** IdentityIQ's Applications (upstream-apis §3.3): the systems entitlements are aggregated from. */
import type { RouteTable } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { IIQ_SCHEMA_APPLICATION } from "../data.js";
import { listResponse, oneResponse, type ScimResource, TEXT_OPS } from "../scim.js";
import type { IiqStore } from "../store.js";

const APPLICATIONS: ScimResource = {
  schema: IIQ_SCHEMA_APPLICATION,
  filters: {
    name: { ops: TEXT_OPS },
    displayName: { ops: TEXT_OPS, path: "name" },
    type: { ops: TEXT_OPS },
  },
  // The spec's default page of applications is one.
  defaultCount: 1,
};

/** The spec's `{applicationId}` is the id or the name of the application. */
function byIdOrName(store: IiqStore, key: string): Json | undefined {
  const all = [...store.applications.values()];
  return (
    store.applications.get(key) ??
    all.find((a) => a.name === key) ??
    all.find((a) => String(a.name).toLowerCase() === key.toLowerCase())
  );
}

export const applicationRoutes: RouteTable<IiqStore> = {
  "GET /Applications": (store, req) => listResponse(req, [...store.applications.values()], APPLICATIONS),
  "GET /Applications/{id}": (store, req) =>
    oneResponse(req, byIdOrName(store, req.params.id ?? ""), IIQ_SCHEMA_APPLICATION),
};
