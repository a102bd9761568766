/**
 * The preview of a new Atomicwork access policy, with its effect. A policy in force (PUBLISHED, or marked
 * active) gives its entitlements to the people its condition matches (BIRTH_RIGHT) or lets people request
 * them under its approvals (SELF_SERVICE), so it changes who holds or may take access: a grant, confirmed
 * by a person. A policy that is neither published nor active gives nobody anything and takes no requests;
 * it comes into force only when it is published, which these tools cannot do (the public API has no
 * policy update): a create, harmless like a new entitlement nobody holds.
 */
import type { Effect, GuardState, Preview } from "../../../src/core/operation.js";
import type { CreatePolicyInput } from "../policies.js";
import { catalogEntry, items, provisioning, q, refText } from "./describe.js";

/** Whether the policy can act once created (an unknown `is_active` under PUBLISHED counts as active). */
export const inForce = (input: CreatePolicyInput) => input.status === "PUBLISHED" || input.is_active === true;

const HOLDERS_READ = 100;

function what(input: CreatePolicyInput): string {
  if (input.type === "BIRTH_RIGHT") {
    const condition = input.condition
      ? `its condition (${q(input.condition.type)}${input.condition.values?.length ? ` ${input.condition.values.join(", ")}` : ""})`
      : "its condition (none given: possibly everyone)";
    return `In force: people matching ${condition} receive these entitlements automatically, without a request.`;
  }
  const steps = input.approvals?.steps?.length ?? 0;
  const approvals = input.approvals
    ? `approvals ${q(input.approvals.type)}${steps ? ` in ${steps} step(s)` : " with no steps"}`
    : "no approvals given (requests may be granted without an approver)";
  return `In force: people may request these entitlements under it, with ${approvals}.`;
}

export function createPolicyPreview(input: CreatePolicyInput, state: GuardState): Preview {
  const ids = input.entitlements ?? [];
  const holders = items(state.holders);
  const named = ids.map((id) => {
    const entry = catalogEntry(state, id);
    return entry
      ? `${refText(entry, "entitlement", id, q)}: it ${provisioning(entry)}.`
      : `Entitlement ${id}: not among app ${input.app_id}'s entitlements read.`;
  });
  const held =
    ids.length === 0
      ? []
      : [
          `Held now through ${holders.length}${holders.length >= HOLDERS_READ ? " or more" : ""} active grant(s)${
            holders.length
              ? `: ${holders
                  .slice(0, 10)
                  .map((g) => `grant ${g.id}`)
                  .join(", ")}${holders.length > 10 ? ", …" : ""}`
              : ""
          }.`,
        ];
  const effects: Effect[] = inForce(input)
    ? [{ kind: "grant", on: String(input.app_id) }]
    : [{ kind: "create", on: String(input.app_id) }];
  return {
    summary: `Create the ${input.type} policy ${q(input.name)} (${input.status}${input.is_active === undefined ? "" : input.is_active ? ", active" : ", inactive"}) in app ${input.app_id} for ${ids.length ? `entitlements ${ids.join(", ")}` : "no entitlements"}.`,
    details: [
      ...named,
      inForce(input)
        ? what(input)
        : `Not in force (${input.status}, not active): it gives nobody access and takes no requests until it is published.`,
      ...held,
    ],
    effects,
    targetIds: [String(input.app_id), ...ids.map(String)],
  };
}

/** The active grants of the entitlements named, as read: a confirmation binds to them. */
export function policyVersion(state: GuardState): string {
  const grants = items(state.holders).map((g) => `${g.id}@${g.updated_at}`);
  return grants.sort().join(",");
}
