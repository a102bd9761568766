/**
 * Atomicwork's entitlements (upstream-apis §2.2-2.3): the list (search, app, type, status) and create, with
 * the provisioning and deprovisioning configs checked as the spec types them. A create answers 200 with
 * the empty object, as the spec's response ("Empty response body") and its example (`{}`) show.
 */
import type { RouteTable } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { invalid, notFound } from "../errors.js";
import type { AtomicworkStore } from "../store.js";
import { int, jsonBody, obj, oneOf, page, param, queryInt, text } from "../validation.js";

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

/** provider, type and value are required; nothing inside value is (the spec requires none of it). */
function provisioning(value: unknown, field: string, types: readonly string[]): Json | undefined {
  if (value === undefined || value === null) return undefined;
  const config = obj(value, field);
  oneOf(config.provider ?? "", `${field}.provider`, PROVIDERS);
  oneOf(config.type ?? "", `${field}.type`, types);
  if (config.value === undefined) throw invalid(`${field}.value is required`);
  const inner = obj(config.value, `${field}.value`);
  text(inner.value, `${field}.value.value`, 255, false);
  text(inner.label, `${field}.value.label`, 255, false);
  if (inner.icon !== undefined && inner.icon !== null) {
    const icon = obj(inner.icon, `${field}.value.icon`);
    text(icon.name, `${field}.value.icon.name`, 255, false);
    text(icon.type, `${field}.value.icon.type`, 64, false);
    text(icon.url, `${field}.value.icon.url`, 2000, false);
  }
  return config;
}

export const entitlementRoutes: RouteTable<AtomicworkStore> = {
  "GET /api/v1/iga/entitlements": (store, req) => {
    const q = req.query.get("search_key");
    if (q !== null && q.length < 1) throw invalid("search_key must have at least 1 character");
    const appId = queryInt(req, "app_id");
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
    const created: Json = {
      id: 0,
      name: text(b.name, "name", 255, true),
      description: text(b.description, "description", 1000, false) ?? null,
      app_id: int(b.app_id, "app_id", true),
      type: "GROUP",
      // The spec: "Defaults to PUBLISHED if not specified" (seed 000's copy of the page said UNPUBLISHED).
      status: oneOf(b.status, "status", ["UNPUBLISHED", "PUBLISHED"]) ?? "PUBLISHED",
      provisioning_config: provisioning(b.provisioning_config, "provisioning_config", PROVISIONING) ?? null,
      deprovisioning_config:
        provisioning(b.deprovisioning_config, "deprovisioning_config", DEPROVISIONING) ?? null,
    };
    if (!store.apps.has(created.app_id as number)) throw notFound("App", created.app_id);
    const at = store.stamp();
    Object.assign(created, { id: store.nextEntitlement++, created_at: at, updated_at: at });
    store.entitlements.set(created.id as number, created);
    return { status: 200, body: {} };
  },
};
