/**
 * Who holds what in one Okta app, from its grants read with `full_entitlements`: the guard's answer to
 * "does anybody hold this?" (DESIGN §2.4 step 0). A grant whose content the read does not show (no
 * entitlements listed), or a list with another page, makes the answer "unknown", never "no".
 */
import { asObject } from "../../../src/core/json.js";
import type { Held } from "../../../src/core/operation.js";
import { hasNextPage, listData, objects, str } from "./describe.js";

export interface Holdings {
  /** Value id -> the users an ALLOW grant gives it to. */
  values: Map<string, Set<string>>;
  /** Entitlement id -> the users who hold any of its values, or all of it. */
  entitlements: Map<string, Set<string>>;
  /** Entitlements granted without naming values (the whole entitlement). */
  whole: Set<string>;
  /** False when some grant was not seen or did not show what it gives. */
  complete: boolean;
}

/** Grants in these states give access now or will: they count as holding. */
const HOLDING = new Set(["ACTIVE", "SCHEDULED"]);

const add = (map: Map<string, Set<string>>, key: string, user: string) => {
  const users = map.get(key) ?? new Set<string>();
  users.add(user);
  map.set(key, users);
};

/** The holdings a raw grants list body shows; undefined when it could not be read. */
export function holdingsOf(body: unknown): Holdings | undefined {
  if (body === undefined) return undefined;
  const h: Holdings = { values: new Map(), entitlements: new Map(), whole: new Set(), complete: true };
  if (hasNextPage(body)) h.complete = false;
  for (const grant of listData(body)) {
    if (!HOLDING.has(str(grant.status) ?? "ACTIVE") || str(grant.action) === "DENY") continue;
    const user = str(asObject(grant.targetPrincipal)?.externalId) ?? "?";
    if (!Array.isArray(grant.entitlements)) {
      h.complete = false;
      continue;
    }
    for (const ent of objects(grant.entitlements)) {
      const entitlementId = str(ent.id);
      if (!entitlementId) {
        h.complete = false;
        continue;
      }
      add(h.entitlements, entitlementId, user);
      const values = objects(ent.values);
      if (values.length === 0) h.whole.add(entitlementId);
      for (const value of values) {
        const valueId = str(value.id);
        if (valueId) add(h.values, valueId, user);
        else h.complete = false;
      }
    }
  }
  return h;
}

/** Whether anybody holds value `valueId` of entitlement `entitlementId`. */
export function valueHeld(h: Holdings | undefined, entitlementId: string, valueId: string): Held {
  if (!h) return "unknown";
  if ((h.values.get(valueId)?.size ?? 0) > 0 || h.whole.has(entitlementId)) return "yes";
  return h.complete ? "no" : "unknown";
}

/** Whether anybody holds any value of entitlement `entitlementId`. */
export function entitlementHeld(h: Holdings | undefined, entitlementId: string): Held {
  if (!h) return "unknown";
  if ((h.entitlements.get(entitlementId)?.size ?? 0) > 0) return "yes";
  return h.complete ? "no" : "unknown";
}

/** "held by 3 users", "held by nobody", "holders unknown": for preview lines. */
export function heldText(h: Holdings | undefined, users: Set<string> | undefined, held: Held): string {
  if (held === "yes") {
    const n = users?.size ?? 0;
    return n > 0 ? `held by ${n} user${n === 1 ? "" : "s"}${h?.complete ? "" : " or more"}` : "held";
  }
  return held === "no" ? "held by nobody" : "who holds it could not be checked";
}
