/**
 * Okta's grants (upstream-apis §1.9.4): the list pinned to one app (ACTIVE grants only), the four grant
 * types on create (a base grant, CUSTOM or POLICY, replaces the principal's other grants on the app),
 * PUT of a CUSTOM grant's entitlements, and PATCH of the expiry.
 */
import { eqValues, evaluateFilter } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import { isObject, type Json } from "../../kit/json.js";
import type { EntitlementRef } from "../data.js";
import { E } from "../errors.js";
import { appScoped, OKTA_FILTERS, TARGET_PIN } from "../filters.js";
import { cached, GRANT_LIST, includes, listQuery, page, sortItems } from "../lists.js";
import { normalizeOrn, userOrn } from "../orn.js";
import { GOV, grantTargets, renderGrant, selfLinkHeader } from "../render.js";
import type { AppRec, BundleRec, GrantRec, OktaStore, Schedule, UserRec } from "../store.js";
import { bodyObject, Causes, entitlementRefs, human } from "../validation.js";

/** The grant actors a write may name (`actor`, default API). */
export const ACTORS = ["API", "ACCESS_REQUEST", "ADMIN", "NONE"] as const;

function grantOr404(store: OktaStore, id: string): GrantRec {
  const g = store.grants.get(id);
  if (!g) throw E.notFound(id, "Grant");
  return g;
}

function grantResponse(store: OktaStore, status: number, g: GrantRec, full: boolean): SandboxResponse {
  return {
    status,
    body: renderGrant(store, g, full),
    headers: selfLinkHeader(store, `${GOV}/grants/${g.id}`),
  };
}

/** The grant a PUT or PATCH names and its body, whose `id` must be the grant's own. */
function grantUpdate(store: OktaStore, req: SandboxRequest): { g: GrantRec; body: Json; c: Causes } {
  const g = grantOr404(store, req.params.grantId as string);
  const body = bodyObject(req, "Grant");
  const c = new Causes("grants");
  c.ownId(body, g.id, "grant");
  return { g, body, c };
}

function listGrants(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const { text, node, app } = appScoped(store, req, OKTA_FILTERS.grants, TARGET_PIN);
  const unknown = eqValues(node, "entitlements.id").find((id) => !store.entitlements.has(id));
  if (unknown) throw E.notFound(unknown, "Entitlement");
  const lq = listQuery(req, GRANT_LIST);
  const full = lq.include.includes("full_entitlements");
  const list = cached(
    store,
    `gra|${text}|${JSON.stringify(lq.order)}|${Math.floor(store.cfg.now() / 1000)}`,
    () => {
      const matched: GrantRec[] = [];
      for (const g of store.grants.values()) {
        if (g.appId !== app.id || store.grantStatus(g) !== "ACTIVE") continue;
        const view = {
          ...grantTargets(app, g.userId),
          entitlementBundleId: g.entitlementBundleId,
          entitlements: store.grantRefs(g),
          action: g.action,
        };
        if (evaluateFilter(node, view, OKTA_FILTERS.grants)) matched.push(g);
      }
      return sortItems(matched, lq.order);
    },
  );
  return page(store, `${GOV}/grants`, lq, list, (g) => renderGrant(store, g, full), false);
}

function getGrant(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const g = grantOr404(store, req.params.grantId as string);
  const full = includes(req, GRANT_LIST.include).includes("full_entitlements");
  return grantResponse(store, 200, g, full);
}

/**
 * `scheduleSettings`: the spec's schedule-settings-writeable requires none of its fields. Without an
 * expirationDate the grant has no end (a PATCH clears the one it had).
 */
function schedule(body: Json, c: Causes, required: boolean): { value: Schedule | undefined } | undefined {
  const s = c.object(body, "scheduleSettings", "", required);
  if (!s) return undefined;
  const expirationDate = c.string(s, "expirationDate", "/scheduleSettings", { max: 64 });
  const timeZone = c.string(s, "timeZone", "/scheduleSettings", { max: 64 });
  if (expirationDate !== undefined && Number.isNaN(Date.parse(expirationDate))) {
    c.add(
      "/scheduleSettings/expirationDate",
      "expirationDate must be an ISO 8601 date-time",
      "STRING_FORMAT_INVALID",
    );
  }
  if (timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
    } catch {
      c.add("/scheduleSettings/timeZone", `${timeZone} is not an IANA time zone`, "INVALID_VALUE");
    }
  }
  if (expirationDate === undefined) return { value: undefined };
  return { value: timeZone === undefined ? { expirationDate } : { expirationDate, timeZone } };
}

function grantApp(store: OktaStore, body: Json, c: Causes): AppRec | undefined {
  const id = c.externalId(body, "target", "APPLICATION", true);
  if (id === undefined) return undefined;
  const app = store.apps.get(id);
  if (!app) {
    c.add("/target/externalId", `Resource ${id} not found`, "IDENTIFIER_NOT_FOUND");
    return undefined;
  }
  if (!app.entitlementManagement) throw E.notOptedIn();
  return app;
}

function createGrant(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const body = bodyObject(req, "Grant");
  const c = new Causes("grants");
  // The spec's grant-creatable maps three grant types; ENTITLEMENT grants are Okta's own (a revocation's DENY).
  const grantType =
    body.grantType === undefined
      ? "ENTITLEMENT-BUNDLE"
      : c.oneOf(body, "grantType", "", ["CUSTOM", "POLICY", "ENTITLEMENT-BUNDLE"] as const, true);
  const userId = c.externalId(body, "targetPrincipal", "OKTA_USER", true);
  const user: UserRec | undefined = userId === undefined ? undefined : store.users.get(userId);
  if (userId !== undefined && !user) {
    c.add("/targetPrincipal/externalId", `User ${userId} not found`, "IDENTIFIER_NOT_FOUND");
  }
  const action = c.oneOf(body, "action", "", ["ALLOW", "DENY"] as const, false) ?? "ALLOW";
  const actor = c.oneOf(body, "actor", "", ACTORS, false) ?? "API";
  const scheduleSettings = schedule(body, c, false)?.value;
  let app: AppRec | undefined;
  let bundle: BundleRec | undefined;
  let refs: EntitlementRef[] | undefined;
  if (grantType === "ENTITLEMENT-BUNDLE") {
    const bundleId = c.string(body, "entitlementBundleId", "", { required: true, max: 255 });
    if (bundleId !== undefined) {
      bundle = store.bundles.get(bundleId);
      if (!bundle) {
        c.add("/entitlementBundleId", `Entitlement bundle ${bundleId} not found`, "IDENTIFIER_NOT_FOUND");
      } else if (bundle.status !== "ACTIVE") {
        c.add(
          "/entitlementBundleId",
          `Entitlement bundle ${bundleId} is DELETED and can't be granted`,
          "INVALID_STATUS",
        );
      } else {
        app = store.apps.get(bundle.appId);
        const target = isObject(body.target) ? body.target : undefined;
        if (target && target.externalId !== undefined && target.externalId !== bundle.appId) {
          c.add("/target/externalId", "target must be the bundle's target app", "INVALID_VALUE");
        }
      }
    }
  } else if (grantType !== undefined) {
    app = grantApp(store, body, c);
    const raw = c.array(body, "entitlements", "", { required: false });
    if (grantType === "POLICY" && raw && raw.length > 0) {
      c.add("/entitlements", "A POLICY grant takes its entitlements from the app's policy", "INVALID_VALUE");
    } else if (app && raw && grantType !== "POLICY") {
      refs = entitlementRefs(store, raw, app, "/entitlements", c);
    }
    if (grantType === "CUSTOM") refs ??= [];
  }
  if (!c.ok || !app || !user || !grantType) throw E.validation("Grant", c.list);

  const audit = store.stamp();
  if (grantType === "CUSTOM" || grantType === "POLICY") {
    // "When creating a base grant type, all existing grants are replaced by this grant."
    for (const g of store.activeGrants(user.id, app.id)) {
      g.status = "INACTIVE";
      store.touch(g, audit);
    }
  }
  const g: GrantRec = {
    id: store.newId("gra"),
    seq: store.nextSeq(),
    grantType,
    userId: user.id,
    appId: app.id,
    entitlementBundleId: bundle?.id,
    action,
    actor,
    status: "ACTIVE",
    entitlements: refs,
    scheduleSettings,
    ...audit,
  };
  store.grants.set(g.id, g);
  return grantResponse(store, 201, g, false);
}

function replaceGrant(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const { g, body, c } = grantUpdate(store, req);
  if (g.grantType !== "CUSTOM") {
    c.add("/grantType", `Only CUSTOM grants can be replaced; ${g.id} is ${g.grantType}`, "INVALID_OPERATION");
  }
  const app = store.apps.get(g.appId) as AppRec;
  const same = (key: string, expected: string, loc = `/${key}`) => {
    const value = body[key];
    if (value !== undefined && value !== null && value !== expected) {
      c.add(loc, `${human(loc)} can't be changed (it is ${expected})`, "INVALID_VALUE");
    }
  };
  same("grantType", g.grantType);
  same("action", g.action);
  same("entitlementBundleId", g.entitlementBundleId ?? "");
  const check = (obj: unknown, key: string, expected: string, loc: string) => {
    if (isObject(obj) && obj[key] !== undefined && obj[key] !== expected) {
      c.add(loc, `${human(loc)} can't be changed (it is ${expected})`, "INVALID_VALUE");
    }
  };
  check(body.target, "externalId", app.id, "/target/externalId");
  check(body.targetPrincipal, "externalId", g.userId, "/targetPrincipal/externalId");
  for (const [key, expected] of [
    ["targetResourceOrn", app.orn],
    ["targetPrincipalOrn", userOrn(g.userId)],
  ] as const) {
    const value = body[key];
    if (typeof value === "string" && normalizeOrn(value) !== normalizeOrn(expected)) {
      c.add(`/${key}`, `${key} can't be changed (it is ${expected})`, "INVALID_VALUE");
    }
  }
  const raw = c.array(body, "entitlements", "", { required: false }) ?? [];
  const refs = entitlementRefs(store, raw, app, "/entitlements", c);
  if (!c.ok) throw E.validation("Grant", c.list);
  if (store.grantStatus(g) !== "ACTIVE") {
    throw E.validation("Grant", [
      {
        errorSummary: `Grant ${g.id} is ${store.grantStatus(g)}; only ACTIVE grants can be replaced`,
        reason: "INVALID_STATUS",
        location: "/status",
        locationType: "body",
        domain: "grants",
      },
    ]);
  }
  const audit = store.stamp();
  g.entitlements = refs;
  store.touch(g, audit);
  return grantResponse(store, 200, g, false);
}

function patchGrant(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const { g, body, c } = grantUpdate(store, req);
  const scheduleSettings = schedule(body, c, true);
  if (!c.ok || !scheduleSettings) throw E.validation("Grant", c.list);
  const audit = store.stamp();
  g.scheduleSettings = scheduleSettings.value;
  store.touch(g, audit);
  return grantResponse(store, 200, g, false);
}

export const grantRoutes: RouteTable<OktaStore> = {
  "GET /governance/api/v1/grants": listGrants,
  "POST /governance/api/v1/grants": createGrant,
  "GET /governance/api/v1/grants/{grantId}": getGrant,
  "PUT /governance/api/v1/grants/{grantId}": replaceGrant,
  "PATCH /governance/api/v1/grants/{grantId}": patchGrant,
};
