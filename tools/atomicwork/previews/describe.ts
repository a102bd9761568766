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

/** `"Ann" (9001) has "Admins" (501) in "Okta" (12345)`: who holds what through a grant, names quoted. */
export const who = (g: GrantOut | undefined) =>
  g
    ? `${refText(g.user, "user", undefined, q)} has ${refText(g.entitlement, "entitlement", undefined, q)} in ${refText(g.app, "app", undefined, q)}`
    : "the grant could not be read";

type Ref = { id?: unknown; name?: unknown } | null | undefined;

/** "Dana Whitfield (9001)", "user 9001" or "an unnamed user": a reference as far as it is known. */
export function refText(
  ref: Ref,
  noun: string,
  fallbackId?: unknown,
  name: (text: string) => string = (text) => text,
): string {
  const id = ref?.id ?? fallbackId;
  const known = id !== undefined && id !== null;
  if (typeof ref?.name === "string" && ref.name) return `${name(ref.name)}${known ? ` (${String(id)})` : ""}`;
  return known ? `${noun} ${String(id)}` : `an unnamed ${noun}`;
}

/** What a grant summary may fall back to: the ids of the call itself. */
export interface GrantIds {
  grant_id?: number;
  user_id?: number;
  entitlement_id?: number;
}

/** "grant 7001 GRANTED: Dana Whitfield (9001) has Expense Approver (503) in Okta (12345)". */
export function grantLine(g: GrantOut, ids: GrantIds = {}): string {
  const id = g.id ?? ids.grant_id;
  const head =
    id === undefined || id === null ? "a grant (Atomicwork's answer carried no id)" : `grant ${id}`;
  const where = g.app ? ` in ${refText(g.app, "app")}` : "";
  return `${head}${g.status ? ` ${g.status}` : ""}: ${refText(g.user, "user", ids.user_id)} has ${refText(g.entitlement, "entitlement", ids.entitlement_id)}${where}${g.expires_at ? `, expires ${g.expires_at}` : ""}`;
}

/**
 * The spec promises a list no count: when a full page came back with neither a count nor a token, the
 * next page may hold more, and the summary says how to ask for it.
 */
export function pageHint(
  out: { items: unknown[]; nextCursor?: string | undefined; total?: number | undefined },
  input: { page?: number | undefined; per_page?: number | undefined },
): string {
  const full = out.items.length > 0 && out.items.length === (input.per_page ?? 25);
  if (out.nextCursor !== undefined || out.total !== undefined || !full) return "";
  return `\nA full page without a count: page=${(input.page ?? 1) + 1} may hold more.`;
}
