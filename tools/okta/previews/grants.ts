/**
 * The previews of Okta grant changes, with their effects: what a user gains or loses through a new grant
 * (and which of their grants a base grant replaces), a replaced grant's values, or a changed expiry.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import type { Effect, GuardState, Preview } from "../../../src/core/operation.js";
import { quote } from "../../../src/core/sanitize.js";
import type { CreateGrantInput, ReplaceGrantInput, UpdateGrantInput } from "../grants.js";
import {
  appIdOf,
  appLabel,
  capLines,
  entitlementIds,
  entitlementsToName,
  indexEntitlementNames,
  indexValues,
  listData,
  named,
  objects,
  pairLabel,
  plural,
  str,
  userLabel,
  userName,
  valuePairs,
  wholeEntitlements,
} from "./describe.js";
import { bundleApp, userInApp } from "./reads.js";
import { appNamer, bundleOrn, orgOf, type SodTarget, sodLines, userOrn, valueOrn } from "./sod.js";

/** Grant types that replace the user's other grants in the app. */
const BASE_TYPES = new Set(["CUSTOM", "POLICY"]);

/** The user and the app of the grant read. */
export const grantUser = (_input: unknown, state: GuardState) =>
  str(asObject(asObject(state.grant)?.targetPrincipal)?.externalId);
export const grantApp = (_input: unknown, state: GuardState) =>
  str(asObject(asObject(state.grant)?.target)?.externalId);

/** The user a grant is for. */
export const grantee = (input: { targetPrincipal: { externalId: string } }) =>
  input.targetPrincipal.externalId;

/** The filter of the user's grants in the app a new grant is in: which of them a base grant replaces. */
export const existingGrantsFilter = (input: CreateGrantInput, state: GuardState) => {
  const appId = bundleApp(input, state);
  return appId ? userInApp("target", appId, input.targetPrincipal.externalId) : undefined;
};

/** The entitlements a new grant names, read to name their values. */
export const entitlementsOfNewGrant = (input: CreateGrantInput) => entitlementIds(input.entitlements ?? []);

/** The entitlements, old and new, that the grant read does not describe: read to name their values. */
export const entitlementsToNameInGrant = (input: ReplaceGrantInput, state: GuardState) => {
  const old = objects(asObject(state.grant)?.entitlements);
  return entitlementsToName([...old, ...(input.entitlements ?? [])], old);
};

/** The values of entitlements named as a whole, from their reads; undefined when one was not read. */
function wholeValues(ids: string[], known: unknown): string[] | undefined {
  const out: string[] = [];
  for (const id of ids) {
    const e = objects(known).find((x) => str(x.id) === id);
    if (!e) return undefined;
    out.push(...objects(e.values).flatMap((v) => (str(v.id) ? [str(v.id) as string] : [])));
  }
  return out;
}

/**
 * What a new ALLOW grant is assessed for: its bundle, the app's policy (POLICY), or each value it names
 * (CUSTOM, entitlements named whole by all their values). A DENY gives nothing: no assessment.
 */
export const createGrantSod = (input: CreateGrantInput, state: GuardState): SodTarget[] | undefined => {
  if (input.action === "DENY") return [];
  const app = asObject(state.app);
  const bundle = asObject(state.bundle);
  const o = orgOf(
    app?.orn,
    bundle?.targetResourceOrn,
    bundle?.orn,
    ...objects(state.entitlements).map((e) => e.parentResourceOrn),
  );
  if (!o) return undefined;
  const principalOrn = userOrn(o, input.targetPrincipal.externalId);
  if (input.grantType === "ENTITLEMENT-BUNDLE") {
    const orn = str(bundle?.orn) ?? bundleOrn(o, input.entitlementBundleId ?? "");
    return [{ principalOrn, resourceOrn: orn }];
  }
  if (input.grantType === "POLICY") {
    const orn = str(app?.orn);
    return orn ? [{ principalOrn, resourceOrn: orn }] : undefined;
  }
  const whole = wholeValues(wholeEntitlements(input.entitlements ?? []), state.entitlements);
  if (!whole) return undefined;
  const values = [...valuePairs(input.entitlements ?? []).map((p) => p.valueId), ...whole];
  return [...new Set(values)].map((v) => ({ principalOrn, resourceOrn: valueOrn(o, v) }));
};

/** What a replace is assessed for: each value an ALLOW grant gains (entitlements added whole, all theirs). */
export const replaceGrantSod = (input: ReplaceGrantInput, state: GuardState): SodTarget[] | undefined => {
  if (input.action === "DENY") return [];
  const grant = asObject(state.grant);
  const before = new Set(valuePairs(grant?.entitlements).map((p) => p.valueId));
  const oldEnts = new Set(entitlementIds(grant?.entitlements));
  const addedWhole = wholeEntitlements(input.entitlements ?? []).filter((id) => !oldEnts.has(id));
  const whole = wholeValues(addedWhole, [...objects(grant?.entitlements), ...objects(state.entitlements)]);
  const gained = [
    ...valuePairs(input.entitlements ?? [])
      .map((p) => p.valueId)
      .filter((v) => !before.has(v)),
    ...(whole ?? []),
  ];
  if (gained.length === 0 && whole) return [];
  const o = orgOf(grant?.targetPrincipalOrn, grant?.targetResourceOrn, asObject(state.app)?.orn);
  if (!o || !whole) return undefined;
  const principalOrn = str(grant?.targetPrincipalOrn) ?? userOrn(o, input.targetPrincipal.externalId);
  return [...new Set(gained)].map((v) => ({ principalOrn, resourceOrn: valueOrn(o, v) }));
};

/** What a grant change gives or takes, one line per value. */
function valueChanges(
  gained: { entitlementId: string; valueId: string }[],
  lost: { entitlementId: string; valueId: string }[],
  known: unknown[],
  deny: boolean,
): string[] {
  const values = indexValues(known);
  const names = indexEntitlementNames(known);
  return [
    ...gained.map((p) => `${deny ? "Now also revokes" : "Gains"} ${pairLabel(p, values, names)}`),
    ...lost.map((p) => `${deny ? "No longer revokes" : "Loses"} ${pairLabel(p, values, names)}`),
  ];
}

function existingGrantLine(g: JsonObject): string {
  const type = str(g.grantType) ?? "?";
  const bundle = str(g.entitlementBundleId);
  const values = valuePairs(g.entitlements).length;
  const what = bundle
    ? `bundle ${bundle}`
    : type === "POLICY"
      ? "per the app's policy"
      : plural(values, "value");
  return `grant ${str(g.id) ?? "?"} (${type} ${str(g.action) ?? "ALLOW"}, ${what})`;
}

export function createGrantPreview(input: CreateGrantInput, state: GuardState): Preview {
  const userId = input.targetPrincipal.externalId;
  const bundle = asObject(state.bundle);
  const appId = appIdOf(bundle) ?? input.target?.externalId;
  const deny = input.action === "DENY";
  const who = userName(state.user, userId);
  const where = appLabel(state.app, appId);
  const details: string[] = [];
  if (state.user === undefined)
    details.push(`User ${userId} could not be read: check the id with okta_search_users.`);
  else if (str(asObject(state.user)?.status) && str(asObject(state.user)?.status) !== "ACTIVE") {
    details.push(`The user's status is ${quote(str(asObject(state.user)?.status) ?? "")}.`);
  }

  let what: string;
  let pairs: { entitlementId: string; valueId: string }[];
  let known: unknown[];
  let whole: string[];
  if (input.grantType === "ENTITLEMENT-BUNDLE") {
    what = `the bundle ${named(bundle?.name, input.entitlementBundleId ?? "?")}`;
    pairs = valuePairs(bundle?.entitlements);
    whole = wholeEntitlements(bundle?.entitlements);
    known = objects(bundle?.entitlements);
    if (str(bundle?.status) === "DELETED") details.push("The bundle is DELETED.");
  } else {
    pairs = valuePairs(input.entitlements ?? []);
    whole = wholeEntitlements(input.entitlements ?? []);
    known = objects(state.entitlements);
    const namedParts = [
      pairs.length > 0 ? plural(pairs.length, "entitlement value") : "",
      whole.length > 0 ? plural(whole.length, "whole entitlement") : "",
    ].filter(Boolean);
    what =
      input.grantType === "POLICY"
        ? "the access the app's entitlement policy gives"
        : namedParts.length > 0
          ? namedParts.join(" and ")
          : input.grantType === "CUSTOM" && deny
            ? "all access"
            : "a custom grant without entitlement values";
  }
  details.push(...capLines(valueChanges(pairs, [], known, deny)));
  const names = indexEntitlementNames(known);
  for (const id of whole) {
    details.push(
      `${deny ? "Revokes" : "Gains"} entitlement ${named(names.get(id), id)} as a whole (no values named)`,
    );
  }

  const existing = state.existingGrants === undefined ? undefined : listData(state.existingGrants);
  const base = BASE_TYPES.has(input.grantType);
  if (existing === undefined) {
    details.push(
      base
        ? "The user's current grants in this app could not be read; a base grant replaces all of them."
        : "The user's current grants in this app could not be read.",
    );
  } else if (existing.length === 0) {
    details.push("The user has no other active grant in this app.");
  } else if (base) {
    details.push(`Replaces the user's ${plural(existing.length, "active grant")} in this app:`);
    details.push(...capLines(existing.map(existingGrantLine), 20));
  } else {
    details.push(`Adds to the user's ${plural(existing.length, "active grant")} in this app.`);
  }
  const schedule = input.scheduleSettings;
  if (schedule?.expirationDate) {
    details.push(`Expires ${schedule.expirationDate}${schedule.timeZone ? ` (${schedule.timeZone})` : ""}.`);
  }

  if (!deny) details.push(...sodLines(createGrantSod(input, state), state.sod, appNamer(state.app)));

  const summary = deny
    ? what === "all access"
      ? `Revoke all access of ${who} to ${where} (DENY).`
      : `Revoke from ${who} ${what} in ${where} (DENY).`
    : `Grant ${who} ${what} in ${where}.`;
  // ALLOW gives (and a base grant takes the user's other grants in the app); DENY takes.
  const effects: Effect[] = [{ kind: deny ? "revoke" : "grant", on: userId }];
  if (base && (existing === undefined || existing.length > 0)) effects.push({ kind: "revoke", on: userId });
  return {
    summary,
    details,
    effects,
    targetIds: [userId, input.entitlementBundleId, appId].filter((x): x is string => x !== undefined),
  };
}

/** The version a create-grant preview is bound to: the bundle's, and which grants the user holds. */
export function createGrantVersion(state: GuardState): string {
  const bundleVersion = str(asObject(state.bundle)?.lastUpdated) ?? "";
  const grants = state.existingGrants === undefined ? [] : listData(state.existingGrants);
  const ids = grants.map((g) => str(g.id) ?? "").sort();
  return `${bundleVersion}|${ids.join(",")}`;
}

export function replaceGrantPreview(input: ReplaceGrantInput, state: GuardState): Preview {
  const grant = asObject(state.grant);
  const userId = input.targetPrincipal.externalId;
  const appId = input.target.externalId;
  const before = valuePairs(grant?.entitlements);
  const after = valuePairs(input.entitlements ?? []);
  const beforeIds = new Set(before.map((p) => p.valueId));
  const afterIds = new Set(after.map((p) => p.valueId));
  const gained = after.filter((p) => !beforeIds.has(p.valueId));
  const lost = before.filter((p) => !afterIds.has(p.valueId));
  const known = [...objects(grant?.entitlements), ...objects(state.entitlements)];
  const names = indexEntitlementNames(known);
  const deny = input.action === "DENY";
  const details = capLines(valueChanges(gained, lost, known, deny));

  const withValues = new Set([...before, ...after].map((p) => p.entitlementId));
  const oldEnts = new Set(entitlementIds(grant?.entitlements));
  const newEnts = new Set(entitlementIds(input.entitlements ?? []));
  const entName = (id: string) => named(names.get(id), id);
  for (const id of newEnts)
    if (!oldEnts.has(id) && !withValues.has(id))
      details.push(`Adds entitlement ${entName(id)} without values`);
  for (const id of oldEnts)
    if (!newEnts.has(id) && !withValues.has(id)) details.push(`Removes entitlement ${entName(id)}`);

  if (gained.length === 0 && lost.length === 0) details.push("The entitlement values stay the same.");
  if (lost.length === 0) details.push("Nothing is lost.");
  let changedFields = 0;
  for (const field of ["grantType", "action", "actor", "status", "entitlementBundleId"] as const) {
    const was = str(grant?.[field]);
    const now = input[field];
    if (grant && was !== now) {
      changedFields += 1;
      details.push(
        `Changes ${field} from ${was ?? "(none)"} to ${now ?? "(none)"} (Okta only replaces the entitlements)`,
      );
    }
  }
  if (grant && appIdOf(grant) !== appId) {
    changedFields += 1;
    details.push(`The grant's app is ${appIdOf(grant) ?? "?"}, not ${appId}`);
  }
  const oldUser = str(asObject(grant?.targetPrincipal)?.externalId);
  if (grant && oldUser !== userId) {
    changedFields += 1;
    details.push(`The grant's user is ${oldUser ?? "?"}, not ${userId}`);
  }

  details.push(...sodLines(replaceGrantSod(input, state), state.sod, appNamer(state.app)));

  const effect = deny
    ? [gained.length ? `revokes ${gained.length} more` : "", lost.length ? `${lost.length} fewer` : ""]
    : [
        gained.length ? `gains ${plural(gained.length, "value")}` : "",
        lost.length ? `loses ${plural(lost.length, "value")}` : "",
      ];
  const parts = effect.filter(Boolean);
  // For an ALLOW grant a gained value is given and a lost one taken; a DENY grant works the other way.
  const effects: Effect[] = [];
  if (gained.length > 0) effects.push({ kind: deny ? "revoke" : "grant", on: userId });
  if (lost.length > 0) effects.push({ kind: deny ? "grant" : "revoke", on: userId });
  const addedWhole = [...newEnts].some((id) => !oldEnts.has(id) && !withValues.has(id));
  const removedWhole = [...oldEnts].some((id) => !newEnts.has(id) && !withValues.has(id));
  if (addedWhole || removedWhole) effects.push({ kind: "unknown", on: input.grantId });
  if (!grant || changedFields > 0 || grant.entitlements === undefined) {
    effects.push({ kind: "unknown", on: input.grantId });
  }
  const change = parts.length
    ? `: ${deny ? "the DENY grant" : "the user"} ${parts.join(deny ? ", " : " and ")}`
    : "";
  return {
    summary: `Replace the entitlements of grant ${input.grantId} of ${userLabel(state.user, userId)} in ${appLabel(state.app, appId)}${change}.`,
    details,
    effects,
    targetIds: [input.grantId, userId, appId],
  };
}

/**
 * An earlier end takes access sooner (revoke), a later one keeps it longer (grant). Without an
 * expirationDate the spec does not say whether the grant's end is kept or cleared: a person decides.
 */
export function updateGrantPreview(input: UpdateGrantInput, state: GuardState): Preview {
  const grant = asObject(state.grant);
  const userId = str(asObject(grant?.targetPrincipal)?.externalId) ?? "?";
  const appId = str(asObject(grant?.target)?.externalId);
  const was = str(asObject(grant?.scheduleSettings)?.expirationDate);
  const after = input.scheduleSettings.expirationDate;
  const gives = str(grant?.entitlementBundleId)
    ? `the bundle ${str(grant?.entitlementBundleId)}`
    : plural(valuePairs(grant?.entitlements).length, "entitlement value");
  const effects: Effect[] = [];
  const details: string[] = [];
  if (after === undefined) {
    effects.push({ kind: "unknown", on: input.grantId });
    details.push(
      "No expirationDate is given: whether Okta keeps or clears the grant's current end is not specified.",
    );
  } else {
    details.push(`At ${after} the user loses what this grant gives: ${gives}.`);
    const lost = valuePairs(grant?.entitlements);
    details.push(...capLines(valueChanges([], lost, objects(grant?.entitlements), false), 20));
    // A later end (or none before) keeps access longer; an earlier one takes it sooner.
    if (!grant || was === undefined || Date.parse(after) !== Date.parse(was)) {
      effects.push({
        kind: was !== undefined && Date.parse(after) > Date.parse(was) ? "grant" : "revoke",
        on: userId,
      });
    }
  }
  if (!grant) effects.push({ kind: "unknown", on: input.grantId });
  return {
    effects,
    summary: `Change when grant ${input.grantId} (${str(grant?.grantType) ?? "?"}) of ${userLabel(state.user, userId)} in ${appLabel(state.app, appId)} ends: ${was ?? "no expiry"} -> ${after ?? "(not given)"}.`,
    details,
    targetIds: [input.grantId, userId, ...(appId ? [appId] : [])],
  };
}
