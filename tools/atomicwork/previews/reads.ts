/**
 * The reads Atomicwork's guard policies share, each defined once. Atomicwork has no GET of one grant or
 * one entitlement: the guard reads a grant through the search and entitlements from catalog pages.
 */
import type { GuardRead, GuardState, Route } from "../../../src/core/operation.js";

/** Atomicwork reads one grant through the search, by `ids`. */
export const grantsByIdRoute: Route = "POST /api/v1/iga/grants/list";

/** The grant a change is about, through the search by id; its `updated_at` versions the preview. */
export const grantRead: GuardRead<{ grant_id: number }> = {
  key: "grant",
  route: grantsByIdRoute,
  params: (i) => ({ query: { ids: String(i.grant_id) }, body: [] }),
};

/** The user's active grants: what they hold already. */
export const activeGrantsRead: GuardRead<{ user_id: number }> = {
  key: "existing",
  route: "POST /api/v1/iga/grants/list",
  params: (i) => ({
    query: { per_page: 100 },
    body: [
      { attribute: "user", operator: "EQUALS", values: [{ value: i.user_id }] },
      { attribute: "status", operator: "EQUALS", values: [{ value: "ACTIVE" }] },
    ],
  }),
};

/** The active grants of the entitlements a policy names: who holds them already. */
export const holdersRead: GuardRead<{ entitlements?: number[] | undefined }> = {
  key: "holders",
  route: "POST /api/v1/iga/grants/list",
  params: (i) =>
    i.entitlements?.length
      ? {
          query: { per_page: 100 },
          body: [
            {
              attribute: "entitlement",
              operator: "IS_ANY_OF",
              values: i.entitlements.map((value) => ({ value })),
            },
            { attribute: "status", operator: "IS_ANY_OF", values: [{ value: "ACTIVE" }] },
          ],
        }
      : null,
};

const CATALOG_PAGES = 3;

/** The first catalog pages (of one app when known): what an entitlement provisions. */
export function catalogRead<I>(appOf?: (input: I, state: GuardState) => unknown): GuardRead<I> {
  return {
    key: "catalog",
    route: "GET /api/v1/iga/entitlements",
    optional: true,
    params: (input, state) => {
      const app = appOf?.(input, state);
      return Array.from({ length: CATALOG_PAGES }, (_, n) => ({
        query: {
          per_page: 100,
          page: n + 1,
          ...(app === undefined || app === null ? {} : { app_id: String(app) }),
        },
      }));
    },
  };
}
