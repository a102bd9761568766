/**
 * The Okta sandbox over real HTTP on 127.0.0.1: auth, rate limits, paging, every error code, bundles,
 * grants, principal access, revocation, the management lookups, and the seed documents' examples run
 * verbatim against the demo data.
 */
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import {
  SANDBOX_CREDENTIALS,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "../src/sandbox/index.js";
import { OKTA_DEMO } from "../src/sandbox/okta/data.js";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary JSON, asserted field by field.
type Body = any;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Body;
}

const TOKEN = SANDBOX_CREDENTIALS.okta.apiToken;
const GOV = "/governance/api/v1";
const ORG = "00o11edPwGqbUrsDm0g4";
const SF = "0oafxqCAJWWGELFTYASJ";
const SF_ORN = `orn:okta:idp:${ORG}:apps:salesforce:${SF}`;
const WIKI = "0oa4K5vQ5Szpud1npYok";
const DANA = "00ufxqCAJWWGELFTYCCC";
const PRIYA = "00ub0oNGTSWTBKOLGLNR";
const MARCUS = "00uJ5w00Amlse2pHcQbs";
const OLIVIA = "00u2f0uF3apeq2oJBzIX";
const DIEGO = "00u2cEvMLRaxLopsKClQ";
const GRACE = "00uHwCHSBn6G1ldstZ2x";
const PERMISSION_SET = OKTA_DEMO.entitlements.find((e) => e.name === "Permission Set")?.id as string;
const WORKDAY = OKTA_DEMO.apps.find((a) => a.name === "workday")?.id as string;
const GITHUB = OKTA_DEMO.apps.find((a) => a.name === "github")?.id as string;

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const s = await startSandbox(options);
  open.push(s);
  return s;
}

async function call(
  sb: Sandbox,
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string; auth?: string | null } = {},
): Promise<Res> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.auth !== null) headers.authorization = opts.auth ?? `SSWS ${TOKEN}`;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await request(path.startsWith("http") ? path : `${sb.url}${path}`, {
    method: method as "GET",
    headers,
    body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const get = (sb: Sandbox, path: string) => call(sb, "GET", path);
const f = (filter: string) => encodeURIComponent(filter);
const appFilter = (appId: string) => `parent.externalId eq "${appId}" AND parent.type eq "APPLICATION"`;
const targetFilter = (appId: string) => `target.externalId eq "${appId}" AND target.type eq "APPLICATION"`;
const principalFilter = (appId: string, userId: string) =>
  `${appFilter(appId)} AND targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`;

function links(res: Res): Record<string, string> {
  const raw = res.headers.link;
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^<([^>]+)>; rel="([^"]+)"$/.exec(v);
    if (!m) throw new Error(`bad Link header value: ${v}`);
    out[m[2] as string] = m[1] as string;
  }
  return out;
}

function expectOktaError(res: Res, status: number, code: string): Body {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers["content-type"]).toBe("application/json");
  expect(Object.keys(res.body).sort()).toEqual([
    "errorCauses",
    "errorCode",
    "errorId",
    "errorLink",
    "errorSummary",
  ]);
  expect(res.body.errorCode).toBe(code);
  expect(res.body.errorLink).toBe(code);
  expect(res.body.errorId).toMatch(/^oae[0-9A-Za-z]{22}$/);
  expect(Array.isArray(res.body.errorCauses)).toBe(true);
  return res.body;
}

function expectRateHeaders(res: Res, limit: number): void {
  expect(res.headers["x-rate-limit-limit"]).toBe(String(limit));
  expect(Number(res.headers["x-rate-limit-remaining"])).toBeGreaterThanOrEqual(0);
  expect(res.headers["x-rate-limit-reset"]).toMatch(/^\d{10}$/);
  expect(res.headers["x-okta-request-id"]).toMatch(/^[0-9A-Za-z]{20,}$/);
  const date = res.headers.date as string;
  expect(date).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  expect(Number.isNaN(Date.parse(date))).toBe(false);
}

describe("routes and request log", () => {
  it("serves every documented route string", async () => {
    const sb = await sandbox();
    for (const route of [
      `GET ${GOV}/entitlements`,
      `POST ${GOV}/entitlements`,
      `GET ${GOV}/entitlements/{entitlementId}`,
      `PUT ${GOV}/entitlements/{entitlementId}`,
      `PATCH ${GOV}/entitlements/{entitlementId}`,
      `DELETE ${GOV}/entitlements/{entitlementId}`,
      `GET ${GOV}/entitlements/{entitlementId}/values`,
      `GET ${GOV}/entitlements/{entitlementId}/values/{valueId}`,
      `GET ${GOV}/entitlements/values`,
      `GET ${GOV}/entitlement-bundles`,
      `POST ${GOV}/entitlement-bundles`,
      `GET ${GOV}/entitlement-bundles/{entitlementBundleId}`,
      `PUT ${GOV}/entitlement-bundles/{entitlementBundleId}`,
      `DELETE ${GOV}/entitlement-bundles/{entitlementBundleId}`,
      `GET ${GOV}/grants`,
      `POST ${GOV}/grants`,
      `GET ${GOV}/grants/{grantId}`,
      `PUT ${GOV}/grants/{grantId}`,
      `PATCH ${GOV}/grants/{grantId}`,
      `GET ${GOV}/principal-entitlements`,
      `GET ${GOV}/principal-access`,
      "POST /governance/api/v2/revoke-principal-access",
      "GET /api/v1/users",
      "GET /api/v1/users/{userId}",
      "GET /api/v1/apps",
      "GET /api/v1/apps/{appId}",
    ]) {
      expect(sb.routes).toContain(route);
    }
    expect(new Set(sb.routes).size).toBe(sb.routes.length);
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("records every request in order, with query, headers and status", async () => {
    const sb = await sandbox();
    expect(sb.requests).toEqual([]);
    await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`);
    await call(sb, "GET", `${GOV}/entitlements?filter=${f(appFilter(SF))}&limit=2`, { auth: null });
    expect(sb.requests).toHaveLength(2);
    expect(sb.requests[0]).toMatchObject({
      method: "GET",
      path: `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`,
      query: "",
      status: 200,
    });
    expect(sb.requests[0]?.headers.authorization).toBe(`SSWS ${TOKEN}`);
    expect(sb.requests[1]).toMatchObject({ method: "GET", path: `${GOV}/entitlements`, status: 401 });
    expect(sb.requests[1]?.query).toBe(`filter=${f(appFilter(SF))}&limit=2`);
  });

  it("does not capture /entitlements/values as an entitlement id", async () => {
    const sb = await sandbox();
    const res = await get(sb, `${GOV}/entitlements/values?filter=${f(appFilter(SF))}`);
    expect(res.status).toBe(200);
    expect(res.body.data[0].entitlementId).toMatch(/^(esp|0ob)/);
  });
});

describe("authentication", () => {
  it("answers a missing or wrong token with 401 E0000011, with rate-limit headers", async () => {
    const sb = await sandbox();
    for (const auth of [null, "SSWS wrong-token", `Basic ${TOKEN}`, "SSWS", `SSWS ${TOKEN}x`]) {
      const res = await call(sb, "GET", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, { auth });
      const body = expectOktaError(res, 401, "E0000011");
      expect(body.errorSummary).toBe("Invalid token provided");
      expect(body.errorCauses).toEqual([]);
      expectRateHeaders(res, 600);
    }
  });

  it("accepts the sandbox token as SSWS and as Bearer", async () => {
    const sb = await sandbox();
    for (const auth of [`SSWS ${TOKEN}`, `Bearer ${TOKEN}`, `ssws ${TOKEN}`]) {
      const res = await call(sb, "GET", "/api/v1/users/00ufxqCAJWWGELFTYCCC", { auth });
      expect(res.status).toBe(200);
      expect(res.body.profile.firstName).toBe("Dana");
    }
  });
});

describe("rate limits", () => {
  it("sends X-Rate-Limit-* on success and on errors, counting down per bucket", async () => {
    const sb = await sandbox({ rateLimit: { limit: 50 } });
    const first = await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`);
    expectRateHeaders(first, 50);
    expect(first.headers["x-rate-limit-remaining"]).toBe("49");
    const reset = Number(first.headers["x-rate-limit-reset"]);
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 61);
    const error = await get(sb, `${GOV}/entitlements/espDOESNOTEXIST00000`);
    expectOktaError(error, 404, "E0000007");
    expectRateHeaders(error, 50);
    expect(error.headers["x-rate-limit-remaining"]).toBe("48");
    // Another family has its own bucket.
    const users = await get(sb, "/api/v1/users?limit=1");
    expect(users.headers["x-rate-limit-remaining"]).toBe("49");
  });

  it("answers 429 E0000047 over the limit, with a Date and reset to compute the wait, until the window ends", async () => {
    let now = Date.parse("2026-03-10T12:00:00Z");
    const sb = await sandbox({ rateLimit: { limit: 3, windowMs: 60_000 }, now: () => now });
    for (let i = 0; i < 3; i++)
      expect((await get(sb, `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`)).status).toBe(200);
    now += 5_000;
    const limited = await get(sb, `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`);
    const body = expectOktaError(limited, 429, "E0000047");
    expect(body.errorSummary).toBe("API call exceeded rate limit due to too many requests.");
    expectRateHeaders(limited, 3);
    expect(limited.headers["x-rate-limit-remaining"]).toBe("0");
    expect(limited.headers.date).toBe("Tue, 10 Mar 2026 12:00:05 GMT");
    const reset = Number(limited.headers["x-rate-limit-reset"]);
    expect(reset).toBe(Date.parse("2026-03-10T12:01:00Z") / 1000);
    // Okta's SDK waits reset - Date + 1 s.
    expect(reset - Date.parse(limited.headers.date as string) / 1000 + 1).toBe(56);
    // The 401 path is limited too (headers first), other buckets are not.
    expect((await call(sb, "GET", `${GOV}/grants/x`, { auth: null })).status).toBe(429);
    expect((await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`)).status).toBe(200);
    now += 56_000;
    const again = await get(sb, `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`);
    expect(again.status).toBe(200);
    expect(again.headers["x-rate-limit-remaining"]).toBe("2");
  });
});

describe("paging", () => {
  it("walks 28 values 10 at a time through _links.next, each seen once, with Link headers", async () => {
    const sb = await sandbox();
    let path: string | undefined = `${GOV}/entitlements/${PERMISSION_SET}/values?limit=10`;
    const seen: string[] = [];
    const pages: number[] = [];
    while (path) {
      const res: Res = await get(sb, path);
      expect(res.status).toBe(200);
      expect(res.body.metadata).toEqual({ total: 28 });
      pages.push(res.body.data.length);
      for (const item of res.body.data) {
        seen.push(item.name);
        expect(item).toMatchObject({
          entitlementId: PERMISSION_SET,
          labels: [],
          _links: {},
          parent: { externalId: SF },
        });
      }
      const header = links(res);
      expect(header.self).toBe(res.body._links.self.href);
      expect(res.body._links.self.hints).toEqual({});
      expect(header.next).toBe(res.body._links.next?.href);
      if (res.body._links.next) {
        const last = res.body.data.at(-1).id;
        expect(res.body._links.next.href).toBe(
          `${sb.url}${GOV}/entitlements/${PERMISSION_SET}/values?after=${last}&limit=10&orderBy=name%20asc`,
        );
      }
      path = res.body._links.next?.href;
    }
    expect(pages).toEqual([10, 10, 8]);
    expect(new Set(seen).size).toBe(28);
    expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it("walks 30 entitlements of the scale app through Link headers, canonicalising the query", async () => {
    const sb = await sandbox({ scale: 30 });
    const scaleApp = OKTA_DEMO.scaleApp.id;
    const filter = appFilter(scaleApp);
    const first = await get(sb, `${GOV}/entitlements?limit=10&filter=${f(filter)}`);
    expect(first.status).toBe(200);
    expect(links(first).self).toBe(
      `${sb.url}${GOV}/entitlements?filter=${f(filter)}&limit=10&orderBy=name%20asc`,
    );
    expect(first.body.data[0]._links.values.href).toBe(
      `${sb.url}${GOV}/entitlements/${first.body.data[0].id}/values?limit=10`,
    );
    expect(first.body.data[0]).not.toHaveProperty("values");
    const ids = new Set<string>();
    let res: Res = first;
    let count = 0;
    for (;;) {
      count++;
      expect(res.body.metadata.total).toBe(30);
      for (const item of res.body.data) ids.add(item.id);
      const next = links(res).next;
      if (!next) break;
      res = await get(sb, next);
    }
    expect(count).toBe(3);
    expect(ids.size).toBe(30);
    for (const id of ids) expect(id).toMatch(/^esp[0-9A-Za-z]{17}$/);
  });

  it("adds the default limit and orderBy to all-values links and ends without next", async () => {
    const sb = await sandbox();
    const filter = `${appFilter(SF)} AND (entitlementId eq "esp5zFLCIUV7Vibro0g2" OR entitlementId eq "esp81PLbVQGWaklZb0g2")`;
    const res = await get(sb, `${GOV}/entitlements/values?filter=${f(filter)}`);
    expect(res.status).toBe(200);
    expect(res.body._links.self.href).toBe(
      `${sb.url}${GOV}/entitlements/values?filter=${f(filter)}&limit=200&orderBy=id%20asc`,
    );
    expect(res.body._links.next).toBeUndefined();
    expect(Object.keys(links(res))).toEqual(["self"]);
    expect(res.body.metadata.total).toBe(6);
    const ids = res.body.data.map((v: Body) => v.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain("entfxqCAJWWGELFTYAAA");
    expect(ids).toContain("entfxqCAJWWFTFUUYBBB");
  });

  it("orders by another field and rejects unknown orderBy, bad limit and bad after", async () => {
    const sb = await sandbox();
    const base = `${GOV}/entitlements?filter=${f(appFilter(SF))}`;
    const desc = await get(sb, `${base}&orderBy=${f("name desc")}`);
    expect(desc.body.data.map((e: Body) => e.name)).toEqual([
      "Role",
      "Profile",
      "Permission Set",
      "License Entitlement",
      "License",
      "Access Level",
    ]);
    expect(desc.body._links.self.href).toContain("orderBy=name%20desc");
    const badOrder = expectOktaError(await get(sb, `${base}&orderBy=${f("color asc")}`), 400, "E0000029");
    expect(badOrder.errorCauses[0]).toMatchObject({ location: "/orderBy", reason: "STRING_FORMAT_INVALID" });
    for (const limit of ["0", "201", "abc", "-1", "1.5"]) {
      const body = expectOktaError(await get(sb, `${base}&limit=${limit}`), 400, "E0000029");
      expect(body.errorSummary).toBe("Invalid paging request.");
      expect(body.errorCauses[0]).toMatchObject({ location: "/limit", locationType: "query" });
    }
    const after = expectOktaError(await get(sb, `${base}&after=espNOPE`), 400, "E0000029");
    expect(after.errorCauses[0]).toMatchObject({ reason: "INVALID_AFTER_PARAMETER", location: "/after" });
  });

  it("pages users and apps as bare arrays with Link headers", async () => {
    const sb = await sandbox();
    const seen: string[] = [];
    let next: string | undefined = "/api/v1/users?limit=5";
    let pages = 0;
    while (next) {
      const res: Res = await get(sb, next);
      expect(Array.isArray(res.body)).toBe(true);
      pages++;
      for (const u of res.body) seen.push(u.id);
      next = links(res).next;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(OKTA_DEMO.users.map((u) => u.id));
    const apps = await get(sb, "/api/v1/apps");
    expect(apps.body.map((a: Body) => a.label)).toEqual([
      "Salesforce",
      "GitHub Enterprise Cloud",
      "Workday",
      "Slack",
      "Company Wiki",
    ]);
    expect(links(apps).next).toBeUndefined();
  });
});

describe("entitlements", () => {
  it("lists with the documented filters, including an ORN naming the app differently", async () => {
    const sb = await sandbox();
    const names = async (filter: string) =>
      (await get(sb, `${GOV}/entitlements?filter=${f(filter)}`)).body.data.map((e: Body) => e.name);
    expect(await names(appFilter(SF))).toEqual([
      "Access Level",
      "License",
      "License Entitlement",
      "Permission Set",
      "Profile",
      "Role",
    ]);
    expect(await names(`parentResourceOrn eq "orn:okta:idp:${ORG}:apps:oidc:${SF}"`)).toHaveLength(6);
    expect(await names(`${appFilter(SF)} AND name sw "License"`)).toEqual(["License", "License Entitlement"]);
    expect(
      await names(`${appFilter(SF)} AND (id eq "esp5zFLCIUV7Vibro0g2" OR id eq "0obfxqCAJWWGELFTYASJ")`),
    ).toEqual(["Access Level", "Role"]);
    expect(await names(`${appFilter(SF)} AND externalValue eq "license"`)).toEqual(["License"]);
    expect(await names(`${appFilter(SF)} and name co "SET"`)).toEqual(["Permission Set"]);
    const item = (await get(sb, `${GOV}/entitlements?filter=${f(`${appFilter(SF)} AND name sw "Role"`)}`))
      .body.data[0];
    expect(item).toMatchObject({
      id: "0obfxqCAJWWGELFTYASJ",
      parentResourceOrn: SF_ORN,
      parent: { externalId: SF, type: "APPLICATION" },
      multiValue: false,
      required: false,
      dataType: "string",
    });
    expect(item.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("rejects filters: missing (E0000028), bad syntax or unsupported (E0000053), no resource or unknown app (E0000029)", async () => {
    const sb = await sandbox();
    const missing = expectOktaError(await get(sb, `${GOV}/entitlements`), 400, "E0000028");
    expect(missing.errorSummary).toBe("The request is missing a required parameter.");
    expect(missing.errorCauses[0]).toMatchObject({ location: "filter", locationType: "query" });
    for (const filter of [
      `parent.externalId eq`,
      `${appFilter(SF)} AND description eq "x"`,
      `${appFilter(SF)} AND name eq "Role"`,
    ]) {
      const body = expectOktaError(await get(sb, `${GOV}/entitlements?filter=${f(filter)}`), 400, "E0000053");
      expect(body.errorSummary).toBe("Invalid SCIM filter.");
      expect(body.errorCauses[0]).toMatchObject({
        reason: "STRING_FORMAT_INVALID",
        location: "/filter",
        locationType: "query",
        domain: "governance",
      });
    }
    const noResource = expectOktaError(
      await get(sb, `${GOV}/entitlements?filter=${f('name sw "Role"')}`),
      400,
      "E0000029",
    );
    expect(noResource.errorSummary).toBe("Invalid filter");
    const unknown = expectOktaError(
      await get(sb, `${GOV}/entitlements?filter=${f(appFilter("0oaUNKNOWN0000000000"))}`),
      400,
      "E0000029",
    );
    expect(unknown.errorSummary).toBe("Invalid externalId request.");
    expect(unknown.errorCauses[0]).toMatchObject({
      reason: "IDENTIFIER_NOT_FOUND",
      location: "/target.externalId",
    });
    const values = expectOktaError(await get(sb, `${GOV}/entitlements/values`), 400, "E0000028");
    expect(values.errorCauses[0].location).toBe("filter");
  });

  it("validates creates field by field (E0000001), malformed JSON (E0000003) and non-opted-in apps (404)", async () => {
    const sb = await sandbox();
    const invalid = expectOktaError(
      await call(sb, "POST", `${GOV}/entitlements`, {
        body: {
          externalValue: "x",
          parent: { externalId: SF, type: "APPLICATION" },
          multiValue: "yes",
          dataType: "number",
          values: [{ name: "" }],
        },
      }),
      400,
      "E0000001",
    );
    expect(invalid.errorSummary).toMatch(/^Api validation failed: /);
    const byLocation = Object.fromEntries(invalid.errorCauses.map((c: Body) => [c.location, c.reason]));
    expect(byLocation).toMatchObject({
      "/name": "REQUIRED_PROPERTY_MISSING",
      "/multiValue": "INVALID_DATA_TYPE",
      "/dataType": "INVALID_ENUM_VALUE",
      "/values/0/name": "STRING_LENGTH_INVALID",
      "/values/0/externalValue": "REQUIRED_PROPERTY_MISSING",
    });
    expect(invalid.errorCauses[0]).toMatchObject({ locationType: "body", domain: "entitlements" });
    const tooLong = expectOktaError(
      await call(sb, "POST", `${GOV}/entitlements`, {
        body: {
          name: "x".repeat(256),
          externalValue: "x",
          parent: { externalId: SF, type: "APPLICATION" },
          multiValue: false,
          dataType: "string",
          values: [],
        },
      }),
      400,
      "E0000001",
    );
    expect(tooLong.errorCauses.map((c: Body) => c.location)).toEqual(["/name"]);
    const malformed = expectOktaError(
      await call(sb, "POST", `${GOV}/entitlements`, { raw: '{"name": ' }),
      400,
      "E0000003",
    );
    expect(malformed.errorSummary).toBe("The request body was not well-formed.");
    const wiki = expectOktaError(
      await call(sb, "POST", `${GOV}/entitlements`, {
        body: {
          name: "Space",
          externalValue: "space",
          parent: { externalId: WIKI, type: "APPLICATION" },
          multiValue: false,
          dataType: "string",
          values: [],
        },
      }),
      404,
      "E0000007",
    );
    expect(wiki.errorSummary).toBe("Not found: Resource not found: null (SharedAppInstance)");
  });

  it("answers unknown ids with 404 E0000007 naming the id and type", async () => {
    const sb = await sandbox();
    const ent = expectOktaError(await get(sb, `${GOV}/entitlements/espNOTHERE0000000000`), 404, "E0000007");
    expect(ent.errorSummary).toBe("Not found: Resource not found: espNOTHERE0000000000 (Entitlement)");
    // A value of another entitlement is not found under this one.
    const value = expectOktaError(
      await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6/values/entfxqCAJWWGELFTYAAA`),
      404,
      "E0000007",
    );
    expect(value.errorSummary).toContain("entfxqCAJWWGELFTYAAA");
    expectOktaError(await get(sb, `${GOV}/entitlement-bundles/enbNOTHERE0000000000`), 404, "E0000007");
    expectOktaError(await get(sb, `${GOV}/grants/graNOTHERE0000000000`), 404, "E0000007");
    expectOktaError(await call(sb, "DELETE", `${GOV}/entitlements/espNOTHERE0000000000`), 404, "E0000007");
    expectOktaError(await get(sb, "/api/v1/users/00uNOTHERE0000000000"), 404, "E0000007");
  });

  it("answers unmatched governance paths and methods with 405 E0000022, other paths with 404", async () => {
    const sb = await sandbox();
    const del = expectOktaError(
      await call(sb, "DELETE", `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`),
      405,
      "E0000022",
    );
    expect(del.errorSummary).toBe("The endpoint does not support the provided HTTP method");
    expectOktaError(await get(sb, `${GOV}/no-such-thing`), 405, "E0000022");
    expectOktaError(await call(sb, "POST", `${GOV}/entitlements/values`), 405, "E0000022");
    expectOktaError(await get(sb, "/api/v1/nothing-here"), 404, "E0000007");
  });

  it("gets one value with its parent, and lists values with a name filter", async () => {
    const sb = await sandbox();
    const value = await get(sb, `${GOV}/entitlements/esp5zFLCIUV7Vibro0g2/values/entfxqCAJWWGELFTYAAA`);
    expect(value.status).toBe(200);
    expect(value.body).toMatchObject({
      id: "entfxqCAJWWGELFTYAAA",
      name: "Admin access",
      description: "ability to grant an access",
      externalValue: "admin",
      entitlementId: "esp5zFLCIUV7Vibro0g2",
      externalId: "75941239-123s-1245-xyz6-562fee27167r",
      parentResourceOrn: SF_ORN,
      parent: { externalId: SF, type: "APPLICATION" },
      orn: `orn:okta:governance:${ORG}:entitlement-values:entfxqCAJWWGELFTYAAA`,
      labels: [],
      _links: {
        self: {
          href: `${sb.url}${GOV}/entitlements/esp5zFLCIUV7Vibro0g2/values/entfxqCAJWWGELFTYAAA`,
          hints: {},
        },
      },
    });
    expect(links(value).self).toBe(value.body._links.self.href);
    const list = await get(
      sb,
      `${GOV}/entitlements/${PERMISSION_SET}/values?filter=${f('name sw "manage"')}`,
    );
    expect(list.body.data.map((v: Body) => v.name)).toEqual([
      "Manage Cases",
      "Manage Dashboards",
      "Manage Leads",
      "Manage Price Books",
      "Manage Public List Views",
      "Manage Territories",
      "Manage Users",
    ]);
    expect(list.body.metadata.total).toBe(7);
  });

  it("bumps lastUpdated on every write, even within the same second", async () => {
    const sb = await sandbox({ now: () => Date.parse("2026-01-01T00:00:00Z") });
    const before = (await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`)).body.lastUpdated;
    const patch = (name: string) =>
      call(sb, "PATCH", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, {
        body: [{ op: "REPLACE", path: "/name", value: name, refType: "ENTITLEMENT" }],
      });
    const a = (await patch("A")).body.lastUpdated;
    const b = (await patch("B")).body.lastUpdated;
    expect(new Set([before, a, b]).size).toBe(3);
    expect(Date.parse(b)).toBeGreaterThan(Date.parse(a));
    expect(a).toBe("2026-01-01T00:00:00Z");
    expect(b).toBe("2026-01-01T00:00:01Z");
  });

  it("validates PATCH operations all first and names the failing index", async () => {
    const sb = await sandbox();
    const res = await call(sb, "PATCH", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, {
      body: [
        { op: "REPLACE", path: "/name", value: "Renamed", refType: "ENTITLEMENT" },
        { op: "REMOVE", path: "/values/entNOPE", refType: "ENTITLEMENT-VALUE" },
      ],
    });
    const body = expectOktaError(res, 400, "E0000001");
    expect(body.errorCauses[0].errorSummary).toMatch(/^Operation 1:/);
    expect(body.errorCauses[0].location).toBe("/1/path");
    // Nothing was applied.
    expect((await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`)).body.name).toBe("License Entitlement");
    expectOktaError(
      await call(sb, "PATCH", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, { body: [] }),
      400,
      "E0000001",
    );
  });

  it("PUT keeps, creates and removes values, and refuses a foreign value id or a mismatched id", async () => {
    const sb = await sandbox();
    const res = await call(sb, "PUT", `${GOV}/entitlements/esp5zFLCIUV7Vibro0g2`, {
      body: {
        id: "esp5zFLCIUV7Vibro0g2",
        name: "Access Level",
        externalValue: "access_level",
        parent: { externalId: SF, type: "APPLICATION" },
        multiValue: false,
        dataType: "string",
        values: [
          { id: "entfxqCAJWWGELFTYAAA", name: "Administrator", externalValue: "admin" },
          { name: "Auditor", externalValue: "auditor" },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.values.map((v: Body) => v.name)).toEqual(["Administrator", "Auditor"]);
    expect(res.body.values[1].id).toMatch(/^ent[0-9A-Za-z]{17}$/);
    expect(res.body.metadata.total).toBe(2);
    expect(res.body).not.toHaveProperty("description");
    const foreign = expectOktaError(
      await call(sb, "PUT", `${GOV}/entitlements/esp5zFLCIUV7Vibro0g2`, {
        body: { ...res.body, values: [{ id: "ent148gF8aZoRfFsh0g4", name: "x", externalValue: "x" }] },
      }),
      400,
      "E0000001",
    );
    expect(foreign.errorCauses[0]).toMatchObject({
      reason: "IDENTIFIER_NOT_FOUND",
      location: "/values/0/id",
    });
    const mismatch = expectOktaError(
      await call(sb, "PUT", `${GOV}/entitlements/esp5zFLCIUV7Vibro0g2`, {
        body: { ...res.body, id: "esp2lr1lavoGDYw5U8g6" },
      }),
      400,
      "E0000001",
    );
    expect(mismatch.errorCauses[0].location).toBe("/id");
  });

  it("DELETE answers 204 and removes the entitlement's values from bundles and grants", async () => {
    const sb = await sandbox();
    const bundleBefore = (await get(sb, `${GOV}/entitlement-bundles/enbfxqCAJWWGELFTYCCC`)).body;
    expect(bundleBefore.entitlements.map((e: Body) => e.id)).toContain(PERMISSION_SET);
    const del = await call(sb, "DELETE", `${GOV}/entitlements/${PERMISSION_SET}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expectRateHeaders(del, 600);
    expectOktaError(await get(sb, `${GOV}/entitlements/${PERMISSION_SET}`), 404, "E0000007");
    const bundleAfter = (await get(sb, `${GOV}/entitlement-bundles/enbfxqCAJWWGELFTYCCC`)).body;
    expect(bundleAfter.entitlements.map((e: Body) => e.id)).not.toContain(PERMISSION_SET);
    expect(bundleAfter.lastUpdated > bundleBefore.lastUpdated).toBe(true);
    const olivia = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(SF, OLIVIA))}`);
    expect(olivia.body.data.map((e: Body) => e.name)).not.toContain("Permission Set");
  });

  it("generates the same ids on every run", async () => {
    const body = {
      name: "Territory",
      externalValue: "territory",
      parent: { externalId: SF, type: "APPLICATION" },
      multiValue: false,
      dataType: "string",
      values: [{ name: "EMEA", externalValue: "emea" }],
    };
    const a = (await call(await sandbox(), "POST", `${GOV}/entitlements`, { body })).body;
    const b = (await call(await sandbox(), "POST", `${GOV}/entitlements`, { body })).body;
    expect(a.id).toBe(b.id);
    expect(a.values[0].id).toBe(b.values[0].id);
  });
});

describe("bundles", () => {
  it("lists all statuses without entitlements, or full entitlements with include", async () => {
    const sb = await sandbox();
    const list = await get(sb, `${GOV}/entitlement-bundles`);
    expect(list.body.metadata.total).toBe(6);
    expect(list.body.data.map((b: Body) => b.status).sort()).toEqual([
      "ACTIVE",
      "ACTIVE",
      "ACTIVE",
      "ACTIVE",
      "ACTIVE",
      "DELETED",
    ]);
    for (const b of list.body.data) expect(b.entitlements).toEqual([]);
    expect(list.body._links.self.href).toBe(`${sb.url}${GOV}/entitlement-bundles?limit=20`);
    const full = await get(
      sb,
      `${GOV}/entitlement-bundles?include=full_entitlements&filter=${f('name sw "salesforce sales"')}`,
    );
    expect(full.body.data.map((b: Body) => b.name).sort()).toEqual([
      "Salesforce Sales Cloud admin",
      "Salesforce Sales Rep",
    ]);
    const admin = full.body.data.find((b: Body) => b.id === "enbfxqCAJWWGELFTYCCC");
    const permissionSet = admin.entitlements.find((e: Body) => e.id === PERMISSION_SET);
    expect(permissionSet).toMatchObject({
      name: "Permission Set",
      multiValue: true,
      required: false,
      dataType: "array",
    });
    expect(permissionSet.values.map((v: Body) => v.name).sort()).toEqual([
      "Manage Users",
      "Modify All Data",
      "Sales Cloud User",
    ]);
    expect(permissionSet.values[0].orn).toMatch(
      /^orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-values:ent/,
    );
    const byTarget = await get(sb, `${GOV}/entitlement-bundles?filter=${f(targetFilter(GITHUB))}`);
    expect(byTarget.body.data.map((b: Body) => b.name)).toEqual(["GitHub Platform Engineering"]);
    const paged = await get(sb, `${GOV}/entitlement-bundles?limit=4`);
    expect(paged.body.data).toHaveLength(4);
    expect(links(paged).next).toBe(
      `${sb.url}${GOV}/entitlement-bundles?after=${paged.body.data[3].id}&limit=4`,
    );
  });

  it("DELETE sets DELETED (still readable, filterable), then 409 E0000169; a deleted bundle can't be granted", async () => {
    const sb = await sandbox();
    const id = "enbfxqCAJWWGELFTYCCC";
    expect((await call(sb, "DELETE", `${GOV}/entitlement-bundles/${id}`)).status).toBe(204);
    const after = await get(sb, `${GOV}/entitlement-bundles/${id}`);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe("DELETED");
    const deleted = await get(sb, `${GOV}/entitlement-bundles?filter=${f('status eq "DELETED"')}`);
    expect(deleted.body.data.map((b: Body) => b.id)).toContain(id);
    const active = await get(sb, `${GOV}/entitlement-bundles?filter=${f('status eq "ACTIVE"')}`);
    expect(active.body.data.map((b: Body) => b.id)).not.toContain(id);
    const again = expectOktaError(
      await call(sb, "DELETE", `${GOV}/entitlement-bundles/${id}`),
      409,
      "E0000169",
    );
    expect(again.errorSummary).toBe("Object status conflicts with requested operation.");
    expect(again.errorCauses[0]).toMatchObject({
      reason: "OPERATION_STATUS_CONFLICT",
      locationType: "method",
      domain: "entitlement-bundle",
    });
    const grant = expectOktaError(
      await call(sb, "POST", `${GOV}/grants`, {
        body: {
          grantType: "ENTITLEMENT-BUNDLE",
          entitlementBundleId: id,
          targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        },
      }),
      400,
      "E0000001",
    );
    expect(grant.errorCauses[0].location).toBe("/entitlementBundleId");
    // Olivia's grant of that bundle ended with it.
    const olivia = await get(
      sb,
      `${GOV}/grants?filter=${f(`${targetFilter(SF)} AND entitlementBundleId eq "${id}"`)}`,
    );
    expect(olivia.body.data).toEqual([]);
  });

  it("validates creates: E0000028 for missing name / entitlements, E0000001 for duplicates and unknown ids", async () => {
    const sb = await sandbox();
    const target = { externalId: SF, type: "APPLICATION" };
    const missing = expectOktaError(
      await call(sb, "POST", `${GOV}/entitlement-bundles`, { body: { target } }),
      400,
      "E0000028",
    );
    expect(missing.errorCauses.map((c: Body) => c.reason)).toEqual(["MISSING_NAME", "MISSING_ENTITLEMENTS"]);
    const duplicate = expectOktaError(
      await call(sb, "POST", `${GOV}/entitlement-bundles`, {
        body: {
          name: "salesforce sales rep",
          target,
          entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
        },
      }),
      400,
      "E0000001",
    );
    expect(duplicate.errorCauses[0].location).toBe("/name");
    const unknown = expectOktaError(
      await call(sb, "POST", `${GOV}/entitlement-bundles`, {
        body: {
          name: "Mixed",
          target,
          entitlements: [
            { id: "espNOPE", values: [] },
            { id: "esp5zFLCIUV7Vibro0g2", values: [{ id: "ent148gF8aZoRfFsh0g4" }] },
            { id: OKTA_DEMO.entitlements.find((e) => e.appId === GITHUB)?.id, values: [] },
          ],
        },
      }),
      400,
      "E0000001",
    );
    expect(unknown.errorCauses.map((c: Body) => [c.location, c.reason])).toEqual([
      ["/entitlements/0/id", "IDENTIFIER_NOT_FOUND"],
      ["/entitlements/1/values/0/id", "IDENTIFIER_NOT_FOUND"],
      ["/entitlements/2/id", "IDENTIFIER_NOT_FOUND"],
    ]);
  });

  it("PUT changes propagate to the bundle's grants", async () => {
    const sb = await sandbox();
    const rep = OKTA_DEMO.bundles.find((b) => b.name === "Salesforce Sales Rep");
    const bundle = (await get(sb, `${GOV}/entitlement-bundles/${rep?.id}`)).body;
    const res = await call(sb, "PUT", `${GOV}/entitlement-bundles/${bundle.id}`, {
      body: {
        ...bundle,
        entitlements: [
          {
            id: "0obfxqCAJWWGELFTYASJ",
            values: [
              { id: OKTA_DEMO.entitlements.find((e) => e.id === "0obfxqCAJWWGELFTYASJ")?.values[0]?.id },
            ],
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.lastUpdated > bundle.lastUpdated).toBe(true);
    const marcus = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(SF, MARCUS))}`);
    const role = marcus.body.data.find((e: Body) => e.name === "Role");
    expect(role.values.map((v: Body) => v.name)).toEqual(["CEO"]);
    expect(marcus.body.data.find((e: Body) => e.name === "Permission Set")).toBeUndefined();
  });
});

describe("grants", () => {
  it("requires a filter pinning exactly one target resource", async () => {
    const sb = await sandbox();
    expectOktaError(await get(sb, `${GOV}/grants`), 400, "E0000028");
    const none = expectOktaError(
      await get(sb, `${GOV}/grants?filter=${f(`action eq "ALLOW"`)}`),
      400,
      "E0000029",
    );
    expect(none.errorSummary).toBe("Invalid filter");
    expect(none.errorCauses[0].errorSummary).toBe("Cannot find value found for target resource");
    const two = expectOktaError(
      await get(
        sb,
        `${GOV}/grants?filter=${f(`target.type eq "APPLICATION" AND (target.externalId eq "${SF}" OR target.externalId eq "${GITHUB}")`)}`,
      ),
      400,
      "E0000029",
    );
    expect(two.errorCauses[0].errorSummary).toBe("Multiple values found for target resource");
    expectOktaError(
      await get(sb, `${GOV}/grants?filter=${f(`${targetFilter(SF)} AND status eq "ACTIVE"`)}`),
      400,
      "E0000053",
    );
    const unknownEnt = expectOktaError(
      await get(
        sb,
        `${GOV}/grants?filter=${f(`${targetFilter(SF)} AND entitlements.id eq "espfxqCAJWWFTFUUYKKK"`)}`,
      ),
      404,
      "E0000007",
    );
    expect(unknownEnt.errorSummary).toContain("espfxqCAJWWFTFUUYKKK");
  });

  it("lists only ACTIVE grants, sorted by id, without metadata; GET shows any status", async () => {
    const sb = await sandbox();
    const res = await get(
      sb,
      `${GOV}/grants?filter=${f(`targetResourceOrn eq "orn:okta:idp:${ORG}:apps:oidc:${SF}"`)}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("metadata");
    const grants = res.body.data;
    for (const g of grants) expect(g.status).toBe("ACTIVE");
    expect(grants.map((g: Body) => g.id)).toEqual([...grants.map((g: Body) => g.id)].sort());
    const inactive = OKTA_DEMO.grants.find((g) => g.userId === MARCUS && g.status === "INACTIVE");
    expect(grants.map((g: Body) => g.id)).not.toContain(inactive?.id);
    const old = await get(sb, `${GOV}/grants/${inactive?.id}`);
    expect(old.body).toMatchObject({
      status: "INACTIVE",
      grantType: "CUSTOM",
      targetPrincipal: { externalId: MARCUS },
    });
    const byValue = await get(
      sb,
      `${GOV}/grants?filter=${f(`${targetFilter(SF)} AND entitlements.values.id eq "entfxqCAJWWFTFUUYBBB"`)}`,
    );
    // The Corporate License comes from Olivia's CUSTOM grant and from Dana's and Marcus' POLICY grants.
    const matched = byValue.body.data.map((g: Body) => [g.grantType, g.targetPrincipal.externalId]);
    expect(matched.sort()).toEqual([
      ["CUSTOM", OLIVIA],
      ["POLICY", MARCUS],
      ["POLICY", DANA],
    ]);
    const byPrincipal = await get(
      sb,
      `${GOV}/grants?filter=${f(`${targetFilter(SF)} AND targetPrincipal.externalId eq "${DANA}" AND targetPrincipal.type eq "OKTA_USER"`)}&include=full_entitlements`,
    );
    expect(byPrincipal.body.data.map((g: Body) => g.grantType)).toEqual(
      expect.arrayContaining(["POLICY", "ENTITLEMENT-BUNDLE"]),
    );
    const bundleGrant = byPrincipal.body.data.find((g: Body) => g.grantType === "ENTITLEMENT-BUNDLE");
    expect(bundleGrant.entitlements.map((e: Body) => e.name).sort()).toEqual([
      "Permission Set",
      "Profile",
      "Role",
    ]);
    expect(bundleGrant._links.entitlementBundle.href).toBe(
      `${sb.url}${GOV}/entitlement-bundles/${bundleGrant.entitlementBundleId}`,
    );
  });

  it("base grants replace the principal's other grants on the app; additive grants stack", async () => {
    const sb = await sandbox();
    const danaGrants = async () =>
      (
        await get(
          sb,
          `${GOV}/grants?filter=${f(`${targetFilter(SF)} AND targetPrincipalOrn eq "orn:okta:directory:${ORG}:users:${DANA}"`)}`,
        )
      ).body.data;
    const before = await danaGrants();
    expect(before.map((g: Body) => g.grantType).sort()).toEqual(["ENTITLEMENT-BUNDLE", "POLICY"]);
    const additive = await call(sb, "POST", `${GOV}/grants`, {
      body: {
        grantType: "ENTITLEMENT",
        target: { externalId: SF, type: "APPLICATION" },
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        entitlements: [{ id: "esp2lr1lavoGDYw5U8g6", values: [{ id: "ent148gF8aZoRfFsh0g4" }] }],
      },
    });
    expect(additive.status).toBe(201);
    expect(additive.body.id).toMatch(/^gra[0-9A-Za-z]{17}$/);
    expect(additive.body).toMatchObject({ action: "ALLOW", actor: "API", status: "ACTIVE" });
    expect(await danaGrants()).toHaveLength(3);
    const base = await call(sb, "POST", `${GOV}/grants`, {
      body: {
        grantType: "CUSTOM",
        target: { externalId: SF, type: "APPLICATION" },
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        entitlements: [{ id: "esp5zFLCIUV7Vibro0g2", values: [{ id: "entfxqCAJWWGELFTYAAA" }] }],
        actor: "ADMIN",
        scheduleSettings: { expirationDate: "2031-01-01T00:00:00Z", timeZone: "Europe/Berlin" },
      },
    });
    expect(base.status).toBe(201);
    const after = await danaGrants();
    expect(after.map((g: Body) => g.id)).toEqual([base.body.id]);
    for (const g of before) expect((await get(sb, `${GOV}/grants/${g.id}`)).body.status).toBe("INACTIVE");
    const effective = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(SF, DANA))}`);
    expect(effective.body.data).toHaveLength(1);
    expect(effective.body.data[0]).toMatchObject({
      id: "esp5zFLCIUV7Vibro0g2",
      name: "Access Level",
      targetPrincipalOrn: `orn:okta:directory:${ORG}:users:${DANA}`,
      values: [{ id: "entfxqCAJWWGELFTYAAA", name: "Admin access" }],
    });
    const access = await get(sb, `${GOV}/principal-access?filter=${f(principalFilter(SF, DANA))}`);
    expect(access.body.base).toMatchObject({
      grantType: "CUSTOM",
      grantMethod: "ADMIN",
      grant: { id: base.body.id },
    });
    expect(access.body.expirationTime).toBe("2031-01-01T00:00:00Z");
    expect(access.body.additional).toBeUndefined();
  });

  it("validates creates and PATCHes the expiry", async () => {
    const sb = await sandbox();
    const bad = expectOktaError(
      await call(sb, "POST", `${GOV}/grants`, {
        body: {
          grantType: "CUSTOM",
          target: { externalId: SF, type: "APPLICATION" },
          targetPrincipal: { externalId: "00uNOBODY", type: "OKTA_USER" },
          action: "MAYBE",
        },
      }),
      400,
      "E0000001",
    );
    expect(bad.errorCauses.map((c: Body) => c.location)).toEqual(["/targetPrincipal/externalId", "/action"]);
    const patched = await call(sb, "PATCH", `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`, {
      body: {
        id: "0ggb0oNGTSWTBKOLGLNR",
        scheduleSettings: { expirationDate: "2030-01-01T00:00:00Z", timeZone: "America/Chicago" },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.scheduleSettings).toEqual({
      expirationDate: "2030-01-01T00:00:00Z",
      timeZone: "America/Chicago",
    });
    expectOktaError(
      await call(sb, "PATCH", `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`, {
        body: {
          id: "0ggb0oNGTSWTBKOLGLNR",
          scheduleSettings: { expirationDate: "soon", timeZone: "Mars/Base" },
        },
      }),
      400,
      "E0000001",
    );
    const policy = OKTA_DEMO.grants.find((g) => g.grantType === "POLICY" && g.status === "ACTIVE");
    const notCustom = expectOktaError(
      await call(sb, "PUT", `${GOV}/grants/${policy?.id}`, {
        body: { ...(await get(sb, `${GOV}/grants/${policy?.id}`)).body, entitlements: [] },
      }),
      400,
      "E0000001",
    );
    expect(notCustom.errorCauses[0].location).toBe("/grantType");
  });

  it("applies DENY grants: a value denied after a bundle, and a contractor's revoke-all", async () => {
    const sb = await sandbox();
    const diego = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(WORKDAY, DIEGO))}`);
    const groups = diego.body.data.find((e: Body) => e.name === "Security Group");
    expect(groups.values.map((v: Body) => v.name).sort()).toEqual(["Employee Self-Service", "Payroll Admin"]);
    const access = await get(sb, `${GOV}/principal-access?filter=${f(principalFilter(WORKDAY, DIEGO))}`);
    expect(access.body.base.grantType).toBe("POLICY");
    expect(access.body.additional.map((a: Body) => [a.grantType, a.action])).toEqual([
      ["ENTITLEMENT-BUNDLE", "ALLOW"],
      ["ENTITLEMENT", "DENY"],
    ]);
    const bundleEntry = access.body.additional[0];
    expect(bundleEntry.bundle.name).toBe("Workday Payroll Operations");
    const approver = bundleEntry.entitlements[0].values.find((v: Body) => v.name === "Expense Approver");
    expect(approver.effective).toBe(false);
    const grace = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(GITHUB, GRACE))}`);
    expect(grace.body.data).toEqual([]);
  });
});

describe("principal access and revocation", () => {
  it("requires both a principal and a resource in the filter", async () => {
    const sb = await sandbox();
    expectOktaError(await get(sb, `${GOV}/principal-entitlements`), 400, "E0000028");
    const noUser = expectOktaError(
      await get(sb, `${GOV}/principal-entitlements?filter=${f(appFilter(SF))}`),
      400,
      "E0000029",
    );
    expect(noUser.errorCauses[0].errorSummary).toBe("Cannot find value found for target principal");
    expectOktaError(
      await get(
        sb,
        `${GOV}/principal-access?filter=${f(`targetPrincipal.externalId eq "${DANA}" AND targetPrincipal.type eq "OKTA_USER"`)}`,
      ),
      400,
      "E0000029",
    );
    expectOktaError(
      await get(sb, `${GOV}/principal-access?filter=${f(`${principalFilter(SF, DANA)} AND name sw "x"`)}`),
      400,
      "E0000053",
    );
  });

  it("revokes values, bundles and whole apps, and validates the body", async () => {
    const sb = await sandbox();
    const olivia = `orn:okta:directory:${ORG}:users:${OLIVIA}`;
    const exportReports = OKTA_DEMO.entitlements
      .find((e) => e.id === PERMISSION_SET)
      ?.values.find((v) => v.name === "Export Reports");
    const manageUsers = OKTA_DEMO.entitlements
      .find((e) => e.id === PERMISSION_SET)
      ?.values.find((v) => v.name === "Manage Users");
    const res = await call(sb, "POST", "/governance/api/v2/revoke-principal-access", {
      body: {
        principalOrn: olivia,
        revokeOrns: [
          `orn:okta:governance:${ORG}:entitlement-values:${exportReports?.id}`,
          `orn:okta:governance:${ORG}:entitlement-values:${manageUsers?.id}`,
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
    const link = res.body.data[0]._links["principal-entitlements"].href;
    expect(link).toBe(`${sb.url}${GOV}/principal-entitlements?filter=${f(principalFilter(SF, OLIVIA))}`);
    const after = await get(sb, link);
    const names = after.body.data
      .find((e: Body) => e.name === "Permission Set")
      .values.map((v: Body) => v.name);
    expect(names).not.toContain("Export Reports");
    // Manage Users came from a bundle: it is now denied by an additive DENY grant.
    expect(names).not.toContain("Manage Users");
    expect(names).toContain("Modify All Data");
    const access = await get(sb, res.body.data[0]._links["principal-access"].href);
    expect(access.body.additional.at(-1)).toMatchObject({ grantType: "ENTITLEMENT", action: "DENY" });

    const app = await call(sb, "POST", "/governance/api/v2/revoke-principal-access", {
      body: { principalOrn: olivia, revokeOrns: [SF_ORN] },
    });
    expect(app.status).toBe(200);
    expect((await get(sb, link)).body.data).toEqual([]);

    const missing = expectOktaError(
      await call(sb, "POST", "/governance/api/v2/revoke-principal-access", {
        body: { revokeOrns: [SF_ORN] },
      }),
      400,
      "E0000001",
    );
    expect(missing.errorCauses[0].location).toBe("/principalOrn");
    const six = Array.from(
      { length: 6 },
      () => `orn:okta:governance:${ORG}:entitlement-values:entfxqCAJWWGELFTYAAA`,
    );
    expectOktaError(
      await call(sb, "POST", "/governance/api/v2/revoke-principal-access", {
        body: { principalOrn: olivia, revokeOrns: six },
      }),
      400,
      "E0000001",
    );
    const mixed = expectOktaError(
      await call(sb, "POST", "/governance/api/v2/revoke-principal-access", {
        body: {
          principalOrn: olivia,
          revokeOrns: [SF_ORN, `orn:okta:governance:${ORG}:entitlement-values:entfxqCAJWWGELFTYAAA`],
        },
      }),
      400,
      "E0000001",
    );
    expect(mixed.errorCauses.at(-1).errorSummary).toMatch(/only item/);
    const badOrn = expectOktaError(
      await call(sb, "POST", "/governance/api/v2/revoke-principal-access", {
        body: { principalOrn: olivia, revokeOrns: ["nonsense"] },
      }),
      400,
      "E0000001",
    );
    expect(badOrn.errorCauses[0].errorSummary).toBe("Invalid ORN format for revokeObjectOrns");
  });
});

describe("users and apps", () => {
  it("searches users and apps with q (case-insensitive prefix) and gets them by id", async () => {
    const sb = await sandbox();
    const dana = await get(sb, "/api/v1/users?q=DAN");
    expect(dana.body.map((u: Body) => u.profile.login)).toEqual(["dana.whitfield@acme.example"]);
    expect(dana.body[0]).toMatchObject({
      id: DANA,
      status: "ACTIVE",
      profile: { firstName: "Dana", lastName: "Whitfield" },
    });
    expect((await get(sb, "/api/v1/users?q=raman")).body[0].id).toBe(PRIYA);
    expect((await get(sb, `/api/v1/users?filter=${f('profile.lastName eq "Liu"')}`)).body[0].id).toBe(GRACE);
    expectOktaError(await get(sb, `/api/v1/users?filter=${f('profile.nickName eq "x"')}`), 400, "E0000031");
    expect((await get(sb, "/api/v1/users/dana.whitfield@acme.example")).body.id).toBe(DANA);
    expect((await get(sb, "/api/v1/apps?q=sl")).body.map((a: Body) => a.name)).toEqual(["slack"]);
    const sf = await get(sb, `/api/v1/apps/${SF}`);
    expect(sf.body).toMatchObject({
      id: SF,
      name: "salesforce",
      label: "Salesforce",
      status: "ACTIVE",
      orn: SF_ORN,
    });
    expectOktaError(await get(sb, "/api/v1/apps/0oaNOTHERE0000000000"), 404, "E0000007");
  });

  it("returns 10 users by default for a q search and 200 for a plain list", async () => {
    const sb = await sandbox();
    const a = await get(sb, "/api/v1/users?q=a");
    expect(a.body.length).toBeLessThanOrEqual(10);
    expect(links(a).self).toBe(`${sb.url}/api/v1/users?q=a&limit=10`);
    expect(links(await get(sb, "/api/v1/users")).self).toBe(`${sb.url}/api/v1/users?limit=200`);
  });

  it("serves an empty org (apps and users only) and a large scale app", async () => {
    const empty = await sandbox({ seed: "empty" });
    expect((await get(empty, `${GOV}/entitlements?filter=${f(appFilter(SF))}`)).body.data).toEqual([]);
    expect((await get(empty, `${GOV}/entitlement-bundles`)).body.metadata.total).toBe(0);
    expect((await get(empty, "/api/v1/users")).body).toHaveLength(12);
    const big = await sandbox({ scale: 50_000 });
    const started = Date.now();
    const res = await get(big, `${GOV}/entitlements?filter=${f(appFilter(OKTA_DEMO.scaleApp.id))}&limit=200`);
    expect(res.body.metadata.total).toBe(50_000);
    expect(res.body.data[0].name).toBe("Scale Entitlement 000001");
    const next = await get(big, links(res).next as string);
    expect(next.body.data[0].name).toBe("Scale Entitlement 000201");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("fault injection", () => {
  it("answers injected statuses in Okta's style and delays responses", async () => {
    const sb = await sandbox();
    sb.inject({ route: `GET ${GOV}/grants/{grantId}`, status: 503, times: 2 });
    sb.inject({ pathPrefix: "/api/v1/users", latencyMs: 150 });
    const first = await get(sb, `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`);
    expectOktaError(first, 503, "E0000009");
    expectRateHeaders(first, 600);
    expect((await get(sb, `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`)).status).toBe(503);
    expect((await get(sb, `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`)).status).toBe(200);
    const started = Date.now();
    expect((await get(sb, `/api/v1/users/${DANA}`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sb.requests.map((r) => r.status)).toEqual([503, 503, 200, 200]);
  });
});

describe("the seed documents' examples, verbatim", () => {
  it("001: create an entitlement", async () => {
    const sb = await sandbox();
    const res = await call(sb, "POST", `${GOV}/entitlements`, {
      body: {
        name: "License Entitlement",
        externalValue: "license_entitlement",
        description: "Some license entitlement",
        parent: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
        multiValue: true,
        dataType: "string",
        values: [
          { name: "value1", description: "description for value1", externalValue: "value_1" },
          { name: "value2", description: "description for value2", externalValue: "value_2" },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "License Entitlement",
      externalValue: "license_entitlement",
      description: "Some license entitlement",
      parentResourceOrn: "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:0oafxqCAJWWGELFTYASJ",
      parent: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
      multiValue: true,
      required: false,
      dataType: "array",
      metadata: { total: 2 },
      createdBy: PRIYA,
    });
    expect(res.body.id).toMatch(/^esp[0-9A-Za-z]{17}$/);
    expect(res.body.values.map((v: Body) => [v.name, v.externalValue, v.description])).toEqual([
      ["value1", "value_1", "description for value1"],
      ["value2", "value_2", "description for value2"],
    ]);
    for (const v of res.body.values) {
      expect(v.id).toMatch(/^ent[0-9A-Za-z]{17}$/);
      expect(v.orn).toBe(`orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-values:${v.id}`);
    }
    expect(res.body._links.self.href).toBe(`${sb.url}${GOV}/entitlements/${res.body.id}`);
    expect(res.body.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await get(sb, `${GOV}/entitlements/${res.body.id}`);
    expect(got.body).toEqual(res.body);
  });

  it("001: replace an entitlement", async () => {
    const sb = await sandbox();
    const res = await call(sb, "PUT", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, {
      body: {
        id: "esp2lr1lavoGDYw5U8g6",
        name: "License Entitlement",
        externalValue: "license_entitlement",
        description: "Entitlement description",
        parentResourceOrn: "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:0oafxqCAJWWGELFTYASJ",
        parent: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
        multiValue: true,
        dataType: "string",
        values: [
          {
            id: "ent148gF8aZoRfFsh0g4",
            name: "value1",
            description: "description for value1",
            externalValue: "value_1",
          },
          {
            id: "entotuwr1z1efm5RA1d6",
            name: "value2",
            description: "new value for entitlement",
            externalValue: "value_2",
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: "esp2lr1lavoGDYw5U8g6",
      description: "Entitlement description",
      dataType: "array",
      metadata: { total: 2 },
    });
    expect(res.body.values.map((v: Body) => [v.id, v.description])).toEqual([
      ["ent148gF8aZoRfFsh0g4", "description for value1"],
      ["entotuwr1z1efm5RA1d6", "new value for entitlement"],
    ]);
  });

  it("001: update an entitlement with the documented PATCH array", async () => {
    const sb = await sandbox();
    const res = await call(sb, "PATCH", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, {
      body: [
        {
          op: "ADD",
          path: "/values/-",
          value: { name: "value1", description: "description for value1", externalValue: "value_1" },
          refType: "ENTITLEMENT-VALUE",
        },
        { op: "REMOVE", path: "/values/ent148gF8aZoRfFsh0g4", refType: "ENTITLEMENT-VALUE" },
        {
          op: "REPLACE",
          path: "/values/ent148gF8aZoRfFsh0g4",
          value: { name: "value1", description: "replace description for value1" },
          refType: "ENTITLEMENT-VALUE",
        },
        { op: "ADD", path: "/description", value: "add description for entitlement", refType: "ENTITLEMENT" },
        { op: "REMOVE", path: "/description", refType: "ENTITLEMENT" },
        {
          op: "REPLACE",
          path: "/description",
          value: "replace description for entitlement",
          refType: "ENTITLEMENT",
        },
        { op: "REPLACE", path: "/name", value: "replace name for entitlement", refType: "ENTITLEMENT" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "replace name for entitlement",
      description: "replace description for entitlement",
    });
    expect(res.body.values).toHaveLength(1);
    expect(res.body.values[0]).toMatchObject({
      name: "value1",
      externalValue: "value_1",
      description: "description for value1",
    });
    expect(res.body.values[0].id).not.toBe("ent148gF8aZoRfFsh0g4");
    const all = (await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`)).body;
    expect(all.values.map((v: Body) => v.id)).toEqual(["entotuwr1z1efm5RA1d6", res.body.values[0].id]);
    expectOktaError(
      await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6/values/ent148gF8aZoRfFsh0g4`),
      404,
      "E0000007",
    );
  });

  it("002: create a bundle and replace the Github admin bundle", async () => {
    const sb = await sandbox();
    const created = await call(sb, "POST", `${GOV}/entitlement-bundles`, {
      body: {
        name: "Salesforce admin bundle",
        description: "A bundle for full administrative access in salesforce",
        target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
        entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Salesforce admin bundle",
      status: "ACTIVE",
      targetResourceOrn: SF_ORN,
      target: { externalId: SF, type: "APPLICATION" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
    });
    expect(created.body.id).toMatch(/^enb[0-9A-Za-z]{17}$/);
    expect(created.body.orn).toBe(`orn:okta:governance:${ORG}:entitlement-bundles:${created.body.id}`);

    const replaced = await call(sb, "PUT", `${GOV}/entitlement-bundles/0bbfxqCAJWWGELFTYAAA`, {
      body: {
        id: "0bbfxqCAJWWGELFTYAAA",
        name: "Github admin bundle",
        description: "Github bundle for administrative access",
        created: "2022-05-24T14:15:22Z",
        createdBy: "00ub0oNGTSWTBKOLGLNR",
        lastUpdated: "2022-05-24T14:15:22Z",
        lastUpdatedBy: "00ub0oNGTSWTBKOLGLNR",
        status: "ACTIVE",
        targetResourceOrn: "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:github:0oafxqCAJWWGELFTYASJ",
        target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
        entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
      },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: "0bbfxqCAJWWGELFTYAAA",
      name: "Github admin bundle",
      created: "2022-05-24T14:15:22Z",
      status: "ACTIVE",
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
    });
    expect(replaced.body.lastUpdated > "2022-05-24T14:15:22Z").toBe(true);
  });

  it("004: grant a bundle to a user, and replace a custom grant", async () => {
    const sb = await sandbox();
    const created = await call(sb, "POST", `${GOV}/grants`, {
      body: {
        grantType: "ENTITLEMENT-BUNDLE",
        entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
        actor: "ACCESS_REQUEST",
        targetPrincipal: { externalId: "00ufxqCAJWWGELFTYCCC", type: "OKTA_USER" },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      grantType: "ENTITLEMENT-BUNDLE",
      entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
      action: "ALLOW",
      actor: "ACCESS_REQUEST",
      targetResourceOrn: SF_ORN,
      target: { externalId: SF, type: "APPLICATION" },
      targetPrincipalOrn: `orn:okta:directory:${ORG}:users:${DANA}`,
      targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
      status: "ACTIVE",
      createdBy: PRIYA,
      _links: {
        entitlementBundle: { href: `${sb.url}${GOV}/entitlement-bundles/enbfxqCAJWWGELFTYCCC`, hints: {} },
      },
    });
    const dana = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(SF, DANA))}`);
    expect(dana.body.data.find((e: Body) => e.name === "Access Level").values[0].id).toBe(
      "entfxqCAJWWGELFTYAAA",
    );

    const replaced = await call(sb, "PUT", `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`, {
      body: {
        id: "0ggb0oNGTSWTBKOLGLNR",
        created: "2022-05-24T14:15:22Z",
        createdBy: "00ub0oNGTSWTBKOLGLNR",
        lastUpdated: "2022-05-24T14:15:22Z",
        lastUpdatedBy: "00ub0oNGTSWTBKOLGLNR",
        grantType: "CUSTOM",
        action: "ALLOW",
        actor: "API",
        targetResourceOrn: "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:0oafxqCAJWWGELFTYASJ",
        target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
        targetPrincipalOrn: "orn:okta:directory:00o11edPwGqbUrsDm0g4:users:00ub0oNGTSWTBKOLGLNR",
        targetPrincipal: { externalId: "00ub0oNGTSWTBKOLGLNR", type: "OKTA_USER" },
        entitlements: [
          { id: "0obfxqCAJWWGELFTYASJ", values: [] },
          { id: "0obfxqCAJWWGELFTYASJ", values: [] },
        ],
        status: "ACTIVE",
      },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: "0ggb0oNGTSWTBKOLGLNR",
      grantType: "CUSTOM",
      status: "ACTIVE",
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
    });
    const priya = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(SF, PRIYA))}`);
    expect(priya.body.data.map((e: Body) => [e.name, e.values])).toEqual([["Role", []]]);
  });
});
