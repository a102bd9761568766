/**
 * Okta's entitlement bundles (upstream-apis §1.9.3): list (filters, multi-field order, full entitlements on
 * request), create (E0000028 for a missing name or entitlements), PUT (which moves the version of the
 * bundle's grants too), and DELETE that marks the bundle DELETED and ends its grants.
 */
import { evaluateFilter } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { type Cause, E } from "../errors.js";
import { compile, OKTA_FILTERS } from "../filters.js";
import { BUNDLE_LIST, cached, includes, listQuery, page, sortItems } from "../lists.js";
import { appIdFromOrn, bundleOrn } from "../orn.js";
import { GOV, renderBundle, selfLinkHeader } from "../render.js";
import type { AppRec, Audit, BundleRec, OktaStore } from "../store.js";
import { bodyObject, Causes, entitlementRefs } from "../validation.js";

function bundleOr404(store: OktaStore, id: string): BundleRec {
  const b = store.bundles.get(id);
  if (!b) throw E.notFound(id, "EntitlementBundle");
  return b;
}

function bundleResponse(store: OktaStore, status: number, b: BundleRec, entitlements: "refs" | "full") {
  return {
    status,
    body: renderBundle(store, b, entitlements),
    headers: selfLinkHeader(store, `${GOV}/entitlement-bundles/${b.id}`),
  };
}

/** A 409 for a bundle that is already DELETED. */
function deletedConflict(errorSummary: string): Error {
  return E.conflict([
    {
      errorSummary,
      reason: "OPERATION_STATUS_CONFLICT",
      locationType: "method",
      domain: "entitlement-bundle",
    },
  ]);
}

function listBundles(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const text = req.query.get("filter");
  const node = text === null || text.trim() === "" ? undefined : compile(text, OKTA_FILTERS.bundles);
  const lq = listQuery(req, BUNDLE_LIST);
  if (node === undefined) lq.filter = undefined;
  const full = lq.include.includes("full_entitlements");
  const list = cached(store, `enb|${text ?? ""}|${JSON.stringify(lq.order)}`, () => {
    const matched = [...store.bundles.values()].filter(
      (b) => !node || evaluateFilter(node, b, OKTA_FILTERS.bundles),
    );
    return sortItems(matched, lq.order);
  });
  return page(
    store,
    `${GOV}/entitlement-bundles`,
    lq,
    list,
    (b) => renderBundle(store, b, full ? "full" : "none"),
    true,
  );
}

function bundleTarget(store: OktaStore, body: Json, c: Causes, required: boolean): AppRec | undefined {
  const id = c.externalId(body, "target", "APPLICATION", required);
  if (id === undefined) return undefined;
  const app = store.apps.get(id);
  if (!app?.entitlementManagement) {
    c.add(
      "/target/externalId",
      `Resource ${id} not found or not enabled for Entitlement Management`,
      "IDENTIFIER_NOT_FOUND",
    );
    return undefined;
  }
  return app;
}

function nameTaken(store: OktaStore, name: string, except?: string): boolean {
  const lower = name.toLowerCase();
  for (const b of store.bundles.values()) {
    if (b.status === "ACTIVE" && b.id !== except && b.name.toLowerCase() === lower) return true;
  }
  return false;
}

function createBundle(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const body = bodyObject(req, "EntitlementBundle");
  const missing: Cause[] = [];
  const domain = "entitlement-bundle";
  if (body.name === undefined || body.name === null || body.name === "") {
    missing.push({
      errorSummary: "name is required",
      reason: "MISSING_NAME",
      location: "/name",
      locationType: "body",
      domain,
    });
  }
  if (
    body.entitlements === undefined ||
    body.entitlements === null ||
    (Array.isArray(body.entitlements) && body.entitlements.length === 0)
  ) {
    missing.push({
      errorSummary: "entitlements are required",
      reason: "MISSING_ENTITLEMENTS",
      location: "/entitlements",
      locationType: "body",
      domain,
    });
  }
  if (missing.length > 0) throw E.missing(missing);
  const c = new Causes(domain);
  const name = c.string(body, "name", "", { required: true, max: 255 });
  const description = c.string(body, "description", "", { max: 1000 });
  const app = bundleTarget(store, body, c, true);
  const rawRefs = c.array(body, "entitlements", "", { required: true });
  const refs = app && rawRefs ? entitlementRefs(store, rawRefs, app, "/entitlements", c) : [];
  if (name !== undefined && nameTaken(store, name)) {
    c.add("/name", `An entitlement bundle named "${name}" already exists`, "DUPLICATE_NAME");
  }
  if (!c.ok || !app) throw E.validation("EntitlementBundle", c.list);
  const audit = store.stamp();
  const id = store.newId("enb");
  const b: BundleRec = {
    id,
    appId: app.id,
    name: name as string,
    description,
    status: "ACTIVE",
    entitlements: refs,
    orn: bundleOrn(id),
    target: { externalId: app.id, type: "APPLICATION" },
    targetResourceOrn: app.orn,
    ...audit,
  };
  store.bundles.set(id, b);
  return bundleResponse(store, 201, b, "refs");
}

function replaceBundle(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const b = bundleOr404(store, req.params.entitlementBundleId as string);
  const body = bodyObject(req, "EntitlementBundle");
  const c = new Causes("entitlement-bundle");
  c.ownId(body, b.id, "bundle");
  const name = c.string(body, "name", "", { required: true, max: 255 });
  const description = c.string(body, "description", "", { max: 1000 });
  const status = c.oneOf(body, "status", "", ["ACTIVE", "DELETED"] as const, false);
  const app = store.apps.get(b.appId) as AppRec;
  const targetId = c.externalId(body, "target", "APPLICATION", true);
  if (targetId !== undefined && targetId !== b.appId) {
    c.add("/target/externalId", "The target of an entitlement bundle can't be changed", "INVALID_VALUE");
  }
  const orn = c.string(body, "targetResourceOrn", "", { required: true, max: 1000 });
  // The docs' own example names the app "github" in the ORN of a Salesforce app: compare by app id.
  if (orn !== undefined && appIdFromOrn(orn) !== b.appId) {
    c.add("/targetResourceOrn", "targetResourceOrn must name the bundle's target app", "INVALID_VALUE");
  }
  const rawRefs = c.array(body, "entitlements", "", { required: false });
  const refs = rawRefs ? entitlementRefs(store, rawRefs, app, "/entitlements", c) : undefined;
  if (name !== undefined && nameTaken(store, name, b.id)) {
    c.add("/name", `An entitlement bundle named "${name}" already exists`, "DUPLICATE_NAME");
  }
  if (!c.ok) throw E.validation("EntitlementBundle", c.list);
  if (b.status === "DELETED")
    throw deletedConflict(`Entitlement bundle ${b.id} is DELETED and can't be replaced`);
  const audit = store.stamp();
  b.name = name as string;
  b.description = description;
  if (refs) b.entitlements = refs;
  store.touch(b, audit);
  // Grants reference the bundle, so they change with it; their version moves too.
  for (const g of store.grants.values()) {
    if (g.entitlementBundleId === b.id && refs) store.touch(g, audit);
  }
  if (status === "DELETED") endBundle(store, b, audit);
  return bundleResponse(store, 200, b, "refs");
}

function deleteBundle(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const b = bundleOr404(store, req.params.entitlementBundleId as string);
  if (b.status === "DELETED") throw deletedConflict(`Entitlement bundle ${b.id} is already DELETED`);
  endBundle(store, b, store.stamp());
  return { status: 204 };
}

/** The bundle becomes DELETED and gives nothing: its grants end. */
function endBundle(store: OktaStore, b: BundleRec, audit: Audit): void {
  b.status = "DELETED";
  store.touch(b, audit);
  for (const g of store.grants.values()) {
    if (g.entitlementBundleId === b.id && g.status === "ACTIVE") {
      g.status = "INACTIVE";
      store.touch(g, audit);
    }
  }
}

export const bundleRoutes: RouteTable<OktaStore> = {
  "GET /governance/api/v1/entitlement-bundles": listBundles,
  "POST /governance/api/v1/entitlement-bundles": createBundle,
  "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}": (store, req) => {
    const b = bundleOr404(store, req.params.entitlementBundleId as string);
    includes(req, BUNDLE_LIST.include);
    return bundleResponse(store, 200, b, "full");
  },
  "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId}": replaceBundle,
  "DELETE /governance/api/v1/entitlement-bundles/{entitlementBundleId}": deleteBundle,
};
