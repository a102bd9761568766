/**
 * The SailPoint IdentityIQ SCIM 2.0 emulator (upstream-apis §3, checklist §3.9, its 8.3 OpenAPI spec):
 * Entitlements (read-only), Applications, Users and Accounts under `/identityiq/scim/v2`,
 * ServiceProviderConfig without auth, HTTP Basic or OAuth client-credential tokens from
 * `/identityiq/oauth2/token`, ListResponse paging by startIndex/count, the filter subset of each resource
 * (parsed; anything else is `invalidFilter`), sortBy/sortOrder, `attributes` over `excludedAttributes`,
 * and errors in the SCIM envelope with a string status.
 *
 * This module wires the instance's store (store.ts) to one route table per resource (routes/), and wraps
 * every request in authentication (auth.ts), the 404/405 of unknown paths and the SCIM content type.
 */
import { bindRoutes, type SandboxProvider } from "../kit/http.js";
import { IiqAuth, type IiqAuthConfig, TOKEN_PATH, TOKEN_ROUTE, tokenRoutes } from "./auth.js";
import { IIQ_BASE_PATH } from "./data.js";
import { accountRoutes } from "./routes/accounts.js";
import { applicationRoutes } from "./routes/applications.js";
import { entitlementRoutes } from "./routes/entitlements.js";
import { DISCOVERY_ROUTE, discoveryRoutes } from "./routes/service-provider-config.js";
import { userRoutes } from "./routes/users.js";
import { errorResponse, ScimError } from "./scim.js";
import { IiqStore, type IiqStoreConfig } from "./store.js";

export interface IiqSandboxConfig extends IiqStoreConfig, IiqAuthConfig {}

const SCIM_TABLES = [entitlementRoutes, applicationRoutes, userRoutes, accountRoutes, discoveryRoutes];

/** Every route the IdentityIQ sandbox serves: the SCIM ones (relative to its base path) and the token endpoint. */
export const IIQ_ROUTES: readonly string[] = [...SCIM_TABLES, tokenRoutes].flatMap((t) => Object.keys(t));

export function createIiqProvider(cfg: IiqSandboxConfig): SandboxProvider {
  const store = new IiqStore(cfg);
  const auth = new IiqAuth(cfg);
  return {
    name: "sailpoint-iiq",
    routes: [...bindRoutes(store, SCIM_TABLES, IIQ_BASE_PATH), ...bindRoutes(auth, [tokenRoutes])],
    claims: (path) => path.startsWith(IIQ_BASE_PATH) || path === TOKEN_PATH,
    async dispatch(req, match) {
      try {
        // The token endpoint authenticates the client itself, whatever the method.
        if (match?.def.route === TOKEN_ROUTE) return await match.def.handler(req);
        if (!match) throw new ScimError(404, `Resource not found: ${req.path}`);
        if (!match.methodAllowed) throw new ScimError(405, `Method ${req.method} is not supported here`);
        if (match.def.route !== DISCOVERY_ROUTE) auth.authenticate(req);
        store.load();
        const response = await match.def.handler(req);
        return { ...response, headers: { "Content-Type": "application/scim+json", ...response.headers } };
      } catch (err) {
        return errorResponse(err);
      }
    },
    failure: (_req, status) => errorResponse(new ScimError(status, `Injected failure ${status}`)),
  };
}
