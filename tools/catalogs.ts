/** Every provider's catalogs and search, in provider order: what the MCP layer composes from read tools. */
import type { CatalogDef, ProviderSearch } from "../src/core/compose.js";
import { atomicworkCatalogs, atomicworkSearch } from "./atomicwork/catalog.js";
import { oktaCatalogs, oktaSearch } from "./okta/catalog.js";
import { iiqCatalogs, iiqSearch } from "./sailpoint-iiq/catalog.js";

export const CATALOGS: readonly CatalogDef[] = [...oktaCatalogs, ...atomicworkCatalogs, ...iiqCatalogs];
export const SEARCHES: readonly ProviderSearch[] = [oktaSearch, atomicworkSearch, iiqSearch];
