/** SailPoint IdentityIQ's operations, in the order tools/list shows them. */
import type { AnyOperation } from "../../src/core/operation.js";
import { iiqAccountOperations } from "./accounts.js";
import { iiqApplicationOperations } from "./applications.js";
import { iiqEntitlementOperations } from "./entitlements.js";
import { iiqLaunchedWorkflowOperations } from "./launched-workflows.js";
import { iiqPolicyViolationOperations } from "./policy-violations.js";
import { iiqTaskResultOperations } from "./task-results.js";
import { iiqUserOperations } from "./users.js";

export const iiqOperations: AnyOperation[] = [
  ...iiqEntitlementOperations,
  ...iiqApplicationOperations,
  ...iiqUserOperations,
  ...iiqAccountOperations,
  ...iiqLaunchedWorkflowOperations,
  ...iiqTaskResultOperations,
  ...iiqPolicyViolationOperations,
];
