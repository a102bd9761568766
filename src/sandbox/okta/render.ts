/**
 * What Okta's objects look like on the wire: entitlements (whole, as list items, as a principal's),
 * values (inside an entitlement, or with their parent), bundles and grants with their entitlements
 * referenced or expanded, users and apps of the management API. Every href is absolute.
 */

import type { Json } from "../kit/json.js";
import type { EntitlementRef } from "./data.js";
import { userOrn } from "./orn.js";
import type { AppRec, Audit, BundleRec, EntRec, GrantRec, OktaStore, UserRec, ValRec } from "./store.js";

export const GOV = "/governance/api/v1";

export function href(store: OktaStore, path: string): { href: string; hints: Record<string, never> } {
  return { href: `${store.cfg.baseUrl()}${path}`, hints: {} };
}

/** The `Link: <…>; rel="self"` header of a single object. */
export function selfLinkHeader(store: OktaStore, path: string): Record<string, string> {
  return { Link: `<${store.cfg.baseUrl()}${path}>; rel="self"` };
}

/** Who created and last changed a record, and when. */
function auditOf(rec: Audit): Audit {
  return {
    created: rec.created,
    createdBy: rec.createdBy,
    lastUpdated: rec.lastUpdated,
    lastUpdatedBy: rec.lastUpdatedBy,
  };
}

/**
 * What identifies a value, without audit fields. The entitlement endpoints show its externalId too;
 * bundles, grants and principals (the brief form) do not.
 */
function valueIdentity(v: ValRec, withExternalId = true): Json {
  return {
    id: v.id,
    name: v.name,
    externalValue: v.externalValue,
    ...(v.description !== undefined ? { description: v.description } : {}),
    ...(withExternalId && v.externalId !== undefined ? { externalId: v.externalId } : {}),
    orn: v.orn,
  };
}

/** A value as bundles, grants and principals list it. */
export function valueBrief(v: ValRec): Json {
  return valueIdentity(v, false);
}

export function entitlementCore(e: EntRec): Json {
  return {
    id: e.id,
    name: e.name,
    externalValue: e.externalValue,
    ...(e.description !== undefined ? { description: e.description } : {}),
    parentResourceOrn: e.parentResourceOrn,
    parent: { ...e.parent },
    multiValue: e.multiValue,
    required: false,
    dataType: e.dataType,
  };
}

export function renderEntitlement(store: OktaStore, e: EntRec, values: ValRec[] = store.valuesOf(e)): Json {
  return {
    ...entitlementCore(e),
    values: values.map((v) => ({ ...valueIdentity(v), ...auditOf(v) })),
    metadata: { total: values.length },
    _links: { self: href(store, `${GOV}/entitlements/${e.id}`) },
    ...auditOf(e),
  };
}

export function renderEntitlementListItem(store: OktaStore, e: EntRec, limit: number): Json {
  return {
    ...entitlementCore(e),
    _links: {
      self: href(store, `${GOV}/entitlements/${e.id}`),
      values: href(store, `${GOV}/entitlements/${e.id}/values?limit=${limit}`),
    },
    ...auditOf(e),
  };
}

/** `entitlement-value-with-parent`: list items carry `_links: {}`, a single GET `_links.self`. */
export function renderValueWithParent(store: OktaStore, v: ValRec, e: EntRec, withSelf: boolean): Json {
  return {
    ...valueIdentity(v),
    entitlementId: e.id,
    parentResourceOrn: e.parentResourceOrn,
    parent: { ...e.parent },
    labels: [],
    _links: withSelf ? { self: href(store, `${GOV}/entitlements/${e.id}/values/${v.id}`) } : {},
    ...auditOf(v),
  };
}

/**
 * Entitlement references expanded: each entitlement with only the referenced values. A reference that
 * names no values (the entitlement as a whole) shows none (`whole: "omit"`, as it was written), or every
 * value the entitlement has (`"all"`, what it gives).
 */
export function fullEntitlements(
  store: OktaStore,
  refs: EntitlementRef[],
  whole: "omit" | "all" = "omit",
): Json[] {
  const out: Json[] = [];
  for (const ref of refs) {
    const e = store.entitlements.get(ref.id);
    if (!e) continue;
    const ids = ref.values.length > 0 ? ref.values.map((r) => r.id) : whole === "all" ? e.valueIds : [];
    out.push({
      id: e.id,
      name: e.name,
      externalValue: e.externalValue,
      ...(e.description !== undefined ? { description: e.description } : {}),
      multiValue: e.multiValue,
      required: false,
      dataType: e.dataType,
      ...(ids.length > 0 || whole === "all"
        ? {
            values: ids
              .map((id) => store.values.get(id))
              .filter((v): v is ValRec => v !== undefined)
              .map(valueBrief),
          }
        : {}),
    });
  }
  return out;
}

/** References as written: `{id, values}`, or `{id}` alone for an entitlement named as a whole. */
export function refsOut(refs: EntitlementRef[]): Json[] {
  return refs.map((r) =>
    r.values.length > 0 ? { id: r.id, values: r.values.map((v) => ({ id: v.id })) } : { id: r.id },
  );
}

export function renderBundle(store: OktaStore, b: BundleRec, entitlements: "refs" | "full" | "none"): Json {
  return {
    id: b.id,
    name: b.name,
    ...(b.description !== undefined ? { description: b.description } : {}),
    orn: b.orn,
    ...auditOf(b),
    status: b.status,
    targetResourceOrn: b.targetResourceOrn,
    target: { ...b.target },
    entitlements:
      entitlements === "full"
        ? fullEntitlements(store, b.entitlements)
        : entitlements === "refs"
          ? refsOut(b.entitlements)
          : [],
    _links: { self: href(store, `${GOV}/entitlement-bundles/${b.id}`) },
  };
}

/** What a grant points at: the app (target) and the user (targetPrincipal), each by ORN and by id. */
export function grantTargets(app: AppRec, userId: string): Json {
  return {
    targetResourceOrn: app.orn,
    target: { externalId: app.id, type: "APPLICATION" },
    targetPrincipalOrn: userOrn(userId),
    targetPrincipal: { externalId: userId, type: "OKTA_USER" },
  };
}

export function renderGrant(store: OktaStore, g: GrantRec, full: boolean): Json {
  const app = store.apps.get(g.appId) as AppRec;
  const links: Json = { self: href(store, `${GOV}/grants/${g.id}`) };
  if (g.entitlementBundleId)
    links.entitlementBundle = href(store, `${GOV}/entitlement-bundles/${g.entitlementBundleId}`);
  const entitlements = full
    ? fullEntitlements(store, store.grantRefs(g))
    : g.entitlements
      ? refsOut(g.entitlements)
      : undefined;
  return {
    id: g.id,
    ...auditOf(g),
    grantType: g.grantType,
    ...(g.entitlementBundleId ? { entitlementBundleId: g.entitlementBundleId } : {}),
    action: g.action,
    actor: g.actor,
    ...grantTargets(app, g.userId),
    ...(entitlements ? { entitlements } : {}),
    ...(g.scheduleSettings ? { scheduleSettings: { ...g.scheduleSettings } } : {}),
    status: store.grantStatus(g),
    _links: links,
  };
}

export function renderUser(store: OktaStore, u: UserRec): Json {
  return {
    id: u.id,
    status: u.status,
    created: u.created,
    activated: u.created,
    statusChanged: u.created,
    lastLogin: u.lastUpdated,
    lastUpdated: u.lastUpdated,
    passwordChanged: u.created,
    type: { id: "oty1d3xrm8N7OGL4g0g4" },
    profile: { ...u.profile, mobilePhone: null, secondEmail: null },
    credentials: { provider: { type: "OKTA", name: "OKTA" } },
    _links: { self: { href: `${store.cfg.baseUrl()}/api/v1/users/${u.id}` } },
  };
}

export function renderApp(store: OktaStore, a: AppRec): Json {
  const base = `${store.cfg.baseUrl()}/api/v1/apps/${a.id}`;
  return {
    id: a.id,
    orn: a.orn,
    name: a.name,
    label: a.label,
    status: "ACTIVE",
    lastUpdated: a.lastUpdated,
    created: a.created,
    signOnMode: a.signOnMode,
    features: [],
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false } },
    _links: {
      self: { href: base },
      users: { href: `${base}/users` },
      groups: { href: `${base}/groups` },
    },
  };
}
