/** SailPoint IdentityIQ's operations, in the order tools/list shows them. */
import type { AnyOperation } from "../../src/core/operation.js";
import { iiqAccountOperations } from "./accounts.js";
import { iiqApplicationOperations } from "./applications.js";
import { iiqEntitlementOperations } from "./entitlements.js";
import { iiqUserOperations } from "./users.js";

export const iiqOperations: AnyOperation[] = [
  ...iiqEntitlementOperations,
  ...iiqApplicationOperations,
  ...iiqUserOperations,
  ...iiqAccountOperations,
];
