/**
 * SailPoint IdentityIQ end to end through a real Client against the sandbox: seed 003's entitlement with
 * `attributes` and with `excludedAttributes` (exact key sets), paging a catalog larger than a page, users
 * with their entitlements (nested under the extension's URN), SCIM errors translated, bad input refused
 * (unknown fields by name), the OAuth client-credentials path, the IdentityIQ catalog resources, and one
 * search finding the same access in Okta and IdentityIQ. The newer reads are in reads.test.ts.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/cli/config.js";
import type { Hit } from "../../../src/mcp/search.js";
import { configuredEndpoints } from "../../../src/providers/index.js";
import { SANDBOX_CREDENTIALS } from "../../../src/sandbox/index.js";
import { UpstreamClient } from "../../../src/upstream/client.js";
import { IIQ_USER_EXTENSION } from "../../../tools/sailpoint-iiq/users.js";
import { SEED_ENTITLEMENT_ID } from "../../fixtures/sailpoint-iiq.js";
import { call, expectRefusedLocally, ok, structured, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

const ALWAYS = ["id", "meta", "schemas"];

interface ScimList<T = Record<string, unknown>> {
  items: T[];
  nextCursor?: string;
  total?: number;
}

const session = testServer({ perFile: true, sandbox: { scale: 30 } });

async function scim(path: string): Promise<Record<string, unknown>> {
  const { username, password } = SANDBOX_CREDENTIALS.iiq;
  const res = await fetch(`${session.sandbox.url}/identityiq/scim/v2${path}`, {
    headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

describe("IdentityIQ entitlements", () => {
  it("fetches seed 003's entitlement whole, exactly as the sandbox holds it", async () => {
    const got = ok<Record<string, unknown>>(
      await call(session.client, "iiq_get_entitlement", { id: SEED_ENTITLEMENT_ID }),
    );
    expect(got).toEqual(await scim(`/Entitlements/${SEED_ENTITLEMENT_ID}`));
    expect(got.displayableName).toBe("a2a");
    expect(got.rule).toBe("APLogin-Contractors-Rule");
  });

  it("returns only the requested attributes, plus id, schemas and meta", async () => {
    const got = ok<Record<string, unknown>>(
      await call(session.client, "iiq_get_entitlement", {
        id: SEED_ENTITLEMENT_ID,
        attributes: "displayableName,requestable,application.displayName",
      }),
    );
    expect(Object.keys(got).sort()).toEqual(
      [...ALWAYS, "application", "displayableName", "requestable"].sort(),
    );
    expect(got.application).toEqual([{ displayName: "SAP" }]);
  });

  it("leaves out the excluded attributes, never id, schemas or meta", async () => {
    const all = await scim(`/Entitlements/${SEED_ENTITLEMENT_ID}`);
    const got = ok<Record<string, unknown>>(
      await call(session.client, "iiq_get_entitlement", {
        id: SEED_ENTITLEMENT_ID,
        excludedAttributes: "descriptions,owner,reviewer,id,meta",
      }),
    );
    expect(Object.keys(got).sort()).toEqual(
      Object.keys(all)
        .filter((k) => !["descriptions", "owner", "reviewer"].includes(k))
        .sort(),
    );
  });

  it("attributes beat excludedAttributes", async () => {
    const got = ok<Record<string, unknown>>(
      await call(session.client, "iiq_get_entitlement", {
        id: SEED_ENTITLEMENT_ID,
        attributes: "value",
        excludedAttributes: "value",
      }),
    );
    expect(Object.keys(got).sort()).toEqual([...ALWAYS, "value"].sort());
  });

  it("walks a catalog larger than one page, every entitlement once", async () => {
    const total = (await scim("/Entitlements?count=1")).totalResults as number;
    const seen: string[] = [];
    let startIndex: number | undefined;
    let pages = 0;
    do {
      const page = ok<ScimList<{ id: string }>>(
        await call(session.client, "iiq_list_entitlements", {
          count: 10,
          ...(startIndex ? { startIndex } : {}),
        }),
      );
      seen.push(...page.items.map((e) => e.id));
      expect(page.total).toBe(total);
      startIndex = page.nextCursor ? Number(page.nextCursor) : undefined;
      pages += 1;
    } while (startIndex);
    expect(total).toBeGreaterThan(40);
    expect(pages).toBe(Math.ceil(total / 10));
    expect(new Set(seen).size).toBe(total);
  });

  it("filters by application, name and a raw SCIM filter", async () => {
    const workday = ok<ScimList<{ displayableName: string }>>(
      await call(session.client, "iiq_list_entitlements", {
        application: "Workday",
        nameContains: "Expense",
      }),
    );
    expect(workday.items.map((e) => e.displayableName)).toEqual(["Expense Approver"]);
    const raw = ok<ScimList<{ displayableName: string }>>(
      await call(session.client, "iiq_list_entitlements", {
        filter:
          'application.displayName eq "AD" and (displayableName sw "VPN" or displayableName sw "Domain A")',
        sortBy: "displayableName",
      }),
    );
    expect(raw.items.map((e) => e.displayableName)).toEqual(["Domain Admins", "VPN Users"]);
  });

  it("lists applications (one a page unless count says more, as the spec's default) and finds users with what they hold", async () => {
    const first = ok<ScimList<{ name: string }>>(await call(session.client, "iiq_list_applications", {}));
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBe("2");
    const apps = ok<ScimList<{ name: string }>>(
      await call(session.client, "iiq_list_applications", { count: 50 }),
    );
    expect(apps.items.map((a) => a.name)).toEqual(
      expect.arrayContaining(["SAP", "AD", "Salesforce", "Workday"]),
    );
    const users = ok<ScimList<Record<string, unknown>>>(
      await call(session.client, "iiq_search_users", {
        nameContains: "Hannah",
        attributes: `userName, ${IIQ_USER_EXTENSION}:entitlements`,
      }),
    );
    // RFC 7643 §3.3: the extension's attributes sit under its URN, and only those asked for.
    const extension = users.items[0]?.[IIQ_USER_EXTENSION] as { entitlements: { display: string }[] };
    expect(Object.keys(extension)).toEqual(["entitlements"]);
    expect(extension.entitlements.map((e) => e.display)).toContain("Expense Approver");
    expect(Object.keys(users.items[0] ?? {}).filter((k) => k.startsWith(`${IIQ_USER_EXTENSION}:`))).toEqual(
      [],
    );
  });
});

describe("errors and bad input", () => {
  it("translates SCIM errors: 404 and invalidFilter carry status, scimType and detail", async () => {
    const missing = await call(session.client, "iiq_get_entitlement", { id: "0".repeat(32) });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/IdentityIQ answered 404: Resource not found: 0{32}/);
    const filter = await call(session.client, "iiq_list_entitlements", {
      filter: 'owner.displayName eq "Mary Johnson"',
    });
    expect(text(filter)).toMatch(
      /IdentityIQ answered 400 invalidFilter: Invalid filter, attribute does not support search: owner\.displayName/,
    );
  });

  it("checks filters as SCIM does, naming no other provider: ew goes to IdentityIQ, which answers for itself", async () => {
    const before = session.sandbox.requests.length;
    const result = await call(session.client, "iiq_list_entitlements", {
      filter: 'displayableName ew "Users"',
    });
    expect(text(result)).not.toMatch(/Okta/);
    expect(session.sandbox.requests.length).toBeGreaterThan(before);
    expect(text(result)).toMatch(/IdentityIQ answered 400 invalidFilter/);
  });

  it.each([
    [{ id: "../Users" }, /id/],
    [{ id: `${SEED_ENTITLEMENT_ID.slice(0, 31)}/` }, /id/],
    [{ id: `${SEED_ENTITLEMENT_ID.slice(0, 30)}%2` }, /id/],
    [{ id: `${SEED_ENTITLEMENT_ID.slice(0, 31)}?` }, /id/],
    [{ id: SEED_ENTITLEMENT_ID, attributes: "displayableName&x=1" }, /attributes/],
  ])("iiq_get_entitlement %j is refused before any request", async (args, field) => {
    await expectRefusedLocally(session.client, session.sandbox, "iiq_get_entitlement", args, field);
  });

  it.each([
    [{ count: 1.5 }, /count/],
    [{ startIndex: "2" }, /startIndex/],
    [{ filter: 'displayableName co "a' }, /filter/],
    [{ sortOrder: "sideways" }, /sortOrder/],
    [{ sortby: "displayableName" }, /sortby/],
  ])("iiq_list_entitlements %j is refused before any request", async (args, field) => {
    await expectRefusedLocally(session.client, session.sandbox, "iiq_list_entitlements", args, field);
  });
});

describe("across providers", () => {
  it("search_entitlements finds the same access in Okta and IdentityIQ", async () => {
    const result = await call(session.client, "search_entitlements", { q: "Sales Cloud admin" });
    const hits = structured<{ items: Hit[] }>(result).items;
    const okta = hits.find((h) => h.provider === "okta" && h.name === "Salesforce Sales Cloud admin");
    const iiq = hits.find((h) => h.provider === "sailpoint-iiq" && h.name === "Salesforce Sales Cloud admin");
    expect(okta?.next.tool).toBe("okta_get_bundle");
    expect(iiq?.next.tool).toBe("iiq_get_entitlement");
    expect(iiq?.app?.name).toBe("Salesforce");
    const next = await call(session.client, iiq!.next.tool, iiq!.next.arguments);
    expect(next.isError, text(next)).toBeFalsy();
  });

  it("serves the IdentityIQ catalogs as resources, paged", async () => {
    const { resources } = await session.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining([
        "entitlements://iiq/entitlements",
        "entitlements://iiq/applications/Workday/entitlements",
      ]),
    );
    const whole = await session.client.readResource({ uri: "entitlements://iiq/entitlements" });
    const all = JSON.parse((whole.contents[0] as { text: string }).text) as {
      items: unknown[];
      total: number;
    };
    expect(all.items).toHaveLength(all.total);
    const page = await session.client.readResource({
      uri: "entitlements://iiq/applications/Workday/entitlements",
    });
    const body = JSON.parse((page.contents[0] as { text: string }).text) as {
      items: { displayableName: string }[];
    };
    expect(body.items.map((e) => e.displayableName)).toEqual(
      expect.arrayContaining(["Expense Approver", "Payroll Admin"]),
    );
    const completion = await session.client.complete({
      ref: { type: "ref/resource", uri: "entitlements://iiq/applications/{application}/entitlements" },
      argument: { name: "application", value: "work" },
    });
    expect(completion.completion.values).toEqual(["Workday"]);
  });
});

describe("OAuth client credentials", () => {
  it("the server configured with IIQ_CLIENT_ID / IIQ_CLIENT_SECRET reads through a token", async () => {
    const { clientId, clientSecret } = SANDBOX_CREDENTIALS.iiq;
    const config = loadConfig(
      {},
      {
        IIQ_BASE_URL: `${session.sandbox.url}/identityiq/scim/v2`,
        IIQ_CLIENT_ID: clientId,
        IIQ_CLIENT_SECRET: clientSecret,
      },
    );
    const upstream = new UpstreamClient({ providers: configuredEndpoints(config) });
    const before = session.sandbox.requests.length;
    const first = await upstream.request("sailpoint-iiq", "GET /Entitlements/{id}", {
      path: { id: SEED_ENTITLEMENT_ID },
      query: {},
    });
    await upstream.request("sailpoint-iiq", "GET /Entitlements", { path: {}, query: { count: 1 } });
    expect((first.body as { displayableName: string }).displayableName).toBe("a2a");
    const tokenRequests = session.sandbox.requests
      .slice(before)
      .filter((r) => r.path === "/identityiq/oauth2/token");
    expect(tokenRequests).toHaveLength(1);
    await upstream.close();
  });
});
