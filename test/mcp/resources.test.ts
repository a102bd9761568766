/**
 * Catalog resources through a real Client against the sandbox: list, templates, reads with paging,
 * completion of template arguments, the short cache, and update notifications after a change made
 * through a tool.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { SALESFORCE, SCALE_APP, TERRITORY } from "../fixtures/okta.js";
import { call, sandboxGet, text } from "../helpers/harness.js";
import { startTestServer } from "../helpers/test-server.js";

interface CatalogBody {
  catalog: string;
  items: { id: string; name: string; values?: { id: string; name: string }[] }[];
  nextCursor?: string;
  next?: string;
  total?: number;
}

async function read(client: Client, uri: string): Promise<CatalogBody> {
  const result = await client.readResource({ uri });
  const first = result.contents[0] as { uri: string; mimeType: string; text: string };
  expect(first.mimeType).toBe("application/json");
  return JSON.parse(first.text) as CatalogBody;
}

async function readAll(client: Client, uri: string): Promise<{ pages: number; items: CatalogBody["items"] }> {
  const items: CatalogBody["items"] = [];
  let next: string | undefined = uri;
  let pages = 0;
  while (next) {
    const page = await read(client, next);
    items.push(...page.items);
    next = page.next;
    pages += 1;
    expect(pages).toBeLessThan(1000);
  }
  return { pages, items };
}

describe("catalog resources", () => {
  it("lists a catalog per Okta app plus the bundles, and the templates", async () => {
    const { client } = await startTestServer();
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain(`entitlements://okta/apps/${SALESFORCE}/entitlements`);
    expect(uris).toContain("entitlements://okta/bundles");
    const salesforce = resources.find((r) => r.uri.includes(SALESFORCE));
    expect(salesforce?.name).toMatch(/Salesforce/);
    expect(salesforce?.mimeType).toBe("application/json");
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining([
        "entitlements://okta/apps/{appId}/entitlements",
        "entitlements://okta/bundles",
      ]),
    );
  });

  it("reads an app's entitlements with their values, page by page, matching the sandbox", async () => {
    const { client, sandbox } = await startTestServer();
    const { items } = await readAll(client, `entitlements://okta/apps/${SALESFORCE}/entitlements`);
    const filter = encodeURIComponent(
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION"`,
    );
    const direct = (await sandboxGet(sandbox, `/governance/api/v1/entitlements?limit=200&filter=${filter}`))
      .body as {
      data: { id: string }[];
    };
    expect(items.map((i) => i.id).sort()).toEqual(direct.data.map((e) => e.id).sort());
    const permissionSet = items.find((i) => i.id === "espLMCaoO5Ig3qYD3Nei");
    expect(permissionSet?.values).toHaveLength(28);
    const license = items.find((i) => i.id === "esp2lr1lavoGDYw5U8g6");
    expect(license?.values?.map((v) => v.name).sort()).toEqual(["value1", "value2"]);
  });

  it("reads the bundles catalog", async () => {
    const { client } = await startTestServer();
    const body = await read(client, "entitlements://okta/bundles");
    expect(body.items.map((b) => b.name)).toContain("Salesforce Sales Cloud admin");
  });

  it("pages through a 5,000-entitlement catalog, every entitlement once, keeping only the recent pages", async () => {
    const { client, sandbox } = await startTestServer({ sandbox: { scale: 5000 } });
    const first = `entitlements://okta/apps/${SCALE_APP}/entitlements`;
    const { pages, items } = await readAll(client, first);
    expect(items).toHaveLength(5000);
    expect(new Set(items.map((i) => i.id)).size).toBe(5000);
    expect(pages).toBe(250);
    expect(items.every((i) => i.values?.length === 2)).toBe(true);
    // The cache holds the last 100 pages, not the whole walk: the first page is read upstream again.
    const before = sandbox.requests.length;
    await read(client, first);
    expect(sandbox.requests.length).toBeGreaterThan(before);
  });

  it("completes the app of a template from names and ids", async () => {
    const { client } = await startTestServer();
    const byName = await client.complete({
      ref: { type: "ref/resource", uri: "entitlements://okta/apps/{appId}/entitlements" },
      argument: { name: "appId", value: "sales" },
    });
    expect(byName.completion.values).toContain(SALESFORCE);
    const byId = await client.complete({
      ref: { type: "ref/resource", uri: "entitlements://okta/apps/{appId}/entitlements" },
      argument: { name: "appId", value: "0oafx" },
    });
    expect(byId.completion.values).toEqual([SALESFORCE]);
  });

  it("caches reads briefly, and a change made through a tool refreshes the catalog and notifies subscribers", async () => {
    const { client, sandbox } = await startTestServer();
    const uri = `entitlements://okta/apps/${SALESFORCE}/entitlements`;
    const updated: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updated.push(n.params.uri);
    });
    await client.subscribeResource({ uri });
    const before = await read(client, uri);
    const requests = sandbox.requests.length;
    await read(client, uri);
    expect(sandbox.requests.length).toBe(requests);

    const created = await call(client, "okta_create_entitlement", TERRITORY);
    expect(created.isError, text(created)).toBeFalsy();
    await expect.poll(() => updated).toContain(uri);
    const after = await read(client, uri);
    expect(after.total).toBe((before.total ?? 0) + 1);
    await client.unsubscribeResource({ uri });
  });
});
