/**
 * An app's entitlement settings (upstream-apis §1.9.7): whether it is opted in to Entitlement Management,
 * which every entitlement, bundle and grant write on the app needs. Bookmark apps can't opt in.
 */
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import { E } from "../errors.js";
import { appIdFromOrn } from "../orn.js";
import type { AppRec, OktaStore } from "../store.js";
import { bodyObject, Causes } from "../validation.js";

/** The app the path's ORN names; the spec gives these operations no 404, so an unknown one is a 400. */
function settingsApp(store: OktaStore, req: SandboxRequest): AppRec {
  const orn = req.params.resourceOrn as string;
  const id = appIdFromOrn(orn);
  const app = id ? store.apps.get(id) : undefined;
  if (!app) {
    throw E.validation("EntitlementSettings", [
      {
        errorSummary: `No resource found for ${orn}`,
        reason: "IDENTIFIER_NOT_FOUND",
        location: "resourceOrn",
        locationType: "path",
        domain: "governance",
      },
    ]);
  }
  return app;
}

function patchSettings(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const app = settingsApp(store, req);
  const body = bodyObject(req, "EntitlementSettings");
  const c = new Causes("governance");
  const status = c.oneOf(body, "status", "", ["OPTED_IN", "OPTED_OUT"] as const, true);
  if (status === "OPTED_IN" && app.signOnMode === "BOOKMARK") {
    c.add("/status", "Bookmark apps can't be enabled for Entitlement Management", "INVALID_VALUE");
  }
  if (!c.ok || !status) {
    if (c.list.some((x) => x.reason === "REQUIRED_PROPERTY_MISSING")) {
      throw E.missing(c.list.map((x) => ({ ...x, reason: "MISSING_SETTINGS" })));
    }
    throw E.validation("EntitlementSettings", c.list);
  }
  store.stamp();
  app.entitlementManagement = status === "OPTED_IN";
  return { status: 202, body: { status } };
}

export const settingsRoutes: RouteTable<OktaStore> = {
  "GET /governance/api/v2/resources/{resourceOrn}/entitlement-settings": (store, req) => ({
    status: 200,
    body: { status: settingsApp(store, req).entitlementManagement ? "OPTED_IN" : "OPTED_OUT" },
  }),
  "PATCH /governance/api/v2/resources/{resourceOrn}/entitlement-settings": patchSettings,
};
