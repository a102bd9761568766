/** Atomicwork's operations, in the order tools/list shows them. */
import type { AnyOperation } from "../../src/core/operation.js";
import { atomicworkAppOperations } from "./apps.js";
import { atomicworkEntitlementOperations } from "./entitlements.js";
import { atomicworkGrantOperations } from "./grants.js";
import { atomicworkPolicyOperations } from "./policies.js";

export const atomicworkOperations: AnyOperation[] = [
  ...atomicworkAppOperations,
  ...atomicworkEntitlementOperations,
  ...atomicworkPolicyOperations,
  ...atomicworkGrantOperations,
];
