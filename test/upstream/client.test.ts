/**
 * The upstream client against a real loopback HTTP server: path and query encoding, auth headers,
 * each provider's error body, empty and malformed bodies, size limits, timeouts, cancellation,
 * Retry-After arithmetic and secret redaction.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toToolResult, UpstreamError, UpstreamNetworkError, UserInputError } from "../../src/core/errors.js";
import type { Provider, Route } from "../../src/core/operation.js";
import { atomicwork } from "../../src/providers/atomicwork.js";
import { okta } from "../../src/providers/okta.js";
import { sailpointIiq } from "../../src/providers/sailpoint-iiq.js";
import {
  encodeQuery,
  expandPath,
  parseErrorBody,
  retryAfterMs,
  UpstreamClient,
} from "../../src/upstream/client.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let base: string;
let handler: Handler = (_req, res) => res.end();
const seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const SECRET = "00SuperSecretTokenValue123";
const PROFILES = { okta, atomicwork, "sailpoint-iiq": sailpointIiq };

function client(
  provider: Provider = "okta",
  extra: Partial<ConstructorParameters<typeof UpstreamClient>[0]> = {},
) {
  return new UpstreamClient({
    providers: {
      [provider]: {
        baseUrl: base,
        auth: () => ({ Authorization: `SSWS ${SECRET}` }),
        secrets: [SECRET],
        profile: PROFILES[provider],
      },
    },
    ...extra,
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

describe("expandPath and encodeQuery", () => {
  it("percent-encodes every path parameter but the colons of ORNs, as Okta's own traffic sends them", () => {
    expect(expandPath("/x/{a}/y/{b}", { a: "orn:okta:idp:00o1:apps:sf:0oa1", b: "a/b?c%d#e f" })).toBe(
      "/x/orn:okta:idp:00o1:apps:sf:0oa1/y/a%2Fb%3Fc%25d%23e%20f",
    );
  });

  it("refuses missing, empty and relative path parameters, naming them", () => {
    expect(() => expandPath("/x/{id}", {})).toThrow(UserInputError);
    expect(() => expandPath("/x/{id}", { id: "" })).toThrow("id: is required");
    expect(() => expandPath("/x/{id}", { id: ".." })).toThrow("id: must not be a relative path segment");
    expect(() => expandPath("/x/{id}", { id: "." })).toThrow(UserInputError);
  });

  it("encodes queries stably: insertion order, %20 not +, arrays comma-joined, undefined skipped", () => {
    expect(
      encodeQuery({
        filter: 'parent.externalId eq "0oa1" AND parent.type eq "APPLICATION"',
        after: undefined,
        limit: 20,
        orderBy: "name asc",
        include: ["full_entitlements", "metadata"],
        flag: true,
      }),
    ).toBe(
      "?filter=parent.externalId%20eq%20%220oa1%22%20AND%20parent.type%20eq%20%22APPLICATION%22&limit=20&orderBy=name%20asc&include=full_entitlements%2Cmetadata&flag=true",
    );
    expect(encodeQuery({})).toBe("");
  });
});

describe("UpstreamClient", () => {
  it("sends the route with encoded params, the query, auth, accept, user agent and a JSON body", async () => {
    handler = (_req, res) => json(res, 201, { id: "esp1" });
    const upstream = client();
    const res = await upstream.request("okta", "POST /governance/api/v1/entitlements/{id}" as Route, {
      path: { id: "esp2lr1lavoGDYw5U8g6" },
      query: { q: "x y" },
      body: { name: "n" },
    });
    expect(res).toMatchObject({ status: 201, body: { id: "esp1" } });
    const last = seen.at(-1)!;
    expect(last.method).toBe("POST");
    expect(last.url).toBe("/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6?q=x%20y");
    expect(last.headers.authorization).toBe(`SSWS ${SECRET}`);
    expect(last.headers.accept).toBe("application/json");
    expect(last.headers["content-type"]).toBe("application/json");
    expect(last.headers["user-agent"]).toMatch(/^entitlement-mcp\//);
    expect(JSON.parse(last.body)).toEqual({ name: "n" });
    await upstream.close();
  });

  it("joins a base URL's path prefix (IdentityIQ's /identityiq/scim/v2)", async () => {
    handler = (_req, res) => json(res, 200, { Resources: [] });
    const upstream = new UpstreamClient({
      providers: {
        "sailpoint-iiq": { baseUrl: `${base}/identityiq/scim/v2/`, auth: () => ({}), profile: sailpointIiq },
      },
    });
    const id = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
    await upstream.request("sailpoint-iiq", "GET /Entitlements/{id}", { path: { id }, query: {} });
    expect(seen.at(-1)?.url).toBe(`/identityiq/scim/v2/Entitlements/${id}`);
    await upstream.close();
  });

  it.each([
    ["okta", "..%2F..%2Fapi%2Fv1%2Fusers"],
    ["okta", "0oafxqCAJWWGELFTYASJ/../../x"],
    ["okta", "a b/c"],
    ["okta", "0oafxqCAJWWGELFTYAS"],
    ["atomicwork", "12/../34"],
    ["atomicwork", "0x10"],
    ["sailpoint-iiq", "../Users"],
  ] as const)(
    "refuses %s path id %j before any request: ids from anywhere obey the id rule",
    async (provider, id) => {
      handler = (_req, res) => json(res, 200, {});
      const upstream = new UpstreamClient({
        providers: { [provider]: { baseUrl: base, auth: () => ({}), profile: PROFILES[provider] } },
      });
      const before = seen.length;
      await expect(upstream.request(provider, "GET /x/{id}", { path: { id }, query: {} })).rejects.toThrow(
        /^id: must be an? (Okta|numeric Atomicwork|IdentityIQ) id/,
      );
      expect(seen.length).toBe(before);
      await upstream.close();
    },
  );

  it("resolves 204 with no body", async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const upstream = client();
    const res = await upstream.request("okta", "DELETE /x/{id}", {
      path: { id: "enbfxqCAJWWGELFTYCCC" },
      query: {},
    });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    await upstream.close();
  });

  it("turns an Okta error body into an UpstreamError with code, summary, causes and request id", async () => {
    handler = (_req, res) =>
      json(
        res,
        400,
        {
          errorCode: "E0000001",
          errorSummary: "Api validation failed: entitlements",
          errorLink: "E0000001",
          errorId: "oaeabc",
          errorCauses: [
            {
              errorSummary: "Unknown entitlement",
              reason: "IDENTIFIER_NOT_FOUND",
              location: "/entitlements/0/id",
            },
          ],
        },
        { "x-okta-request-id": "req-123" },
      );
    const upstream = client();
    const err = (await rejectionOf(
      upstream.request("okta", "POST /governance/api/v1/entitlement-bundles", {
        path: {},
        query: {},
        body: {},
      }),
    )) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({
      provider: "okta",
      status: 400,
      code: "E0000001",
      summary: "Api validation failed: entitlements",
      requestId: "req-123",
      method: "POST",
      path: "/governance/api/v1/entitlement-bundles",
    });
    expect(err.causes).toEqual([
      {
        summary: "Unknown entitlement",
        reason: "IDENTIFIER_NOT_FOUND",
        location: "/entitlements/0/id",
        locationType: undefined,
        domain: undefined,
      },
    ]);
    const result = toToolResult(err);
    const text = (result.content[0] as { text: string }).text;
    expect(text).toMatch(/^Okta answered 400 E0000001: Api validation failed: entitlements\./);
    expect(text).toMatch(/- \/entitlements\/0\/id: Unknown entitlement \(IDENTIFIER_NOT_FOUND\)/);
    expect(text).toMatch(/Request id: req-123\./);
    expect(text).toMatch(/Nothing was changed\.$/);
    await upstream.close();
  });

  it("parses SCIM and Atomicwork error bodies, and tolerates HTML", () => {
    expect(
      parseErrorBody(
        sailpointIiq,
        400,
        { scimType: "invalidFilter", detail: "Invalid filter", status: "400" },
        {},
      ),
    ).toEqual({ code: "invalidFilter", summary: "Invalid filter", causes: [] });
    expect(parseErrorBody(atomicwork, 404, { error: "Grant not found", code: "NOT_FOUND" }, {})).toEqual({
      code: "NOT_FOUND",
      summary: "Grant not found",
      causes: [],
    });
    expect(parseErrorBody(sailpointIiq, 401, undefined, {}).summary).toBe("HTTP 401 with no error details");
    expect(
      parseErrorBody(okta, 403, undefined, {
        "www-authenticate":
          'Bearer realm="x", error="insufficient_scope", scope="okta.governance.entitlements.manage"',
      }),
    ).toEqual({
      code: "insufficient_scope",
      summary: "The access token lacks the required scope okta.governance.entitlements.manage.",
      causes: [],
    });
  });

  it("never lets a secret through, even when the upstream echoes it", async () => {
    handler = (_req, res) =>
      json(res, 401, { errorCode: "E0000011", errorSummary: `Invalid token provided: ${SECRET}` });
    const upstream = client();
    const err = await rejectionOf(upstream.request("okta", "GET /x", { path: {}, query: {} }));
    expect(String((err as Error).message)).not.toContain(SECRET);
    const text = JSON.stringify(toToolResult(err));
    expect(text).not.toContain(SECRET);
    expect(text).toContain("[REDACTED]");
    await upstream.close();
  });

  it("reports invalid JSON and oversize bodies as network errors naming the problem", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{not json");
    };
    const upstream = client("okta", { maxBodyBytes: 1000 });
    const bad = await rejectionOf(upstream.request("okta", "GET /x", { path: {}, query: {} }));
    expect(bad).toBeInstanceOf(UpstreamNetworkError);
    expect((bad as Error).message).toMatch(/not valid JSON/);
    handler = (_req, res) => json(res, 200, { big: "x".repeat(5000) });
    const big = await rejectionOf(upstream.request("okta", "GET /x", { path: {}, query: {} }));
    expect((big as Error).message).toMatch(/too large/);
    await upstream.close();
  });

  it("times out when the upstream does not answer, and honours the caller's abort signal", async () => {
    handler = () => {};
    const slow = client("okta", { headersTimeoutMs: 200 });
    const timeout = await rejectionOf(slow.request("okta", "GET /slow", { path: {}, query: {} }));
    expect((timeout as Error).message).toMatch(/did not answer in time/);
    const controller = new AbortController();
    const pending = slow.request(
      "okta",
      "GET /slow2",
      { path: {}, query: {} },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    const aborted = await rejectionOf(pending);
    expect((aborted as Error).message).toMatch(/cancelled/);
    await slow.close();
  });

  it("refuses an endpoint that carries another provider's profile (its id rule would not apply)", () => {
    expect(
      () =>
        new UpstreamClient({ providers: { okta: { baseUrl: base, auth: () => ({}), profile: atomicwork } } }),
    ).toThrow("The endpoint for okta carries the profile of atomicwork: build each endpoint");
  });

  it("reports an unreachable upstream", async () => {
    const upstream = new UpstreamClient({
      providers: { okta: { baseUrl: "http://127.0.0.1:1", auth: () => ({}), profile: okta } },
    });
    const err = await rejectionOf(upstream.request("okta", "GET /x", { path: {}, query: {} }));
    expect(err).toBeInstanceOf(UpstreamNetworkError);
    expect((err as Error).message).toMatch(/refused/);
    await upstream.close();
  });
});

describe("retryAfterMs", () => {
  it("reads Retry-After seconds and dates", () => {
    expect(retryAfterMs(atomicwork, { "retry-after": "7" })).toBe(7000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(atomicwork, { "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, now)).toBe(5000);
  });

  it("computes Okta's wait as X-Rate-Limit-Reset minus the Date header plus a second", () => {
    const date = "Thu, 01 Jan 2026 00:00:00 GMT";
    const reset = String(Date.parse(date) / 1000 + 30);
    expect(retryAfterMs(okta, { "x-rate-limit-reset": reset, date })).toBe(31_000);
    expect(retryAfterMs(sailpointIiq, { "x-rate-limit-reset": reset, date })).toBeUndefined();
  });
});
