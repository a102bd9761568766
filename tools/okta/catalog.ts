/** Okta's catalogs (MCP resources) and its part of search_entitlements, composed from its read tools. */
import {
  CATALOG_SCHEME,
  type CatalogDef,
  type CompletionSource,
  cursorOf,
  type Item,
  itemsOf,
  listCatalog,
  mapLimited,
  type ProviderSearch,
  type ReadContext,
  type SearchHit,
  searchHit,
  textOf,
} from "../../src/core/compose.js";
import { eqClause } from "../../src/core/scim-filter.js";

const ENTITLEMENTS_PER_PAGE = 20;
/** Okta lists entitlements per app only: the search visits at most this many apps. */
const MAX_SEARCHED_APPS = 25;
const CONCURRENCY = 4;

/** Okta apps (id, label) from the directory, for listing and completion. */
async function apps(ctx: ReadContext, q?: string): Promise<Item[]> {
  return itemsOf(await ctx.run("okta_search_apps", { ...(q ? { q } : {}), limit: 200 }));
}

const appEntitlements: CatalogDef = {
  provider: "okta",
  name: "okta-app-entitlements",
  title: "Okta: entitlements of an app",
  description: "The entitlements of one Okta app, each with its values (id, name, externalValue). Paged.",
  template: `${CATALOG_SCHEME}okta/apps/{appId}/entitlements`,
  uses: ["okta_list_entitlements", "okta_list_all_entitlement_values", "okta_search_apps"],
  async read(ctx, vars, cursor, signal) {
    const page = await ctx.run(
      "okta_list_entitlements",
      { appId: vars.appId, limit: ENTITLEMENTS_PER_PAGE, ...(cursor ? { after: cursor } : {}) },
      signal,
    );
    const entitlements = itemsOf(page);
    const values = new Map<string, Item[]>();
    if (entitlements.length > 0) {
      // One values query for the whole page: (entitlementId eq a OR entitlementId eq b ...).
      const filter = `(${entitlements.map((e) => eqClause("entitlementId", String(e.id))).join(" OR ")})`;
      let after: string | undefined;
      for (let i = 0; i < 50; i += 1) {
        const valuesPage = await ctx.run(
          "okta_list_all_entitlement_values",
          { appId: vars.appId, filter, limit: 200, ...(after ? { after } : {}) },
          signal,
        );
        for (const value of itemsOf(valuesPage)) {
          const key = String(value.entitlementId);
          values.set(key, [...(values.get(key) ?? []), value]);
        }
        after = cursorOf(valuesPage);
        if (!after) break;
      }
    }
    return {
      items: entitlements.map((e) => ({
        id: e.id,
        name: e.name,
        externalValue: e.externalValue,
        multiValue: e.multiValue,
        values: (values.get(String(e.id)) ?? []).map((v) => ({
          id: v.id,
          name: v.name,
          externalValue: v.externalValue,
        })),
      })),
      nextCursor: cursorOf(page),
      total: page.total as number | undefined,
    };
  },
  async list(ctx) {
    return (await apps(ctx)).map((app) => ({
      vars: { appId: String(app.id) },
      name: `Okta ${String(app.label ?? app.name ?? app.id)} entitlements`,
    }));
  },
  complete: {
    async appId(ctx, value) {
      const needle = value.toLowerCase();
      return (await apps(ctx))
        .filter(
          (a) =>
            String(a.id).toLowerCase().startsWith(needle) ||
            String(a.label ?? "")
              .toLowerCase()
              .includes(needle) ||
            String(a.name ?? "")
              .toLowerCase()
              .startsWith(needle),
        )
        .map((a) => String(a.id));
    },
  },
};

const bundles = listCatalog({
  provider: "okta",
  name: "okta-bundles",
  title: "Okta: entitlement bundles",
  description: "Every Okta entitlement bundle with its app, status and entitlement values. Paged.",
  template: `${CATALOG_SCHEME}okta/bundles`,
  tool: "okta_list_bundles",
  input: (cursor) => ({ include: ["full_entitlements"], limit: 50, ...(cursor ? { after: cursor } : {}) }),
  entry: "Okta entitlement bundles",
});

export const oktaCatalogs: readonly CatalogDef[] = [appEntitlements, bundles];

export const oktaSearch: ProviderSearch = {
  provider: "okta",
  key: "okta",
  needs: [
    "okta_search_apps",
    "okta_list_entitlements",
    "okta_list_all_entitlement_values",
    "okta_list_bundles",
  ],
  async search(run, q, limit, signal) {
    const found = itemsOf(await run("okta_search_apps", { limit: 200 }, signal)).slice(0, MAX_SEARCHED_APPS);
    const appName = new Map(found.map((a) => [textOf(a.id), textOf(a.label ?? a.name)]));
    const perApp = await mapLimited(found, CONCURRENCY, async (app) => {
      const appId = textOf(app.id);
      // Apps that are not opted in to entitlement management answer with an error: they hold nothing.
      const [entitlements, values] = await Promise.all([
        run("okta_list_entitlements", { appId, nameContains: q, limit }, signal).catch(() => ({ items: [] })),
        run("okta_list_all_entitlement_values", { appId, nameContains: q, limit }, signal).catch(() => ({
          items: [],
        })),
      ]);
      const hits: SearchHit[] = itemsOf(entitlements).map((e) =>
        searchHit(oktaSearch, {
          kind: "entitlement",
          id: textOf(e.id),
          name: textOf(e.name),
          app: { id: appId, name: appName.get(appId) },
          next: { tool: "okta_get_entitlement", arguments: { entitlementId: textOf(e.id) } },
        }),
      );
      for (const v of itemsOf(values)) {
        hits.push(
          searchHit(oktaSearch, {
            kind: "value",
            id: textOf(v.id),
            name: textOf(v.name),
            app: { id: appId, name: appName.get(appId) },
            entitlement: { id: textOf(v.entitlementId) },
            next: {
              tool: "okta_get_entitlement_value",
              arguments: { entitlementId: textOf(v.entitlementId), valueId: textOf(v.id) },
            },
          }),
        );
      }
      return hits;
    });
    const bundleHits = itemsOf(await run("okta_list_bundles", { nameContains: q, limit }, signal))
      .filter((b) => b.status !== "DELETED")
      .map((b) => {
        const appId = textOf((b.target as { externalId?: unknown } | undefined)?.externalId);
        return searchHit(oktaSearch, {
          kind: "bundle",
          id: textOf(b.id),
          name: textOf(b.name),
          app: appId ? { id: appId, name: appName.get(appId) } : undefined,
          next: { tool: "okta_get_bundle", arguments: { entitlementBundleId: textOf(b.id) } },
        });
      });
    return [...perApp.flat(), ...bundleHits];
  },
};

export const oktaCompletions: readonly CompletionSource[] = [
  {
    kind: "person",
    tool: "okta_search_users",
    input: (q, max) => ({ q, limit: max }),
    label: (u) => {
      const p = (u.profile ?? {}) as Item;
      return [p.firstName, p.lastName].filter(Boolean).join(" ") || p.login;
    },
  },
  {
    kind: "app",
    tool: "okta_search_apps",
    input: (q, max) => ({ q, limit: max }),
    label: (a) => a.label ?? a.name,
  },
  {
    kind: "access",
    tool: "okta_list_bundles",
    input: (q, max) => ({ nameContains: q, limit: max }),
    label: (b) => b.name,
  },
];
