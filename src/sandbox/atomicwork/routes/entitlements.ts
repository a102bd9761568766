/**
 * Atomicwork's entitlements (upstream-apis §2.2-2.3): the list (search, app, type, status) and create, with
 * the provisioning and deprovisioning configs checked against the providers Atomicwork knows.
 */
import type { RouteTable } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { invalid, notFound } from "../errors.js";
import type { AtomicworkStore } from "../store.js";
import { int, jsonBody, obj, oneOf, page, param, text } from "../validation.js";

const PROVIDERS = ["OKTA", "AZURE_AD", "MS_INTUNE", "JUMPCLOUD", "GOOGLE_WORKSPACE", "TUEBORA", "MANUAL"];
const PROVISIONING = [
  "OKTA_GROUP_PROVISIONING",
  "AZURE_GROUP_PROVISIONING",
  "INTUNE_GROUP_PROVISIONING",
  "JUMPCLOUD_GROUP_PROVISIONING",
  "GOOGLE_WORKSPACE_GROUP_PROVISIONING",
  "MANUAL_PROVISIONING",
];
const DEPROVISIONING = PROVISIONING.map((t) => t.replace("_PROVISIONING", "_DEPROVISIONING"));

function provisioning(value: unknown, field: string, types: readonly string[]): Json | undefined {
  if (value === undefined || value === null) return undefined;
  const config = obj(value, field);
  oneOf(config.provider ?? "", `${field}.provider`, PROVIDERS);
  oneOf(config.type ?? "", `${field}.type`, types);
  const inner = obj(config.value, `${field}.value`);
  text(inner.value, `${field}.value.value`, 255, true);
  text(inner.label, `${field}.value.label`, 255, false);
  return config;
}

export const entitlementRoutes: RouteTable<AtomicworkStore> = {
  "GET /api/v1/iga/entitlements": (store, req) => {
    const q = req.query.get("search_key");
    if (q !== null && q.length < 1) throw invalid("search_key must have at least 1 character");
    const appId = int(param(req, "app_id"), "app_id", false);
    const type = oneOf(param(req, "type"), "type", ["GROUP", "ROLE"]);
    const status = oneOf(param(req, "status"), "status", ["DRAFT", "PUBLISHED"]);
    const list = [...store.entitlements.values()].filter(
      (e) =>
        (!q || String(e.name).toLowerCase().includes(q.toLowerCase())) &&
        (appId === undefined || e.app_id === appId) &&
        (!type || e.type === type) &&
        // UNPUBLISHED entitlements are the drafts of the list filter.
        (!status || (status === "DRAFT" ? e.status !== "PUBLISHED" : e.status === "PUBLISHED")),
    );
    return { status: 200, body: page(req, list, 100) };
  },
  "POST /api/v1/iga/entitlements": (store, req) => {
    const b = obj(jsonBody(req), "body");
    const name = text(b.name, "name", 255, true);
    const appId = int(b.app_id, "app_id", true) as number;
    if (!store.apps.has(appId)) throw notFound("App", appId);
    const at = store.stamp();
    const created: Json = {
      id: store.nextEntitlement++,
      name,
      description: text(b.description, "description", 1000, false) ?? null,
      app_id: appId,
      type: "GROUP",
      status: oneOf(b.status, "status", ["UNPUBLISHED", "PUBLISHED"]) ?? "UNPUBLISHED",
      provisioning_config: provisioning(b.provisioning_config, "provisioning_config", PROVISIONING) ?? null,
      deprovisioning_config:
        provisioning(b.deprovisioning_config, "deprovisioning_config", DEPROVISIONING) ?? null,
      created_at: at,
      updated_at: at,
    };
    store.entitlements.set(created.id as number, created);
    return { status: 200, body: created };
  },
};
