/**
 * What Okta's list endpoints accept in `filter` (upstream-apis §1.6), and the pins every resource-scoped
 * endpoint needs: exactly one app (and, for principal endpoints, one user) named at the top level.
 */
import {
  comparisonsOf,
  compileFilter,
  FilterError,
  type FilterNode,
  type FilterSpec,
  topLevelEq,
} from "../kit/filter.js";
import type { SandboxRequest } from "../kit/http.js";
import { E, queryCause } from "./errors.js";
import { appIdFromOrn, normalizeOrn, userIdFromOrn } from "./orn.js";
import type { AppRec, OktaStore, UserRec } from "./store.js";

const EQ = ["eq"] as const;
const TEXT = ["sw", "co"] as const;

/** How a filter names one object of a kind: by ORN, or by externalId + type. */
export interface PinAttrs {
  orn: string;
  externalId: string;
  type: string;
  /** The only accepted value of the type attribute (case-insensitive), e.g. "APPLICATION". */
  typeValue: string;
  /** The object id an ORN names, or undefined when the ORN is not of this kind. */
  idFromOrn: (orn: string) => string | undefined;
}

export const APP_PIN: PinAttrs = {
  orn: "parentResourceOrn",
  externalId: "parent.externalId",
  type: "parent.type",
  typeValue: "APPLICATION",
  idFromOrn: appIdFromOrn,
};
export const TARGET_PIN: PinAttrs = {
  ...APP_PIN,
  orn: "targetResourceOrn",
  externalId: "target.externalId",
  type: "target.type",
};
const PRINCIPAL_PIN: PinAttrs = {
  orn: "targetPrincipalOrn",
  externalId: "targetPrincipal.externalId",
  type: "targetPrincipal.type",
  typeValue: "OKTA_USER",
  idFromOrn: userIdFromOrn,
};

/** The history's names for the app and the user (`resource…`, `principal…`). */
const RESOURCE_PIN: PinAttrs = {
  ...APP_PIN,
  orn: "resourceOrn",
  externalId: "resource.externalId",
  type: "resource.type",
};
const HISTORY_PRINCIPAL_PIN: PinAttrs = {
  ...PRINCIPAL_PIN,
  orn: "principalOrn",
  externalId: "principal.externalId",
  type: "principal.type",
};

/** The attributes a filter names a pinned object by: its externalId and type, or its ORN. */
function pinFilters(pin: PinAttrs): FilterSpec {
  return {
    [pin.externalId]: { ops: EQ },
    [pin.type]: { ops: EQ, kind: "enum" },
    [pin.orn]: { ops: EQ, identity: normalizeOrn },
  };
}

/** Per-endpoint attribute tables, straight from upstream-apis §1.6. */
export const OKTA_FILTERS = {
  entitlements: {
    ...pinFilters(APP_PIN),
    externalValue: { ops: EQ },
    id: { ops: EQ },
    name: { ops: TEXT },
  },
  entitlementValues: {
    name: { ops: TEXT },
    labelValueId: { ops: EQ, path: "labels.values.labelValueId" },
  },
  allEntitlementValues: {
    ...pinFilters(APP_PIN),
    externalValue: { ops: EQ },
    entitlementId: { ops: EQ },
    name: { ops: TEXT },
  },
  bundles: {
    id: { ops: ["gt"] },
    lastUpdated: { ops: ["gt", "ge", "le", "lt"], kind: "date" },
    ...pinFilters(TARGET_PIN),
    status: { ops: EQ, kind: "enum" },
    name: { ops: ["sw", "co", "eq"] },
  },
  grants: {
    ...pinFilters(TARGET_PIN),
    ...pinFilters(PRINCIPAL_PIN),
    entitlementBundleId: { ops: EQ },
    "entitlements.id": { ops: EQ },
    "entitlements.values.id": { ops: EQ },
    action: { ops: EQ, kind: "enum" },
  },
  principal: { ...pinFilters(APP_PIN), ...pinFilters(PRINCIPAL_PIN) },
  /** The spec's x-scim-filter of the principal entitlements history: every attribute `eq`. */
  history: {
    ...pinFilters(RESOURCE_PIN),
    ...pinFilters(HISTORY_PRINCIPAL_PIN),
    resourceId: { ops: EQ },
    principalId: { ops: EQ },
    startDate: { ops: EQ, kind: "date" },
    endDate: { ops: EQ, kind: "date" },
  },
  /** Management API `GET /api/v1/users?filter=` (a documented subset). */
  users: {
    id: { ops: EQ },
    status: { ops: EQ, kind: "enum" },
    "profile.login": { ops: EQ },
    "profile.email": { ops: EQ },
    "profile.firstName": { ops: EQ },
    "profile.lastName": { ops: EQ },
    lastUpdated: { ops: ["eq", "gt", "ge", "lt", "le"], kind: "date" },
  },
  /** Management API `GET /api/v1/users?search=`: the same attributes with more operators. */
  usersSearch: {
    id: { ops: ["eq", "sw"] },
    status: { ops: EQ, kind: "enum" },
    "profile.login": { ops: ["eq", "sw", "co"] },
    "profile.email": { ops: ["eq", "sw", "co"] },
    "profile.firstName": { ops: ["eq", "sw", "co"] },
    "profile.lastName": { ops: ["eq", "sw", "co"] },
    "profile.department": { ops: ["eq", "sw", "co"] },
    "profile.title": { ops: ["eq", "sw", "co"] },
    lastUpdated: { ops: ["eq", "gt", "ge", "lt", "le"], kind: "date" },
  },
} as const satisfies Record<string, FilterSpec>;

export type PinResult =
  | { ok: true; id: string }
  | { ok: false; problem: "missing" | "multiple" | "type" | "orn"; detail: string };

/**
 * The single object a filter pins at its top level (the AND chain), e.g. the app of a grants list.
 * Pins inside an OR, or two different pins, are "multiple"; none is "missing".
 */
export function resolvePin(node: FilterNode, pin: PinAttrs): PinResult {
  const attrs = [pin.orn, pin.externalId, pin.type];
  const everywhere = attrs.reduce((n, a) => n + comparisonsOf(node, a).length, 0);
  const orns = topLevelEq(node, pin.orn);
  const externalIds = topLevelEq(node, pin.externalId);
  const types = topLevelEq(node, pin.type);
  if (everywhere > orns.length + externalIds.length + types.length) {
    return { ok: false, problem: "multiple", detail: `${pin.externalId} / ${pin.orn} may only be ANDed` };
  }
  const ids = new Set<string>();
  for (const orn of orns) {
    const id = pin.idFromOrn(orn);
    if (!id) return { ok: false, problem: "orn", detail: `Invalid ORN: ${orn}` };
    ids.add(id);
  }
  for (const id of externalIds) ids.add(id);
  if (types.some((t) => t.toUpperCase() !== pin.typeValue)) {
    return { ok: false, problem: "type", detail: `${pin.type} must be "${pin.typeValue}"` };
  }
  if (externalIds.length > 0 && types.length === 0) {
    return { ok: false, problem: "missing", detail: `${pin.externalId} needs ${pin.type}` };
  }
  if (ids.size === 0) return { ok: false, problem: "missing", detail: `no ${pin.externalId} or ${pin.orn}` };
  if (ids.size > 1) return { ok: false, problem: "multiple", detail: [...ids].join(", ") };
  return { ok: true, id: [...ids][0] as string };
}

/** The `filter` query parameter, or Okta's 400 when it is missing. */
export function requiredFilter(req: SandboxRequest): string {
  const filter = req.query.get("filter");
  if (filter === null || filter.trim() === "") {
    throw E.missing([queryCause("filter", "filter is required", "REQUIRED_PROPERTY_MISSING")]);
  }
  return filter;
}

/** A governance filter, compiled against the endpoint's table, or Okta's 400 E0000053. */
export function compile(text: string, spec: FilterSpec): FilterNode {
  try {
    return compileFilter(text, spec);
  } catch (err) {
    if (err instanceof FilterError) throw E.scim(err.message);
    throw err;
  }
}

/** A list's required filter, compiled against the endpoint's table, and the one app it pins. */
export function appScoped(
  store: OktaStore,
  req: SandboxRequest,
  spec: FilterSpec,
  pin: PinAttrs = APP_PIN,
): { text: string; node: FilterNode; app: AppRec } {
  const text = requiredFilter(req);
  const node = compile(text, spec);
  return { text, node, app: pinnedApp(store, node, pin) };
}

/** The app a filter pins (exactly one), or a 400 naming what is wrong. */
export function pinnedApp(store: OktaStore, node: FilterNode, pin: PinAttrs): AppRec {
  return pinned(node, pin, store.apps, "resource", "/target.externalId");
}

/** The user a filter pins (exactly one), or a 400 naming what is wrong. */
export function pinnedUser(store: OktaStore, node: FilterNode): UserRec {
  return pinned(node, PRINCIPAL_PIN, store.users, "principal", "/targetPrincipal.externalId");
}

/**
 * The app and the user a history filter names, by one of the spec's three sets: externalId and type,
 * ORN, or `resourceId`/`principalId` (the sandbox's resources and principals are its apps and users).
 */
export function historyPins(store: OktaStore, node: FilterNode): { app: AppRec; user: UserRec } {
  const byId = <T>(attr: string, records: ReadonlyMap<string, T>, noun: "resource" | "principal") => {
    const ids = topLevelEq(node, attr);
    if (ids.length === 0) return undefined;
    const record = ids.length === 1 ? records.get(ids[0] as string) : undefined;
    if (!record) {
      throw E.unknownExternalId(
        queryCause(`/${attr}`, `No ${noun} found for ${attr} ${ids.join(", ")}`, "IDENTIFIER_NOT_FOUND"),
      );
    }
    return record;
  };
  const app =
    byId("resourceId", store.apps, "resource") ??
    pinned(node, RESOURCE_PIN, store.apps, "resource", "/resource.externalId");
  const user =
    byId("principalId", store.users, "principal") ??
    pinned(node, HISTORY_PRINCIPAL_PIN, store.users, "principal", "/principal.externalId");
  return { app, user };
}

/** The one record of `records` a filter pins, or Okta's 400: not pinned, pinned twice, or unknown. */
function pinned<T>(
  node: FilterNode,
  pin: PinAttrs,
  records: ReadonlyMap<string, T>,
  noun: "resource" | "principal",
  location: string,
): T {
  const r = resolvePin(node, pin);
  if (!r.ok) {
    const errorSummary =
      r.problem === "multiple"
        ? `Multiple values found for target ${noun}`
        : r.problem === "missing"
          ? `Cannot find value found for target ${noun}`
          : r.detail;
    throw E.filter([queryCause("filter", errorSummary, "INVALID_FILTER")]);
  }
  const record = records.get(r.id);
  if (!record) {
    throw E.unknownExternalId(
      queryCause(location, `No ${noun} found for externalId ${r.id}`, "IDENTIFIER_NOT_FOUND"),
    );
  }
  return record;
}
