/**
 * Every provider's catalogs, search and prompt completions, in provider order: what the MCP layer composes
 * from read tools.
 */
import type { CatalogDef, CompletionSource, ProviderSearch } from "../src/core/compose.js";
import { atomicworkCatalogs, atomicworkCompletions, atomicworkSearch } from "./atomicwork/catalog.js";
import { oktaCatalogs, oktaCompletions, oktaSearch } from "./okta/catalog.js";
import { iiqCatalogs, iiqCompletions, iiqSearch } from "./sailpoint-iiq/catalog.js";

export const CATALOGS: readonly CatalogDef[] = [...oktaCatalogs, ...atomicworkCatalogs, ...iiqCatalogs];
export const SEARCHES: readonly ProviderSearch[] = [oktaSearch, atomicworkSearch, iiqSearch];
export const COMPLETIONS: readonly CompletionSource[] = [
  ...oktaCompletions,
  ...atomicworkCompletions,
  ...iiqCompletions,
];
