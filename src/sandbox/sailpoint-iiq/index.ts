/**
 * The SailPoint IdentityIQ SCIM 2.0 emulator (upstream-apis §3, checklist §3.9, its 8.3 OpenAPI spec):
 * Entitlements (read-only), Applications, Users, Accounts and Roles under `/identityiq/scim/v2`; access
 * requests through launched workflows with their task results, policy checks and violations (workflows.ts,
 * policies.ts) and the sandbox's own control surface for approvers under `/_sandbox/iiq/` (control.ts);
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
import { CONTROL_PREFIX, controlRoutes } from "./control.js";
import { IIQ_BASE_PATH } from "./data.js";
import { accountRoutes } from "./routes/accounts.js";
import { applicationRoutes } from "./routes/applications.js";
import { entitlementRoutes } from "./routes/entitlements.js";
import { launchedWorkflowRoutes } from "./routes/launched-workflows.js";
import { policyViolationRoutes } from "./routes/policy-violations.js";
import { roleRoutes } from "./routes/roles.js";
import { DISCOVERY_ROUTE, discoveryRoutes } from "./routes/service-provider-config.js";
import { taskResultRoutes } from "./routes/task-results.js";
import { userRoutes } from "./routes/users.js";
import { workflowRoutes } from "./routes/workflows.js";
import { errorResponse, ScimError } from "./scim.js";
import { IiqStore, type IiqStoreConfig } from "./store.js";
import { loadGovernanceDemo } from "./workflows.js";

export interface IiqSandboxConfig extends IiqStoreConfig, IiqAuthConfig {}

const SCIM_TABLES = [
  entitlementRoutes,
  applicationRoutes,
  userRoutes,
  accountRoutes,
  roleRoutes,
  workflowRoutes,
  launchedWorkflowRoutes,
  taskResultRoutes,
  policyViolationRoutes,
  discoveryRoutes,
];

/**
 * Every route the IdentityIQ sandbox serves: the SCIM ones (relative to its base path), the token endpoint
 * and the sandbox's control surface (not IdentityIQ's).
 */
export const IIQ_ROUTES: readonly string[] = [...SCIM_TABLES, tokenRoutes, controlRoutes].flatMap((t) =>
  Object.keys(t),
);
/** The sandbox's own routes for approvers (control.ts), outside the emulated API. */
export const IIQ_CONTROL_ROUTES: readonly string[] = Object.keys(controlRoutes);

export function createIiqProvider(cfg: IiqSandboxConfig): SandboxProvider {
  const store = new IiqStore(cfg);
  if (cfg.seed === "demo") store.onLoaded = loadGovernanceDemo;
  const auth = new IiqAuth(cfg);
  const control = new Set(IIQ_CONTROL_ROUTES);
  return {
    name: "sailpoint-iiq",
    routes: [
      ...bindRoutes(store, SCIM_TABLES, IIQ_BASE_PATH),
      ...bindRoutes(auth, [tokenRoutes]),
      ...bindRoutes(store, [controlRoutes]),
    ],
    claims: (path) =>
      path.startsWith(IIQ_BASE_PATH) || path === TOKEN_PATH || path.startsWith(CONTROL_PREFIX),
    async dispatch(req, match) {
      try {
        // The token endpoint authenticates the client itself, whatever the method.
        if (match?.def.route === TOKEN_ROUTE) return await match.def.handler(req);
        // The control surface is the sandbox's, for tests and demos on loopback: no IdentityIQ credentials.
        if (match && control.has(match.def.route) && match.methodAllowed) {
          store.load();
          return await match.def.handler(req);
        }
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
