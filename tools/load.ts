/**
 * The operations of some providers, loading only their definitions: what the bin does at start-up, where
 * building every provider's zod schemas would be wasted on a server that serves one. Same order as
 * `allOperations` (a test checks).
 */
import type { AnyOperation, Provider } from "../src/core/operation.js";

// In allOperations' order: the lists are concatenated in the order of these keys.
const loaders: Record<Provider, () => Promise<AnyOperation[]>> = {
  okta: () => import("./okta/index.js").then((m) => m.oktaOperations),
  atomicwork: () => import("./atomicwork/index.js").then((m) => m.atomicworkOperations),
  "sailpoint-iiq": () => import("./sailpoint-iiq/index.js").then((m) => m.iiqOperations),
};

export async function loadOperations(providers: readonly Provider[]): Promise<AnyOperation[]> {
  const enabled = (Object.keys(loaders) as Provider[]).filter((p) => providers.includes(p));
  const lists = await Promise.all(enabled.map((p) => loaders[p]()));
  return lists.flat();
}
