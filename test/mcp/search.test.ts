/**
 * search_entitlements through a real Client: one call across every enabled provider, hits that say
 * which tool to call next (and that call works), ranking, bad input.
 */
import { describe, expect, it } from "vitest";
import type { Hit } from "../../src/mcp/search.js";
import { call, structured, text } from "../helpers/harness.js";
import { testServer } from "../helpers/test-server.js";

const session = testServer({ perFile: true });

async function search(args: Record<string, unknown>): Promise<Hit[]> {
  const result = await call(session.client, "search_entitlements", args);
  expect(result.isError, text(result)).toBeFalsy();
  return structured<{ items: Hit[] }>(result).items;
}

describe("search_entitlements", () => {
  it("finds Okta bundles, entitlements and values by name, exact names first", async () => {
    const hits = await search({ q: "Sales Cloud" });
    const bundle = hits.find((h) => h.provider === "okta" && h.kind === "bundle");
    expect(bundle).toMatchObject({
      id: "enbfxqCAJWWGELFTYCCC",
      name: "Salesforce Sales Cloud admin",
      app: { id: "0oafxqCAJWWGELFTYASJ", name: "Salesforce" },
      ref: "okta:bundle:enbfxqCAJWWGELFTYCCC",
      next: { tool: "okta_get_bundle", arguments: { entitlementBundleId: "enbfxqCAJWWGELFTYCCC" } },
    });
    const exact = await search({ q: "Admin access", providers: ["okta"] });
    expect(exact[0]).toMatchObject({ kind: "value", id: "entfxqCAJWWGELFTYAAA", name: "Admin access" });
  });

  it("returns hits whose suggested next call works as given", async () => {
    const hits = await search({ q: "Expense", providers: ["okta"] });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits.slice(0, 5)) {
      const next = await call(session.client, hit.next.tool, hit.next.arguments);
      expect(
        next.isError,
        `${hit.next.tool} ${JSON.stringify(hit.next.arguments)}: ${text(next)}`,
      ).toBeFalsy();
    }
  });

  it("summarises hits one per line for the model", async () => {
    const result = await call(session.client, "search_entitlements", { q: "Payroll", providers: ["okta"] });
    expect(text(result)).toMatch(/^\d+ match(es)? for "Payroll"\./);
    expect(text(result)).toMatch(/- \[okta (bundle|value|entitlement)\] .*Payroll/);
  });

  it("refuses a one-letter query and an unknown provider, reaching no upstream", async () => {
    const before = session.sandbox.requests.length;
    const short = await call(session.client, "search_entitlements", { q: "a" });
    expect(short.isError).toBe(true);
    expect(text(short)).toMatch(/q/);
    const bad = await call(session.client, "search_entitlements", { q: "admin", providers: ["jira"] });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/providers/);
    expect(session.sandbox.requests.length).toBe(before);
  });
});
