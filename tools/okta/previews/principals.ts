/**
 * The preview of a revocation of a user's access (values, bundles, or all of one app), with its effect,
 * and the ORN helpers it and the definition share.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import type { GuardState, Preview } from "../../../src/core/operation.js";
import type { RevokeInput } from "../principals.js";
import {
  appLabel,
  capLines,
  listData,
  named,
  objects,
  plural,
  str,
  userLabel,
  valueText,
} from "./describe.js";
import { userInApp } from "./reads.js";

/**
 * The kind of an ORN whose last part is an Okta id: that id goes into URLs (guard reads), so it is held
 * to the rule of an id a user types (`..%2F..` or any other tail is refused).
 */
const ORN_KIND =
  /^orn:[a-z-]+:[a-z-]+:[0-9A-Za-z]+:(apps|entitlement-values|entitlement-bundles|users):(?:[^\s:]+:)*[0-9A-Za-z]{20}$/;
/** The kind of an ORN (apps, entitlement-values, entitlement-bundles, users), or undefined when it is none. */
export function ornKind(value: string): string | undefined {
  return ORN_KIND.exec(value)?.[1];
}
/** The Okta id an ORN ends in. */
export function ornId(value: string): string {
  return value.slice(value.lastIndexOf(":") + 1);
}

/** The ids of the revoked ORNs of one kind. */
export function revokedIds(input: RevokeInput, kind: "apps" | "entitlement-bundles"): string[] {
  return input.revokeOrns.filter((o) => ornKind(o) === kind).map(ornId);
}

/** What a revoke's reads are for: the user, the bundles and apps it names. */
export const revokedUser = (input: RevokeInput) => ornId(input.principalOrn);
export const revokedBundles = (input: RevokeInput) => revokedIds(input, "entitlement-bundles");
export const revokedApps = (input: RevokeInput) => revokedIds(input, "apps");

/** What the user effectively holds in each app revoked whole: what they lose. */
export const effectiveFilters = (input: RevokeInput) =>
  revokedApps(input).map((appId) => userInApp("parent", appId, revokedUser(input)));

/** The user's grants in every app the revoke touches: they version the preview. */
export const grantsFilters = (input: RevokeInput, state: GuardState) =>
  revokeApps(input, state).map((appId) => userInApp("target", appId, revokedUser(input)));

/** The apps a revoke touches: app ORNs, and the targets of the bundles it names. */
export function revokeApps(input: RevokeInput, state: GuardState): string[] {
  const apps = new Set(revokedIds(input, "apps"));
  for (const bundle of objects(state.bundles)) {
    const id = str(asObject(bundle.target)?.externalId);
    if (id) apps.add(id);
  }
  return [...apps].sort();
}

/** The user loses the values, bundles or app access named. */
export function revokePreview(input: RevokeInput, state: GuardState): Preview {
  const userId = ornId(input.principalOrn);
  const who = userLabel(state.user, userId);
  const bundles = new Map(objects(state.bundles).map((b) => [str(b.id) ?? "", b]));
  const appsById = new Map(objects(state.apps).map((a) => [str(a.id) ?? "", a]));
  const effective = objects(state.effective).flatMap((page) => listData(page));
  const details: string[] = [];
  for (const target of input.revokeOrns) {
    const id = ornId(target);
    const kind = ornKind(target);
    if (kind === "apps") {
      const lost = effective
        .filter((e) => str(asObject(e.parent)?.externalId) === id)
        .flatMap((e: JsonObject) => {
          const values = objects(e.values);
          const ent = named(e.name, str(e.id) ?? "?");
          return values.length === 0
            ? [`${ent} (no values listed)`]
            : values.map((v) => `${ent}: ${valueText(v)}`);
        });
      details.push(`All access to ${appLabel(appsById.get(id), id)}: every grant of the user there ends.`);
      details.push(
        ...capLines(
          lost.map((l) => `loses ${l}`),
          20,
        ),
      );
    } else if (kind === "entitlement-bundles") {
      const bundle = bundles.get(id);
      const values = objects(bundle?.entitlements).flatMap((e) =>
        objects(e.values).map((v) => `${named(e.name, str(e.id) ?? "?")}: ${valueText(v)}`),
      );
      const where = appLabel(undefined, str(asObject(bundle?.target)?.externalId));
      details.push(`The bundle ${named(bundle?.name, id)} in ${where}.`);
      details.push(
        ...capLines(
          values.map((v) => `loses ${v} (unless another grant gives it)`),
          20,
        ),
      );
    } else {
      // Okta reads values per app, and a value ORN names none: say so rather than guess.
      details.push(`The entitlement value ${id} (its name and what it provisions could not be read).`);
    }
  }
  return {
    summary: `Revoke from ${who}: ${plural(input.revokeOrns.length, "item")}.`,
    details,
    effects: [{ kind: "revoke", on: userId }],
    targetIds: [userId, ...input.revokeOrns.map(ornId)],
  };
}

/** The user's active grants on the apps concerned, as `id@lastUpdated`: moves when their access changes. */
export function revokeVersion(state: GuardState): string {
  const grants = objects(state.grants).flatMap((page) => listData(page));
  return grants
    .map((g) => `${str(g.id)}@${str(g.lastUpdated)}`)
    .sort()
    .join(",");
}
