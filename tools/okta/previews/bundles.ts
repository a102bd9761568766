/**
 * The previews of Okta bundle changes, with their effects: a bundle's values, app, status or name change
 * what it gives everybody who holds it; a delete takes it from them.
 */
import { asObject } from "../../../src/core/json.js";
import type { Effect, GuardState, Held, Preview } from "../../../src/core/operation.js";
import { quote } from "../../../src/core/sanitize.js";
import type { BundleIdInput, CreateBundleInput, ReplaceBundleInput } from "../bundles.js";
import {
  appIdOf,
  appLabel,
  capLines,
  entitlementsToName,
  hasNextPage,
  indexEntitlementNames,
  indexValues,
  listData,
  named,
  objects,
  pairLabel,
  plural,
  str,
  userLabel,
  valuePairs,
  wholeEntitlements,
} from "./describe.js";
import { bundleApp, bundleInApp } from "./reads.js";
import { appNamer, orgOf, type SodTarget, sodLines, userOrn, valueOrn } from "./sod.js";

/** How many holders a delete names (each is one read). */
const MAX_HOLDERS_READ = 20;

/** The filter of the bundle's grants in its app: who holds it. */
export const bundleGrants = (input: { entitlementBundleId: string }, state: GuardState) => {
  const appId = bundleApp(input, state);
  return appId ? bundleInApp(appId, input.entitlementBundleId) : undefined;
};

/** The entitlements a replace names that the bundle read does not describe: read to name their values. */
export const entitlementsToNameInBundle = (input: ReplaceBundleInput, state: GuardState) => {
  const current = objects(asObject(state.bundle)?.entitlements);
  return entitlementsToName([...(input.entitlements ?? []), ...current], current);
};

/** The first holders of the bundle, to name them in a delete's preview. */
export const firstHolders = (_input: unknown, state: GuardState) =>
  state.grants === undefined ? undefined : holders(state.grants).slice(0, MAX_HOLDERS_READ);

/** The distinct users holding the grants of a raw grants list body. */
function holders(grants: unknown): string[] {
  const ids = listData(grants).flatMap((g) => {
    const id = str(asObject(g.targetPrincipal)?.externalId);
    return id ? [id] : [];
  });
  return [...new Set(ids)];
}

/** "2 users" / "1 user (or more)": how many hold the bundle, and the verb that agrees with it. */
function holderCount(grants: unknown): { users: string; hold: string } {
  const n = holders(grants).length;
  return {
    users: `${plural(n, "user")}${hasNextPage(grants) ? " (or more)" : ""}`,
    hold: n === 1 ? "holds" : "hold",
  };
}

/** Whether anybody holds the bundle, from its grants read. */
function bundleHeld(grants: unknown): Held {
  if (grants === undefined) return "unknown";
  if (holders(grants).length > 0) return "yes";
  return hasNextPage(grants) ? "unknown" : "no";
}

/**
 * What a replace is assessed for: every holder, for each value the bundle comes to give (entitlements
 * added whole, by all their values). Nothing added, or nobody holding it, needs no assessment.
 */
export const replaceBundleSod = (input: ReplaceBundleInput, state: GuardState): SodTarget[] | undefined => {
  const bundle = asObject(state.bundle);
  const current = new Set(valuePairs(bundle?.entitlements).map((p) => p.valueId));
  const wholeNow = new Set(wholeEntitlements(bundle?.entitlements));
  const known = [...objects(bundle?.entitlements), ...objects(state.entitlements)];
  const added = valuePairs(input.entitlements ?? [])
    .map((p) => p.valueId)
    .filter((v) => !current.has(v));
  for (const id of wholeEntitlements(input.entitlements ?? []).filter((e) => !wholeNow.has(e))) {
    const e = known.find((x) => str(x.id) === id);
    if (!e) return undefined;
    added.push(...objects(e.values).flatMap((v) => (str(v.id) ? [str(v.id) as string] : [])));
  }
  if (added.length === 0) return [];
  if (state.grants === undefined) return undefined;
  const holding = new Map<string, string | undefined>();
  for (const g of listData(state.grants)) {
    const id = str(asObject(g.targetPrincipal)?.externalId);
    if (id) holding.set(id, str(g.targetPrincipalOrn));
  }
  const o = orgOf(bundle?.targetResourceOrn, input.targetResourceOrn, ...holding.values());
  if (!o) return holding.size === 0 ? [] : undefined;
  return [...holding].flatMap(([id, orn]) =>
    [...new Set(added)].map((v) => ({
      principalOrn: orn ?? userOrn(o, id),
      resourceOrn: valueOrn(o, v),
      who: `user ${id}`,
    })),
  );
};

/** A new bundle nobody holds yet. */
export function createBundlePreview(input: CreateBundleInput): Preview {
  return {
    summary: `Create bundle ${quote(input.name)} in app ${input.target.externalId} with ${plural(valuePairs(input.entitlements).length, "entitlement value")}.`,
    details: [],
    effects: [{ kind: "create" }],
    targetIds: [input.target.externalId],
  };
}

/**
 * The preview of a replace, with its effects: values added to or dropped from the bundle, its app, ORN or
 * a re-activation change what it provisions; a rename; DELETED removes it; the description only describes.
 * Each is an access change exactly when somebody holds the bundle.
 */
export function replaceBundlePreview(input: ReplaceBundleInput, state: GuardState): Preview {
  const bundle = asObject(state.bundle);
  const appId = appIdOf(bundle) ?? input.target.externalId;
  const known = [...objects(bundle?.entitlements), ...objects(state.entitlements)];
  const values = indexValues(known);
  const names = indexEntitlementNames(known);
  const current = valuePairs(bundle?.entitlements);
  const next = valuePairs(input.entitlements ?? []);
  const nextIds = new Set(next.map((p) => p.valueId));
  const currentIds = new Set(current.map((p) => p.valueId));
  const added = next.filter((p) => !currentIds.has(p.valueId));
  const dropped = current.filter((p) => !nextIds.has(p.valueId));
  const held = bundleHeld(state.grants);
  const on = input.entitlementBundleId;
  const details: string[] = [];
  const effects: Effect[] = [];
  const reprovisions = (line: string) => {
    effects.push({ kind: "provisioning", held, on });
    details.push(line);
  };
  if (!bundle) effects.push({ kind: "unknown", on });
  // A reference without values names the entitlement as a whole: what it gives is every value.
  const wholeNow = new Set(wholeEntitlements(bundle?.entitlements));
  const wholeNext = new Set(wholeEntitlements(input.entitlements ?? []));
  if (input.entitlements === undefined && (current.length > 0 || wholeNow.size > 0)) {
    reprovisions("No entitlements were given: Okta may drop every current value of the bundle.");
  }
  for (const p of added) reprovisions(`Adds ${pairLabel(p, values, names)}`);
  for (const p of dropped) reprovisions(`Drops ${pairLabel(p, values, names)}`);
  const entName = (id: string) => named(names.get(id), id);
  let wholeChanged = false;
  for (const id of wholeNext) {
    if (wholeNow.has(id)) continue;
    wholeChanged = true;
    reprovisions(`Adds entitlement ${entName(id)} as a whole (no values named)`);
  }
  for (const id of input.entitlements === undefined ? [] : wholeNow) {
    if (wholeNext.has(id)) continue;
    wholeChanged = true;
    reprovisions(`Drops entitlement ${entName(id)}, named as a whole`);
  }
  if (added.length === 0 && dropped.length === 0 && !wholeChanged)
    details.push("The entitlement values stay the same.");
  else if (dropped.length === 0 && input.entitlements !== undefined) details.push("No value is dropped.");
  if (bundle && str(bundle.name) !== input.name) {
    effects.push({ kind: "rename", held, on });
    details.push(`Renames the bundle from ${quote(str(bundle.name) ?? "?")} to ${quote(input.name)}`);
  }
  if (bundle && (str(bundle.description) ?? undefined) !== input.description) {
    effects.push({ kind: "describe", on });
    details.push("Changes the description");
  }
  if (bundle && input.status !== undefined && str(bundle.status) !== input.status) {
    if (input.status === "DELETED") effects.push({ kind: "remove", on });
    else effects.push({ kind: "provisioning", held, on });
    details.push(`Sets the status to ${input.status}`);
  }
  if (appIdOf(bundle) && appIdOf(bundle) !== input.target.externalId) {
    reprovisions(`Moves the bundle to app ${input.target.externalId}`);
  }
  if (bundle && str(bundle.targetResourceOrn) !== input.targetResourceOrn) {
    reprovisions("Changes the bundle's targetResourceOrn");
  }
  if (state.grants === undefined) details.push("Who holds this bundle could not be checked.");
  else if (holders(state.grants).length === 0) details.push("No user holds this bundle right now.");
  else {
    const { users, hold } = holderCount(state.grants);
    details.push(
      added.length + dropped.length > 0 || wholeChanged || input.entitlements === undefined
        ? `Changes the access of ${users} who ${hold} this bundle.`
        : `${users} ${hold} this bundle; their entitlement values stay the same.`,
    );
  }
  const effect = [
    added.length ? `adds ${plural(added.length, "value")}` : undefined,
    dropped.length ? `drops ${plural(dropped.length, "value")}` : undefined,
  ].filter(Boolean);
  const sod = sodLines(
    replaceBundleSod(input, state),
    state.sod,
    appNamer(state.app),
    "who holds the bundle, or what an entitlement added whole gives, could not be read",
  );
  return {
    summary: `Replace bundle ${named(bundle?.name ?? input.name, input.entitlementBundleId)} of ${appLabel(state.app, appId)}${effect.length ? `: ${effect.join(", ")}` : ""}.`,
    details: [...capLines(details), ...sod],
    effects,
    targetIds: [input.entitlementBundleId, appId],
  };
}

/** The bundle goes; its holders lose what it gives. */
export function deleteBundlePreview(input: BundleIdInput, state: GuardState): Preview {
  const bundle = asObject(state.bundle);
  const appId = appIdOf(bundle);
  const values = indexValues(objects(bundle?.entitlements));
  const names = indexEntitlementNames(objects(bundle?.entitlements));
  const pairs = valuePairs(bundle?.entitlements);
  const details: string[] = [];
  if (str(bundle?.status) === "DELETED") details.push("The bundle is already DELETED (Okta answers 409).");
  details.push(
    pairs.length
      ? `It gives ${plural(pairs.length, "entitlement value")}: ${pairs
          .slice(0, 20)
          .map((p) => pairLabel(p, values, names))
          .join(", ")}${pairs.length > 20 ? ", …" : ""}`
      : "It gives no entitlement values.",
  );
  if (state.grants === undefined) details.push("Who holds this bundle could not be checked.");
  else {
    const ids = holders(state.grants);
    if (ids.length === 0) details.push("No user holds this bundle.");
    else {
      const { users: count, hold } = holderCount(state.grants);
      details.push(`${count} ${hold} this bundle and will lose the access it gives:`);
      const users = Array.isArray(state.holders) ? state.holders : [];
      const lines = ids.slice(0, MAX_HOLDERS_READ).map((id, n) => userLabel(users[n], id));
      details.push(...lines);
      if (ids.length > MAX_HOLDERS_READ) details.push(`… and ${ids.length - MAX_HOLDERS_READ} more users`);
    }
  }
  return {
    summary: `Delete bundle ${named(bundle?.name, input.entitlementBundleId)} of ${appLabel(state.app, appId)}.`,
    details,
    effects: [{ kind: "remove", on: input.entitlementBundleId }],
    targetIds: appId ? [input.entitlementBundleId, appId] : [input.entitlementBundleId],
    confirmName: str(bundle?.name) ?? input.entitlementBundleId,
  };
}
