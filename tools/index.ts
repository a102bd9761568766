/** The single ordered list of operations: every tool the server can register comes from here. */
import type { AnyOperation } from "../src/operation.js";
import { atomicworkOperations } from "./atomicwork/iga.js";
import { oktaBundleOperations } from "./okta/bundles.js";
import { oktaDirectoryOperations } from "./okta/directory.js";
import { oktaEntitlementOperations } from "./okta/entitlements.js";
import { oktaGrantOperations } from "./okta/grants.js";
import { oktaPrincipalOperations } from "./okta/principals.js";
import { iiqOperations } from "./sailpoint-iiq/entitlements.js";

export const allOperations: AnyOperation[] = [
  ...oktaEntitlementOperations,
  ...oktaBundleOperations,
  ...oktaGrantOperations,
  ...oktaPrincipalOperations,
  ...oktaDirectoryOperations,
  ...atomicworkOperations,
  ...iiqOperations,
];
