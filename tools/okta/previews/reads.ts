/**
 * The reads Okta's guard policies share, each defined once: the things a change touches (entitlement,
 * bundle, grant), the names a preview shows (user, app, entitlements) and who holds what (grants). Reads
 * of names are optional: when one fails, the preview falls back to ids and a person confirms.
 */
import type { GuardRead, GuardReadParams, GuardState } from "../../../src/core/operation.js";
import { eqClause } from "../../../src/core/scim-filter.js";
import { appClause, principalClause } from "../../params.js";
import { appIdOf } from "./describe.js";

/** What a read is for, from the input and the reads made so far: an id, a list of ids, or none (skip it). */
type ReadFor<I> = (input: I, state: GuardState) => string | readonly string[] | undefined;

/** A read for the id in one input field: `bundleRead(fromInput("entitlementBundleId"))`. */
export const fromInput =
  <K extends string>(key: K) =>
  (input: { [P in K]?: string | undefined }) =>
    input[key];

/** The app an input names (`parent` or `target`). */
export const inputApp = (input: object) => appIdOf(input);

/** One read per id: none without an id or with an empty list, a list of reads (and results) for a list. */
function perId<I>(ids: ReadFor<I>, params: (id: string) => GuardReadParams): GuardRead<I>["params"] {
  return (input, state) => {
    const found = ids(input, state);
    if (found === undefined) return null;
    if (typeof found === "string") return found ? params(found) : null;
    return found.length ? found.map(params) : null;
  };
}

/** The entitlement a change is about, with its values; its `lastUpdated` versions the preview. */
export function entitlementRead<I>(id: ReadFor<I>): GuardRead<I> {
  return {
    key: "entitlement",
    route: "GET /governance/api/v1/entitlements/{entitlementId}",
    params: perId(id, (entitlementId) => ({ path: { entitlementId } })),
  };
}

/** Entitlements named by references, read to name their values. */
export function entitlementsRead<I>(ids: ReadFor<I>): GuardRead<I> {
  return {
    key: "entitlements",
    route: "GET /governance/api/v1/entitlements/{entitlementId}",
    optional: true,
    params: perId(ids, (entitlementId) => ({ path: { entitlementId } })),
  };
}

/** A bundle with its full entitlements (what it gives). */
export function bundleRead<I>(
  ids: ReadFor<I>,
  as: { key: string; optional?: boolean } = { key: "bundle" },
): GuardRead<I> {
  return {
    key: as.key,
    route: "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
    optional: as.optional,
    params: perId(ids, (entitlementBundleId) => ({
      path: { entitlementBundleId },
      query: { include: "full_entitlements" },
    })),
  };
}

/** The grant a change is about, with its full entitlements; its `lastUpdated` versions the preview. */
export function grantRead<I>(id: ReadFor<I>): GuardRead<I> {
  return {
    key: "grant",
    route: "GET /governance/api/v1/grants/{grantId}",
    params: perId(id, (grantId) => ({ path: { grantId }, query: { include: "full_entitlements" } })),
  };
}

/** Users, to name them (`user`: the one a change concerns). */
export function userRead<I>(ids: ReadFor<I>, key = "user"): GuardRead<I> {
  return {
    key,
    route: "GET /api/v1/users/{userId}",
    optional: true,
    params: perId(ids, (userId) => ({ path: { userId } })),
  };
}

/** Apps, to name them (`app`: the one a change is in). */
export function appRead<I>(ids: ReadFor<I>, key = "app"): GuardRead<I> {
  return {
    key,
    route: "GET /api/v1/apps/{appId}",
    optional: true,
    params: perId(ids, (appId) => ({ path: { appId } })),
  };
}

/** The grants of one app with what each gives: read so a policy can tell who holds what. */
export function appGrantsRead<I>(app: ReadFor<I>): GuardRead<I> {
  return {
    key: "appGrants",
    route: "GET /governance/api/v1/grants",
    optional: true,
    params: perId(app, (appId) => ({
      query: { filter: appClause("target")(appId), include: "full_entitlements", limit: 200 },
    })),
  };
}

/** The grants (a page of 200) that match a filter, one read per filter. */
export function grantsRead<I>(key: string, filters: ReadFor<I>): GuardRead<I> {
  return {
    key,
    route: "GET /governance/api/v1/grants",
    optional: true,
    params: perId(filters, (filter) => ({ path: {}, query: { filter, limit: 200 } })),
  };
}

/** What a user effectively holds in an app, one read per filter (one user in one app). */
export function principalEntitlementsRead<I>(key: string, filters: ReadFor<I>): GuardRead<I> {
  return {
    key,
    route: "GET /governance/api/v1/principal-entitlements",
    optional: true,
    params: perId(filters, (filter) => ({ query: { filter } })),
  };
}

/** The app of a bundle change or a bundle grant: the bundle's as read, else the input's `target`. */
export function bundleApp(input: object, state: GuardState): string | undefined {
  return appIdOf(state.bundle) ?? appIdOf(input);
}

/** The filter of one user's grants (`target`) or holdings (`parent`) in one app. */
export function userInApp(prefix: "parent" | "target", appId: string, userId: string): string {
  return `${appClause(prefix)(appId)} AND ${principalClause(userId)}`;
}

/** The filter of the grants of one bundle in its app. */
export function bundleInApp(appId: string, entitlementBundleId: string): string {
  return `${appClause("target")(appId)} AND ${eqClause("entitlementBundleId", entitlementBundleId)}`;
}
