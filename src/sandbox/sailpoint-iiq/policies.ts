/**
 * Separation of duties as IdentityIQ checks it: a policy's constraint is violated when an identity holds
 * something of its left side and something of its right side. A policy check (`POST /CheckedPolicyViolations`)
 * simulates a plan and reports the violations it would create (not those the identity already has); every
 * provisioning records the identity's new violations as PolicyViolation resources (Open), as IdentityIQ's
 * policy scan would.
 */
import type { Json } from "../kit/json.js";
import { holdingKey, holdingsOf, simulate, type Target } from "./access.js";
import { IIQ_POLICIES, type IiqBundleRef, type IiqPolicySeed, iiqId } from "./data.js";
import type { IiqStore } from "./store.js";

export const IIQ_SCHEMA_POLICY_VIOLATION = "urn:ietf:params:scim:schemas:sailpoint:1.0:PolicyViolation";
export const IIQ_SCHEMA_CHECKED = "urn:ietf:params:scim:schemas:sailpoint:1.0:CheckedPolicyViolation";

type Constraint = IiqPolicySeed["constraints"][number];

/** One constraint an identity's holdings violate, and what on each side it holds. */
interface Conflict {
  policy: IiqPolicySeed;
  constraint: Constraint;
  held: string[];
}

const key = (ref: IiqBundleRef) => holdingKey(ref.application, ref.name);

/** Every constraint of `policies` the holdings violate. */
function conflicts(held: Set<string>, policies: readonly IiqPolicySeed[]): Conflict[] {
  return policies.flatMap((policy) =>
    policy.constraints.flatMap((constraint) => {
      const left = constraint.left.filter((r) => held.has(key(r)));
      const right = constraint.right.filter((r) => held.has(key(r)));
      return left.length > 0 && right.length > 0
        ? [{ policy, constraint, held: [...left, ...right].map((r) => r.name) }]
        : [];
    }),
  );
}

const conflictId = (c: Conflict) => `${c.policy.name}\u0000${c.constraint.name}`;

/**
 * The policy check: the violations `targets` would create for `user` under the policies named (all of them
 * when none are), in the shape of the spec's CheckedPolicyViolation. Names IdentityIQ has no policy of
 * are ignored, as its example with "RandomPolicyNotExisting" shows.
 */
export function checkedViolations(
  user: Json,
  targets: readonly Target[],
  names: readonly string[] | undefined,
) {
  const policies = names?.length ? IIQ_POLICIES.filter((p) => names.includes(p.name)) : IIQ_POLICIES;
  const before = new Set(conflicts(holdingsOf(user), policies).map(conflictId));
  return conflicts(simulate(user, targets), policies)
    .filter((c) => !before.has(conflictId(c)))
    .map((c) => ({
      policyName: c.policy.name,
      policyType: c.policy.type,
      constraintName: c.constraint.name,
      description: c.constraint.description,
      entitlements: c.held,
      leftBundles: c.constraint.left.map((r) => r.name),
      rightBundles: c.constraint.right.map((r) => r.name),
    }));
}

/** The names of every policy, as a check without a list reports it checked. */
export const policyNames = () => IIQ_POLICIES.map((p) => p.name);

/** Records the PolicyViolations the identity's holdings now have and no violation records yet. */
export function recordViolations(
  store: IiqStore,
  user: Json,
  at = store.now(),
  status: "Open" | "Mitigated" = "Open",
): void {
  for (const c of conflicts(holdingsOf(user), IIQ_POLICIES)) {
    const id = iiqId(`violation:${String(user.userName)}:${c.policy.name}:${c.constraint.name}`);
    if (store.violations.has(id)) continue;
    const owner = iiqId(`user:${c.policy.owner}`);
    store.violations.set(id, {
      id,
      schemas: [IIQ_SCHEMA_POLICY_VIOLATION],
      policyName: c.policy.name,
      constraintName: c.constraint.name,
      identity: store.ref("Users", String(user.id), String(user.displayName)),
      owner: store.ref("Users", owner, c.policy.owner),
      description: c.constraint.description,
      status,
      meta: store.meta("PolicyViolation", id, at),
    });
  }
}
