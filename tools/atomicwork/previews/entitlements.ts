/** The preview of a new Atomicwork entitlement, with what it provisions. */
import type { Preview } from "../../../src/core/operation.js";
import type { CreateEntitlementInput } from "../entitlements.js";
import { provisioning, q } from "./describe.js";

/** A new entitlement nobody holds yet. */
export function createEntitlementPreview(input: CreateEntitlementInput): Preview {
  return {
    summary: `Create the Atomicwork entitlement ${q(input.name)} in app ${input.app_id}; it ${provisioning(input)}.`,
    details: [],
    effects: [{ kind: "create" }],
    targetIds: [String(input.app_id)],
  };
}
