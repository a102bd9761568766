/** Atomicwork's operations, in the order tools/list shows them. */
import type { AnyOperation } from "../../src/core/operation.js";
import { atomicworkAppOperations } from "./apps.js";
import { atomicworkEntitlementOperations } from "./entitlements.js";
import { atomicworkGrantOperations } from "./grants.js";

export const atomicworkOperations: AnyOperation[] = [
  ...atomicworkAppOperations,
  ...atomicworkEntitlementOperations,
  ...atomicworkGrantOperations,
];
