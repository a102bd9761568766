/**
 * What a write's follow-up read found (Atomicwork answers an entitlement create and a grant
 * update with `{}`, as its spec says): the created entitlement found by listing its app's entitlements by
 * name, the updated grant read back by id. Pure: the bodies in, the structured result out.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import type { CreateEntitlementInput } from "../entitlements.js";
import type { UpdateGrantInput } from "../grants.js";
import { items } from "./describe.js";

/** How the new entitlement's id was learnt, if it was. */
export type Located = "answer" | "listed" | "several" | "not_found";

const hasId = (o: JsonObject | undefined) => o?.id !== undefined && o.id !== null;

/** The created entitlement: from the answer when it has an id, else the one entitlement of the app so named. */
export function createdEntitlement(
  input: CreateEntitlementInput,
  answer: unknown,
  found: unknown,
): Record<string, unknown> {
  const as = (located: Located, entitlement: JsonObject = {}) => ({
    ...entitlement,
    name: input.name,
    app_id: input.app_id,
    status: entitlement.status ?? input.status,
    located,
  });
  const given = asObject(answer);
  if (given && hasId(given)) return as("answer", given);
  const same = items(found).filter(
    (e) => e.name === input.name && (e.app_id === undefined || String(e.app_id) === String(input.app_id)),
  );
  const [only] = same;
  if (same.length === 1 && only && hasId(only)) return as("listed", only);
  if (same.length > 1) {
    const candidates = same.map((e) => Number(e.id)).filter(Number.isSafeInteger);
    return { ...as("several"), candidates: candidates.sort((a, b) => b - a) };
  }
  return as("not_found");
}

/** The updated grant as read back by id, or the answer when it is the grant; `{}` when neither says. */
export function updatedGrant(input: UpdateGrantInput, answer: unknown, found: unknown): JsonObject {
  const read = items(found).find((g) => String(g.id) === String(input.grant_id));
  if (read) return read;
  const given = asObject(answer);
  return given && hasId(given) ? given : {};
}
