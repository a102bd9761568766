/**
 * The previews of Atomicwork grant changes, with their effects: a new grant gives the user an
 * entitlement, a status change gives or takes it, a revocation takes it.
 */
import type { Effect, GuardState, Preview } from "../../../src/core/operation.js";
import type { CreateGrantInput, GrantOut, RevokeGrantInput, UpdateGrantInput } from "../grants.js";
import { catalogEntry, grantOf, items, provisioning, q, who } from "./describe.js";

/** The user gains the entitlement, and Atomicwork provisions it. */
export function createGrantPreview(input: CreateGrantInput, state: GuardState): Preview {
  const existing = items(state.existing) as GrantOut[];
  const entitlement = catalogEntry(state, input.entitlement_id);
  const user = existing[0]?.user?.name ? q(existing[0].user.name) : `user ${input.user_id}`;
  const name = entitlement
    ? `${q(entitlement.name)} (${input.entitlement_id})`
    : `entitlement ${input.entitlement_id}`;
  const already = existing.filter((g) => Number(g.entitlement?.id) === input.entitlement_id);
  return {
    summary: `Grant ${user} the Atomicwork entitlement ${name}${entitlement ? ` in app ${String(entitlement.app_id)}` : ""}.`,
    details: [
      `It ${provisioning(entitlement)}.`,
      already.length > 0
        ? `The user already holds it through ${already.map((g) => `grant ${g.id}`).join(", ")}.`
        : "The user does not hold it yet; Atomicwork provisions it directly, without an approval workflow.",
      `The user's other active grants: ${existing.length}.`,
    ],
    effects: [{ kind: "grant", on: String(input.user_id) }],
    targetIds: [String(input.user_id), String(input.entitlement_id)],
  };
}

/** The user's active grants, as `id@updated_at`: moves when what they hold changes. */
export function createGrantVersion(state: GuardState): string {
  return (items(state.existing) as GrantOut[])
    .map((g) => `${g.id}@${g.updated_at}`)
    .sort()
    .join(",");
}

/** REVOKED or EXPIRED takes the access, GRANTED or EXTENDED gives or prolongs it; other fields: unknown. */
export function updateGrantPreview(input: UpdateGrantInput, state: GuardState): Preview {
  const g = grantOf(state);
  const changes = [
    input.status && `status ${q(g?.status)} -> ${input.status}`,
    input.policy_id && `policy -> ${input.policy_id}`,
    input.policy_key && `policy -> ${q(input.policy_key)}`,
    input.granted_by && `granted_by -> ${input.granted_by}`,
    input.granted_at && `granted_at -> ${input.granted_at}`,
  ].filter(Boolean) as string[];
  const effects: Effect[] = [];
  const on = String(input.grant_id);
  if (!g) effects.push({ kind: "unknown", on });
  if (input.status && input.status !== g?.status) {
    effects.push({
      kind: input.status === "REVOKED" || input.status === "EXPIRED" ? "revoke" : "grant",
      on,
    });
  }
  if (input.policy_id || input.policy_key || input.granted_by || input.granted_at) {
    effects.push({ kind: "unknown", on });
  }
  return {
    summary: `Update grant ${input.grant_id}: ${who(g)}.`,
    details: [
      ...(changes.length ? changes : ["no field changes"]),
      `The entitlement ${provisioning(catalogEntry(state, g?.entitlement?.id))}.`,
      ...(input.status === "REVOKED" || input.status === "EXPIRED" ? ["The user loses this access."] : []),
    ],
    effects,
    targetIds: [String(input.grant_id)],
  };
}

/** The user loses the entitlement. */
export function revokeGrantPreview(input: RevokeGrantInput, state: GuardState): Preview {
  const g = grantOf(state);
  return {
    summary: `Revoke grant ${input.grant_id}: ${who(g)}.`,
    details: [
      `The entitlement ${provisioning(catalogEntry(state, g?.entitlement?.id))}.`,
      input.skip_deprovisioning === false
        ? "Atomicwork also removes the access in the identity provider (or opens a manual request)."
        : "Marked REVOKED only: nothing is removed in the identity provider (skip_deprovisioning defaults to true).",
      ...(g?.status && g.status !== "GRANTED" && g.status !== "EXTENDED"
        ? [`The grant is already ${q(g.status)}.`]
        : []),
      ...(input.reason ? [`Reason: ${q(input.reason)}`] : []),
    ],
    effects: [{ kind: "revoke", on: String(input.grant_id) }],
    targetIds: [String(input.grant_id)],
  };
}

/** The grant's `updated_at`: a confirmation is bound to the grant as it was previewed. */
export const grantVersion = (state: GuardState) => grantOf(state)?.updated_at ?? undefined;
