/** IdentityIQ's Applications (upstream-apis §3.3): the systems entitlements are aggregated from. */
import type { RouteTable } from "../../kit/http.js";
import { IIQ_SCHEMA_APPLICATION, type IiqApplication } from "../data.js";
import { listResponse, oneResponse, type ScimResource, TEXT_OPS } from "../scim.js";
import type { IiqStore } from "../store.js";

const APPLICATIONS: ScimResource = {
  schema: IIQ_SCHEMA_APPLICATION,
  filters: { name: { ops: TEXT_OPS }, displayName: { ops: TEXT_OPS, path: "name" } },
};

function application(store: IiqStore, app: IiqApplication): Record<string, unknown> {
  return {
    id: app.id,
    schemas: [IIQ_SCHEMA_APPLICATION],
    name: app.name,
    type: app.type,
    meta: store.meta("Application", app.id),
  };
}

export const applicationRoutes: RouteTable<IiqStore> = {
  "GET /Applications": (store, req) =>
    listResponse(
      req,
      [...store.apps.values()].map((a) => application(store, a)),
      APPLICATIONS,
    ),
  "GET /Applications/{id}": (store, req) => {
    const app = store.apps.get(req.params.id ?? "");
    return oneResponse(req, app && application(store, app), IIQ_SCHEMA_APPLICATION);
  },
};
