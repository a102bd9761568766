/**
 * The Okta Identity Governance emulator (upstream-apis §1): entitlements, values, bundles, grants,
 * principal entitlements/access, revoke-principal-access, entitlement settings, and the management
 * API's users and apps lookups. Faithful where it matters to a client: ids and ORNs, the SCIM filter
 * subset of each endpoint, cursor paging with `_links` and `Link` headers, Okta error bodies and codes,
 * 201/204/405/409, rate-limit headers on every response and a 429 with a valid `Date`.
 *
 * State lives in memory, per sandbox. Every write stamps `lastUpdated` from a logical clock that moves
 * at least one second per write, because clients use `lastUpdated` as a version.
 */
import {
  compileFilter,
  evaluateFilter,
  FilterError,
  type FilterNode,
  type FilterSpec,
  normalizeOrn,
  OKTA_FILTERS,
  type PinAttrs,
  pinnedValues,
  resolvePin,
} from "../kit/filter.js";
import type { RouteDef, RouteMatch, SandboxProvider, SandboxRequest, SandboxResponse } from "../kit/http.js";
import { Prng } from "../kit/prng.js";
import {
  type DemoEntitlement,
  type EntitlementRef,
  type GrantAction,
  type GrantActor,
  type GrantStatus,
  type GrantType,
  OKTA_DEMO_APPS,
  OKTA_DEMO_BUNDLES,
  OKTA_DEMO_ENTITLEMENTS,
  OKTA_DEMO_GRANTS,
  OKTA_DEMO_USERS,
  OKTA_ORG_ID,
  OKTA_SCALE_APP,
  OKTA_TOKEN_OWNER_ID,
  type SignOnMode,
  scaleEntitlement,
} from "./data.js";
import { type OktaOAuthClient, OktaOAuthServer, requiredScope } from "./oauth.js";

export interface OktaSandboxConfig {
  /** The sandbox's own URL (known once it listens): every href is absolute. */
  baseUrl: () => string;
  apiToken: string;
  seed: "demo" | "empty";
  scale: number;
  rateLimit: { limit: number; windowMs: number };
  now: () => number;
  /** OAuth service apps the org authorization server knows (private_key_jwt, optionally DPoP). */
  oauthClients?: readonly OktaOAuthClient[];
  oauthTokenTtlSeconds?: number;
}

/** A 403 for a token without the scope a route needs: empty body, the scope in the challenge (§1.2). */
class ScopeError extends Error {
  constructor(readonly scope: string) {
    super(`insufficient scope: ${scope}`);
  }
}

type Json = Record<string, unknown>;

interface Cause {
  errorSummary: string;
  reason?: string;
  location?: string;
  locationType?: "body" | "query" | "header" | "method" | "path";
  domain?: string;
}

/** An Okta error response, thrown by handlers and rendered by `dispatch`. */
export class OktaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly summary: string,
    readonly causes: Cause[] = [],
  ) {
    super(summary);
    this.name = "OktaError";
  }
}

const E = {
  validation: (what: string, causes: Cause[]) =>
    new OktaError(400, "E0000001", `Api validation failed: ${what}`, causes),
  malformed: () => new OktaError(400, "E0000003", "The request body was not well-formed."),
  missing: (causes: Cause[]) =>
    new OktaError(400, "E0000028", "The request is missing a required parameter.", causes),
  paging: (causes: Cause[]) => new OktaError(400, "E0000029", "Invalid paging request.", causes),
  filter: (causes: Cause[]) => new OktaError(400, "E0000029", "Invalid filter", causes),
  scim: (detail: string) =>
    new OktaError(400, "E0000053", "Invalid SCIM filter.", [
      {
        errorSummary: detail,
        reason: "STRING_FORMAT_INVALID",
        location: "/filter",
        locationType: "query",
        domain: "governance",
      },
    ]),
  search: (detail: string) =>
    new OktaError(400, "E0000031", "Invalid search criteria.", [
      { errorSummary: detail, location: "filter", locationType: "query" },
    ]),
  notFound: (id: string, type: string) =>
    new OktaError(404, "E0000007", `Not found: Resource not found: ${id} (${type})`),
  notOptedIn: () => new OktaError(404, "E0000007", "Not found: Resource not found: null (SharedAppInstance)"),
  method: () => new OktaError(405, "E0000022", "The endpoint does not support the provided HTTP method"),
  conflict: (causes: Cause[]) =>
    new OktaError(409, "E0000169", "Object status conflicts with requested operation.", causes),
  auth: () => new OktaError(401, "E0000011", "Invalid token provided"),
  rate: () => new OktaError(429, "E0000047", "API call exceeded rate limit due to too many requests."),
  internal: () => new OktaError(500, "E0000009", "Internal Server Error"),
};

const GOV = "/governance/api/v1";
const MAX_LIMIT = 200;

// ---------------------------------------------------------------------------------------------------
// Records

interface Audit {
  created: string;
  createdBy: string;
  lastUpdated: string;
  lastUpdatedBy: string;
}

interface AppRec {
  id: string;
  name: string;
  label: string;
  signOnMode: SignOnMode;
  entitlementManagement: boolean;
  created: string;
  lastUpdated: string;
  policy: EntitlementRef[];
  orn: string;
}

interface UserRec {
  id: string;
  status: "ACTIVE";
  created: string;
  lastUpdated: string;
  orn: string;
  profile: {
    firstName: string;
    lastName: string;
    email: string;
    login: string;
    title: string;
    department: string;
  };
}

interface Parent {
  externalId: string;
  type: "APPLICATION";
}

interface EntRec extends Audit {
  id: string;
  appId: string;
  name: string;
  externalValue: string;
  description?: string;
  multiValue: boolean;
  dataType: "string" | "array";
  valueIds: string[];
  parent: Parent;
  parentResourceOrn: string;
}

interface ValRec extends Audit {
  id: string;
  entitlementId: string;
  name: string;
  externalValue: string;
  description?: string;
  externalId?: string;
  orn: string;
}

interface BundleRec extends Audit {
  id: string;
  appId: string;
  name: string;
  description?: string;
  status: "ACTIVE" | "DELETED";
  entitlements: EntitlementRef[];
  orn: string;
  target: Parent;
  targetResourceOrn: string;
}

interface Schedule {
  expirationDate: string;
  timeZone?: string;
}

interface GrantRec extends Audit {
  id: string;
  /** Creation order: additive grants apply in this order. */
  seq: number;
  grantType: GrantType;
  userId: string;
  appId: string;
  entitlementBundleId?: string;
  action: GrantAction;
  actor: GrantActor;
  status: GrantStatus;
  entitlements?: EntitlementRef[];
  scheduleSettings?: Schedule;
}

interface OrderTerm {
  field: string;
  desc: boolean;
}

interface ListQuery {
  filter?: string;
  after?: string;
  limit: number;
  order: OrderTerm[];
  /** Canonical `orderBy` for links (the caller's, or the endpoint's default when links add it). */
  orderLink?: string;
  include: string[];
}

interface ListOptions {
  defaultLimit: number;
  orderFields: readonly string[];
  defaultOrder: string;
  /** Whether hrefs carry the default orderBy when the caller sent none (entitlements, values). */
  linkDefaultOrder: boolean;
  multiOrder?: boolean;
}

const ENTITLEMENT_LIST: ListOptions = {
  defaultLimit: 20,
  orderFields: ["name", "created", "lastUpdated", "id"],
  defaultOrder: "name asc",
  linkDefaultOrder: true,
};
const VALUE_LIST: ListOptions = { ...ENTITLEMENT_LIST };
const ALL_VALUE_LIST: ListOptions = { ...ENTITLEMENT_LIST, defaultLimit: 200, defaultOrder: "id asc" };
const BUNDLE_LIST: ListOptions = {
  defaultLimit: 20,
  orderFields: ["created", "lastUpdated", "name", "id"],
  defaultOrder: "id asc",
  linkDefaultOrder: false,
  multiOrder: true,
};
const GRANT_LIST: ListOptions = {
  defaultLimit: 20,
  orderFields: ["id", "created", "lastUpdated"],
  defaultOrder: "id asc",
  linkDefaultOrder: false,
};

const APP_PIN: PinAttrs = {
  orn: "parentResourceOrn",
  externalId: "parent.externalId",
  type: "parent.type",
  typeValue: "APPLICATION",
  idFromOrn: appIdFromOrn,
};
const TARGET_PIN: PinAttrs = {
  ...APP_PIN,
  orn: "targetResourceOrn",
  externalId: "target.externalId",
  type: "target.type",
};
const PRINCIPAL_PIN: PinAttrs = {
  orn: "targetPrincipalOrn",
  externalId: "targetPrincipal.externalId",
  type: "targetPrincipal.type",
  typeValue: "OKTA_USER",
  idFromOrn: userIdFromOrn,
};

// ---------------------------------------------------------------------------------------------------
// ORNs, timestamps, small helpers

export function appOrn(app: { name: string; id: string }): string {
  return `orn:okta:idp:${OKTA_ORG_ID}:apps:${app.name}:${app.id}`;
}
export function userOrn(userId: string): string {
  return `orn:okta:directory:${OKTA_ORG_ID}:users:${userId}`;
}
export function valueOrn(valueId: string): string {
  return `orn:okta:governance:${OKTA_ORG_ID}:entitlement-values:${valueId}`;
}
export function bundleOrn(bundleId: string): string {
  return `orn:okta:governance:${OKTA_ORG_ID}:entitlement-bundles:${bundleId}`;
}

function appIdFromOrn(orn: string): string | undefined {
  const m = /^orn:[a-z-]+:idp:([^:]+):apps:[^:]+:([^:]+)$/.exec(orn);
  return m && m[1] === OKTA_ORG_ID ? m[2] : undefined;
}
function userIdFromOrn(orn: string): string | undefined {
  const m = /^orn:[a-z-]+:directory:([^:]+):users:([^:]+)$/.exec(orn);
  return m && m[1] === OKTA_ORG_ID ? m[2] : undefined;
}
function governanceIdFromOrn(orn: string, type: string): string | undefined {
  const m = /^orn:[a-z-]+:governance:([^:]+):([a-z-]+):([^:]+)$/.exec(orn);
  return m && m[1] === OKTA_ORG_ID && m[2] === type ? m[3] : undefined;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "/values/0/name" -> "values[0].name" for messages. */
function human(pointer: string): string {
  return pointer
    .slice(1)
    .split("/")
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join("");
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** Collects body validation causes, Okta style (one cause per field). */
class Causes {
  readonly list: Cause[] = [];
  constructor(private readonly domain: string) {}

  add(location: string, errorSummary: string, reason: string): void {
    this.list.push({ errorSummary, reason, location, locationType: "body", domain: this.domain });
  }

  string(
    obj: Json,
    key: string,
    at: string,
    opts: { required?: boolean; min?: number; max?: number },
  ): string | undefined {
    const value = obj[key];
    const loc = `${at}/${key}`;
    if (value === undefined || value === null) {
      if (opts.required) this.add(loc, `${human(loc)} is required`, "REQUIRED_PROPERTY_MISSING");
      return undefined;
    }
    if (typeof value !== "string") {
      this.add(loc, `${human(loc)} must be a string`, "INVALID_DATA_TYPE");
      return undefined;
    }
    const min = opts.min ?? 1;
    const max = opts.max ?? 255;
    if (value.length < min || value.length > max) {
      this.add(loc, `${human(loc)} must be ${min} to ${max} characters long`, "STRING_LENGTH_INVALID");
      return undefined;
    }
    return value;
  }

  boolean(obj: Json, key: string, at: string, required: boolean): boolean | undefined {
    const value = obj[key];
    const loc = `${at}/${key}`;
    if (value === undefined || value === null) {
      if (required) this.add(loc, `${human(loc)} is required`, "REQUIRED_PROPERTY_MISSING");
      return undefined;
    }
    if (typeof value !== "boolean") {
      this.add(loc, `${human(loc)} must be true or false`, "INVALID_DATA_TYPE");
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(
    obj: Json,
    key: string,
    at: string,
    allowed: readonly T[],
    required: boolean,
  ): T | undefined {
    const value = obj[key];
    const loc = `${at}/${key}`;
    if (value === undefined || value === null) {
      if (required) this.add(loc, `${human(loc)} is required`, "REQUIRED_PROPERTY_MISSING");
      return undefined;
    }
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      this.add(loc, `${human(loc)} must be one of ${allowed.join(", ")}`, "INVALID_ENUM_VALUE");
      return undefined;
    }
    return value as T;
  }

  object(obj: Json, key: string, at: string, required: boolean): Json | undefined {
    const value = obj[key];
    const loc = `${at}/${key}`;
    if (value === undefined || value === null) {
      if (required) this.add(loc, `${human(loc)} is required`, "REQUIRED_PROPERTY_MISSING");
      return undefined;
    }
    if (!isObject(value)) {
      this.add(loc, `${human(loc)} must be an object`, "INVALID_DATA_TYPE");
      return undefined;
    }
    return value;
  }

  array(
    obj: Json,
    key: string,
    at: string,
    opts: { required: boolean; max?: number },
  ): unknown[] | undefined {
    const value = obj[key];
    const loc = `${at}/${key}`;
    if (value === undefined || value === null) {
      if (opts.required) this.add(loc, `${human(loc)} is required`, "REQUIRED_PROPERTY_MISSING");
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add(loc, `${human(loc)} must be an array`, "INVALID_DATA_TYPE");
      return undefined;
    }
    if (opts.max !== undefined && value.length > opts.max) {
      this.add(loc, `${human(loc)} may hold at most ${opts.max} items`, "ARRAY_SIZE_INVALID");
      return undefined;
    }
    return value;
  }

  get ok(): boolean {
    return this.list.length === 0;
  }
}

function compareKeys(a: string[], b: string[], terms: OrderTerm[]): number {
  for (let i = 0; i < terms.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return (x < y ? -1 : 1) * (terms[i]?.desc ? -1 : 1);
  }
  return 0;
}

function sortItems<T extends { id: string }>(
  items: T[],
  terms: OrderTerm[],
  key: (item: T, field: string) => string,
): T[] {
  const all = terms.some((t) => t.field === "id") ? terms : [...terms, { field: "id", desc: false }];
  return items
    .map((item) => ({ item, keys: all.map((t) => key(item, t.field)) }))
    .sort((a, b) => compareKeys(a.keys, b.keys, all))
    .map((x) => x.item);
}

function orderKey(
  item: { id: string; name?: string; created?: string; lastUpdated?: string },
  field: string,
): string {
  switch (field) {
    case "name":
      return (item.name ?? "").toLowerCase();
    case "created":
      return item.created ?? "";
    case "lastUpdated":
      return item.lastUpdated ?? "";
    default:
      return item.id;
  }
}

class RateLimiter {
  private readonly buckets = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  take(bucket: string, now: number): { limit: number; remaining: number; reset: number; limited: boolean } {
    let b = this.buckets.get(bucket);
    if (!b || now >= b.start + this.windowMs) {
      b = { start: now, count: 0 };
      this.buckets.set(bucket, b);
    }
    b.count++;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - b.count),
      reset: Math.ceil((b.start + this.windowMs) / 1000),
      limited: b.count > this.limit,
    };
  }
}

/** One rate-limit bucket per path family, as Okta's per-endpoint limits (upstream-apis §1.8). */
function bucketOf(path: string): string {
  if (path.startsWith(`${GOV}/entitlement-bundles`)) return "entitlement-bundles";
  if (path.startsWith(`${GOV}/entitlements`)) return "entitlements";
  if (path.startsWith(`${GOV}/grants`)) return "grants";
  if (path.startsWith(`${GOV}/principal-`) || path.startsWith("/governance/api/v2/revoke-principal-access")) {
    return "principals";
  }
  if (path.startsWith("/governance/api/v2/resources")) return "entitlement-settings";
  if (path.startsWith("/api/v1/users")) return "users";
  if (path.startsWith("/api/v1/apps")) return "apps";
  return "other";
}

// ---------------------------------------------------------------------------------------------------
// The emulator

export class OktaSandbox implements SandboxProvider {
  readonly name = "okta";
  readonly routes: readonly RouteDef[];

  private readonly apps = new Map<string, AppRec>();
  private readonly users = new Map<string, UserRec>();
  private readonly entitlements = new Map<string, EntRec>();
  private readonly entitlementsByApp = new Map<string, Set<string>>();
  private readonly values = new Map<string, ValRec>();
  private readonly bundles = new Map<string, BundleRec>();
  private readonly grants = new Map<string, GrantRec>();

  private readonly ids = new Prng(0x0c7a5eed);
  private readonly noise = new Prng(0x1d5eed01);
  private readonly limiter: RateLimiter;
  private pendingScale: number;
  private lastWrite = 0;
  private seq = 0;
  /** Bumped by every write; list results are cached per version. */
  private version = 0;
  private readonly listCache = new Map<
    string,
    { version: number; items: unknown[]; index: Map<string, number> }
  >();

  private readonly oauth: OktaOAuthServer;

  constructor(private readonly cfg: OktaSandboxConfig) {
    this.limiter = new RateLimiter(cfg.rateLimit.limit, cfg.rateLimit.windowMs);
    this.oauth = new OktaOAuthServer(cfg.oauthClients ?? [], cfg.baseUrl, cfg.now, cfg.oauthTokenTtlSeconds);
    this.pendingScale = Math.max(0, Math.floor(cfg.scale));
    this.load();
    this.routes = this.routeTable();
  }

  private routeTable(): RouteDef[] {
    const r = (route: string, handler: (req: SandboxRequest) => SandboxResponse): RouteDef => ({
      route,
      handler,
    });
    return [
      r(`GET ${GOV}/entitlements`, (q) => this.listEntitlements(q)),
      r(`POST ${GOV}/entitlements`, (q) => this.createEntitlement(q)),
      r(`GET ${GOV}/entitlements/values`, (q) => this.listAllValues(q)),
      r(`GET ${GOV}/entitlements/{entitlementId}`, (q) => this.getEntitlement(q)),
      r(`PUT ${GOV}/entitlements/{entitlementId}`, (q) => this.replaceEntitlement(q)),
      r(`PATCH ${GOV}/entitlements/{entitlementId}`, (q) => this.patchEntitlement(q)),
      r(`DELETE ${GOV}/entitlements/{entitlementId}`, (q) => this.deleteEntitlement(q)),
      r(`GET ${GOV}/entitlements/{entitlementId}/values`, (q) => this.listValues(q)),
      r(`GET ${GOV}/entitlements/{entitlementId}/values/{valueId}`, (q) => this.getValue(q)),
      r(`GET ${GOV}/entitlement-bundles`, (q) => this.listBundles(q)),
      r(`POST ${GOV}/entitlement-bundles`, (q) => this.createBundle(q)),
      r(`GET ${GOV}/entitlement-bundles/{entitlementBundleId}`, (q) => this.getBundle(q)),
      r(`PUT ${GOV}/entitlement-bundles/{entitlementBundleId}`, (q) => this.replaceBundle(q)),
      r(`DELETE ${GOV}/entitlement-bundles/{entitlementBundleId}`, (q) => this.deleteBundle(q)),
      r(`GET ${GOV}/grants`, (q) => this.listGrants(q)),
      r(`POST ${GOV}/grants`, (q) => this.createGrant(q)),
      r(`GET ${GOV}/grants/{grantId}`, (q) => this.getGrant(q)),
      r(`PUT ${GOV}/grants/{grantId}`, (q) => this.replaceGrant(q)),
      r(`PATCH ${GOV}/grants/{grantId}`, (q) => this.patchGrant(q)),
      r(`GET ${GOV}/principal-entitlements`, (q) => this.principalEntitlements(q)),
      r(`GET ${GOV}/principal-access`, (q) => this.principalAccess(q)),
      r("POST /governance/api/v2/revoke-principal-access", (q) => this.revokePrincipalAccess(q)),
      r("GET /governance/api/v2/resources/{resourceOrn}/entitlement-settings", (q) => this.getSettings(q)),
      r("PATCH /governance/api/v2/resources/{resourceOrn}/entitlement-settings", (q) =>
        this.patchSettings(q),
      ),
      // Answered in dispatch, before any auth: the token endpoint authenticates the client itself.
      r("POST /oauth2/v1/token", () => ({ status: 500 })),
      r("GET /api/v1/users", (q) => this.listUsers(q)),
      r("GET /api/v1/users/{userId}", (q) => this.getUser(q)),
      r("GET /api/v1/apps", (q) => this.listApps(q)),
      r("GET /api/v1/apps/{appId}", (q) => this.getApp(q)),
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
      if (rate.limited) throw E.rate();
      if (match?.def.route === "POST /oauth2/v1/token") return this.finish(await this.oauth.token(req), rate);
      await this.authenticate(req);
      if (!match?.methodAllowed) {
        if (match || req.path.startsWith("/governance/")) throw E.method();
        throw E.notFound(req.path, "Path");
      }
      this.materializeScale();
      response = await match.def.handler(req);
    } catch (err) {
      response = this.errorResponse(err);
    }
    return this.finish(response, rate);
  }

  /** A forced failure (fault injection) in this upstream's own error style. */
  failure(req: SandboxRequest, status: number): SandboxResponse {
    const rate = this.limiter.take(bucketOf(req.path), this.cfg.now());
    const err =
      status === 429
        ? E.rate()
        : status === 401
          ? E.auth()
          : status === 404
            ? E.notFound(req.path, "Path")
            : status >= 500
              ? new OktaError(status, "E0000009", "Internal Server Error")
              : new OktaError(status, "E0000001", "Api validation failed: injected fault");
    return this.finish(this.errorResponse(err), rate);
  }

  private finish(
    response: SandboxResponse,
    rate: { limit: number; remaining: number; reset: number },
  ): SandboxResponse {
    const headers: Record<string, string | string[]> = {
      Date: new Date(this.cfg.now()).toUTCString(),
      "X-Rate-Limit-Limit": String(rate.limit),
      "X-Rate-Limit-Remaining": String(rate.remaining),
      "X-Rate-Limit-Reset": String(rate.reset),
      "X-Okta-Request-Id": this.noise.chars(27),
      ...response.headers,
    };
    if (response.body !== undefined) headers["Content-Type"] = "application/json";
    return { ...response, headers };
  }

  private errorResponse(err: unknown): SandboxResponse {
    if (err instanceof ScopeError) {
      const org = this.cfg.baseUrl();
      return {
        status: 403,
        headers: {
          "WWW-Authenticate": `Bearer authorization_uri="${org}/oauth2/v1/authorize", realm="${org}", scope="${err.scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`,
        },
      };
    }
    let e: OktaError;
    if (err instanceof OktaError) {
      e = err;
    } else {
      process.stderr.write(
        `okta sandbox: internal error: ${err instanceof Error ? err.stack : String(err)}\n`,
      );
      e = E.internal();
    }
    return {
      status: e.status,
      body: {
        errorCode: e.code,
        errorSummary: e.summary,
        errorLink: e.code,
        errorId: `oae${this.noise.chars(22)}`,
        errorCauses: e.causes,
      },
    };
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

  // -------------------------------------------------------------------------------------------------
  // Loading, ids, clock

  private load(): void {
    const demo = this.cfg.seed === "demo";
    const apps = this.pendingScale > 0 ? [...OKTA_DEMO_APPS, OKTA_SCALE_APP] : OKTA_DEMO_APPS;
    for (const a of apps) {
      this.apps.set(a.id, {
        id: a.id,
        name: a.name,
        label: a.label,
        signOnMode: a.signOnMode,
        entitlementManagement: a.entitlementManagement,
        created: a.created,
        lastUpdated: a.created,
        policy: demo ? structuredClone(a.policy) : [],
        orn: appOrn(a),
      });
    }
    for (const u of OKTA_DEMO_USERS) {
      this.users.set(u.id, {
        id: u.id,
        status: "ACTIVE",
        created: u.created,
        lastUpdated: u.created,
        orn: userOrn(u.id),
        profile: {
          firstName: u.firstName,
          lastName: u.lastName,
          email: u.email,
          login: u.login,
          title: u.title,
          department: u.department,
        },
      });
    }
    let latest = Math.max(...[...this.apps.values()].map((a) => Date.parse(a.created)));
    if (demo) {
      for (const e of OKTA_DEMO_ENTITLEMENTS) this.loadEntitlement(e, OKTA_TOKEN_OWNER_ID);
      for (const b of OKTA_DEMO_BUNDLES) {
        const app = this.apps.get(b.appId) as AppRec;
        this.bundles.set(b.id, {
          id: b.id,
          appId: b.appId,
          name: b.name,
          description: b.description,
          status: b.status,
          entitlements: structuredClone(b.entitlements),
          orn: bundleOrn(b.id),
          target: { externalId: app.id, type: "APPLICATION" },
          targetResourceOrn: app.orn,
          created: b.created,
          createdBy: b.createdBy,
          lastUpdated: b.created,
          lastUpdatedBy: b.createdBy,
        });
      }
      for (const g of OKTA_DEMO_GRANTS) {
        this.grants.set(g.id, {
          id: g.id,
          seq: ++this.seq,
          grantType: g.grantType,
          userId: g.userId,
          appId: g.appId,
          entitlementBundleId: g.entitlementBundleId,
          action: g.action,
          actor: g.actor,
          status: g.status,
          entitlements: g.entitlements ? structuredClone(g.entitlements) : undefined,
          scheduleSettings: g.scheduleSettings ? { ...g.scheduleSettings } : undefined,
          created: g.created,
          createdBy: g.createdBy,
          lastUpdated: g.created,
          lastUpdatedBy: g.createdBy,
        });
      }
      const stamps = [
        ...[...this.entitlements.values()].map((e) => e.created),
        ...[...this.bundles.values()].map((b) => b.created),
        ...[...this.grants.values()].map((g) => g.created),
      ];
      latest = Math.max(latest, ...stamps.map((s) => Date.parse(s)));
    }
    this.lastWrite = Math.floor(latest / 1000);
  }

  private loadEntitlement(e: DemoEntitlement, by: string): void {
    const app = this.apps.get(e.appId) as AppRec;
    const audit = { created: e.created, createdBy: by, lastUpdated: e.created, lastUpdatedBy: by };
    const rec: EntRec = {
      id: e.id,
      appId: e.appId,
      name: e.name,
      externalValue: e.externalValue,
      description: e.description,
      multiValue: e.multiValue,
      dataType: e.dataType,
      valueIds: e.values.map((v) => v.id),
      parent: { externalId: app.id, type: "APPLICATION" },
      parentResourceOrn: app.orn,
      ...audit,
    };
    this.entitlements.set(rec.id, rec);
    this.indexEntitlement(rec);
    for (const v of e.values) {
      this.values.set(v.id, {
        id: v.id,
        entitlementId: e.id,
        name: v.name,
        externalValue: v.externalValue,
        description: v.description,
        externalId: v.externalId,
        orn: valueOrn(v.id),
        ...audit,
      });
    }
  }

  private indexEntitlement(rec: EntRec): void {
    let set = this.entitlementsByApp.get(rec.appId);
    if (!set) {
      set = new Set();
      this.entitlementsByApp.set(rec.appId, set);
    }
    set.add(rec.id);
  }

  /** The scale app's entitlements are built on the first governance request, not at start-up. */
  private materializeScale(): void {
    if (this.pendingScale === 0) return;
    const n = this.pendingScale;
    this.pendingScale = 0;
    for (let i = 0; i < n; i++) this.loadEntitlement(scaleEntitlement(i), OKTA_TOKEN_OWNER_ID);
    this.version++;
  }

  private newId(prefix: string): string {
    for (;;) {
      const id = prefix + this.ids.chars(17);
      if (
        !this.entitlements.has(id) &&
        !this.values.has(id) &&
        !this.bundles.has(id) &&
        !this.grants.has(id) &&
        !this.users.has(id) &&
        !this.apps.has(id)
      ) {
        return id;
      }
    }
  }

  /** A write timestamp: wall clock, but at least one second after the previous write. */
  private stamp(): Audit {
    const seconds = Math.max(Math.floor(this.cfg.now() / 1000), this.lastWrite + 1);
    this.lastWrite = seconds;
    this.version++;
    const at = iso(seconds);
    return {
      created: at,
      createdBy: OKTA_TOKEN_OWNER_ID,
      lastUpdated: at,
      lastUpdatedBy: OKTA_TOKEN_OWNER_ID,
    };
  }

  private touch(rec: Audit, audit: Audit): void {
    rec.lastUpdated = audit.lastUpdated;
    rec.lastUpdatedBy = audit.lastUpdatedBy;
  }

  // -------------------------------------------------------------------------------------------------
  // Request helpers

  private href(path: string): { href: string; hints: Record<string, never> } {
    return { href: `${this.cfg.baseUrl()}${path}`, hints: {} };
  }

  private json(req: SandboxRequest): unknown {
    if (req.body.trim() === "") throw E.malformed();
    try {
      return JSON.parse(req.body) as unknown;
    } catch {
      throw E.malformed();
    }
  }

  private bodyObject(req: SandboxRequest, what: string): Json {
    const body = this.json(req);
    if (!isObject(body)) {
      throw E.validation(what, [
        {
          errorSummary: "The request body must be a JSON object",
          reason: "INVALID_DATA_TYPE",
          location: "/",
          locationType: "body",
        },
      ]);
    }
    return body;
  }

  private requiredFilter(req: SandboxRequest): string {
    const filter = req.query.get("filter");
    if (filter === null || filter.trim() === "") {
      throw E.missing([
        {
          errorSummary: "filter is required",
          reason: "REQUIRED_PROPERTY_MISSING",
          location: "filter",
          locationType: "query",
          domain: "governance",
        },
      ]);
    }
    return filter;
  }

  private compile(text: string, spec: FilterSpec): FilterNode {
    try {
      return compileFilter(text, spec);
    } catch (err) {
      if (err instanceof FilterError) throw E.scim(err.message);
      throw err;
    }
  }

  /** The app a filter pins (exactly one), or a 400 naming what is wrong. */
  private pinnedApp(node: FilterNode, pin: PinAttrs): AppRec {
    return this.pinned(node, pin, this.apps, "resource", "/target.externalId");
  }

  /** The user a filter pins (exactly one), or a 400 naming what is wrong. */
  private pinnedUser(node: FilterNode): UserRec {
    return this.pinned(node, PRINCIPAL_PIN, this.users, "principal", "/targetPrincipal.externalId");
  }

  /** The one record of `records` a filter pins, or Okta's 400: not pinned, pinned twice, or unknown. */
  private pinned<T>(
    node: FilterNode,
    pin: PinAttrs,
    records: ReadonlyMap<string, T>,
    noun: "resource" | "principal",
    location: string,
  ): T {
    const r = resolvePin(node, pin);
    if (!r.ok) {
      const errorSummary =
        r.problem === "multiple"
          ? `Multiple values found for target ${noun}`
          : r.problem === "missing"
            ? `Cannot find value found for target ${noun}`
            : r.detail;
      throw E.filter([
        {
          errorSummary,
          reason: "INVALID_FILTER",
          location: "filter",
          locationType: "query",
          domain: "governance",
        },
      ]);
    }
    const record = records.get(r.id);
    if (!record) {
      throw new OktaError(400, "E0000029", "Invalid externalId request.", [
        {
          errorSummary: `No ${noun} found for externalId ${r.id}`,
          reason: "IDENTIFIER_NOT_FOUND",
          location,
          locationType: "query",
          domain: "governance",
        },
      ]);
    }
    return record;
  }

  private listQuery(req: SandboxRequest, o: ListOptions): ListQuery {
    const q = req.query;
    const queryCause = (location: string, errorSummary: string, reason: string): Cause => ({
      errorSummary,
      reason,
      location,
      locationType: "query",
      domain: "governance",
    });
    let limit = o.defaultLimit;
    const rawLimit = q.get("limit");
    if (rawLimit !== null) {
      const n = /^\d+$/.test(rawLimit.trim()) ? Number(rawLimit.trim()) : Number.NaN;
      if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
        throw E.paging([
          queryCause(
            "/limit",
            `limit must be an integer from 1 to ${MAX_LIMIT}, not "${rawLimit}"`,
            "INVALID_DATA_TYPE",
          ),
        ]);
      }
      limit = n;
    }
    const after = q.get("after") ?? undefined;
    if (after !== undefined && after.trim() === "") {
      throw E.paging([queryCause("/after", "after must not be empty", "empty.openapi.validation")]);
    }
    let order: OrderTerm[] = parseOrder(o.defaultOrder);
    let orderLink = o.linkDefaultOrder ? o.defaultOrder : undefined;
    const rawOrder = q.get("orderBy");
    if (rawOrder !== null) {
      const terms = rawOrder.split(",").map((t) => t.trim());
      const bad = (detail: string) =>
        E.paging([
          queryCause("/orderBy", `Invalid orderBy "${rawOrder}": ${detail}`, "STRING_FORMAT_INVALID"),
        ]);
      if (terms.length > 1 && !o.multiOrder) throw bad("sorting by a single field is supported");
      order = [];
      for (const term of terms) {
        const m = /^(\w+)(?:\s+(asc|desc))?$/i.exec(term);
        if (!m || !o.orderFields.includes(m[1] as string)) {
          throw bad(`use one of ${o.orderFields.map((f) => `"${f} asc|desc"`).join(", ")}`);
        }
        order.push({ field: m[1] as string, desc: (m[2] ?? "asc").toLowerCase() === "desc" });
      }
      orderLink = order.map((t) => `${t.field} ${t.desc ? "desc" : "asc"}`).join(",");
    }
    const include = q
      .getAll("include")
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
    return { filter: q.get("filter") ?? undefined, after, limit, order, orderLink, include };
  }

  /** `self`/`next` hrefs with the query canonicalised: filter, after, limit, orderBy, include. */
  private listHref(path: string, lq: ListQuery, after: string | undefined): string {
    const parts: string[] = [];
    if (lq.filter !== undefined) parts.push(`filter=${enc(lq.filter)}`);
    if (after !== undefined) parts.push(`after=${enc(after)}`);
    parts.push(`limit=${lq.limit}`);
    if (lq.orderLink !== undefined) parts.push(`orderBy=${enc(lq.orderLink)}`);
    if (lq.include.length > 0) parts.push(`include=${enc(lq.include.join(","))}`);
    return `${this.cfg.baseUrl()}${path}?${parts.join("&")}`;
  }

  private cached<T extends { id: string }>(
    key: string,
    build: () => T[],
  ): { items: T[]; index: Map<string, number> } {
    const hit = this.listCache.get(key);
    if (hit && hit.version === this.version) return { items: hit.items as T[], index: hit.index };
    const items = build();
    const index = new Map(items.map((item, i) => [item.id, i]));
    if (this.listCache.size > 256) this.listCache.clear();
    this.listCache.set(key, { version: this.version, items, index });
    return { items, index };
  }

  /** One page of a governance list, with `_links`, `Link` headers and (optionally) `metadata.total`. */
  private page<T extends { id: string }>(
    path: string,
    lq: ListQuery,
    list: { items: T[]; index: Map<string, number> },
    render: (item: T) => unknown,
    metadata: boolean,
  ): SandboxResponse {
    let start = 0;
    if (lq.after !== undefined) {
      const at = list.index.get(lq.after);
      if (at === undefined) {
        throw E.paging([
          {
            errorSummary: "The after parameter is invalid; be sure to use links from the previous response",
            reason: "INVALID_AFTER_PARAMETER",
            location: "/after",
            locationType: "query",
            domain: "governance",
          },
        ]);
      }
      start = at + 1;
    }
    const slice = list.items.slice(start, start + lq.limit);
    const last = slice[slice.length - 1];
    const more = start + lq.limit < list.items.length && last !== undefined;
    const self = this.listHref(path, lq, lq.after);
    const next = more ? this.listHref(path, lq, last.id) : undefined;
    const links: Json = { self: { href: self, hints: {} } };
    if (next) links.next = { href: next, hints: {} };
    const body: Json = { data: slice.map(render), _links: links };
    if (metadata) body.metadata = { total: list.items.length };
    const link = [`<${self}>; rel="self"`];
    if (next) link.push(`<${next}>; rel="next"`);
    return { status: 200, body, headers: { Link: link } };
  }

  private selfLinkHeader(path: string): Record<string, string> {
    return { Link: `<${this.cfg.baseUrl()}${path}>; rel="self"` };
  }

  // -------------------------------------------------------------------------------------------------
  // Rendering

  private valuesOf(e: EntRec): ValRec[] {
    return e.valueIds.map((id) => this.values.get(id)).filter((v): v is ValRec => v !== undefined);
  }

  private renderValueInEntitlement(v: ValRec): Json {
    return {
      id: v.id,
      name: v.name,
      externalValue: v.externalValue,
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(v.externalId !== undefined ? { externalId: v.externalId } : {}),
      orn: v.orn,
      created: v.created,
      createdBy: v.createdBy,
      lastUpdated: v.lastUpdated,
      lastUpdatedBy: v.lastUpdatedBy,
    };
  }

  private entitlementCore(e: EntRec): Json {
    return {
      id: e.id,
      name: e.name,
      externalValue: e.externalValue,
      ...(e.description !== undefined ? { description: e.description } : {}),
      parentResourceOrn: e.parentResourceOrn,
      parent: { ...e.parent },
      multiValue: e.multiValue,
      required: false,
      dataType: e.dataType,
    };
  }

  private renderEntitlement(e: EntRec, values: ValRec[] = this.valuesOf(e)): Json {
    return {
      ...this.entitlementCore(e),
      values: values.map((v) => this.renderValueInEntitlement(v)),
      metadata: { total: values.length },
      _links: { self: this.href(`${GOV}/entitlements/${e.id}`) },
      created: e.created,
      createdBy: e.createdBy,
      lastUpdated: e.lastUpdated,
      lastUpdatedBy: e.lastUpdatedBy,
    };
  }

  private renderEntitlementListItem(e: EntRec, limit: number): Json {
    return {
      ...this.entitlementCore(e),
      _links: {
        self: this.href(`${GOV}/entitlements/${e.id}`),
        values: this.href(`${GOV}/entitlements/${e.id}/values?limit=${limit}`),
      },
      created: e.created,
      createdBy: e.createdBy,
      lastUpdated: e.lastUpdated,
      lastUpdatedBy: e.lastUpdatedBy,
    };
  }

  /** `entitlement-value-with-parent`: list items carry `_links: {}`, a single GET `_links.self`. */
  private renderValueWithParent(v: ValRec, e: EntRec, withSelf: boolean): Json {
    return {
      id: v.id,
      name: v.name,
      externalValue: v.externalValue,
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(v.externalId !== undefined ? { externalId: v.externalId } : {}),
      orn: v.orn,
      entitlementId: e.id,
      parentResourceOrn: e.parentResourceOrn,
      parent: { ...e.parent },
      labels: [],
      _links: withSelf ? { self: this.href(`${GOV}/entitlements/${e.id}/values/${v.id}`) } : {},
      created: v.created,
      createdBy: v.createdBy,
      lastUpdated: v.lastUpdated,
      lastUpdatedBy: v.lastUpdatedBy,
    };
  }

  /** Entitlement references expanded: each entitlement with only the referenced values. */
  private fullEntitlements(refs: EntitlementRef[]): Json[] {
    const out: Json[] = [];
    for (const ref of refs) {
      const e = this.entitlements.get(ref.id);
      if (!e) continue;
      out.push({
        id: e.id,
        name: e.name,
        externalValue: e.externalValue,
        ...(e.description !== undefined ? { description: e.description } : {}),
        multiValue: e.multiValue,
        required: false,
        dataType: e.dataType,
        values: ref.values
          .map((r) => this.values.get(r.id))
          .filter((v): v is ValRec => v !== undefined)
          .map((v) => ({
            id: v.id,
            name: v.name,
            externalValue: v.externalValue,
            ...(v.description !== undefined ? { description: v.description } : {}),
            orn: v.orn,
          })),
      });
    }
    return out;
  }

  private renderBundle(b: BundleRec, entitlements: "refs" | "full" | "none"): Json {
    return {
      id: b.id,
      name: b.name,
      ...(b.description !== undefined ? { description: b.description } : {}),
      orn: b.orn,
      created: b.created,
      createdBy: b.createdBy,
      lastUpdated: b.lastUpdated,
      lastUpdatedBy: b.lastUpdatedBy,
      status: b.status,
      targetResourceOrn: b.targetResourceOrn,
      target: { ...b.target },
      entitlements:
        entitlements === "full"
          ? this.fullEntitlements(b.entitlements)
          : entitlements === "refs"
            ? structuredClone(b.entitlements)
            : [],
      _links: { self: this.href(`${GOV}/entitlement-bundles/${b.id}`) },
    };
  }

  private grantStatus(g: GrantRec): GrantStatus {
    if (g.status === "ACTIVE" && g.scheduleSettings) {
      const expires = Date.parse(g.scheduleSettings.expirationDate);
      if (!Number.isNaN(expires) && expires <= this.cfg.now()) return "EXPIRED";
    }
    return g.status;
  }

  /** What a grant gives (or, for DENY, takes): its own refs, its bundle's, or the app's policy. */
  private grantRefs(g: GrantRec): EntitlementRef[] {
    switch (g.grantType) {
      case "ENTITLEMENT-BUNDLE": {
        const b = g.entitlementBundleId ? this.bundles.get(g.entitlementBundleId) : undefined;
        return b && b.status === "ACTIVE" ? b.entitlements : [];
      }
      case "POLICY":
        return this.apps.get(g.appId)?.policy ?? [];
      default:
        return g.entitlements ?? [];
    }
  }

  private renderGrant(g: GrantRec, full: boolean): Json {
    const app = this.apps.get(g.appId) as AppRec;
    const links: Json = { self: this.href(`${GOV}/grants/${g.id}`) };
    if (g.entitlementBundleId)
      links.entitlementBundle = this.href(`${GOV}/entitlement-bundles/${g.entitlementBundleId}`);
    const entitlements = full
      ? this.fullEntitlements(this.grantRefs(g))
      : g.entitlements
        ? structuredClone(g.entitlements)
        : undefined;
    return {
      id: g.id,
      created: g.created,
      createdBy: g.createdBy,
      lastUpdated: g.lastUpdated,
      lastUpdatedBy: g.lastUpdatedBy,
      grantType: g.grantType,
      ...(g.entitlementBundleId ? { entitlementBundleId: g.entitlementBundleId } : {}),
      action: g.action,
      actor: g.actor,
      targetResourceOrn: app.orn,
      target: { externalId: app.id, type: "APPLICATION" },
      targetPrincipalOrn: userOrn(g.userId),
      targetPrincipal: { externalId: g.userId, type: "OKTA_USER" },
      ...(entitlements ? { entitlements } : {}),
      ...(g.scheduleSettings ? { scheduleSettings: { ...g.scheduleSettings } } : {}),
      status: this.grantStatus(g),
      _links: links,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Entitlements

  private entitlementOr404(id: string): EntRec {
    const e = this.entitlements.get(id);
    if (!e) throw E.notFound(id, "Entitlement");
    return e;
  }

  private listEntitlements(req: SandboxRequest): SandboxResponse {
    const text = this.requiredFilter(req);
    const node = this.compile(text, OKTA_FILTERS.entitlements);
    const app = this.pinnedApp(node, APP_PIN);
    const lq = this.listQuery(req, ENTITLEMENT_LIST);
    const list = this.cached(`ent|${text}|${JSON.stringify(lq.order)}`, () => {
      const ids = this.entitlementsByApp.get(app.id) ?? new Set<string>();
      const matched: EntRec[] = [];
      for (const id of ids) {
        const e = this.entitlements.get(id);
        if (e && evaluateFilter(node, e, OKTA_FILTERS.entitlements)) matched.push(e);
      }
      return sortItems(matched, lq.order, orderKey);
    });
    return this.page(
      `${GOV}/entitlements`,
      lq,
      list,
      (e) => this.renderEntitlementListItem(e, lq.limit),
      true,
    );
  }

  private getEntitlement(req: SandboxRequest): SandboxResponse {
    const e = this.entitlementOr404(req.params.entitlementId as string);
    return {
      status: 200,
      body: this.renderEntitlement(e),
      headers: this.selfLinkHeader(`${GOV}/entitlements/${e.id}`),
    };
  }

  /** Validates one value body (`{name, externalValue, description?}`, plus `id` when allowed). */
  private valueFields(
    raw: unknown,
    at: string,
    c: Causes,
    partial: boolean,
  ): { name?: string; externalValue?: string; description?: string | null; id?: string } | undefined {
    if (!isObject(raw)) {
      c.add(at, `${human(at)} must be an object`, "INVALID_DATA_TYPE");
      return undefined;
    }
    const name = c.string(raw, "name", at, { required: !partial, max: 255 });
    const externalValue = c.string(raw, "externalValue", at, { required: !partial, max: 2000 });
    const description = c.string(raw, "description", at, { max: 1024 });
    const id = raw.id === undefined || raw.id === null ? undefined : String(raw.id);
    return { name, externalValue, description: raw.description === null ? null : description, id };
  }

  private createEntitlement(req: SandboxRequest): SandboxResponse {
    const body = this.bodyObject(req, "Entitlement");
    const c = new Causes("entitlements");
    const name = c.string(body, "name", "", { required: true, max: 255 });
    const externalValue = c.string(body, "externalValue", "", { required: true, max: 255 });
    const description = c.string(body, "description", "", { max: 1000 });
    const multiValue = c.boolean(body, "multiValue", "", true);
    const dataType = c.oneOf(body, "dataType", "", ["string", "array"] as const, true);
    const parent = c.object(body, "parent", "", true);
    let parentId: string | undefined;
    if (parent) {
      parentId = c.string(parent, "externalId", "/parent", { required: true, max: 20 });
      c.oneOf(parent, "type", "/parent", ["APPLICATION"] as const, true);
    }
    const rawValues = c.array(body, "values", "", { required: true, max: 1000 });
    const values = (rawValues ?? []).map((v, i) => this.valueFields(v, `/values/${i}`, c, false));
    if (!c.ok) throw E.validation("Entitlement", c.list);
    const app = parentId ? this.apps.get(parentId) : undefined;
    if (!app?.entitlementManagement) throw E.notOptedIn();

    const audit = this.stamp();
    const rec: EntRec = {
      id: this.newId("esp"),
      appId: app.id,
      name: name as string,
      externalValue: externalValue as string,
      description,
      multiValue: multiValue as boolean,
      dataType: multiValue ? "array" : (dataType as "string" | "array"),
      valueIds: [],
      parent: { externalId: app.id, type: "APPLICATION" },
      parentResourceOrn: app.orn,
      ...audit,
    };
    for (const v of values) rec.valueIds.push(this.addValue(rec, v ?? {}, audit).id);
    this.entitlements.set(rec.id, rec);
    this.indexEntitlement(rec);
    return {
      status: 201,
      body: this.renderEntitlement(rec),
      headers: this.selfLinkHeader(`${GOV}/entitlements/${rec.id}`),
    };
  }

  private addValue(
    e: EntRec,
    v: { name?: string; externalValue?: string; description?: string | null },
    audit: Audit,
  ): ValRec {
    const id = this.newId("ent");
    const rec: ValRec = {
      id,
      entitlementId: e.id,
      name: v.name ?? "",
      externalValue: v.externalValue ?? "",
      description: v.description ?? undefined,
      orn: valueOrn(id),
      ...audit,
    };
    this.values.set(id, rec);
    return rec;
  }

  private replaceEntitlement(req: SandboxRequest): SandboxResponse {
    const e = this.entitlementOr404(req.params.entitlementId as string);
    const body = this.bodyObject(req, "Entitlement");
    const c = new Causes("entitlements");
    const id = c.string(body, "id", "", { required: true, max: 255 });
    if (id !== undefined && id !== e.id)
      c.add("/id", `id ${id} does not match the entitlement ${e.id}`, "INVALID_VALUE");
    const name = c.string(body, "name", "", { required: true, max: 255 });
    const externalValue = c.string(body, "externalValue", "", { required: true, max: 255 });
    const description = c.string(body, "description", "", { max: 1000 });
    const multiValue = c.boolean(body, "multiValue", "", true);
    const dataType = c.oneOf(body, "dataType", "", ["string", "array"] as const, true);
    const parent = c.object(body, "parent", "", false);
    if (parent) {
      const parentId = c.string(parent, "externalId", "/parent", { required: true, max: 20 });
      c.oneOf(parent, "type", "/parent", ["APPLICATION"] as const, true);
      if (parentId !== undefined && parentId !== e.appId) {
        c.add("/parent/externalId", "The parent of an entitlement can't be changed", "INVALID_VALUE");
      }
    }
    const orn = c.string(body, "parentResourceOrn", "", { max: 1000 });
    if (orn !== undefined && normalizeOrn(orn) !== normalizeOrn(e.parentResourceOrn)) {
      c.add("/parentResourceOrn", "The parent of an entitlement can't be changed", "INVALID_VALUE");
    }
    const rawValues = c.array(body, "values", "", { required: true, max: 1000 });
    const values = (rawValues ?? []).map((v, i) => this.valueFields(v, `/values/${i}`, c, false));
    const seen = new Set<string>();
    values.forEach((v, i) => {
      if (!v?.id) return;
      if (!e.valueIds.includes(v.id)) {
        c.add(
          `/values/${i}/id`,
          `Entitlement value ${v.id} is not a value of ${e.id}`,
          "IDENTIFIER_NOT_FOUND",
        );
      } else if (seen.has(v.id)) {
        c.add(`/values/${i}/id`, `Entitlement value ${v.id} is listed twice`, "DUPLICATE_VALUE");
      }
      seen.add(v.id);
    });
    if (!c.ok) throw E.validation("Entitlement", c.list);

    const audit = this.stamp();
    const kept = new Set<string>();
    const valueIds: string[] = [];
    for (const v of values) {
      if (!v) continue;
      const existing = v.id ? this.values.get(v.id) : undefined;
      if (existing) {
        const changed =
          existing.name !== v.name ||
          existing.externalValue !== v.externalValue ||
          existing.description !== v.description;
        existing.name = v.name as string;
        existing.externalValue = v.externalValue as string;
        existing.description = v.description ?? undefined;
        if (changed) this.touch(existing, audit);
        kept.add(existing.id);
        valueIds.push(existing.id);
      } else {
        valueIds.push(this.addValue(e, v, audit).id);
      }
    }
    const removed = e.valueIds.filter((vid) => !kept.has(vid));
    e.name = name as string;
    e.externalValue = externalValue as string;
    e.description = description;
    e.multiValue = multiValue as boolean;
    e.dataType = multiValue ? "array" : (dataType as "string" | "array");
    e.valueIds = valueIds;
    this.touch(e, audit);
    this.dropValues(removed, audit);
    return {
      status: 200,
      body: this.renderEntitlement(e),
      headers: this.selfLinkHeader(`${GOV}/entitlements/${e.id}`),
    };
  }

  private patchEntitlement(req: SandboxRequest): SandboxResponse {
    const e = this.entitlementOr404(req.params.entitlementId as string);
    const body = this.json(req);
    const c = new Causes("entitlements");
    if (!Array.isArray(body) || body.length < 1 || body.length > 100) {
      c.add("/", "The request body must be an array of 1 to 100 operations", "INVALID_DATA_TYPE");
      throw E.validation("Entitlement", c.list);
    }
    type PatchOp =
      | { kind: "addValue"; value: { name?: string; externalValue?: string; description?: string | null } }
      | { kind: "removeValue"; id: string }
      | {
          kind: "replaceValue";
          id: string;
          value: { name?: string; externalValue?: string; description?: string | null };
        }
      | { kind: "description"; value: string | undefined }
      | { kind: "name"; value: string };
    const ops: PatchOp[] = [];
    for (const [i, raw] of body.entries()) {
      const at = `/${i}`;
      const fail = (summary: string, reason = "INVALID_OPERATION", where = at) =>
        c.add(where, `Operation ${i}: ${summary}`, reason);
      if (!isObject(raw)) {
        fail("must be an object", "INVALID_DATA_TYPE");
        continue;
      }
      const op = typeof raw.op === "string" ? raw.op.toUpperCase() : undefined;
      const refType = typeof raw.refType === "string" ? raw.refType.toUpperCase() : undefined;
      const path = typeof raw.path === "string" ? raw.path : undefined;
      if (op !== "ADD" && op !== "REMOVE" && op !== "REPLACE") {
        fail("op must be ADD, REMOVE or REPLACE", "INVALID_ENUM_VALUE", `${at}/op`);
        continue;
      }
      if (refType !== "ENTITLEMENT-VALUE" && refType !== "ENTITLEMENT") {
        fail("refType must be ENTITLEMENT-VALUE or ENTITLEMENT", "INVALID_ENUM_VALUE", `${at}/refType`);
        continue;
      }
      if (path === undefined) {
        fail("path is required", "REQUIRED_PROPERTY_MISSING", `${at}/path`);
        continue;
      }
      if (refType === "ENTITLEMENT-VALUE") {
        if (op === "ADD") {
          if (path !== "/values/-") {
            fail('an ADD of a value takes the path "/values/-"', "INVALID_PATH", `${at}/path`);
            continue;
          }
          const before = c.list.length;
          const value = this.valueFields(raw.value, `${at}/value`, c, false);
          if (value && c.list.length === before) ops.push({ kind: "addValue", value });
          continue;
        }
        const m = /^\/values\/([^/]+)$/.exec(path);
        if (!m || m[1] === "-") {
          fail('the path must be "/values/{valueId}"', "INVALID_PATH", `${at}/path`);
          continue;
        }
        const id = m[1] as string;
        if (!e.valueIds.includes(id)) {
          fail(`${id} is not a value of entitlement ${e.id}`, "IDENTIFIER_NOT_FOUND", `${at}/path`);
          continue;
        }
        if (op === "REMOVE") {
          ops.push({ kind: "removeValue", id });
          continue;
        }
        const before = c.list.length;
        const value = this.valueFields(raw.value, `${at}/value`, c, true);
        if (!value || c.list.length > before) continue;
        if (
          value.name === undefined &&
          value.externalValue === undefined &&
          value.description === undefined
        ) {
          fail("a REPLACE of a value needs name, externalValue or description", "REQUIRED_PROPERTY_MISSING");
          continue;
        }
        ops.push({ kind: "replaceValue", id, value });
        continue;
      }
      if (path === "/description") {
        if (op === "REMOVE") {
          ops.push({ kind: "description", value: undefined });
          continue;
        }
        if (typeof raw.value !== "string" || raw.value.length < 1 || raw.value.length > 1000) {
          fail("value must be a description of 1 to 1000 characters", "STRING_LENGTH_INVALID", `${at}/value`);
          continue;
        }
        ops.push({ kind: "description", value: raw.value });
        continue;
      }
      if (path === "/name") {
        if (op !== "REPLACE") {
          fail("the name can only be REPLACEd", "INVALID_OPERATION", `${at}/op`);
          continue;
        }
        if (typeof raw.value !== "string" || raw.value.length < 1 || raw.value.length > 255) {
          fail("value must be a name of 1 to 255 characters", "STRING_LENGTH_INVALID", `${at}/value`);
          continue;
        }
        ops.push({ kind: "name", value: raw.value });
        continue;
      }
      fail('an ENTITLEMENT operation takes the path "/description" or "/name"', "INVALID_PATH", `${at}/path`);
    }
    if (!c.ok) throw E.validation("Entitlement", c.list);

    const audit = this.stamp();
    const changed: string[] = [];
    const removed: string[] = [];
    for (const op of ops) {
      switch (op.kind) {
        case "addValue": {
          const v = this.addValue(e, op.value, audit);
          e.valueIds.push(v.id);
          changed.push(v.id);
          break;
        }
        case "removeValue":
          if (e.valueIds.includes(op.id)) {
            e.valueIds = e.valueIds.filter((id) => id !== op.id);
            removed.push(op.id);
          }
          break;
        case "replaceValue": {
          // A value removed earlier in the same request stays removed: the replace is a no-op.
          const v = e.valueIds.includes(op.id) ? this.values.get(op.id) : undefined;
          if (!v) break;
          if (op.value.name !== undefined) v.name = op.value.name;
          if (op.value.externalValue !== undefined) v.externalValue = op.value.externalValue;
          if (op.value.description !== undefined) v.description = op.value.description ?? undefined;
          this.touch(v, audit);
          if (!changed.includes(v.id)) changed.push(v.id);
          break;
        }
        case "description":
          e.description = op.value;
          break;
        case "name":
          e.name = op.value;
          break;
      }
    }
    this.touch(e, audit);
    const result = changed.filter((id) => e.valueIds.includes(id)).map((id) => this.values.get(id) as ValRec);
    this.dropValues(removed, audit);
    return {
      status: 200,
      body: this.renderEntitlement(e, result),
      headers: this.selfLinkHeader(`${GOV}/entitlements/${e.id}`),
    };
  }

  private deleteEntitlement(req: SandboxRequest): SandboxResponse {
    const e = this.entitlementOr404(req.params.entitlementId as string);
    const audit = this.stamp();
    this.entitlements.delete(e.id);
    this.entitlementsByApp.get(e.appId)?.delete(e.id);
    this.dropValues(e.valueIds, audit);
    const strip = (refs: EntitlementRef[]) => refs.filter((r) => r.id !== e.id);
    for (const b of this.bundles.values()) {
      if (b.entitlements.some((r) => r.id === e.id)) {
        b.entitlements = strip(b.entitlements);
        this.touch(b, audit);
      }
    }
    for (const g of this.grants.values()) {
      if (g.entitlements?.some((r) => r.id === e.id)) {
        g.entitlements = strip(g.entitlements);
        this.touch(g, audit);
      }
    }
    for (const app of this.apps.values()) app.policy = strip(app.policy);
    return { status: 204 };
  }

  /** Forgets values and removes them from every bundle, grant and policy that referenced them. */
  private dropValues(ids: string[], audit: Audit): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    for (const id of ids) this.values.delete(id);
    const strip = (refs: EntitlementRef[]): EntitlementRef[] | undefined => {
      if (!refs.some((r) => r.values.some((v) => gone.has(v.id)))) return undefined;
      return refs
        .map((r) => ({ id: r.id, values: r.values.filter((v) => !gone.has(v.id)), had: r.values.length }))
        .filter((r) => r.values.length > 0 || r.had === 0)
        .map(({ id, values }) => ({ id, values }));
    };
    for (const b of this.bundles.values()) {
      const next = strip(b.entitlements);
      if (next) {
        b.entitlements = next;
        this.touch(b, audit);
      }
    }
    for (const g of this.grants.values()) {
      const next = g.entitlements ? strip(g.entitlements) : undefined;
      if (next) {
        g.entitlements = next;
        this.touch(g, audit);
      }
    }
    for (const app of this.apps.values()) app.policy = strip(app.policy) ?? app.policy;
  }

  // -------------------------------------------------------------------------------------------------
  // Entitlement values

  private listValues(req: SandboxRequest): SandboxResponse {
    const e = this.entitlementOr404(req.params.entitlementId as string);
    const text = req.query.get("filter");
    const node =
      text === null || text.trim() === "" ? undefined : this.compile(text, OKTA_FILTERS.entitlementValues);
    const lq = this.listQuery(req, VALUE_LIST);
    if (node === undefined) lq.filter = undefined;
    const list = this.cached(`val|${e.id}|${text ?? ""}|${JSON.stringify(lq.order)}`, () => {
      const matched = this.valuesOf(e).filter(
        (v) => !node || evaluateFilter(node, { ...v, labels: [] }, OKTA_FILTERS.entitlementValues),
      );
      return sortItems(matched, lq.order, orderKey);
    });
    return this.page(
      `${GOV}/entitlements/${e.id}/values`,
      lq,
      list,
      (v) => this.renderValueWithParent(v, e, false),
      true,
    );
  }

  private getValue(req: SandboxRequest): SandboxResponse {
    const e = this.entitlementOr404(req.params.entitlementId as string);
    const valueId = req.params.valueId as string;
    const v = e.valueIds.includes(valueId) ? this.values.get(valueId) : undefined;
    if (!v) throw E.notFound(valueId, "EntitlementValue");
    return {
      status: 200,
      body: this.renderValueWithParent(v, e, true),
      headers: this.selfLinkHeader(`${GOV}/entitlements/${e.id}/values/${v.id}`),
    };
  }

  private listAllValues(req: SandboxRequest): SandboxResponse {
    const text = this.requiredFilter(req);
    const node = this.compile(text, OKTA_FILTERS.allEntitlementValues);
    const app = this.pinnedApp(node, APP_PIN);
    const lq = this.listQuery(req, ALL_VALUE_LIST);
    type Row = { id: string; name: string; created: string; lastUpdated: string; value: ValRec; ent: EntRec };
    const list = this.cached(`allval|${text}|${JSON.stringify(lq.order)}`, () => {
      const rows: Row[] = [];
      const ofApp = this.entitlementsByApp.get(app.id) ?? new Set<string>();
      // A filter naming the entitlements (entitlementId eq … OR …) needs only those visited.
      const pinned = pinnedValues(node, "entitlementId");
      const visit = pinned ? [...pinned].filter((id) => ofApp.has(id)) : ofApp;
      for (const entId of visit) {
        const e = this.entitlements.get(entId);
        if (!e) continue;
        for (const v of this.valuesOf(e)) {
          const view = {
            ...v,
            parent: e.parent,
            parentResourceOrn: e.parentResourceOrn,
          };
          if (evaluateFilter(node, view, OKTA_FILTERS.allEntitlementValues)) {
            rows.push({
              id: v.id,
              name: v.name,
              created: v.created,
              lastUpdated: v.lastUpdated,
              value: v,
              ent: e,
            });
          }
        }
      }
      return sortItems(rows, lq.order, orderKey);
    });
    return this.page(
      `${GOV}/entitlements/values`,
      lq,
      list,
      (row) => this.renderValueWithParent(row.value, row.ent, false),
      true,
    );
  }

  // -------------------------------------------------------------------------------------------------
  // Bundles

  private bundleOr404(id: string): BundleRec {
    const b = this.bundles.get(id);
    if (!b) throw E.notFound(id, "EntitlementBundle");
    return b;
  }

  /**
   * Validates `[{id, values:[{id}]}]` against one app: every entitlement of that app, every value of
   * that entitlement, at most one value of a single-valued entitlement. Duplicates are merged.
   */
  private entitlementRefs(raw: unknown[], app: AppRec, at: string, c: Causes): EntitlementRef[] {
    const merged = new Map<string, Set<string>>();
    raw.forEach((item, i) => {
      const loc = `${at}/${i}`;
      if (!isObject(item)) {
        c.add(loc, `${human(loc)} must be an object`, "INVALID_DATA_TYPE");
        return;
      }
      const id = c.string(item, "id", loc, { required: true, max: 255 });
      if (id === undefined) return;
      const e = this.entitlements.get(id);
      if (!e || e.appId !== app.id) {
        c.add(`${loc}/id`, `Entitlement ${id} not found in resource ${app.id}`, "IDENTIFIER_NOT_FOUND");
        return;
      }
      const values = c.array(item, "values", loc, { required: false, max: 1000 }) ?? [];
      const set = merged.get(id) ?? new Set<string>();
      values.forEach((v, j) => {
        const vloc = `${loc}/values/${j}`;
        if (!isObject(v)) {
          c.add(vloc, `${human(vloc)} must be an object`, "INVALID_DATA_TYPE");
          return;
        }
        const vid = c.string(v, "id", vloc, { required: true, max: 255 });
        if (vid === undefined) return;
        if (!e.valueIds.includes(vid)) {
          c.add(
            `${vloc}/id`,
            `Entitlement value ${vid} not found in entitlement ${id}`,
            "IDENTIFIER_NOT_FOUND",
          );
          return;
        }
        set.add(vid);
      });
      if (!e.multiValue && set.size > 1) {
        c.add(
          `${loc}/values`,
          `Entitlement ${e.name} (${id}) is single-valued: at most one value`,
          "INVALID_VALUE",
        );
      }
      merged.set(id, set);
    });
    return [...merged].map(([id, values]) => ({ id, values: [...values].map((v) => ({ id: v })) }));
  }

  private listBundles(req: SandboxRequest): SandboxResponse {
    const text = req.query.get("filter");
    const node = text === null || text.trim() === "" ? undefined : this.compile(text, OKTA_FILTERS.bundles);
    const lq = this.listQuery(req, BUNDLE_LIST);
    if (node === undefined) lq.filter = undefined;
    const full = lq.include.includes("full_entitlements");
    const list = this.cached(`enb|${text ?? ""}|${JSON.stringify(lq.order)}`, () => {
      const matched = [...this.bundles.values()].filter(
        (b) => !node || evaluateFilter(node, b, OKTA_FILTERS.bundles),
      );
      return sortItems(matched, lq.order, orderKey);
    });
    return this.page(
      `${GOV}/entitlement-bundles`,
      lq,
      list,
      (b) => this.renderBundle(b, full ? "full" : "none"),
      true,
    );
  }

  private getBundle(req: SandboxRequest): SandboxResponse {
    const b = this.bundleOr404(req.params.entitlementBundleId as string);
    return {
      status: 200,
      body: this.renderBundle(b, "full"),
      headers: this.selfLinkHeader(`${GOV}/entitlement-bundles/${b.id}`),
    };
  }

  private bundleTarget(body: Json, c: Causes, required: boolean): AppRec | undefined {
    const target = c.object(body, "target", "", required);
    if (!target) return undefined;
    const id = c.string(target, "externalId", "/target", { required: true, max: 20 });
    c.oneOf(target, "type", "/target", ["APPLICATION"] as const, true);
    if (id === undefined) return undefined;
    const app = this.apps.get(id);
    if (!app?.entitlementManagement) {
      c.add(
        "/target/externalId",
        `Resource ${id} not found or not enabled for Entitlement Management`,
        "IDENTIFIER_NOT_FOUND",
      );
      return undefined;
    }
    return app;
  }

  private nameTaken(name: string, except?: string): boolean {
    const lower = name.toLowerCase();
    for (const b of this.bundles.values()) {
      if (b.status === "ACTIVE" && b.id !== except && b.name.toLowerCase() === lower) return true;
    }
    return false;
  }

  private createBundle(req: SandboxRequest): SandboxResponse {
    const body = this.bodyObject(req, "EntitlementBundle");
    const missing: Cause[] = [];
    const domain = "entitlement-bundle";
    if (body.name === undefined || body.name === null || body.name === "") {
      missing.push({
        errorSummary: "name is required",
        reason: "MISSING_NAME",
        location: "/name",
        locationType: "body",
        domain,
      });
    }
    if (
      body.entitlements === undefined ||
      body.entitlements === null ||
      (Array.isArray(body.entitlements) && body.entitlements.length === 0)
    ) {
      missing.push({
        errorSummary: "entitlements are required",
        reason: "MISSING_ENTITLEMENTS",
        location: "/entitlements",
        locationType: "body",
        domain,
      });
    }
    if (missing.length > 0) throw E.missing(missing);
    const c = new Causes(domain);
    const name = c.string(body, "name", "", { required: true, max: 255 });
    const description = c.string(body, "description", "", { max: 1000 });
    const app = this.bundleTarget(body, c, true);
    const rawRefs = c.array(body, "entitlements", "", { required: true });
    const refs = app && rawRefs ? this.entitlementRefs(rawRefs, app, "/entitlements", c) : [];
    if (name !== undefined && this.nameTaken(name)) {
      c.add("/name", `An entitlement bundle named "${name}" already exists`, "DUPLICATE_NAME");
    }
    if (!c.ok || !app) throw E.validation("EntitlementBundle", c.list);
    const audit = this.stamp();
    const id = this.newId("enb");
    const b: BundleRec = {
      id,
      appId: app.id,
      name: name as string,
      description,
      status: "ACTIVE",
      entitlements: refs,
      orn: bundleOrn(id),
      target: { externalId: app.id, type: "APPLICATION" },
      targetResourceOrn: app.orn,
      ...audit,
    };
    this.bundles.set(id, b);
    return {
      status: 201,
      body: this.renderBundle(b, "refs"),
      headers: this.selfLinkHeader(`${GOV}/entitlement-bundles/${id}`),
    };
  }

  private replaceBundle(req: SandboxRequest): SandboxResponse {
    const b = this.bundleOr404(req.params.entitlementBundleId as string);
    const body = this.bodyObject(req, "EntitlementBundle");
    const c = new Causes("entitlement-bundle");
    const id = c.string(body, "id", "", { required: true, max: 255 });
    if (id !== undefined && id !== b.id)
      c.add("/id", `id ${id} does not match the bundle ${b.id}`, "INVALID_VALUE");
    const name = c.string(body, "name", "", { required: true, max: 255 });
    const description = c.string(body, "description", "", { max: 1000 });
    c.oneOf(body, "status", "", ["ACTIVE", "DELETED"] as const, false);
    const app = this.apps.get(b.appId) as AppRec;
    const target = c.object(body, "target", "", true);
    if (target) {
      const targetId = c.string(target, "externalId", "/target", { required: true, max: 20 });
      c.oneOf(target, "type", "/target", ["APPLICATION"] as const, true);
      if (targetId !== undefined && targetId !== b.appId) {
        c.add("/target/externalId", "The target of an entitlement bundle can't be changed", "INVALID_VALUE");
      }
    }
    const orn = c.string(body, "targetResourceOrn", "", { required: true, max: 1000 });
    // The docs' own example names the app "github" in the ORN of a Salesforce app: compare by app id.
    if (orn !== undefined && appIdFromOrn(orn) !== b.appId) {
      c.add("/targetResourceOrn", "targetResourceOrn must name the bundle's target app", "INVALID_VALUE");
    }
    const rawRefs = c.array(body, "entitlements", "", { required: false });
    const refs = rawRefs ? this.entitlementRefs(rawRefs, app, "/entitlements", c) : undefined;
    if (name !== undefined && this.nameTaken(name, b.id)) {
      c.add("/name", `An entitlement bundle named "${name}" already exists`, "DUPLICATE_NAME");
    }
    if (!c.ok) throw E.validation("EntitlementBundle", c.list);
    if (b.status === "DELETED") {
      throw E.conflict([
        {
          errorSummary: `Entitlement bundle ${b.id} is DELETED and can't be replaced`,
          reason: "OPERATION_STATUS_CONFLICT",
          locationType: "method",
          domain: "entitlement-bundle",
        },
      ]);
    }
    const audit = this.stamp();
    b.name = name as string;
    b.description = description;
    if (refs) b.entitlements = refs;
    this.touch(b, audit);
    // Grants reference the bundle, so they change with it; their version moves too.
    for (const g of this.grants.values()) {
      if (g.entitlementBundleId === b.id && refs) this.touch(g, audit);
    }
    return {
      status: 200,
      body: this.renderBundle(b, "refs"),
      headers: this.selfLinkHeader(`${GOV}/entitlement-bundles/${b.id}`),
    };
  }

  private deleteBundle(req: SandboxRequest): SandboxResponse {
    const b = this.bundleOr404(req.params.entitlementBundleId as string);
    if (b.status === "DELETED") {
      throw E.conflict([
        {
          errorSummary: `Entitlement bundle ${b.id} is already DELETED`,
          reason: "OPERATION_STATUS_CONFLICT",
          locationType: "method",
          domain: "entitlement-bundle",
        },
      ]);
    }
    const audit = this.stamp();
    b.status = "DELETED";
    this.touch(b, audit);
    // A deleted bundle gives nothing: its grants end.
    for (const g of this.grants.values()) {
      if (g.entitlementBundleId === b.id && g.status === "ACTIVE") {
        g.status = "INACTIVE";
        this.touch(g, audit);
      }
    }
    return { status: 204 };
  }

  // -------------------------------------------------------------------------------------------------
  // Grants

  private grantOr404(id: string): GrantRec {
    const g = this.grants.get(id);
    if (!g) throw E.notFound(id, "Grant");
    return g;
  }

  private activeGrants(userId: string, appId: string): GrantRec[] {
    return [...this.grants.values()]
      .filter((g) => g.userId === userId && g.appId === appId && this.grantStatus(g) === "ACTIVE")
      .sort((a, b) => a.seq - b.seq);
  }

  private listGrants(req: SandboxRequest): SandboxResponse {
    const text = this.requiredFilter(req);
    const node = this.compile(text, OKTA_FILTERS.grants);
    const app = this.pinnedApp(node, TARGET_PIN);
    const unknown = collectValues(node, "entitlements.id").find((id) => !this.entitlements.has(id));
    if (unknown) throw E.notFound(unknown, "Entitlement");
    const lq = this.listQuery(req, GRANT_LIST);
    const full = lq.include.includes("full_entitlements");
    const list = this.cached(
      `gra|${text}|${JSON.stringify(lq.order)}|${Math.floor(this.cfg.now() / 1000)}`,
      () => {
        const matched: GrantRec[] = [];
        for (const g of this.grants.values()) {
          if (g.appId !== app.id || this.grantStatus(g) !== "ACTIVE") continue;
          const view = {
            targetResourceOrn: app.orn,
            target: { externalId: app.id, type: "APPLICATION" },
            targetPrincipalOrn: userOrn(g.userId),
            targetPrincipal: { externalId: g.userId, type: "OKTA_USER" },
            entitlementBundleId: g.entitlementBundleId,
            entitlements: this.grantRefs(g),
            action: g.action,
          };
          if (evaluateFilter(node, view, OKTA_FILTERS.grants)) matched.push(g);
        }
        return sortItems(matched, lq.order, orderKey);
      },
    );
    return this.page(`${GOV}/grants`, lq, list, (g) => this.renderGrant(g, full), false);
  }

  private getGrant(req: SandboxRequest): SandboxResponse {
    const g = this.grantOr404(req.params.grantId as string);
    const full = req.query
      .getAll("include")
      .flatMap((v) => v.split(","))
      .includes("full_entitlements");
    return {
      status: 200,
      body: this.renderGrant(g, full),
      headers: this.selfLinkHeader(`${GOV}/grants/${g.id}`),
    };
  }

  private schedule(body: Json, c: Causes, required: boolean): Schedule | undefined {
    const s = c.object(body, "scheduleSettings", "", required);
    if (!s) return undefined;
    const expirationDate = c.string(s, "expirationDate", "/scheduleSettings", { required: true, max: 64 });
    const timeZone = c.string(s, "timeZone", "/scheduleSettings", { max: 64 });
    if (expirationDate !== undefined && Number.isNaN(Date.parse(expirationDate))) {
      c.add(
        "/scheduleSettings/expirationDate",
        "expirationDate must be an ISO 8601 date-time",
        "STRING_FORMAT_INVALID",
      );
    }
    if (timeZone !== undefined) {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone });
      } catch {
        c.add("/scheduleSettings/timeZone", `${timeZone} is not an IANA time zone`, "INVALID_VALUE");
      }
    }
    if (expirationDate === undefined) return undefined;
    return timeZone === undefined ? { expirationDate } : { expirationDate, timeZone };
  }

  private grantApp(body: Json, c: Causes): AppRec | undefined {
    const target = c.object(body, "target", "", true);
    if (!target) return undefined;
    const id = c.string(target, "externalId", "/target", { required: true, max: 20 });
    c.oneOf(target, "type", "/target", ["APPLICATION"] as const, true);
    if (id === undefined) return undefined;
    const app = this.apps.get(id);
    if (!app) {
      c.add("/target/externalId", `Resource ${id} not found`, "IDENTIFIER_NOT_FOUND");
      return undefined;
    }
    if (!app.entitlementManagement) throw E.notOptedIn();
    return app;
  }

  private createGrant(req: SandboxRequest): SandboxResponse {
    const body = this.bodyObject(req, "Grant");
    const c = new Causes("grants");
    const grantType =
      body.grantType === undefined
        ? "ENTITLEMENT-BUNDLE"
        : c.oneOf(
            body,
            "grantType",
            "",
            ["CUSTOM", "POLICY", "ENTITLEMENT-BUNDLE", "ENTITLEMENT"] as const,
            true,
          );
    const principal = c.object(body, "targetPrincipal", "", true);
    let user: UserRec | undefined;
    if (principal) {
      const userId = c.string(principal, "externalId", "/targetPrincipal", { required: true, max: 20 });
      c.oneOf(principal, "type", "/targetPrincipal", ["OKTA_USER"] as const, true);
      if (userId !== undefined) {
        user = this.users.get(userId);
        if (!user) c.add("/targetPrincipal/externalId", `User ${userId} not found`, "IDENTIFIER_NOT_FOUND");
      }
    }
    const action = c.oneOf(body, "action", "", ["ALLOW", "DENY"] as const, false) ?? "ALLOW";
    const actor =
      c.oneOf(body, "actor", "", ["API", "ACCESS_REQUEST", "ADMIN", "NONE"] as const, false) ?? "API";
    const scheduleSettings = this.schedule(body, c, false);
    let app: AppRec | undefined;
    let bundle: BundleRec | undefined;
    let refs: EntitlementRef[] | undefined;
    if (grantType === "ENTITLEMENT-BUNDLE") {
      const bundleId = c.string(body, "entitlementBundleId", "", { required: true, max: 255 });
      if (bundleId !== undefined) {
        bundle = this.bundles.get(bundleId);
        if (!bundle) {
          c.add("/entitlementBundleId", `Entitlement bundle ${bundleId} not found`, "IDENTIFIER_NOT_FOUND");
        } else if (bundle.status !== "ACTIVE") {
          c.add(
            "/entitlementBundleId",
            `Entitlement bundle ${bundleId} is DELETED and can't be granted`,
            "INVALID_STATUS",
          );
        } else {
          app = this.apps.get(bundle.appId);
          const target = isObject(body.target) ? body.target : undefined;
          if (target && target.externalId !== undefined && target.externalId !== bundle.appId) {
            c.add("/target/externalId", "target must be the bundle's target app", "INVALID_VALUE");
          }
        }
      }
    } else if (grantType !== undefined) {
      app = this.grantApp(body, c);
      const raw = c.array(body, "entitlements", "", { required: grantType === "ENTITLEMENT" });
      if (grantType === "POLICY" && raw && raw.length > 0) {
        c.add(
          "/entitlements",
          "A POLICY grant takes its entitlements from the app's policy",
          "INVALID_VALUE",
        );
      } else if (grantType === "ENTITLEMENT" && raw && raw.length === 0) {
        c.add(
          "/entitlements",
          "An ENTITLEMENT grant needs at least one entitlement",
          "REQUIRED_PROPERTY_MISSING",
        );
      } else if (app && raw && grantType !== "POLICY") {
        refs = this.entitlementRefs(raw, app, "/entitlements", c);
      }
      if (grantType === "CUSTOM") refs ??= [];
    }
    if (!c.ok || !app || !user || !grantType) throw E.validation("Grant", c.list);

    const audit = this.stamp();
    if (grantType === "CUSTOM" || grantType === "POLICY") {
      // "When creating a base grant type, all existing grants are replaced by this grant."
      for (const g of this.activeGrants(user.id, app.id)) {
        g.status = "INACTIVE";
        this.touch(g, audit);
      }
    }
    const g: GrantRec = {
      id: this.newId("gra"),
      seq: ++this.seq,
      grantType,
      userId: user.id,
      appId: app.id,
      entitlementBundleId: bundle?.id,
      action,
      actor,
      status: "ACTIVE",
      entitlements: refs,
      scheduleSettings,
      ...audit,
    };
    this.grants.set(g.id, g);
    return {
      status: 201,
      body: this.renderGrant(g, false),
      headers: this.selfLinkHeader(`${GOV}/grants/${g.id}`),
    };
  }

  private replaceGrant(req: SandboxRequest): SandboxResponse {
    const g = this.grantOr404(req.params.grantId as string);
    const body = this.bodyObject(req, "Grant");
    const c = new Causes("grants");
    const id = c.string(body, "id", "", { required: true, max: 255 });
    if (id !== undefined && id !== g.id)
      c.add("/id", `id ${id} does not match the grant ${g.id}`, "INVALID_VALUE");
    if (g.grantType !== "CUSTOM") {
      c.add(
        "/grantType",
        `Only CUSTOM grants can be replaced; ${g.id} is ${g.grantType}`,
        "INVALID_OPERATION",
      );
    }
    const app = this.apps.get(g.appId) as AppRec;
    const same = (key: string, expected: string, loc = `/${key}`) => {
      const value = body[key];
      if (value !== undefined && value !== null && value !== expected) {
        c.add(loc, `${human(loc)} can't be changed (it is ${expected})`, "INVALID_VALUE");
      }
    };
    same("grantType", g.grantType);
    same("action", g.action);
    same("entitlementBundleId", g.entitlementBundleId ?? "");
    const check = (obj: unknown, key: string, expected: string, loc: string) => {
      if (isObject(obj) && obj[key] !== undefined && obj[key] !== expected) {
        c.add(loc, `${human(loc)} can't be changed (it is ${expected})`, "INVALID_VALUE");
      }
    };
    check(body.target, "externalId", app.id, "/target/externalId");
    check(body.targetPrincipal, "externalId", g.userId, "/targetPrincipal/externalId");
    for (const [key, expected] of [
      ["targetResourceOrn", app.orn],
      ["targetPrincipalOrn", userOrn(g.userId)],
    ] as const) {
      const value = body[key];
      if (typeof value === "string" && normalizeOrn(value) !== normalizeOrn(expected)) {
        c.add(`/${key}`, `${key} can't be changed (it is ${expected})`, "INVALID_VALUE");
      }
    }
    const raw = c.array(body, "entitlements", "", { required: false }) ?? [];
    const refs = this.entitlementRefs(raw, app, "/entitlements", c);
    if (!c.ok) throw E.validation("Grant", c.list);
    if (this.grantStatus(g) !== "ACTIVE") {
      throw E.validation("Grant", [
        {
          errorSummary: `Grant ${g.id} is ${this.grantStatus(g)}; only ACTIVE grants can be replaced`,
          reason: "INVALID_STATUS",
          location: "/status",
          locationType: "body",
          domain: "grants",
        },
      ]);
    }
    const audit = this.stamp();
    g.entitlements = refs;
    this.touch(g, audit);
    return {
      status: 200,
      body: this.renderGrant(g, false),
      headers: this.selfLinkHeader(`${GOV}/grants/${g.id}`),
    };
  }

  private patchGrant(req: SandboxRequest): SandboxResponse {
    const g = this.grantOr404(req.params.grantId as string);
    const body = this.bodyObject(req, "Grant");
    const c = new Causes("grants");
    const id = c.string(body, "id", "", { required: true, max: 255 });
    if (id !== undefined && id !== g.id)
      c.add("/id", `id ${id} does not match the grant ${g.id}`, "INVALID_VALUE");
    const scheduleSettings = this.schedule(body, c, true);
    if (!c.ok || !scheduleSettings) throw E.validation("Grant", c.list);
    const audit = this.stamp();
    g.scheduleSettings = scheduleSettings;
    this.touch(g, audit);
    return {
      status: 200,
      body: this.renderGrant(g, false),
      headers: this.selfLinkHeader(`${GOV}/grants/${g.id}`),
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Principal entitlements, access, revoke

  /** Effective access: ACTIVE grants in creation order, ALLOW adds, DENY removes (no refs: everything). */
  private effective(userId: string, appId: string): Map<string, Set<string>> {
    const allowed = new Map<string, Set<string>>();
    for (const g of this.activeGrants(userId, appId)) {
      const refs = this.grantRefs(g);
      if (g.action === "ALLOW") {
        for (const ref of refs) {
          const set = allowed.get(ref.id) ?? new Set<string>();
          for (const v of ref.values) set.add(v.id);
          allowed.set(ref.id, set);
        }
      } else if (refs.length === 0) {
        allowed.clear();
      } else {
        for (const ref of refs) {
          if (ref.values.length === 0) {
            allowed.delete(ref.id);
            continue;
          }
          const set = allowed.get(ref.id);
          for (const v of ref.values) set?.delete(v.id);
        }
      }
    }
    return allowed;
  }

  private principalPins(req: SandboxRequest): { app: AppRec; user: UserRec; text: string } {
    const text = this.requiredFilter(req);
    const node = this.compile(text, OKTA_FILTERS.principal);
    const app = this.pinnedApp(node, APP_PIN);
    const user = this.pinnedUser(node);
    return { app, user, text };
  }

  private principalEntitlements(req: SandboxRequest): SandboxResponse {
    const { app, user, text } = this.principalPins(req);
    const data: Json[] = [];
    const effective = this.effective(user.id, app.id);
    const ents = [...effective.keys()]
      .map((id) => this.entitlements.get(id))
      .filter((e): e is EntRec => e !== undefined)
      .sort((a, b) =>
        a.name.toLowerCase() < b.name.toLowerCase()
          ? -1
          : a.name.toLowerCase() > b.name.toLowerCase()
            ? 1
            : 0,
      );
    for (const e of ents) {
      const ids = effective.get(e.id) ?? new Set<string>();
      data.push({
        ...this.entitlementCore(e),
        targetPrincipalOrn: user.orn,
        targetPrincipal: { externalId: user.id, type: "OKTA_USER" },
        values: this.valuesOf(e)
          .filter((v) => ids.has(v.id))
          .map((v) => ({
            id: v.id,
            name: v.name,
            externalValue: v.externalValue,
            ...(v.description !== undefined ? { description: v.description } : {}),
            orn: v.orn,
          })),
      });
    }
    const self = `${this.cfg.baseUrl()}${GOV}/principal-entitlements?filter=${enc(text)}`;
    return {
      status: 200,
      body: { data, _links: { self: { href: self, hints: {} } } },
      headers: { Link: `<${self}>; rel="self"` },
    };
  }

  private accessEntry(g: GrantRec, effective: Map<string, Set<string>>): Json {
    const bundle = g.entitlementBundleId ? this.bundles.get(g.entitlementBundleId) : undefined;
    const refs = this.grantRefs(g);
    return {
      grantType: g.grantType,
      grantMethod: g.grantType === "POLICY" ? "POLICY" : g.actor,
      action: g.action,
      startTime: g.created,
      ...(g.scheduleSettings ? { expirationTime: g.scheduleSettings.expirationDate } : {}),
      ...(g.scheduleSettings?.timeZone ? { timeZone: g.scheduleSettings.timeZone } : {}),
      grant: { id: g.id, _links: { self: this.href(`${GOV}/grants/${g.id}`) } },
      ...(bundle ? { bundle: { id: bundle.id, name: bundle.name } } : {}),
      entitlements: this.fullEntitlements(refs).map((e) => ({
        ...e,
        values: (e.values as Json[]).map((v) => ({
          ...v,
          effective: effective.get(e.id as string)?.has(v.id as string) ?? false,
        })),
      })),
    };
  }

  private principalAccess(req: SandboxRequest): SandboxResponse {
    const { app, user, text } = this.principalPins(req);
    const grants = this.activeGrants(user.id, app.id);
    const effective = this.effective(user.id, app.id);
    const base = grants.filter((g) => g.grantType === "CUSTOM" || g.grantType === "POLICY").at(-1);
    const additional = grants.filter(
      (g) => g !== base && g.grantType !== "CUSTOM" && g.grantType !== "POLICY",
    );
    const self = `${this.cfg.baseUrl()}${GOV}/principal-access?filter=${enc(text)}`;
    const body: Json = {
      parentResourceOrn: app.orn,
      parent: { externalId: app.id, type: "APPLICATION" },
      targetPrincipalOrn: user.orn,
      targetPrincipal: { externalId: user.id, type: "OKTA_USER" },
    };
    if (base?.scheduleSettings) {
      body.expirationTime = base.scheduleSettings.expirationDate;
      if (base.scheduleSettings.timeZone) body.timeZone = base.scheduleSettings.timeZone;
    }
    if (base) body.base = this.accessEntry(base, effective);
    if (additional.length > 0) body.additional = additional.map((g) => this.accessEntry(g, effective));
    body._links = { self: { href: self, hints: {} } };
    return { status: 200, body, headers: { Link: `<${self}>; rel="self"` } };
  }

  private principalFilter(appId: string, userId: string): string {
    return enc(
      `parent.externalId eq "${appId}" AND parent.type eq "APPLICATION" AND ` +
        `targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`,
    );
  }

  private revokePrincipalAccess(req: SandboxRequest): SandboxResponse {
    const body = this.bodyObject(req, "RevokePrincipalAccess");
    const c = new Causes("governance");
    const principalOrn = c.string(body, "principalOrn", "", { required: true, max: 1000 });
    let user: UserRec | undefined;
    if (principalOrn !== undefined) {
      const userId = userIdFromOrn(principalOrn);
      if (!userId) c.add("/principalOrn", "Invalid ORN format for principalOrn", "STRING_FORMAT_INVALID");
      else {
        user = this.users.get(userId);
        if (!user) c.add("/principalOrn", `User ${userId} not found`, "IDENTIFIER_NOT_FOUND");
      }
    }
    const actor =
      c.oneOf(body, "actor", "", ["API", "ACCESS_REQUEST", "ADMIN", "NONE"] as const, false) ?? "API";
    const raw = c.array(body, "revokeOrns", "", { required: true });
    type Target =
      | { kind: "value"; value: ValRec; ent: EntRec }
      | { kind: "bundle"; bundle: BundleRec }
      | { kind: "app"; app: AppRec };
    const targets: Target[] = [];
    if (raw) {
      if (raw.length < 1 || raw.length > 5) {
        c.add("/revokeOrns", "revokeOrns must hold 1 to 5 ORNs", "ARRAY_SIZE_INVALID");
      }
      for (const [i, orn] of raw.entries()) {
        const loc = `/revokeOrns/${i}`;
        if (typeof orn !== "string") {
          c.add(loc, "Invalid ORN format for revokeObjectOrns", "STRING_FORMAT_INVALID");
          continue;
        }
        const valueId = governanceIdFromOrn(orn, "entitlement-values");
        const bundleId = governanceIdFromOrn(orn, "entitlement-bundles");
        const appId = appIdFromOrn(orn);
        if (valueId !== undefined) {
          const value = this.values.get(valueId);
          const ent = value ? this.entitlements.get(value.entitlementId) : undefined;
          if (!value || !ent) {
            c.add(loc, `Entitlement value ${valueId} not found`, "IDENTIFIER_NOT_FOUND");
            continue;
          }
          targets.push({ kind: "value", value, ent });
        } else if (bundleId !== undefined) {
          const bundle = this.bundles.get(bundleId);
          if (!bundle) {
            c.add(loc, `Entitlement bundle ${bundleId} not found`, "IDENTIFIER_NOT_FOUND");
            continue;
          }
          targets.push({ kind: "bundle", bundle });
        } else if (appId !== undefined) {
          const app = this.apps.get(appId);
          if (!app) {
            c.add(loc, `Resource ${appId} not found`, "IDENTIFIER_NOT_FOUND");
            continue;
          }
          targets.push({ kind: "app", app });
        } else {
          c.add(loc, "Invalid ORN format for revokeObjectOrns", "STRING_FORMAT_INVALID");
        }
      }
      if (targets.some((t) => t.kind === "app") && raw.length > 1) {
        c.add("/revokeOrns", "An app ORN must be the only item in revokeOrns", "INVALID_VALUE");
      }
    }
    if (!c.ok || !user) throw E.validation("RevokePrincipalAccess", c.list);

    const audit = this.stamp();
    const data: Json[] = [];
    const pending = new Map<string, Map<string, Set<string>>>();
    for (const t of targets) {
      const appId = t.kind === "value" ? t.ent.appId : t.kind === "bundle" ? t.bundle.appId : t.app.id;
      const grants = this.activeGrants(user.id, appId);
      if (t.kind === "app") {
        for (const g of grants) {
          g.status = "INACTIVE";
          this.touch(g, audit);
        }
      } else if (t.kind === "bundle") {
        for (const g of grants) {
          if (g.entitlementBundleId !== t.bundle.id) continue;
          g.status = "INACTIVE";
          this.touch(g, audit);
        }
      } else {
        for (const g of grants) {
          if (g.action !== "ALLOW" || !g.entitlements) continue;
          if (!g.entitlements.some((r) => r.values.some((v) => v.id === t.value.id))) continue;
          g.entitlements = g.entitlements
            .map((r) => ({
              id: r.id,
              values: r.values.filter((v) => v.id !== t.value.id),
              had: r.values.length,
            }))
            .filter((r) => r.values.length > 0 || r.had === 0)
            .map(({ id, values }) => ({ id, values }));
          this.touch(g, audit);
        }
        // Still given by a bundle or the policy: deny it explicitly (an additive DENY grant).
        if (this.effective(user.id, appId).get(t.ent.id)?.has(t.value.id)) {
          const perApp = pending.get(appId) ?? new Map<string, Set<string>>();
          const set = perApp.get(t.ent.id) ?? new Set<string>();
          set.add(t.value.id);
          perApp.set(t.ent.id, set);
          pending.set(appId, perApp);
        }
      }
      const filter = this.principalFilter(appId, user.id);
      data.push({
        _links: {
          "principal-access": { href: `${this.cfg.baseUrl()}${GOV}/principal-access?filter=${filter}` },
          "principal-entitlements": {
            href: `${this.cfg.baseUrl()}${GOV}/principal-entitlements?filter=${filter}`,
          },
        },
      });
    }
    for (const [appId, perApp] of pending) {
      const g: GrantRec = {
        id: this.newId("gra"),
        seq: ++this.seq,
        grantType: "ENTITLEMENT",
        userId: user.id,
        appId,
        action: "DENY",
        actor,
        status: "ACTIVE",
        entitlements: [...perApp].map(([id, values]) => ({
          id,
          values: [...values].map((v) => ({ id: v })),
        })),
        ...audit,
      };
      this.grants.set(g.id, g);
    }
    return { status: 200, body: { data } };
  }

  // -------------------------------------------------------------------------------------------------
  // Entitlement settings (opt-in)

  private settingsApp(req: SandboxRequest): AppRec {
    const orn = req.params.resourceOrn as string;
    const id = appIdFromOrn(orn);
    const app = id ? this.apps.get(id) : undefined;
    if (!app) throw E.notFound(orn, "Resource");
    return app;
  }

  private getSettings(req: SandboxRequest): SandboxResponse {
    const app = this.settingsApp(req);
    return { status: 200, body: { status: app.entitlementManagement ? "OPTED_IN" : "OPTED_OUT" } };
  }

  private patchSettings(req: SandboxRequest): SandboxResponse {
    const app = this.settingsApp(req);
    const body = this.bodyObject(req, "EntitlementSettings");
    const c = new Causes("governance");
    const status = c.oneOf(body, "status", "", ["OPTED_IN", "OPTED_OUT"] as const, true);
    if (status === "OPTED_IN" && app.signOnMode === "BOOKMARK") {
      c.add("/status", "Bookmark apps can't be enabled for Entitlement Management", "INVALID_VALUE");
    }
    if (!c.ok || !status) {
      if (c.list.some((x) => x.reason === "REQUIRED_PROPERTY_MISSING")) {
        throw E.missing(c.list.map((x) => ({ ...x, reason: "MISSING_SETTINGS" })));
      }
      throw E.validation("EntitlementSettings", c.list);
    }
    this.stamp();
    app.entitlementManagement = status === "OPTED_IN";
    return { status: 202, body: { status } };
  }

  // -------------------------------------------------------------------------------------------------
  // Management API: users and apps (bare arrays, `Link` header paging)

  private mgmtList<T extends { id: string }>(
    req: SandboxRequest,
    path: string,
    items: T[],
    defaultLimit: number,
    keep: readonly string[],
    render: (item: T) => unknown,
  ): SandboxResponse {
    const q = req.query;
    let limit = defaultLimit;
    const rawLimit = q.get("limit");
    if (rawLimit !== null) {
      const n = /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
      if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
        throw E.paging([
          {
            errorSummary: `limit must be an integer from 1 to ${MAX_LIMIT}`,
            location: "/limit",
            locationType: "query",
          },
        ]);
      }
      limit = n;
    }
    const after = q.get("after");
    let start = 0;
    if (after !== null) {
      const at = items.findIndex((i) => i.id === after);
      if (at < 0) {
        throw E.paging([
          {
            errorSummary: "The after parameter is invalid",
            reason: "INVALID_AFTER_PARAMETER",
            location: "/after",
            locationType: "query",
          },
        ]);
      }
      start = at + 1;
    }
    const slice = items.slice(start, start + limit);
    const kept = keep.flatMap((k) => {
      const v = q.get(k);
      return v === null ? [] : [`${k}=${enc(v)}`];
    });
    const href = (cursor: string | null) =>
      `${this.cfg.baseUrl()}${path}?${[...kept, ...(cursor !== null ? [`after=${enc(cursor)}`] : []), `limit=${limit}`].join("&")}`;
    const link = [`<${href(after)}>; rel="self"`];
    const last = slice[slice.length - 1];
    if (start + limit < items.length && last) link.push(`<${href(last.id)}>; rel="next"`);
    return { status: 200, body: slice.map(render), headers: { Link: link } };
  }

  private renderUser(u: UserRec): Json {
    return {
      id: u.id,
      status: u.status,
      created: u.created,
      activated: u.created,
      statusChanged: u.created,
      lastLogin: u.lastUpdated,
      lastUpdated: u.lastUpdated,
      passwordChanged: u.created,
      type: { id: "oty1d3xrm8N7OGL4g0g4" },
      profile: { ...u.profile, mobilePhone: null, secondEmail: null },
      credentials: { provider: { type: "OKTA", name: "OKTA" } },
      _links: { self: { href: `${this.cfg.baseUrl()}/api/v1/users/${u.id}` } },
    };
  }

  private listUsers(req: SandboxRequest): SandboxResponse {
    const q = req.query.get("q")?.trim().toLowerCase();
    const filter = req.query.get("filter");
    const search = req.query.get("search");
    let node: FilterNode | undefined;
    let spec: FilterSpec = OKTA_FILTERS.users;
    if (filter !== null || search !== null) {
      spec = search !== null ? OKTA_FILTERS.usersSearch : OKTA_FILTERS.users;
      try {
        node = compileFilter((search ?? filter) as string, spec);
      } catch (err) {
        if (err instanceof FilterError) throw E.search(err.message);
        throw err;
      }
    }
    const users = [...this.users.values()].filter((u) => {
      if (q) {
        const p = u.profile;
        if (![p.firstName, p.lastName, p.email, p.login].some((s) => s.toLowerCase().startsWith(q)))
          return false;
      }
      return !node || evaluateFilter(node, u, spec);
    });
    // Okta: a `q` search returns 10 users unless told otherwise; a plain list 200.
    return this.mgmtList(req, "/api/v1/users", users, q ? 10 : 200, ["q", "filter", "search"], (u) =>
      this.renderUser(u),
    );
  }

  private getUser(req: SandboxRequest): SandboxResponse {
    const key = req.params.userId as string;
    const lower = key.toLowerCase();
    const user =
      this.users.get(key) ?? [...this.users.values()].find((u) => u.profile.login.toLowerCase() === lower);
    if (!user) throw E.notFound(key, "User");
    return { status: 200, body: this.renderUser(user) };
  }

  private renderApp(a: AppRec): Json {
    const base = `${this.cfg.baseUrl()}/api/v1/apps/${a.id}`;
    return {
      id: a.id,
      orn: a.orn,
      name: a.name,
      label: a.label,
      status: "ACTIVE",
      lastUpdated: a.lastUpdated,
      created: a.created,
      signOnMode: a.signOnMode,
      features: [],
      visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false } },
      _links: {
        self: { href: base },
        users: { href: `${base}/users` },
        groups: { href: `${base}/groups` },
      },
    };
  }

  private listApps(req: SandboxRequest): SandboxResponse {
    const q = req.query.get("q")?.trim().toLowerCase();
    const apps = [...this.apps.values()].filter(
      (a) => !q || a.label.toLowerCase().startsWith(q) || a.name.toLowerCase().startsWith(q),
    );
    return this.mgmtList(req, "/api/v1/apps", apps, 20, ["q"], (a) => this.renderApp(a));
  }

  private getApp(req: SandboxRequest): SandboxResponse {
    const id = req.params.appId as string;
    const app = this.apps.get(id);
    if (!app) throw E.notFound(id, "AppInstance");
    return { status: 200, body: this.renderApp(app) };
  }
}

function parseOrder(text: string): OrderTerm[] {
  return text.split(",").map((t) => {
    const [field, dir] = t.trim().split(/\s+/);
    return { field: field as string, desc: (dir ?? "asc").toLowerCase() === "desc" };
  });
}

/** Every value `attr eq "…"` takes anywhere in a filter. */
function collectValues(node: FilterNode, attr: string): string[] {
  switch (node.op) {
    case "and":
    case "or":
      return node.filters.flatMap((f) => collectValues(f, attr));
    case "not":
      return collectValues(node.filter, attr);
    case "eq":
      return node.attrPath === attr && typeof node.compValue === "string" ? [node.compValue] : [];
    default:
      return [];
  }
}

export function createOktaProvider(cfg: OktaSandboxConfig): OktaSandbox {
  return new OktaSandbox(cfg);
}
