/**
 * What one user holds on one app (upstream-apis §1.9.5): effective entitlements, the grants behind them
 * (base and additional), their history, and revoke-principal-access, which ends grants of a bundle or an app, takes
 * values out of grants, and denies with an additive DENY grant what a bundle or the policy still gives.
 */

import { topLevelEq } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { E, queryCause } from "../errors.js";
import { appScoped, compile, historyPins, OKTA_FILTERS, pinnedUser, requiredFilter } from "../filters.js";
import { historyOf } from "../history.js";
import { enc, includes } from "../lists.js";
import { appIdFromOrn, governanceIdFromOrn, userIdFromOrn } from "../orn.js";
import { entitlementCore, fullEntitlements, GOV, href, valueBrief } from "../render.js";
import {
  type AppRec,
  type BundleRec,
  type EntRec,
  type GrantRec,
  type OktaStore,
  type UserRec,
  type ValRec,
  withoutValues,
} from "../store.js";
import { bodyObject, Causes } from "../validation.js";
import { ACTORS } from "./grants.js";

function principalPins(store: OktaStore, req: SandboxRequest): { app: AppRec; user: UserRec; text: string } {
  const { text, node, app } = appScoped(store, req, OKTA_FILTERS.principal);
  return { app, user: pinnedUser(store, node), text };
}

/** The URL of a principal endpoint (`principal-access`, `principal-entitlements`) for a filter. */
function principalHref(store: OktaStore, endpoint: string, filter: string): string {
  return `${store.cfg.baseUrl()}${GOV}/${endpoint}?filter=${enc(filter)}`;
}

function principalEntitlements(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const { app, user, text } = principalPins(store, req);
  const data: Json[] = [];
  const effective = store.effective(user.id, app.id);
  const ents = [...effective.keys()]
    .map((id) => store.entitlements.get(id))
    .filter((e): e is EntRec => e !== undefined)
    .sort((a, b) =>
      a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0,
    );
  for (const e of ents) {
    const ids = effective.get(e.id) ?? new Set<string>();
    data.push({
      ...entitlementCore(e),
      targetPrincipalOrn: user.orn,
      targetPrincipal: { externalId: user.id, type: "OKTA_USER" },
      values: store
        .valuesOf(e)
        .filter((v) => ids.has(v.id))
        .map(valueBrief),
    });
  }
  const self = principalHref(store, "principal-entitlements", text);
  return {
    status: 200,
    body: { data, _links: { self: { href: self, hints: {} } } },
    headers: { Link: `<${self}>; rel="self"` },
  };
}

function accessEntry(store: OktaStore, g: GrantRec, effective: Map<string, Set<string>>): Json {
  const bundle = g.entitlementBundleId ? store.bundles.get(g.entitlementBundleId) : undefined;
  const refs = store.grantRefs(g);
  return {
    grantType: g.grantType,
    grantMethod: g.grantType === "POLICY" ? "POLICY" : g.actor,
    action: g.action,
    startTime: g.created,
    ...(g.scheduleSettings ? { expirationTime: g.scheduleSettings.expirationDate } : {}),
    ...(g.scheduleSettings?.timeZone ? { timeZone: g.scheduleSettings.timeZone } : {}),
    grant: { id: g.id, _links: { self: href(store, `${GOV}/grants/${g.id}`) } },
    ...(bundle ? { bundle: { id: bundle.id, name: bundle.name } } : {}),
    entitlements: fullEntitlements(store, refs, "all").map((e) => ({
      ...e,
      values: (e.values as Json[]).map((v) => ({
        ...v,
        effective: effective.get(e.id as string)?.has(v.id as string) ?? false,
      })),
    })),
  };
}

function principalAccess(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const { app, user, text } = principalPins(store, req);
  const grants = store.activeGrants(user.id, app.id);
  const effective = store.effective(user.id, app.id);
  const base = grants.filter((g) => g.grantType === "CUSTOM" || g.grantType === "POLICY").at(-1);
  const additional = grants.filter((g) => g !== base && g.grantType !== "CUSTOM" && g.grantType !== "POLICY");
  const self = principalHref(store, "principal-access", text);
  const body: Json = {
    parentResourceOrn: app.orn,
    parent: { externalId: app.id, type: "APPLICATION" },
    targetPrincipalOrn: user.orn,
    targetPrincipal: { externalId: user.id, type: "OKTA_USER" },
  };
  if (base?.scheduleSettings) {
    body.expirationTime = base.scheduleSettings.expirationDate;
    if (base.scheduleSettings.timeZone) body.timeZone = base.scheduleSettings.timeZone;
  }
  if (base) body.base = accessEntry(store, base, effective);
  if (additional.length > 0) body.additional = additional.map((g) => accessEntry(store, g, effective));
  body._links = { self: { href: self, hints: {} } };
  return { status: 200, body, headers: { Link: `<${self}>; rel="self"` } };
}

/** The history's page size: the spec's default 20, at most 100. */
const HISTORY_LIMIT = { default: 20, max: 100 };

/**
 * A principal's entitlement history in one app: periods newest first, each with the entitlements held
 * then, optionally within startDate/endDate; paged by `after` (a period's startDate), `include=counts`
 * adds `metadata.total`.
 */
function principalHistory(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const text = requiredFilter(req);
  const node = compile(text, OKTA_FILTERS.history);
  const { app, user } = historyPins(store, node);
  const from = topLevelEq(node, "startDate").map(Date.parse)[0];
  const to = topLevelEq(node, "endDate").map(Date.parse)[0];
  const counts = includes(req, ["counts"]).includes("counts");
  const rawLimit = req.query.get("limit");
  const limit = rawLimit === null ? HISTORY_LIMIT.default : Number(rawLimit);
  if (!/^\d+$/.test(rawLimit ?? "1") || limit < 1 || limit > HISTORY_LIMIT.max) {
    throw E.paging([
      queryCause("/limit", `limit must be an integer from 1 to ${HISTORY_LIMIT.max}`, "INVALID_DATA_TYPE"),
    ]);
  }
  const now = store.cfg.now();
  const records = historyOf(store, user.id, app.id).filter((r) => {
    const end = r.endDate === undefined ? now : Date.parse(r.endDate);
    // A period ends when the next begins: one that ended at startDate was over by then.
    return (from === undefined || end > from) && (to === undefined || Date.parse(r.startDate) <= to);
  });
  const after = req.query.get("after");
  let start = 0;
  if (after !== null) {
    const at = records.findIndex((r) => r.startDate === after);
    if (at < 0) {
      throw E.paging([
        queryCause(
          "/after",
          "The after parameter is invalid; use the links of the previous response",
          "INVALID_AFTER_PARAMETER",
        ),
      ]);
    }
    start = at + 1;
  }
  const slice = records.slice(start, start + limit);
  const query = (cursor: string | null) =>
    [
      `filter=${enc(text)}`,
      ...(cursor !== null ? [`after=${enc(cursor)}`] : []),
      `limit=${limit}`,
      ...(counts ? ["include=counts"] : []),
    ].join("&");
  const base = `${store.cfg.baseUrl()}${GOV}/principal-entitlements/history`;
  const self = `${base}?${query(after)}`;
  const last = slice.at(-1);
  const next = start + limit < records.length && last ? `${base}?${query(last.startDate)}` : undefined;
  const body: Json = {
    resourceOrn: app.orn,
    resource: { externalId: app.id, type: "APPLICATION" },
    principalOrn: user.orn,
    principal: { externalId: user.id, type: "OKTA_USER" },
    entitlementHistory: slice.map((r) => ({
      startDate: r.startDate,
      ...(r.endDate !== undefined ? { endDate: r.endDate } : {}),
      lifecycle: r.lifecycle,
      entitlements: heldEntitlements(store, r.held),
    })),
    _links: { self: { href: self, hints: {} }, ...(next ? { next: { href: next, hints: {} } } : {}) },
    ...(counts ? { metadata: { total: records.length } } : {}),
  };
  const link = [`<${self}>; rel="self"`, ...(next ? [`<${next}>; rel="next"`] : [])];
  return { status: 200, body, headers: { Link: link } };
}

/** Held entitlements as the history lists them (entitlement-detail), by name; gone ones left out. */
function heldEntitlements(store: OktaStore, held: Map<string, Set<string>>): Json[] {
  return [...held]
    .map(([id, values]) => ({ e: store.entitlements.get(id), values }))
    .filter((x): x is { e: EntRec; values: Set<string> } => x.e !== undefined)
    .sort((a, b) => a.e.name.localeCompare(b.e.name))
    .map(({ e, values }) => {
      const { parentResourceOrn: _orn, parent: _parent, ...detail } = entitlementCore(e);
      return {
        ...detail,
        values: store
          .valuesOf(e)
          .filter((v) => values.has(v.id))
          .map(valueBrief),
      };
    });
}

type RevokeTarget =
  | { kind: "value"; value: ValRec; ent: EntRec }
  | { kind: "bundle"; bundle: BundleRec }
  | { kind: "app"; app: AppRec };

/** What each of `revokeOrns` names (a value, a bundle or a whole app), with a cause for each bad one. */
function revokeTargets(store: OktaStore, raw: unknown[], c: Causes): RevokeTarget[] {
  const targets: RevokeTarget[] = [];
  if (raw.length < 1 || raw.length > 5) {
    c.add("/revokeOrns", "revokeOrns must hold 1 to 5 ORNs", "ARRAY_SIZE_INVALID");
  }
  for (const [i, orn] of raw.entries()) {
    const loc = `/revokeOrns/${i}`;
    if (typeof orn !== "string") {
      c.add(loc, "Invalid ORN format for revokeObjectOrns", "STRING_FORMAT_INVALID");
      continue;
    }
    const valueId = governanceIdFromOrn(orn, "entitlement-values");
    const bundleId = governanceIdFromOrn(orn, "entitlement-bundles");
    const appId = appIdFromOrn(orn);
    if (valueId !== undefined) {
      const value = store.values.get(valueId);
      const ent = value ? store.entitlements.get(value.entitlementId) : undefined;
      if (!value || !ent) {
        c.add(loc, `Entitlement value ${valueId} not found`, "IDENTIFIER_NOT_FOUND");
        continue;
      }
      targets.push({ kind: "value", value, ent });
    } else if (bundleId !== undefined) {
      const bundle = store.bundles.get(bundleId);
      if (!bundle) {
        c.add(loc, `Entitlement bundle ${bundleId} not found`, "IDENTIFIER_NOT_FOUND");
        continue;
      }
      targets.push({ kind: "bundle", bundle });
    } else if (appId !== undefined) {
      const app = store.apps.get(appId);
      if (!app) {
        c.add(loc, `Resource ${appId} not found`, "IDENTIFIER_NOT_FOUND");
        continue;
      }
      targets.push({ kind: "app", app });
    } else {
      c.add(loc, "Invalid ORN format for revokeObjectOrns", "STRING_FORMAT_INVALID");
    }
  }
  if (targets.some((t) => t.kind === "app") && raw.length > 1) {
    c.add("/revokeOrns", "An app ORN must be the only item in revokeOrns", "INVALID_VALUE");
  }
  return targets;
}

function revokePrincipalAccess(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const body = bodyObject(req, "RevokePrincipalAccess");
  const c = new Causes("governance");
  const principalOrn = c.string(body, "principalOrn", "", { required: true, max: 1000 });
  let user: UserRec | undefined;
  if (principalOrn !== undefined) {
    const userId = userIdFromOrn(principalOrn);
    if (!userId) c.add("/principalOrn", "Invalid ORN format for principalOrn", "STRING_FORMAT_INVALID");
    else {
      user = store.users.get(userId);
      if (!user) c.add("/principalOrn", `User ${userId} not found`, "IDENTIFIER_NOT_FOUND");
    }
  }
  const actor = c.oneOf(body, "actor", "", ACTORS, false) ?? "API";
  const raw = c.array(body, "revokeOrns", "", { required: true });
  const targets = raw ? revokeTargets(store, raw, c) : [];
  if (!c.ok || !user) throw E.validation("RevokePrincipalAccess", c.list);

  const audit = store.stamp();
  const data: Json[] = [];
  const pending = new Map<string, Map<string, Set<string>>>();
  for (const t of targets) {
    const appId = t.kind === "value" ? t.ent.appId : t.kind === "bundle" ? t.bundle.appId : t.app.id;
    const grants = store.activeGrants(user.id, appId);
    if (t.kind === "app") {
      for (const g of grants) {
        g.status = "INACTIVE";
        store.touch(g, audit);
      }
    } else if (t.kind === "bundle") {
      for (const g of grants) {
        if (g.entitlementBundleId !== t.bundle.id) continue;
        g.status = "INACTIVE";
        store.touch(g, audit);
      }
    } else {
      for (const g of grants) {
        if (g.action !== "ALLOW" || !g.entitlements) continue;
        if (!g.entitlements.some((r) => r.values.some((v) => v.id === t.value.id))) continue;
        g.entitlements = withoutValues(g.entitlements, new Set([t.value.id]));
        store.touch(g, audit);
      }
      // Still given by a bundle or the policy: deny it explicitly (an additive DENY grant).
      if (store.effective(user.id, appId).get(t.ent.id)?.has(t.value.id)) {
        const perApp = pending.get(appId) ?? new Map<string, Set<string>>();
        const set = perApp.get(t.ent.id) ?? new Set<string>();
        set.add(t.value.id);
        perApp.set(t.ent.id, set);
        pending.set(appId, perApp);
      }
    }
    const filter =
      `parent.externalId eq "${appId}" AND parent.type eq "APPLICATION" AND ` +
      `targetPrincipal.externalId eq "${user.id}" AND targetPrincipal.type eq "OKTA_USER"`;
    data.push({
      _links: {
        "principal-access": { href: principalHref(store, "principal-access", filter) },
        "principal-entitlements": { href: principalHref(store, "principal-entitlements", filter) },
      },
    });
  }
  for (const [appId, perApp] of pending) {
    const g: GrantRec = {
      id: store.newId("gra"),
      seq: store.nextSeq(),
      grantType: "ENTITLEMENT",
      userId: user.id,
      appId,
      action: "DENY",
      actor,
      status: "ACTIVE",
      entitlements: [...perApp].map(([id, values]) => ({ id, values: [...values].map((v) => ({ id: v })) })),
      ...audit,
    };
    store.grants.set(g.id, g);
  }
  return { status: 200, body: { data } };
}

export const principalRoutes: RouteTable<OktaStore> = {
  "GET /governance/api/v1/principal-entitlements": principalEntitlements,
  "GET /governance/api/v1/principal-access": principalAccess,
  "GET /governance/api/v1/principal-entitlements/history": principalHistory,
  "POST /governance/api/v2/revoke-principal-access": revokePrincipalAccess,
};
