/**
 * The Atomicwork IGA emulator (upstream-apis §2). Atomicwork publishes request bodies but no response
 * bodies, so the shapes here are PROVISIONAL (§2.6), kept minimal and self-consistent:
 *   entitlement {id, name, description, app_id, type, status, provisioning_config, deprovisioning_config,
 *                created_at, updated_at}
 *   app {id, name, provider}
 *   grant {id, status, type, user{id,name,email}, entitlement{id,name}, app{id,name}, policy?, granted_by,
 *          granted_at, expires_at?, provisioning_status, revocation_status?, created_at, updated_at}
 *   list pages {items, page, per_page, total, next_page_token?}
 * Auth by `X-Api-Key` (401) and `X-Workspace-Id` (403 when it names another workspace); errors are
 * `{error, code}`; creates answer 200; a 429 carries `Retry-After`.
 */
import type { RouteDef, RouteMatch, SandboxProvider, SandboxRequest, SandboxResponse } from "../kit/http.js";

export interface AtomicworkSandboxConfig {
  apiKey: string;
  workspaceId: string;
  seed: "demo" | "empty";
  rateLimit: { limit: number; windowMs: number };
  now: () => number;
}

type Json = Record<string, unknown>;

class AwError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
const invalid = (message: string) => new AwError(400, "INVALID_REQUEST", message);

export const ATOMICWORK_DEMO = {
  apps: [
    { id: 12345, name: "Okta", provider: "OKTA" },
    { id: 12346, name: "Azure AD", provider: "AZURE_AD" },
    { id: 12347, name: "Google Workspace", provider: "GOOGLE_WORKSPACE" },
    { id: 12348, name: "JumpCloud", provider: "JUMPCLOUD" },
  ],
  users: [
    { id: 9001, name: "Dana Whitfield" },
    { id: 9002, name: "Priya Raman" },
    { id: 9003, name: "Marcus Bell" },
    { id: 9004, name: "Olivia Brooks" },
    { id: 9005, name: "Hannah Schmidt" },
    { id: 9006, name: "Diego Alvarez" },
    { id: 9007, name: "Grace Liu" },
  ],
  entitlements: [
    {
      id: 501,
      name: "Salesforce Sales Cloud admin",
      app_id: 12345,
      type: "GROUP",
      status: "PUBLISHED",
      group: "00gSalesCloudAdmins1",
    },
    {
      id: 502,
      name: "Workday Payroll Admin",
      app_id: 12345,
      type: "GROUP",
      status: "PUBLISHED",
      group: "00gWorkdayPayroll001",
    },
    {
      id: 503,
      name: "Expense Approver",
      app_id: 12345,
      type: "ROLE",
      status: "PUBLISHED",
      group: "00gExpenseApprover01",
    },
    {
      id: 504,
      name: "GitHub Engineering",
      app_id: 12345,
      type: "GROUP",
      status: "PUBLISHED",
      group: "00gGitHubEngineers01",
    },
    {
      id: 505,
      name: "Azure Subscription Owner",
      app_id: 12346,
      type: "ROLE",
      status: "PUBLISHED",
      group: "azure-sub-owners",
    },
    {
      id: 506,
      name: "Shared Drive: Finance",
      app_id: 12347,
      type: "GROUP",
      status: "DRAFT",
      group: "finance-drive",
    },
  ],
  grants: [
    { id: 7001, user: 9001, entitlement: 501, status: "GRANTED" },
    { id: 7002, user: 9005, entitlement: 503, status: "GRANTED", expires_at: "2031-03-31T00:00:00Z" },
    { id: 7003, user: 9006, entitlement: 502, status: "GRANTED" },
    { id: 7004, user: 9003, entitlement: 501, status: "REVOKED" },
    { id: 7005, user: 9007, entitlement: 504, status: "EXPIRED" },
    { id: 7006, user: 9004, entitlement: 501, status: "EXTENDED", expires_at: "2030-12-31T00:00:00Z" },
  ],
  policies: [{ id: 3001, key: "pol-sales-access" }],
} as const;

const PROVIDERS = ["OKTA", "AZURE_AD", "MS_INTUNE", "JUMPCLOUD", "GOOGLE_WORKSPACE", "TUEBORA", "MANUAL"];
const PROVISIONING = [
  "OKTA_GROUP_PROVISIONING",
  "AZURE_GROUP_PROVISIONING",
  "INTUNE_GROUP_PROVISIONING",
  "JUMPCLOUD_GROUP_PROVISIONING",
  "GOOGLE_WORKSPACE_GROUP_PROVISIONING",
  "MANUAL_PROVISIONING",
];
const DEPROVISIONING = PROVISIONING.map((t) => t.replace("_PROVISIONING", "_DEPROVISIONING"));
const GRANT_STATUSES = ["GRANTED", "EXPIRED", "EXTENDED", "REVOKED"];
const SORTS = ["CREATED_AT_ASC", "CREATED_AT_DESC", "UPDATED_AT_ASC", "UPDATED_AT_DESC"];

function obj(value: unknown, field: string): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw invalid(`${field} must be an object`);
  return value as Json;
}
function int(value: unknown, field: string, required: boolean): number | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalid(`${field} is required`);
    return undefined;
  }
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1)
    throw invalid(`${field} must be a positive integer`);
  return n;
}
function text(value: unknown, field: string, max: number, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalid(`${field} is required`);
    return undefined;
  }
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw invalid(`${field} must be a string of 1 to ${max} characters`);
  }
  return value;
}
function oneOf(value: unknown, field: string, allowed: readonly string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !allowed.includes(value))
    throw invalid(`${field} must be one of ${allowed.join(", ")}`);
  return value;
}

function provisioning(value: unknown, field: string, types: readonly string[]): Json | undefined {
  if (value === undefined || value === null) return undefined;
  const config = obj(value, field);
  oneOf(config.provider ?? "", `${field}.provider`, PROVIDERS);
  oneOf(config.type ?? "", `${field}.type`, types);
  const inner = obj(config.value, `${field}.value`);
  text(inner.value, `${field}.value.value`, 255, true);
  text(inner.label, `${field}.value.label`, 255, false);
  return config;
}

export function createAtomicworkProvider(cfg: AtomicworkSandboxConfig): SandboxProvider {
  const apps = new Map<number, Json>();
  const entitlements = new Map<number, Json>();
  const grants = new Map<number, Json>();
  const history = new Map<number, Json[]>();
  const users = new Map<number, { id: number; name: string; email: string }>();
  const policies = new Map<number, { id: number; key: string }>();
  let nextEntitlement = 600;
  let nextGrant = 7100;
  let clock = Date.parse("2026-01-05T09:00:00Z");
  const window = { start: 0, used: 0 };
  const stamp = () => {
    clock = Math.max(clock + 1000, cfg.now());
    return new Date(clock).toISOString().replace(/\.\d{3}Z$/, "Z");
  };

  for (const app of ATOMICWORK_DEMO.apps) apps.set(app.id, { ...app });
  for (const u of ATOMICWORK_DEMO.users) {
    users.set(u.id, { ...u, email: `${u.name.toLowerCase().replace(" ", ".")}@acme.example` });
  }
  for (const p of ATOMICWORK_DEMO.policies) policies.set(p.id, { ...p });

  const entitlementRecord = (e: (typeof ATOMICWORK_DEMO.entitlements)[number], at: string): Json => {
    const provider = (apps.get(e.app_id)?.provider as string) ?? "MANUAL";
    const kind = provider === "AZURE_AD" ? "AZURE" : provider;
    return {
      id: e.id,
      name: e.name,
      description: `${e.name} (demo)`,
      app_id: e.app_id,
      type: e.type,
      status: e.status,
      provisioning_config: {
        provider,
        type: `${kind}_GROUP_PROVISIONING`,
        value: { label: e.name, value: e.group },
      },
      deprovisioning_config: {
        provider,
        type: `${kind}_GROUP_DEPROVISIONING`,
        value: { label: e.name, value: e.group },
      },
      created_at: at,
      updated_at: at,
    };
  };

  function grantRecord(
    id: number,
    userId: number,
    entitlementId: number,
    status: string,
    extra: Json = {},
  ): Json {
    const user = users.get(userId) ?? { id: userId, name: `User ${userId}`, email: "" };
    const ent = entitlements.get(entitlementId);
    const app = apps.get(Number(ent?.app_id));
    const at = stamp();
    return {
      id,
      status,
      type: "APPROVED",
      user,
      entitlement: { id: entitlementId, name: ent?.name },
      app: { id: app?.id, name: app?.name },
      provider: app?.provider ?? "MANUAL",
      granted_by: 9002,
      granted_at: at,
      provisioning_status: "COMPLETED",
      created_at: at,
      updated_at: at,
      ...extra,
    };
  }
  const record = (grantId: number, event: string) => {
    const list = history.get(grantId) ?? [];
    list.push({
      id: list.length + 1,
      event_type: event,
      event_at: stamp(),
      event_by: { id: 9002, name: "Priya Raman" },
    });
    history.set(grantId, list);
  };

  if (cfg.seed === "demo") {
    for (const e of ATOMICWORK_DEMO.entitlements) entitlements.set(e.id, entitlementRecord(e, stamp()));
    for (const g of ATOMICWORK_DEMO.grants) {
      const extra: Json = "expires_at" in g ? { expires_at: g.expires_at } : {};
      if (g.status === "REVOKED") extra.revocation_status = { status: "COMPLETED", schedule_id: null };
      grants.set(g.id, grantRecord(g.id, g.user, g.entitlement, g.status, extra));
      record(g.id, "GRANTED");
      if (g.status !== "GRANTED") record(g.id, g.status);
    }
  }

  function page(req: SandboxRequest, items: Json[], maxPerPage: number): Json {
    const pageNo = int(req.query.get("page") ?? undefined, "page", false) ?? 1;
    const perPage = int(req.query.get("per_page") ?? undefined, "per_page", false) ?? 25;
    if (perPage > maxPerPage) throw invalid(`per_page must be at most ${maxPerPage}`);
    const start = (pageNo - 1) * perPage;
    return {
      items: items.slice(start, start + perPage),
      page: pageNo,
      per_page: perPage,
      total: items.length,
    };
  }

  function grantOr404(req: SandboxRequest): Json {
    const id = Number(req.params.grant_id);
    const grant = Number.isSafeInteger(id) ? grants.get(id) : undefined;
    if (!grant) throw new AwError(404, "NOT_FOUND", `Grant ${req.params.grant_id} not found`);
    return grant;
  }

  function body(req: SandboxRequest): unknown {
    if (!req.body) return {};
    try {
      return JSON.parse(req.body);
    } catch {
      throw invalid("The request body is not valid JSON");
    }
  }

  /** The grants/list filter model (§2.4): one filter = {attribute, operator, values:[{value}]}. */
  function matches(grant: Json, filter: Json): boolean {
    const attribute = text(filter.attribute, "filter.attribute", 64, true) as string;
    const operator = text(filter.operator, "filter.operator", 64, true) as string;
    const values = Array.isArray(filter.values) ? filter.values.map((v) => (v as Json)?.value) : [];
    const actual: unknown = {
      status: grant.status,
      user: (grant.user as Json)?.id,
      app: (grant.app as Json)?.id,
      entitlement: (grant.entitlement as Json)?.id,
      entitlement_value: (grant.entitlement as Json)?.name,
      granted_at: grant.granted_at,
      expires_at: grant.expires_at,
    }[attribute];
    if (
      ![
        "status",
        "user",
        "app",
        "entitlement",
        "entitlement_value",
        "granted_at",
        "expires_at",
        "last_login_at",
      ].includes(attribute)
    ) {
      throw invalid(`filter.attribute ${attribute} is not supported`);
    }
    const bucket = (v: unknown) =>
      attribute !== "status"
        ? [v]
        : v === "ACTIVE"
          ? ["GRANTED", "EXTENDED"]
          : v === "INACTIVE"
            ? ["REVOKED", "EXPIRED"]
            : [v];
    const eq = (v: unknown) => bucket(v).some((b) => String(b) === String(actual));
    const time = (v: unknown) => Date.parse(String(v));
    switch (operator) {
      case "EQUALS":
      case "IS_EXACTLY":
        return eq(values[0]);
      case "NOT_EQUALS":
        return !eq(values[0]);
      case "IN":
      case "IS_ANY_OF":
        return values.some(eq);
      case "NOT_IN":
      case "IS_NOT_ANY_OF":
        return !values.some(eq);
      case "CONTAINS":
      case "TEXT_CONTAINS":
        return String(actual ?? "")
          .toLowerCase()
          .includes(String(values[0]).toLowerCase());
      case "STARTS_WITH":
        return String(actual ?? "")
          .toLowerCase()
          .startsWith(String(values[0]).toLowerCase());
      case "IS_NULL":
        return actual === undefined || actual === null;
      case "IS_NOT_NULL":
        return actual !== undefined && actual !== null;
      case "GREATER_THAN":
      case "IS_ON_OR_AFTER":
      case "GREATER_THAN_EQUALS":
        return (
          actual !== undefined && time(actual) >= time(values[0]) + (operator === "GREATER_THAN" ? 1 : 0)
        );
      case "LESS_THAN":
      case "IS_ON_OR_BEFORE":
      case "LESS_THAN_EQUALS":
        return actual !== undefined && time(actual) <= time(values[0]) - (operator === "LESS_THAN" ? 1 : 0);
      case "IS_BETWEEN":
        if (values.length !== 2) throw invalid("IS_BETWEEN needs exactly two values");
        return actual !== undefined && time(actual) >= time(values[0]) && time(actual) <= time(values[1]);
      default:
        throw invalid(`filter.operator ${operator} is not supported for ${attribute}`);
    }
  }

  const handlers: Record<string, (req: SandboxRequest) => SandboxResponse> = {
    "GET /api/v1/iga/apps": (req) => {
      const q = req.query.get("search_key")?.toLowerCase();
      const list = [...apps.values()].filter((a) => !q || String(a.name).toLowerCase().includes(q));
      return { status: 200, body: page(req, list, 100) };
    },
    "GET /api/v1/iga/entitlements": (req) => {
      const q = req.query.get("search_key");
      if (q !== null && q.length < 1) throw invalid("search_key must have at least 1 character");
      const appId = int(req.query.get("app_id") ?? undefined, "app_id", false);
      const type = oneOf(req.query.get("type") ?? undefined, "type", ["GROUP", "ROLE"]);
      const status = oneOf(req.query.get("status") ?? undefined, "status", ["DRAFT", "PUBLISHED"]);
      const list = [...entitlements.values()].filter(
        (e) =>
          (!q || String(e.name).toLowerCase().includes(q.toLowerCase())) &&
          (appId === undefined || e.app_id === appId) &&
          (!type || e.type === type) &&
          // UNPUBLISHED entitlements are the drafts of the list filter.
          (!status || (status === "DRAFT" ? e.status !== "PUBLISHED" : e.status === "PUBLISHED")),
      );
      return { status: 200, body: page(req, list, 100) };
    },
    "POST /api/v1/iga/entitlements": (req) => {
      const b = obj(body(req), "body");
      const name = text(b.name, "name", 255, true);
      const appId = int(b.app_id, "app_id", true) as number;
      if (!apps.has(appId)) throw new AwError(404, "NOT_FOUND", `App ${appId} not found`);
      const at = stamp();
      const created: Json = {
        id: nextEntitlement++,
        name,
        description: text(b.description, "description", 1000, false) ?? null,
        app_id: appId,
        type: "GROUP",
        status: oneOf(b.status, "status", ["UNPUBLISHED", "PUBLISHED"]) ?? "UNPUBLISHED",
        provisioning_config: provisioning(b.provisioning_config, "provisioning_config", PROVISIONING) ?? null,
        deprovisioning_config:
          provisioning(b.deprovisioning_config, "deprovisioning_config", DEPROVISIONING) ?? null,
        created_at: at,
        updated_at: at,
      };
      entitlements.set(created.id as number, created);
      return { status: 200, body: created };
    },
    "POST /api/v1/iga/grants": (req) => {
      const b = obj(body(req), "body");
      const userId = int(b.user_id, "user_id", true) as number;
      const entitlementId = int(b.entitlement_id, "entitlement_id", true) as number;
      if (!users.has(userId)) throw new AwError(404, "NOT_FOUND", `User ${userId} not found`);
      if (!entitlements.has(entitlementId))
        throw new AwError(404, "NOT_FOUND", `Entitlement ${entitlementId} not found`);
      const policyId = int(b.policy_id, "policy_id", false);
      if (policyId !== undefined && !policies.has(policyId))
        throw new AwError(404, "NOT_FOUND", `Policy ${policyId} not found`);
      const id = nextGrant++;
      const grant = grantRecord(id, userId, entitlementId, "GRANTED", {
        ...(policyId ? { policy: { id: policyId, key: policies.get(policyId)?.key } } : {}),
        ...(typeof b.granted_by === "number" ? { granted_by: b.granted_by } : {}),
        ...(typeof b.granted_at === "string" ? { granted_at: b.granted_at } : {}),
      });
      grants.set(id, grant);
      record(id, "GRANTED");
      return { status: 200, body: grant };
    },
    "POST /api/v1/iga/grants/list": (req) => {
      const filters = body(req);
      if (!Array.isArray(filters)) throw invalid("The body must be a JSON array of filters");
      const ids = req.query.get("ids")?.split(",").filter(Boolean).map(Number);
      const appId = int(req.query.get("app_id") ?? undefined, "app_id", false);
      const q = req.query.get("search_key")?.toLowerCase();
      const sort = oneOf(req.query.get("sort_order") ?? undefined, "sort_order", [
        ...SORTS,
        "NAME_ASC",
        "NAME_DESC",
        "GRANTED_AT_ASC",
        "GRANTED_AT_DESC",
        "EXPIRES_AT_ASC",
        "EXPIRES_AT_DESC",
      ]);
      let list = [...grants.values()].filter(
        (g) =>
          (!ids || ids.includes(g.id as number)) &&
          (appId === undefined || (g.app as Json).id === appId) &&
          (!q ||
            String((g.user as Json).name)
              .toLowerCase()
              .includes(q) ||
            String((g.entitlement as Json).name)
              .toLowerCase()
              .includes(q)) &&
          filters.every((f) => matches(g, obj(f, "filter"))),
      );
      if (sort) {
        const [field, dir] = [sort.replace(/_(ASC|DESC)$/, "").toLowerCase(), sort.endsWith("DESC") ? -1 : 1];
        const key = (g: Json) =>
          String(field === "name" ? (g.entitlement as Json).name : (g[`${field}`] ?? ""));
        list = [...list].sort((a, b) => dir * key(a).localeCompare(key(b)));
      }
      const token = req.query.get("next_page_token");
      if (token !== null) {
        const offset = Number(Buffer.from(token, "base64url").toString());
        if (!Number.isInteger(offset) || offset < 0) throw invalid("next_page_token is not valid");
        const perPage = int(req.query.get("per_page") ?? undefined, "per_page", false) ?? 25;
        const items = list.slice(offset, offset + perPage);
        const more = offset + perPage < list.length;
        return {
          status: 200,
          body: {
            items,
            per_page: perPage,
            total: list.length,
            ...(more ? { next_page_token: Buffer.from(String(offset + perPage)).toString("base64url") } : {}),
          },
        };
      }
      const result = page(req, list, 100);
      const offset =
        ((result.page as number) - 1) * (result.per_page as number) + (result.items as unknown[]).length;
      if (offset < list.length) result.next_page_token = Buffer.from(String(offset)).toString("base64url");
      return { status: 200, body: result };
    },
    "PUT /api/v1/iga/grants/{grant_id}": (req) => {
      const grant = grantOr404(req);
      const b = obj(body(req), "body");
      const status = oneOf(b.status, "status", GRANT_STATUSES);
      const policyId = int(b.policy_id, "policy_id", false);
      if (policyId !== undefined && !policies.has(policyId))
        throw new AwError(404, "NOT_FOUND", `Policy ${policyId} not found`);
      if (status && status !== grant.status) {
        grant.status = status;
        record(grant.id as number, status);
      }
      if (policyId !== undefined) grant.policy = { id: policyId, key: policies.get(policyId)?.key };
      if (typeof b.policy_key === "string") grant.policy = { key: b.policy_key };
      if (typeof b.granted_by === "number") grant.granted_by = b.granted_by;
      if (typeof b.granted_at === "string") grant.granted_at = b.granted_at;
      grant.updated_at = stamp();
      return { status: 200, body: grant };
    },
    "POST /api/v1/iga/grants/{grant_id}/revoke": (req) => {
      const grant = grantOr404(req);
      const b = obj(body(req), "body");
      text(b.reason, "reason", 1000, false);
      if (b.skip_deprovisioning !== undefined && typeof b.skip_deprovisioning !== "boolean") {
        throw invalid("skip_deprovisioning must be a boolean");
      }
      if (grant.status === "REVOKED")
        throw new AwError(409, "CONFLICT", `Grant ${grant.id} is already revoked`);
      const skip = b.skip_deprovisioning !== false;
      grant.status = "REVOKED";
      grant.revocation_status = skip
        ? { status: "COMPLETED", schedule_id: null }
        : { status: "IN_PROGRESS", schedule_id: `sch_${grant.id}_${clock}` };
      grant.updated_at = stamp();
      record(grant.id as number, "REVOKED");
      return { status: 200, body: grant };
    },
    "GET /api/v1/iga/grants/{grant_id}/history": (req) => {
      const grant = grantOr404(req);
      const sort = oneOf(req.query.get("sort_order") ?? undefined, "sort_order", SORTS) ?? "CREATED_AT_DESC";
      const list = [...(history.get(grant.id as number) ?? [])];
      if (sort.endsWith("DESC")) list.reverse();
      return { status: 200, body: page(req, list, 100) };
    },
  };

  const routes: RouteDef[] = Object.entries(handlers).map(([route, handler]) => ({ route, handler }));

  const error = (err: unknown): SandboxResponse => {
    const e = err instanceof AwError ? err : new AwError(500, "INTERNAL_ERROR", "Internal server error");
    return { status: e.status, headers: e.headers, body: { error: e.message, code: e.code } };
  };

  return {
    name: "atomicwork",
    routes,
    claims: (path) => path.startsWith("/api/v1/iga/"),
    async dispatch(req: SandboxRequest, match: RouteMatch | undefined): Promise<SandboxResponse> {
      try {
        const now = cfg.now();
        if (now - window.start >= cfg.rateLimit.windowMs) {
          window.start = now;
          window.used = 0;
        }
        window.used += 1;
        if (window.used > cfg.rateLimit.limit) {
          const wait = Math.ceil((window.start + cfg.rateLimit.windowMs - now) / 1000);
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
        return error(err);
      }
    },
    failure: (_req, status) =>
      error(
        new AwError(
          status,
          status === 429 ? "RATE_LIMITED" : "INJECTED",
          `Injected failure ${status}`,
          status === 429 ? { "Retry-After": "1" } : {},
        ),
      ),
  };
}
