/** The single ordered list of operations: every tool the server can register comes from here. */
import type { AnyOperation } from "../src/core/operation.js";
import { atomicworkOperations } from "./atomicwork/index.js";
import { oktaOperations } from "./okta/index.js";
import { iiqOperations } from "./sailpoint-iiq/index.js";

export const allOperations: AnyOperation[] = [...oktaOperations, ...atomicworkOperations, ...iiqOperations];
