/**
 * The SailPoint IdentityIQ SCIM 2.0 emulator (upstream-apis §3, checklist §3.9): Entitlements (read-only),
 * Applications and Users under `/identityiq/scim/v2`, ServiceProviderConfig without auth, HTTP Basic or
 * OAuth client-credential tokens from `/identityiq/oauth2/token`, ListResponse paging by startIndex/count,
 * the filter subset of each resource (parsed; anything else is `invalidFilter`), sortBy/sortOrder,
 * `attributes` over `excludedAttributes`, and errors in the SCIM envelope with a string status.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { compileFilter, evaluateFilter, FilterError, type FilterSpec } from "../kit/filter.js";
import type { RouteDef, RouteMatch, SandboxProvider, SandboxRequest, SandboxResponse } from "../kit/http.js";
import {
  IIQ_APPLICATIONS,
  IIQ_BASE_PATH,
  IIQ_ENTITLEMENTS,
  IIQ_SCALE_APPLICATION,
  IIQ_SCHEMA_APPLICATION,
  IIQ_SCHEMA_ENTITLEMENT,
  IIQ_SCHEMA_USER,
  IIQ_SCHEMA_USER_EXT,
  IIQ_USERS,
  type IiqApplication,
  iiqId,
  SEED_003_ENTITLEMENT,
} from "./data.js";

export interface IiqSandboxConfig {
  baseUrl: () => string;
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
  seed: "demo" | "empty";
  scale: number;
  now: () => number;
  /** Lifetime of OAuth tokens (IdentityIQ's default is 1200 s). */
  tokenTtlSeconds?: number;
}

type Json = Record<string, unknown>;
const MAX_RESULTS = 1000;
const TOKEN_PATH = "/identityiq/oauth2/token";
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }
}

const TEXT_OPS = ["eq", "co", "sw"] as const;
const FILTERS: Record<"Entitlements" | "Users" | "Applications", FilterSpec> = {
  Entitlements: {
    displayableName: { ops: TEXT_OPS },
    attribute: { ops: TEXT_OPS },
    value: { ops: TEXT_OPS },
    type: { ops: TEXT_OPS, kind: "enum" },
    "application.value": { ops: TEXT_OPS },
    "application.displayName": { ops: TEXT_OPS },
    requestable: { ops: ["eq"], kind: "boolean" },
  },
  Users: {
    userName: { ops: TEXT_OPS },
    "name.familyName": { ops: TEXT_OPS },
    "name.givenName": { ops: TEXT_OPS },
    "emails.value": { ops: TEXT_OPS },
    displayName: { ops: TEXT_OPS },
  },
  Applications: { name: { ops: TEXT_OPS }, displayName: { ops: TEXT_OPS, path: "name" } },
};

/** Attributes that are returned whatever `attributes`/`excludedAttributes` say. */
const ALWAYS = new Set(["id", "schemas", "meta"]);

function stamp(ms: number): string {
  // IdentityIQ writes millis and the server's zone offset; the sandbox's zone is UTC.
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/** `attributes` / `excludedAttributes` (URN-qualified or not; sub-attributes like `application.displayName`). */
function project(resource: Json, schema: string, attributes?: string, excluded?: string): Json {
  const names = (list?: string) =>
    (list ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean)
      .map((a) => (a.startsWith(`${schema}:`) ? a.slice(schema.length + 1) : a));
  const wanted = names(attributes);
  if (wanted.length > 0) {
    const out: Json = {};
    for (const [key, value] of Object.entries(resource)) {
      if (ALWAYS.has(key)) out[key] = value;
    }
    for (const name of wanted) {
      const [head, sub] = name.split(".", 2) as [string, string | undefined];
      if (!(head in resource)) {
        // An extension attribute asked for by its full URN (e.g. the user's entitlements).
        if (name in resource) out[name] = resource[name];
        continue;
      }
      const value = resource[head];
      if (sub === undefined) out[head] = value;
      else {
        const pick = (v: unknown) => (v && typeof v === "object" ? { [sub]: (v as Json)[sub] } : v);
        out[head] = Array.isArray(value) ? value.map(pick) : pick(value);
      }
    }
    return out;
  }
  const drop = new Set(names(excluded).filter((n) => !ALWAYS.has(n)));
  return Object.fromEntries(Object.entries(resource).filter(([key]) => !drop.has(key)));
}

export function createIiqProvider(cfg: IiqSandboxConfig): SandboxProvider {
  const entitlements = new Map<string, Json>();
  const users = new Map<string, Json>();
  const apps = new Map<string, IiqApplication>();
  const tokens = new Map<string, number>();
  let scaleBuilt = cfg.scale <= 0;
  const created = Date.parse("2025-03-03T09:00:00.000Z");
  const base = () => `${cfg.baseUrl()}${IIQ_BASE_PATH}`;

  const appRef = (app: IiqApplication) => ({
    value: app.id,
    $ref: `${base()}/Applications/${app.id}`,
    displayName: app.name,
  });
  const meta = (resourceType: string, id: string, at = created) => ({
    created: stamp(at),
    lastModified: stamp(at),
    location: `${base()}/${resourceType}s/${id}`,
    resourceType,
    version: `W/"${at}"`,
  });

  function addEntitlement(seed: (typeof IIQ_ENTITLEMENTS)[number], app: IiqApplication): void {
    entitlements.set(seed.id, {
      id: seed.id,
      schemas: [IIQ_SCHEMA_ENTITLEMENT],
      displayableName: seed.displayableName,
      type: seed.type,
      attribute: seed.attribute,
      value: seed.value,
      application: [appRef(app)],
      owner: seed.owner
        ? [
            {
              value: iiqId(`user:${seed.owner}`),
              $ref: `${base()}/Users/${iiqId(`user:${seed.owner}`)}`,
              displayName: seed.owner,
            },
          ]
        : [],
      descriptions: [{ locale: "en_US", value: seed.description }],
      requestable: seed.requestable,
      aggregated: true,
      lastRefresh: stamp(created),
      meta: meta("Entitlement", seed.id),
    });
  }

  let loaded = false;
  /** Resources carry absolute URLs, so they are built on the first request, once the URL is known. */
  function load(): void {
    if (loaded) return;
    loaded = true;
    for (const app of [...IIQ_APPLICATIONS, ...(cfg.scale > 0 ? [IIQ_SCALE_APPLICATION] : [])])
      apps.set(app.id, app);
    if (cfg.seed === "demo") {
      entitlements.set(SEED_003_ENTITLEMENT.id, structuredClone(SEED_003_ENTITLEMENT) as unknown as Json);
      for (const seed of IIQ_ENTITLEMENTS) {
        const app = IIQ_APPLICATIONS.find((a) => a.name === seed.application);
        if (app) addEntitlement(seed, app);
      }
    }
    for (const u of IIQ_USERS) {
      const held = cfg.seed === "demo" ? u.entitlements : [];
      users.set(u.id, {
        id: u.id,
        schemas: [IIQ_SCHEMA_USER, IIQ_SCHEMA_USER_EXT],
        userName: u.userName,
        displayName: `${u.givenName} ${u.familyName}`,
        name: {
          givenName: u.givenName,
          familyName: u.familyName,
          formatted: `${u.givenName} ${u.familyName}`,
        },
        emails: [{ value: `${u.userName}@acme.example`, type: "work", primary: true }],
        active: u.active,
        meta: meta("User", u.id),
        [`${IIQ_SCHEMA_USER_EXT}:entitlements`]: held.flatMap((name) => {
          const seed = IIQ_ENTITLEMENTS.find((e) => e.displayableName === name);
          if (!seed) return [];
          return [
            {
              value: seed.id,
              display: seed.displayableName,
              type: seed.type,
              application: seed.application,
              accountName: u.userName,
              $ref: `${base()}/Entitlements/${seed.id}`,
            },
          ];
        }),
      });
    }
  }

  /** The scale catalog is built on the first request, not at start-up. */
  function materializeScale(): void {
    if (scaleBuilt) return;
    scaleBuilt = true;
    for (let i = 1; i <= cfg.scale; i += 1) {
      const name = `Scale Entitlement ${String(i).padStart(6, "0")}`;
      addEntitlement(
        {
          id: iiqId(`scale:${i}`),
          displayableName: name,
          type: "group",
          application: IIQ_SCALE_APPLICATION.name,
          attribute: "memberOf",
          value: `CN=${name},OU=Scale,DC=acme,DC=example`,
          description: "Generated for benchmarks",
          requestable: true,
        },
        IIQ_SCALE_APPLICATION,
      );
    }
  }

  function authenticate(req: SandboxRequest): void {
    const header = String(req.headers.authorization ?? "");
    if (header.startsWith("Basic ")) {
      const [user, ...rest] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
      if (user === cfg.username && rest.join(":") === cfg.password) return;
    }
    if (header.toLowerCase().startsWith("bearer ")) {
      const expiry = tokens.get(header.slice(7));
      if (expiry !== undefined && expiry > cfg.now()) return;
    }
    throw new ScimError(
      401,
      "Authentication failed: credentials are missing or invalid",
      "invalidCredentials",
    );
  }

  function issueToken(req: SandboxRequest): SandboxResponse {
    const form = new URLSearchParams(req.body);
    const grant = form.get("grant_type") ?? req.query.get("grant_type");
    const header = String(req.headers.authorization ?? "");
    const [id, ...rest] = header.startsWith("Basic ")
      ? Buffer.from(header.slice(6), "base64").toString("utf8").split(":")
      : [];
    const secret = rest.join(":");
    const same = (a: string, b: string) =>
      a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
    if (id !== cfg.clientId || !same(secret, cfg.clientSecret)) {
      return { status: 401, body: { error: "invalid_client", error_description: "Bad client credentials" } };
    }
    if (grant !== "client_credentials") {
      return {
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "Use client_credentials" },
      };
    }
    const token = randomBytes(24).toString("base64url");
    const ttl = cfg.tokenTtlSeconds ?? 1200;
    tokens.set(token, cfg.now() + ttl * 1000);
    return { status: 200, body: { expires_in: ttl, token_type: "bearer", access_token: token } };
  }

  function list(
    req: SandboxRequest,
    resource: keyof typeof FILTERS,
    items: Json[],
    schema: string,
  ): SandboxResponse {
    const startIndex = req.query.has("startIndex") ? Number(req.query.get("startIndex")) : 1;
    const count = req.query.has("count") ? Number(req.query.get("count")) : MAX_RESULTS;
    if (!Number.isInteger(startIndex) || startIndex < 1) {
      throw new ScimError(400, "startIndex must be a whole number of at least 1", "invalidValue");
    }
    if (!Number.isInteger(count) || count < 0)
      throw new ScimError(400, "count must be a whole number", "invalidValue");
    let matched = items;
    const filter = req.query.get("filter");
    if (filter) {
      try {
        const node = compileFilter(filter, FILTERS[resource]);
        matched = items.filter((item) => evaluateFilter(node, item, FILTERS[resource]));
      } catch (err) {
        if (!(err instanceof FilterError)) throw err;
        const attr = /attribute:? ([\w.:]+)/.exec(err.message)?.[1];
        throw new ScimError(
          400,
          err.kind === "unsupported" && attr
            ? `Invalid filter, attribute does not support search: ${attr}`
            : `Invalid filter: ${err.message}`,
          "invalidFilter",
        );
      }
    }
    const sortBy = req.query.get("sortBy");
    if (sortBy) {
      const key = sortBy.startsWith(`${schema}:`) ? sortBy.slice(schema.length + 1) : sortBy;
      const sign = (req.query.get("sortOrder") ?? "ascending").toLowerCase() === "descending" ? -1 : 1;
      matched = [...matched].sort((a, b) => sign * String(a[key] ?? "").localeCompare(String(b[key] ?? "")));
    }
    const page = matched.slice(startIndex - 1, startIndex - 1 + Math.min(count, MAX_RESULTS));
    const attributes = req.query.get("attributes") ?? undefined;
    const excluded = req.query.get("excludedAttributes") ?? undefined;
    return {
      status: 200,
      body: {
        schemas: [LIST_SCHEMA],
        totalResults: matched.length,
        itemsPerPage: page.length,
        startIndex,
        Resources: page.map((r) => project(r, schema, attributes, excluded)),
      },
    };
  }

  function one(req: SandboxRequest, map: Map<string, Json>, schema: string): SandboxResponse {
    const id = req.params.id ?? "";
    const resource = map.get(id);
    if (!resource) throw new ScimError(404, `Resource not found: ${id}`);
    return {
      status: 200,
      body: project(
        resource,
        schema,
        req.query.get("attributes") ?? undefined,
        req.query.get("excludedAttributes") ?? undefined,
      ),
    };
  }

  const appResource = (app: IiqApplication): Json => ({
    id: app.id,
    schemas: [IIQ_SCHEMA_APPLICATION],
    name: app.name,
    type: app.type,
    meta: meta("Application", app.id),
  });

  const route = (r: string, handler: (req: SandboxRequest) => SandboxResponse): RouteDef => ({
    route: r,
    handler,
    prefix: IIQ_BASE_PATH,
  });
  const readOnly = () => {
    throw new ScimError(405, "The Entitlements endpoint is read-only: entitlements come from aggregation");
  };
  const routes: RouteDef[] = [
    route("GET /Entitlements", (req) =>
      list(req, "Entitlements", [...entitlements.values()], IIQ_SCHEMA_ENTITLEMENT),
    ),
    route("GET /Entitlements/{id}", (req) => one(req, entitlements, IIQ_SCHEMA_ENTITLEMENT)),
    route("POST /Entitlements", readOnly),
    route("PUT /Entitlements/{id}", readOnly),
    route("DELETE /Entitlements/{id}", readOnly),
    route("GET /Applications", (req) =>
      list(req, "Applications", [...apps.values()].map(appResource), IIQ_SCHEMA_APPLICATION),
    ),
    route("GET /Applications/{id}", (req) =>
      one(req, new Map([...apps.values()].map((a) => [a.id, appResource(a)])), IIQ_SCHEMA_APPLICATION),
    ),
    route("GET /Users", (req) => list(req, "Users", [...users.values()], IIQ_SCHEMA_USER)),
    route("GET /Users/{id}", (req) => one(req, users, IIQ_SCHEMA_USER)),
    route("GET /ServiceProviderConfig", () => ({
      status: 200,
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        patch: { supported: false },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: MAX_RESULTS },
        changePassword: { supported: true },
        sort: { supported: true },
        etag: { supported: true },
        authenticationSchemes: [
          { type: "httpbasic", name: "HTTP Basic", description: "Authentication via HTTP Basic" },
          {
            type: "oauthbearertoken",
            name: "OAuth Bearer Token",
            description: "OAuth 2.0 client credentials",
          },
        ],
      },
    })),
    { route: `POST ${TOKEN_PATH}`, handler: issueToken },
  ];

  const errorResponse = (err: unknown): SandboxResponse => {
    const e = err instanceof ScimError ? err : new ScimError(500, "Internal error");
    return {
      status: e.status,
      headers: { "Content-Type": "application/scim+json" },
      body: {
        schemas: [ERROR_SCHEMA],
        ...(e.scimType ? { scimType: e.scimType } : {}),
        detail: e.detail,
        status: String(e.status),
      },
    };
  };

  return {
    name: "sailpoint-iiq",
    routes,
    claims: (path) => path.startsWith(IIQ_BASE_PATH) || path === TOKEN_PATH,
    async dispatch(req: SandboxRequest, match: RouteMatch | undefined): Promise<SandboxResponse> {
      try {
        if (match?.def.route === `POST ${TOKEN_PATH}`) return issueToken(req);
        if (!match) throw new ScimError(404, `Resource not found: ${req.path}`);
        if (!match.methodAllowed) throw new ScimError(405, `Method ${req.method} is not supported here`);
        if (match.def.route !== "GET /ServiceProviderConfig") authenticate(req);
        load();
        materializeScale();
        const response = await match.def.handler(req);
        return { ...response, headers: { "Content-Type": "application/scim+json", ...response.headers } };
      } catch (err) {
        return errorResponse(err);
      }
    },
    failure: (_req, status) => errorResponse(new ScimError(status, `Injected failure ${status}`)),
  };
}
