/**
 * Separation of duties as Okta's risk rules state it: a rule of one app holds two lists of entitlement
 * values, each met when the user's effective access (what their grants add up to) contains one of its
 * values (CONTAINS_ONE) or all of them (CONTAINS_ALL). Gaining some access conflicts with a rule when,
 * with it, both lists are met and the new access is part of one of them.
 */
import type { EntitlementRef } from "./data.js";
import { appIdFromOrn, governanceIdFromOrn } from "./orn.js";
import type { OktaRequests, RiskRuleRec } from "./requests-store.js";
import type { OktaStore } from "./store.js";

export interface Conflict {
  rule: RiskRuleRec;
}

/** The value ids references name; a reference without values names every value of its entitlement. */
export function valuesOfRefs(store: OktaStore, refs: readonly EntitlementRef[]): string[] {
  return refs.flatMap((r) =>
    r.values.length > 0 ? r.values.map((v) => v.id) : (store.entitlements.get(r.id)?.valueIds ?? []),
  );
}

/**
 * The app and the values a resource ORN gives: an ACTIVE bundle's values, one entitlement value, or an
 * app's policy. Undefined for anything else (a collection, another org, something unknown).
 */
export function resourceOf(store: OktaStore, orn: string): { appId: string; valueIds: string[] } | undefined {
  const bundleId = governanceIdFromOrn(orn, "entitlement-bundles");
  if (bundleId !== undefined) {
    const b = store.bundles.get(bundleId);
    return b && b.status === "ACTIVE"
      ? { appId: b.appId, valueIds: valuesOfRefs(store, b.entitlements) }
      : undefined;
  }
  const valueId = governanceIdFromOrn(orn, "entitlement-values");
  if (valueId !== undefined) {
    const v = store.values.get(valueId);
    const e = v ? store.entitlements.get(v.entitlementId) : undefined;
    return v && e ? { appId: e.appId, valueIds: [v.id] } : undefined;
  }
  const appId = appIdFromOrn(orn);
  const app = appId ? store.apps.get(appId) : undefined;
  return app ? { appId: app.id, valueIds: valuesOfRefs(store, app.policy) } : undefined;
}

/**
 * The rules of the app the user would break by gaining `valueIds` there, or (undefined) the rules their
 * access breaks now.
 */
export function conflictsOf(
  requests: OktaRequests,
  userId: string,
  appId: string,
  valueIds: readonly string[] | undefined,
): Conflict[] {
  const store = requests.store;
  const held = [...store.effective(userId, appId).values()].flatMap((set) => [...set]);
  const gained = new Set(valueIds ?? []);
  const after = new Set([...held, ...gained]);
  const out: Conflict[] = [];
  for (const rule of requests.riskRules.values()) {
    if (rule.appId !== appId) continue;
    const lists = rule.criteria.map((c) => valuesOfRefs(store, c.refs));
    const met = rule.criteria.every((c, i) => {
      const list = lists[i] ?? [];
      return c.operation === "CONTAINS_ALL"
        ? list.length > 0 && list.every((v) => after.has(v))
        : list.some((v) => after.has(v));
    });
    const contributes = lists.some((list) => list.some((v) => gained.has(v)));
    if (met && (valueIds === undefined || contributes)) out.push({ rule });
  }
  return out;
}
