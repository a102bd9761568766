/**
 * The Okta emulator's protocol over real HTTP: the documented routes and the request log, the token
 * check (401 E0000004), rate limits per bucket (429 E0000047 with the headers to compute the wait), and
 * injected faults answered in Okta's style.
 */
import { describe, expect, it } from "vitest";
import { DANA, SALESFORCE } from "../../../fixtures/okta.js";
import {
  appFilter,
  expectOktaError,
  expectRateHeaders,
  f,
  GOV,
  get,
  openSandbox,
  send,
  TOKEN,
} from "../../../helpers/okta-sandbox.js";

describe("routes and request log", () => {
  it("serves every documented route string", async () => {
    const sb = await openSandbox();
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
    const sb = await openSandbox();
    expect(sb.requests).toEqual([]);
    await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`);
    await send(sb, "GET", `${GOV}/entitlements?filter=${f(appFilter(SALESFORCE))}&limit=2`, { auth: null });
    expect(sb.requests).toHaveLength(2);
    expect(sb.requests[0]).toMatchObject({
      method: "GET",
      path: `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`,
      query: "",
      status: 200,
    });
    expect(sb.requests[0]?.headers.authorization).toBe(`SSWS ${TOKEN}`);
    expect(sb.requests[1]).toMatchObject({ method: "GET", path: `${GOV}/entitlements`, status: 401 });
    expect(sb.requests[1]?.query).toBe(`filter=${f(appFilter(SALESFORCE))}&limit=2`);
  });

  it("does not capture /entitlements/values as an entitlement id", async () => {
    const sb = await openSandbox();
    const res = await get(sb, `${GOV}/entitlements/values?filter=${f(appFilter(SALESFORCE))}`);
    expect(res.status).toBe(200);
    expect(res.body.data[0].entitlementId).toMatch(/^(esp|0ob)/);
  });
});

describe("authentication", () => {
  it("answers a missing or wrong token with 401 E0000004, as the spec's authentication error, with rate-limit headers", async () => {
    const sb = await openSandbox();
    for (const auth of [null, "SSWS wrong-token", `Basic ${TOKEN}`, "SSWS", `SSWS ${TOKEN}x`]) {
      const res = await send(sb, "GET", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, { auth });
      const body = expectOktaError(res, 401, "E0000004");
      expect(body.errorSummary).toBe("Authentication failed.");
      expect(body.errorCauses).toEqual([]);
      expectRateHeaders(res, 600);
    }
  });

  it("accepts the sandbox token as SSWS and as Bearer", async () => {
    const sb = await openSandbox();
    for (const auth of [`SSWS ${TOKEN}`, `Bearer ${TOKEN}`, `ssws ${TOKEN}`]) {
      const res = await send(sb, "GET", "/api/v1/users/00ufxqCAJWWGELFTYCCC", { auth });
      expect(res.status).toBe(200);
      expect(res.body.profile.firstName).toBe("Dana");
    }
  });
});

describe("rate limits", () => {
  it("sends X-Rate-Limit-* on success and on errors, counting down per bucket", async () => {
    const sb = await openSandbox({ rateLimit: { limit: 50 } });
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
    const sb = await openSandbox({ rateLimit: { limit: 3, windowMs: 60_000 }, now: () => now });
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
    expect((await send(sb, "GET", `${GOV}/grants/x`, { auth: null })).status).toBe(429);
    expect((await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`)).status).toBe(200);
    now += 56_000;
    const again = await get(sb, `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`);
    expect(again.status).toBe(200);
    expect(again.headers["x-rate-limit-remaining"]).toBe("2");
  });
});

describe("fault injection", () => {
  it("answers injected statuses in Okta's style and delays responses", async () => {
    const sb = await openSandbox();
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
