/**
 * The Okta Identity Governance emulator (upstream-apis §1): entitlements, values, bundles, grants,
 * principal entitlements/access, revoke-principal-access, entitlement settings, and the management
 * API's users and apps lookups. Faithful where it matters to a client: ids and ORNs, the SCIM filter
 * subset of each endpoint, cursor paging with `_links` and `Link` headers, Okta error bodies and codes,
 * 201/204/405/409, rate-limit headers on every response and a 429 with a valid `Date`.
 *
 * This module is the org's front door: it builds the store from the demo data, binds each resource's
 * route table (routes/) to it, and wraps every request in what Okta does around a handler: rate limits,
 * authentication (SSWS, or OAuth tokens with scopes), the 404/405 of unknown paths, common headers.
 */
import {
  bindRoutes,
  type RouteDef,
  type RouteMatch,
  type SandboxProvider,
  type SandboxRequest,
  type SandboxResponse,
} from "../kit/http.js";
import { Prng } from "../kit/prng.js";
import { type RateTake, RateWindow } from "../kit/rate-window.js";
import { controlRoutes, isControlRoute } from "./control.js";
import { E, errorResponse, injectedError, ScopeError } from "./errors.js";
import { type OktaOAuthClient, OktaOAuthServer, requiredScope, TOKEN_ROUTE, tokenRoutes } from "./oauth.js";
import { OktaRequests } from "./requests-store.js";
import { reviewControlRoutes } from "./review-control.js";
import { bundleRoutes } from "./routes/bundles.js";
import { campaignRoutes } from "./routes/campaigns.js";
import { directoryRoutes } from "./routes/directory.js";
import { entitlementRoutes } from "./routes/entitlements.js";
import { entryRoutes } from "./routes/entries.js";
import { grantRoutes } from "./routes/grants.js";
import { principalRoutes } from "./routes/principals.js";
import { requestRoutes } from "./routes/requests.js";
import { reviewRoutes } from "./routes/reviews.js";
import { riskRoutes } from "./routes/risk.js";
import { settingsRoutes } from "./routes/settings.js";
import { OktaStore, type OktaStoreConfig } from "./store.js";

export interface OktaSandboxConfig extends OktaStoreConfig {
  apiToken: string;
  rateLimit: { limit: number; windowMs: number };
  /** OAuth service apps the org authorization server knows (private_key_jwt, optionally DPoP). */
  oauthClients?: readonly OktaOAuthClient[];
  oauthTokenTtlSeconds?: number;
}

/** One rate-limit bucket per path family, as Okta's per-endpoint limits (upstream-apis §1.8). */
function bucketOf(path: string): string {
  if (path.startsWith("/governance/api/v1/entitlement-bundles")) return "entitlement-bundles";
  if (path.startsWith("/governance/api/v1/entitlements")) return "entitlements";
  if (path.startsWith("/governance/api/v1/grants")) return "grants";
  if (
    path.startsWith("/governance/api/v1/principal-") ||
    path.startsWith("/governance/api/v2/revoke-principal-access")
  ) {
    return "principals";
  }
  if (path.startsWith("/governance/api/v2/resources")) return "entitlement-settings";
  if (path.startsWith("/api/v1/users")) return "users";
  if (path.startsWith("/api/v1/apps")) return "apps";
  return "other";
}

class OktaProvider implements SandboxProvider {
  readonly name = "okta";
  readonly routes: readonly RouteDef[];

  private readonly store: OktaStore;
  private readonly oauth: OktaOAuthServer;
  private readonly limiter: RateWindow;
  /** Request and error ids: random-looking, the same on every run. */
  private readonly noise = new Prng(0x1d5eed01);

  constructor(private readonly cfg: OktaSandboxConfig) {
    this.limiter = new RateWindow(cfg.rateLimit.limit, cfg.rateLimit.windowMs);
    this.oauth = new OktaOAuthServer(cfg.oauthClients ?? [], cfg.baseUrl, cfg.now, cfg.oauthTokenTtlSeconds);
    this.store = new OktaStore(cfg);
    const requests = new OktaRequests(this.store);
    this.routes = [
      ...bindRoutes(this.store, [
        entitlementRoutes,
        bundleRoutes,
        grantRoutes,
        principalRoutes,
        settingsRoutes,
      ]),
      ...bindRoutes(this.oauth, [tokenRoutes]),
      ...bindRoutes(this.store, [directoryRoutes]),
      ...bindRoutes(this.store, [campaignRoutes, reviewRoutes]),
      // Access requests and separation-of-duties risk, over the same org.
      ...bindRoutes(requests, [entryRoutes, requestRoutes, riskRoutes]),
      // The sandbox's own control surface (not Okta's API, see control.ts): loopback only, no token.
      ...bindRoutes(requests, [controlRoutes]),
      ...bindRoutes(this.store, [reviewControlRoutes]),
    ];
  }

  /** The org URL answers every path: unmatched governance paths are 405, others 404. */
  claims(_path: string): boolean {
    return true;
  }

  async dispatch(req: SandboxRequest, match: RouteMatch | undefined): Promise<SandboxResponse> {
    const rate = this.limiter.take(bucketOf(req.path), this.cfg.now());
    let response: SandboxResponse;
    try {
      // The sandbox's own control surface is not Okta's: no token, no rate limit (see control.ts).
      if (match?.methodAllowed && isControlRoute(match.def.route)) {
        return this.finish(await match.def.handler(req), rate);
      }
      if (rate.limited) throw E.rate();
      // The token endpoint authenticates the client itself, whatever the method.
      if (match?.def.route === TOKEN_ROUTE) return this.finish(await match.def.handler(req), rate);
      await this.authenticate(req);
      if (!match?.methodAllowed) {
        if (match || req.path.startsWith("/governance/")) throw E.method();
        throw E.notFound(req.path, "Path");
      }
      this.store.materializeScale();
      response = await match.def.handler(req);
    } catch (err) {
      response = this.errorResponse(err);
    }
    return this.finish(response, rate);
  }

  /** A forced failure (fault injection) in this upstream's own error style. */
  failure(req: SandboxRequest, status: number): SandboxResponse {
    const rate = this.limiter.take(bucketOf(req.path), this.cfg.now());
    return this.finish(this.errorResponse(injectedError(status, req.path)), rate);
  }

  private errorResponse(err: unknown): SandboxResponse {
    return errorResponse(err, this.cfg.baseUrl(), () => this.noise.chars(22));
  }

  private finish(response: SandboxResponse, rate: RateTake): SandboxResponse {
    const headers: Record<string, string | string[]> = {
      Date: new Date(this.cfg.now()).toUTCString(),
      "X-Rate-Limit-Limit": String(rate.limit),
      "X-Rate-Limit-Remaining": String(rate.remaining),
      "X-Rate-Limit-Reset": String(Math.ceil(rate.resetsAt / 1000)),
      "X-Okta-Request-Id": this.noise.chars(27),
      ...response.headers,
    };
    if (response.body !== undefined) headers["Content-Type"] = "application/json";
    return { ...response, headers };
  }

  private async authenticate(req: SandboxRequest): Promise<void> {
    const header = req.headers.authorization;
    const m = typeof header === "string" ? /^(SSWS|Bearer|DPoP)\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw E.auth();
    const [, scheme = "", token = ""] = m;
    if (token === this.cfg.apiToken) return;
    if (scheme.toUpperCase() === "SSWS") throw E.auth();
    const auth = await this.oauth.authorize(req, scheme, token);
    if (!auth.ok) throw E.auth();
    const needed = requiredScope(req.method, req.path);
    if (needed && !needed.some((s) => auth.scopes.includes(s))) throw new ScopeError(needed[0] as string);
  }
}

export function createOktaProvider(cfg: OktaSandboxConfig): SandboxProvider {
  return new OktaProvider(cfg);
}
