/**
 * Pure helpers that turn Okta objects (as the guard reads them: unknown JSON) into the short phrases of
 * previews and summaries. Every helper copes with a missing or partial object by falling back to ids.
 * Upstream strings are quoted on one line (`quote`), so a name can neither end its quotes nor start a
 * line of its own in a preview.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import { oneLine, quote } from "../../../src/core/sanitize.js";

/** A non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The objects of an array (anything else gives an empty list). */
export function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.map(asObject).filter((o): o is JsonObject => o !== undefined) : [];
}

/** The items of a list body as read by a guard: a bare array (core API) or `{ data: [...] }` (governance). */
export function listData(body: unknown): JsonObject[] {
  return Array.isArray(body) ? objects(body) : objects(asObject(body)?.data);
}

/** True when a raw list body says another page exists. */
export function hasNextPage(body: unknown): boolean {
  return asObject(asObject(asObject(body)?._links)?.next) !== undefined;
}

/** `n thing` / `n things`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** The first `max` lines, and one line saying how many were left out. */
export function capLines(lines: string[], max = 30): string[] {
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max), `… and ${lines.length - max} more`];
}

/** Names in previews and summaries are bounded: no upstream string can push the rest of a line away. */
const NAME_MAX = 80;

/** `"Name" (id)`, or the id alone when the name is unknown. */
export function named(name: unknown, id: string): string {
  const n = str(name);
  return n === undefined ? id : `${quote(n, NAME_MAX)} (${id})`;
}

/** What an Okta value or entitlement provisions in the app: `externalValue "read_only"`. */
export function provisions(externalValue: unknown): string {
  const v = str(externalValue);
  return v === undefined ? "externalValue unknown" : `externalValue ${quote(v, NAME_MAX)}`;
}

/** A value with what it provisions: `"Read Only" (ent…, externalValue "read_only")`. */
export function valueText(value: JsonObject): string {
  const id = str(value.id) ?? "?";
  const name = str(value.name);
  const head = name === undefined ? `value ${id} (` : `${quote(name, NAME_MAX)} (${id}, `;
  return `${head}${provisions(value.externalValue)})`;
}

/** An Okta user as "Dana Whitfield <dana@example.com> (00u…)"; `user 00u…` when it could not be read. */
export function userLabel(user: unknown, id: string): string {
  const profile = asObject(asObject(user)?.profile);
  if (!profile) return `user ${id}`;
  const name = [str(profile.firstName), str(profile.lastName)].filter(Boolean).join(" ");
  const email = str(profile.email) ?? str(profile.login);
  const mail = email === undefined ? undefined : `<${oneLine(email, NAME_MAX)}>`;
  if (name && mail) return `${quote(name, NAME_MAX)} ${mail} (${id})`;
  return name ? `${quote(name, NAME_MAX)} (${id})` : mail ? `${mail} (${id})` : `user (${id})`;
}

/** An Okta user as "Dana Whitfield (00u…)". */
export function userName(user: unknown, id: string): string {
  const profile = asObject(asObject(user)?.profile);
  const name = [str(profile?.firstName), str(profile?.lastName)].filter(Boolean).join(" ");
  return name ? `${quote(name, NAME_MAX)} (${id})` : `user ${id}`;
}

/** An Okta app as "Salesforce (0oa…)"; `app 0oa…` when it could not be read. */
export function appLabel(app: unknown, id: string | undefined): string {
  if (id === undefined) return "an unknown app";
  const label = str(asObject(app)?.label) ?? str(asObject(app)?.name);
  return label ? `app ${quote(label, NAME_MAX)} (${id})` : `app ${id}`;
}

/** An entitlement value as `"License": "Admin" (ent…, externalValue "admin")`. */
export function valueLabel(
  entitlementName: string | undefined,
  value: { id?: string; name?: string; externalValue?: string },
): string {
  const prefix = entitlementName ? `${quote(entitlementName, NAME_MAX)}: ` : "";
  const name = value.name === undefined ? "unnamed value" : quote(value.name, NAME_MAX);
  const id = value.id ? `${value.id}, ` : "";
  return `${prefix}${name} (${id}${provisions(value.externalValue)})`;
}

/** The app id an Okta object points at through `parent` or `target`. */
export function appIdOf(object: unknown): string | undefined {
  const o = asObject(object);
  return str(asObject(o?.parent)?.externalId) ?? str(asObject(o?.target)?.externalId);
}

/** One entitlement value known by id, with the names that describe it. */
export interface KnownValue {
  entitlementId: string;
  entitlementName?: string;
  valueId: string;
  valueName?: string;
  /** What the value provisions in the app. */
  externalValue?: string;
}

/**
 * Indexes the values of full entitlements (as GET entitlement or a bundle with full entitlements returns
 * them) by value id, so references like `{id: esp…, values: [{id: ent…}]}` can be named.
 */
export function indexValues(entitlements: unknown[]): Map<string, KnownValue> {
  const index = new Map<string, KnownValue>();
  for (const ent of objects(entitlements)) {
    const entitlementId = str(ent.id);
    if (!entitlementId) continue;
    for (const value of objects(ent.values)) {
      const valueId = str(value.id);
      if (!valueId) continue;
      index.set(valueId, {
        entitlementId,
        entitlementName: str(ent.name),
        valueId,
        valueName: str(value.name),
        externalValue: str(value.externalValue),
      });
    }
  }
  return index;
}

/** Entitlement names by id, from full entitlements. */
export function indexEntitlementNames(entitlements: unknown[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const ent of objects(entitlements)) {
    const id = str(ent.id);
    const name = str(ent.name);
    if (id && name) names.set(id, name);
  }
  return names;
}

/** The (entitlement id, value id) pairs an entitlement reference list names, in order, without repeats. */
export function valuePairs(entitlements: unknown): { entitlementId: string; valueId: string }[] {
  const seen = new Set<string>();
  const pairs: { entitlementId: string; valueId: string }[] = [];
  for (const ent of objects(entitlements)) {
    const entitlementId = str(ent.id);
    if (!entitlementId) continue;
    for (const value of objects(ent.values)) {
      const valueId = str(value.id);
      if (!valueId || seen.has(valueId)) continue;
      seen.add(valueId);
      pairs.push({ entitlementId, valueId });
    }
  }
  return pairs;
}

/** The entitlements a reference list names without values: the entitlement as a whole. */
export function wholeEntitlements(entitlements: unknown): string[] {
  const ids = objects(entitlements).flatMap((e) =>
    str(e.id) && objects(e.values).length === 0 ? [str(e.id) as string] : [],
  );
  return [...new Set(ids)];
}

/** The distinct entitlement ids of a reference list. */
export function entitlementIds(entitlements: unknown): string[] {
  return [...new Set(objects(entitlements).flatMap((e) => (str(e.id) ? [str(e.id) as string] : [])))];
}

/** Names a value pair with what the index and the entitlement names know. */
export function pairLabel(
  pair: { entitlementId: string; valueId: string },
  values: Map<string, KnownValue>,
  entitlementNames: Map<string, string>,
): string {
  const known = values.get(pair.valueId);
  const entName = known?.entitlementName ?? entitlementNames.get(pair.entitlementId);
  if (known === undefined) {
    const ent = entName === undefined ? pair.entitlementId : quote(entName, NAME_MAX);
    return `${ent}: value ${pair.valueId} (what it provisions could not be read)`;
  }
  return valueLabel(entName ?? pair.entitlementId, {
    id: pair.valueId,
    name: known.valueName,
    externalValue: known.externalValue,
  });
}

/**
 * The entitlements to read so every value of `refs` can be named: those whose name or
 * some referenced value is not described by `described` (full entitlements already at hand).
 */
export function entitlementsToName(refs: unknown[], described: unknown[]): string[] {
  const values = indexValues(described);
  const names = indexEntitlementNames(described);
  const ids = objects(refs).flatMap((ref) => {
    const id = str(ref.id);
    if (!id) return [];
    const unknownValue = objects(ref.values).some((v) => !values.has(str(v.id) ?? ""));
    return !names.has(id) || unknownValue ? [id] : [];
  });
  return [...new Set(ids)];
}
