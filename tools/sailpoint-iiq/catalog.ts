/** IdentityIQ's catalogs (MCP resources) and its part of search_entitlements, composed from its read tools. */
import {
  CATALOG_SCHEME,
  type CatalogDef,
  type CompletionSource,
  itemsOf,
  listCatalog,
  type ProviderSearch,
  pageOf,
  type ReadContext,
  searchHit,
  textOf,
} from "../../src/core/compose.js";
import { eqClause, scimAnd } from "../../src/core/scim-filter.js";

const entitlements = listCatalog({
  provider: "sailpoint-iiq",
  name: "iiq-entitlements",
  title: "IdentityIQ: entitlement catalog",
  description: "Every IdentityIQ entitlement (displayableName, application, attribute, value). Paged.",
  template: `${CATALOG_SCHEME}iiq/entitlements`,
  tool: "iiq_list_entitlements",
  input: (cursor) => ({ count: 200, ...(cursor ? { startIndex: Number(cursor) } : {}) }),
  entry: "IdentityIQ entitlement catalog",
});

async function applicationNames(ctx: ReadContext): Promise<string[]> {
  const apps = itemsOf(await ctx.run("iiq_list_applications", { count: 200 }));
  return apps.map((a) => String(a.displayName ?? a.name ?? a.id));
}

const applicationEntitlements: CatalogDef = {
  provider: "sailpoint-iiq",
  name: "iiq-application-entitlements",
  title: "IdentityIQ: entitlements of an application",
  description: "The IdentityIQ entitlements of one application, by its display name. Paged.",
  template: `${CATALOG_SCHEME}iiq/applications/{application}/entitlements`,
  uses: ["iiq_list_entitlements", "iiq_list_applications"],
  async read(ctx, vars, cursor, signal) {
    return pageOf(
      await ctx.run(
        "iiq_list_entitlements",
        {
          filter: scimAnd([eqClause("application.displayName", vars.application ?? "")]),
          count: 200,
          ...(cursor ? { startIndex: Number(cursor) } : {}),
        },
        signal,
      ),
    );
  },
  async list(ctx) {
    return (await applicationNames(ctx)).map((application) => ({
      vars: { application },
      name: `IdentityIQ ${application} entitlements`,
    }));
  },
  complete: {
    async application(ctx, value) {
      const needle = value.toLowerCase();
      return (await applicationNames(ctx)).filter((name) => name.toLowerCase().includes(needle));
    },
  },
};

/** What one identity holds, account by account (each with its entitlement attributes), by userName. */
const userAccounts: CatalogDef = {
  provider: "sailpoint-iiq",
  name: "iiq-user-accounts",
  title: "IdentityIQ: accounts of a user",
  description:
    "The IdentityIQ accounts of one identity, by its userName: each application it has an account on, with the account's entitlement attributes. Paged.",
  template: `${CATALOG_SCHEME}iiq/users/{userName}/accounts`,
  uses: ["iiq_list_accounts", "iiq_search_users"],
  async read(ctx, vars, cursor, signal) {
    return pageOf(
      await ctx.run(
        "iiq_list_accounts",
        { userName: vars.userName ?? "", count: 200, ...(cursor ? { startIndex: Number(cursor) } : {}) },
        signal,
      ),
    );
  },
  complete: {
    async userName(ctx, value) {
      const input = value ? { userNameStartsWith: value, count: 20 } : { count: 20 };
      const users = itemsOf(await ctx.run("iiq_search_users", input));
      return users.map((u) => textOf(u.userName)).filter(Boolean);
    },
  },
};

export const iiqCatalogs: readonly CatalogDef[] = [entitlements, applicationEntitlements, userAccounts];

export const iiqSearch: ProviderSearch = {
  provider: "sailpoint-iiq",
  key: "iiq",
  needs: ["iiq_list_entitlements"],
  async search(run, q, limit, signal) {
    const result = await run("iiq_list_entitlements", { nameContains: q, count: limit }, signal);
    return itemsOf(result).map((e) => {
      const application = (Array.isArray(e.application) ? e.application[0] : e.application) as
        | { value?: unknown; displayName?: unknown }
        | undefined;
      return searchHit(iiqSearch, {
        kind: "entitlement",
        id: textOf(e.id),
        name: textOf(e.displayableName ?? e.displayName ?? e.value),
        app: application
          ? { id: textOf(application.value), name: textOf(application.displayName) }
          : undefined,
        next: { tool: "iiq_get_entitlement", arguments: { id: textOf(e.id) } },
      });
    });
  },
};

export const iiqCompletions: readonly CompletionSource[] = [
  {
    kind: "person",
    tool: "iiq_search_users",
    input: (q, max) => ({ nameContains: q, count: max }),
    label: (u) => u.displayName ?? u.userName,
  },
  {
    kind: "app",
    tool: "iiq_list_applications",
    input: (q, max) => ({ nameContains: q, count: max }),
    label: (a) => a.name,
  },
  {
    kind: "access",
    tool: "iiq_list_entitlements",
    input: (q, max) => ({ nameContains: q, count: max }),
    label: (e) => e.displayableName,
  },
];
