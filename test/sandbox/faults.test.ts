/**
 * Upstream faults end to end, injected by the sandbox: a 5xx storm and a dropped connection on a read are
 * retried and the call succeeds; a write whose answer is lost is never sent twice; a malformed body and an
 * exhausted retry budget become clear tool errors.
 */
import { describe, expect, it } from "vitest";
import { call, structured, text } from "../helpers/harness.js";
import { testServer } from "../helpers/test-server.js";

const session = testServer();

const GET_BUNDLE = "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}";
const hits = (method: string, path: string) =>
  session.sandbox.requests.filter((r) => r.method === method && r.path === path);

describe("faults", () => {
  it("retries a read through a 503 storm and a dropped connection", async () => {
    session.sandbox.inject({ route: GET_BUNDLE, status: 503, times: 1 });
    session.sandbox.inject({ route: GET_BUNDLE, drop: true, status: 503, times: 1 });
    const result = await call(session.client, "okta_get_bundle", {
      entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
    });
    expect(result.isError, text(result)).toBeFalsy();
    expect(hits("GET", "/governance/api/v1/entitlement-bundles/enbfxqCAJWWGELFTYCCC")).toHaveLength(3);
  });

  it("never sends a create twice when its answer is lost", async () => {
    session.sandbox.inject({ route: "POST /governance/api/v1/entitlement-bundles", drop: true, times: 1 });
    const result = await call(session.client, "okta_create_bundle", {
      name: "Lost answer bundle",
      target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/connection was dropped.*read the object first/s);
    expect(hits("POST", "/governance/api/v1/entitlement-bundles")).toHaveLength(1);
    const listed = structured<{ items: { name: string }[] }>(
      await call(session.client, "okta_list_bundles", { nameStartsWith: "Lost answer" }),
    );
    expect(listed.items).toHaveLength(1);
  });

  it("reports a malformed body as such", async () => {
    session.sandbox.inject({ route: GET_BUNDLE, malformed: true, times: 1 });
    const result = await call(session.client, "okta_get_bundle", {
      entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/not valid JSON/);
  });

  it("gives up after the retry budget with the upstream's own error", async () => {
    session.sandbox.inject({ route: GET_BUNDLE, status: 500, times: 10 });
    const result = await call(session.client, "okta_get_bundle", {
      entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
    });
    expect(text(result)).toMatch(/Okta answered 500 E0000009/);
    expect(hits("GET", "/governance/api/v1/entitlement-bundles/enbfxqCAJWWGELFTYCCC")).toHaveLength(3);
  });
});
