/**
 * Pure helpers that turn Atomicwork bodies (as the guard reads them: unknown JSON) into the phrases of
 * previews. Upstream names are quoted on one line and bounded, so none can start a line of its own.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import type { GuardState } from "../../../src/core/operation.js";
import { quote } from "../../../src/core/sanitize.js";
import type { GrantOut } from "../grants.js";

/** The items of a list body: a bare array or `{ items: [...] }`. */
export const items = (body: unknown): JsonObject[] => {
  const list = Array.isArray(body) ? body : asObject(body)?.items;
  return Array.isArray(list) ? (list as JsonObject[]) : [];
};

/** The grant read through the search (the first and only item). */
export const grantOf = (state: GuardState) => items(state.grant)[0] as GrantOut | undefined;

/** The app of the grant read: its catalog holds what the grant's entitlement provisions. */
export const grantApp = (_input: unknown, state: GuardState) => grantOf(state)?.app?.id;

/** Upstream names in previews: quoted, on one line, bounded. */
export const q = (value: unknown) => quote(value === undefined || value === null ? "?" : String(value), 80);

/** One entitlement of the catalog pages read. */
export const catalogEntry = (state: GuardState, id: unknown) =>
  (Array.isArray(state.catalog) ? state.catalog : [state.catalog])
    .flatMap((page) => items(page))
    .find((e) => id !== undefined && id !== null && String(e.id) === String(id));

/** What an entitlement provisions, from its provisioning_config: the group a grant adds the user to. */
export function provisioning(entitlement: Record<string, unknown> | undefined): string {
  if (!entitlement) return "what it provisions could not be read";
  const config = entitlement.provisioning_config as
    | { provider?: unknown; type?: unknown; value?: { label?: unknown; value?: unknown } }
    | null
    | undefined;
  if (!config) return "it provisions nothing automatically (no provisioning_config)";
  const label = config.value?.label;
  const group = config.value?.value;
  return `provisions ${q(config.type)} ${label ? `${q(label)} ` : ""}(${q(group)}) through ${q(config.provider)}`;
}

/** "'Ann' has 'Admins' (11) in 'Okta'": who holds what through a grant. */
export const who = (g: GrantOut | undefined, fallback: string) =>
  `${g?.user?.name ? q(g.user.name) : `user ${fallback}`} has ${q(g?.entitlement?.name)} (${g?.entitlement?.id ?? "?"}) in ${q(g?.app?.name)}`;
