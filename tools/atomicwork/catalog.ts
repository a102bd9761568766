/** Atomicwork's catalog (an MCP resource) and its part of search_entitlements, composed from its read tools. */
import {
  CATALOG_SCHEME,
  type CatalogDef,
  type CompletionSource,
  type Item,
  itemsOf,
  type ProviderSearch,
  pageOf,
  type ReadContext,
  searchHit,
  textOf,
} from "../../src/core/compose.js";

const apps = async (ctx: ReadContext): Promise<Item[]> =>
  itemsOf(await ctx.run("atomicwork_list_apps", { per_page: 100 }));

const appEntitlements: CatalogDef = {
  provider: "atomicwork",
  name: "atomicwork-app-entitlements",
  title: "Atomicwork: entitlements of an app",
  description: "The IGA entitlements of one Atomicwork app (type, status, provisioning). Paged.",
  template: `${CATALOG_SCHEME}atomicwork/apps/{app_id}/entitlements`,
  uses: ["atomicwork_list_entitlements", "atomicwork_list_apps"],
  async read(ctx, vars, cursor, signal) {
    return pageOf(
      await ctx.run(
        "atomicwork_list_entitlements",
        { app_id: Number(vars.app_id), per_page: 100, ...(cursor ? { page: Number(cursor) } : {}) },
        signal,
      ),
    );
  },
  async list(ctx) {
    return (await apps(ctx)).map((app) => ({
      vars: { app_id: String(app.id) },
      name: `Atomicwork ${String(app.name ?? app.id)} entitlements`,
    }));
  },
  complete: {
    async app_id(ctx, value) {
      const needle = value.toLowerCase();
      return (await apps(ctx))
        .filter(
          (a) =>
            String(a.id).startsWith(value) ||
            String(a.name ?? "")
              .toLowerCase()
              .includes(needle),
        )
        .map((a) => String(a.id));
    },
  },
};

export const atomicworkCatalogs: readonly CatalogDef[] = [appEntitlements];

export const atomicworkSearch: ProviderSearch = {
  provider: "atomicwork",
  key: "atomicwork",
  needs: ["atomicwork_list_entitlements"],
  async search(run, q, limit, signal) {
    const result = await run("atomicwork_list_entitlements", { search_key: q, per_page: limit }, signal);
    return itemsOf(result).map((e) =>
      searchHit(atomicworkSearch, {
        kind: "entitlement",
        id: textOf(e.id),
        name: textOf(e.name),
        app: e.app_id !== undefined ? { id: textOf(e.app_id) } : undefined,
        next: { tool: "atomicwork_create_grant", arguments: { entitlement_id: Number(e.id) } },
      }),
    );
  },
};

export const atomicworkCompletions: readonly CompletionSource[] = [
  {
    kind: "app",
    tool: "atomicwork_list_apps",
    input: (q, max) => ({ search_key: q, per_page: max }),
    label: (a) => a.name,
  },
  {
    kind: "access",
    tool: "atomicwork_list_entitlements",
    input: (q, max) => ({ search_key: q, per_page: max }),
    label: (e) => e.name,
  },
];
