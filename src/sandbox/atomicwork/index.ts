/**
 * The Atomicwork IGA emulator, answering as Atomicwork's published API specification says (the capture in
 * ../shared/specs; README "Atomicwork" records each decision). The spec's every 200 body is "Empty response
 * body", `type: object` with no properties, so the fields come from its descriptions:
 *   create entitlement, create policy, update grant: `{}` (they name nothing; seed 000's example is `{}`)
 *   create grant, revoke: the grant {id, status, type, user, entitlement, app, policy?, provider,
 *     granted_by, granted_at, expires_at?, provisioning_status, revocation_status?, created_at, updated_at}
 *   lists: {items, page, per_page, total, next_page_token?}: the spec names page, per_page and
 *     next_page_token; `items` and `total` are the sandbox's words where it names none
 *   history entries {id, event_type, event_at, event_by}
 * Auth by `X-Api-Key` (401) and `X-Workspace-Id` (403 when it names another workspace); errors are
 * `{error, code}` with the statuses Atomicwork's docs list (400, 401, 403, 404, 429 with `Retry-After`).
 *
 * This module wires the workspace's store (store.ts) to one route table per resource (routes/) and wraps
 * every request in the rate window, the API key and workspace checks, and the 404/405 of unknown paths.
 */
import { bindRoutes, type SandboxProvider } from "../kit/http.js";
import { RateWindow } from "../kit/rate-window.js";
import { AwError, errorResponse, injectedError } from "./errors.js";
import { appRoutes } from "./routes/apps.js";
import { entitlementRoutes } from "./routes/entitlements.js";
import { grantRoutes } from "./routes/grants.js";
import { policyRoutes } from "./routes/policies.js";
import { AtomicworkStore, type AtomicworkStoreConfig } from "./store.js";

export interface AtomicworkSandboxConfig extends AtomicworkStoreConfig {
  apiKey: string;
  workspaceId: string;
  rateLimit: { limit: number; windowMs: number };
}

export function createAtomicworkProvider(cfg: AtomicworkSandboxConfig): SandboxProvider {
  const store = new AtomicworkStore(cfg);
  // One window for the whole workspace: Atomicwork documents no per-endpoint limits.
  const limiter = new RateWindow(cfg.rateLimit.limit, cfg.rateLimit.windowMs);
  return {
    name: "atomicwork",
    routes: bindRoutes(store, [appRoutes, entitlementRoutes, grantRoutes, policyRoutes]),
    claims: (path) => path.startsWith("/api/v1/iga/"),
    async dispatch(req, match) {
      try {
        const now = cfg.now();
        const rate = limiter.take("workspace", now);
        if (rate.limited) {
          const wait = Math.ceil((rate.resetsAt - now) / 1000);
          throw new AwError(429, "RATE_LIMITED", "Too many requests", {
            "Retry-After": String(Math.max(1, wait)),
          });
        }
        if (req.headers["x-api-key"] !== cfg.apiKey)
          throw new AwError(401, "UNAUTHORIZED", "Missing or invalid X-Api-Key");
        const workspace = req.headers["x-workspace-id"];
        if (workspace !== undefined && workspace !== cfg.workspaceId) {
          throw new AwError(403, "FORBIDDEN", "The API key has no access to this workspace");
        }
        if (!match) throw new AwError(404, "NOT_FOUND", `No route for ${req.path}`);
        if (!match.methodAllowed)
          throw new AwError(405, "METHOD_NOT_ALLOWED", `${req.method} is not supported here`);
        return await match.def.handler(req);
      } catch (err) {
        return errorResponse(err);
      }
    },
    failure: (_req, status) => errorResponse(injectedError(status)),
  };
}
