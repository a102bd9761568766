/**
 * The management API's users and apps, which the tools use to find who and what a
 * governance call is about: `q` prefix search, the users `filter` and `search` subsets, lookup by id
 * (and users by login), bare arrays paged by `Link` headers.
 */
import {
  compileFilter,
  evaluateFilter,
  FilterError,
  type FilterNode,
  type FilterSpec,
} from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import { E } from "../errors.js";
import { OKTA_FILTERS } from "../filters.js";
import { managementPage } from "../lists.js";
import { renderApp, renderUser } from "../render.js";
import type { OktaStore } from "../store.js";

function listUsers(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const q = req.query.get("q")?.trim().toLowerCase();
  const filter = req.query.get("filter");
  const search = req.query.get("search");
  let node: FilterNode | undefined;
  let spec: FilterSpec = OKTA_FILTERS.users;
  if (filter !== null || search !== null) {
    spec = search !== null ? OKTA_FILTERS.usersSearch : OKTA_FILTERS.users;
    try {
      node = compileFilter((search ?? filter) as string, spec);
    } catch (err) {
      if (err instanceof FilterError) throw E.search(err.message);
      throw err;
    }
  }
  const users = [...store.users.values()].filter((u) => {
    if (q) {
      const p = u.profile;
      if (![p.firstName, p.lastName, p.email, p.login].some((s) => s.toLowerCase().startsWith(q)))
        return false;
    }
    return !node || evaluateFilter(node, u, spec);
  });
  // Okta: a `q` search returns 10 users unless told otherwise; a plain list 200.
  return managementPage(store, req, "/api/v1/users", users, q ? 10 : 200, ["q", "filter", "search"], (u) =>
    renderUser(store, u),
  );
}

function getUser(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const key = req.params.userId as string;
  const lower = key.toLowerCase();
  const user =
    store.users.get(key) ?? [...store.users.values()].find((u) => u.profile.login.toLowerCase() === lower);
  if (!user) throw E.notFound(key, "User");
  return { status: 200, body: renderUser(store, user) };
}

function listApps(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const q = req.query.get("q")?.trim().toLowerCase();
  const apps = [...store.apps.values()].filter(
    (a) => !q || a.label.toLowerCase().startsWith(q) || a.name.toLowerCase().startsWith(q),
  );
  return managementPage(store, req, "/api/v1/apps", apps, 20, ["q"], (a) => renderApp(store, a));
}

function getApp(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const id = req.params.appId as string;
  const app = store.apps.get(id);
  if (!app) throw E.notFound(id, "AppInstance");
  return { status: 200, body: renderApp(store, app) };
}

export const directoryRoutes: RouteTable<OktaStore> = {
  "GET /api/v1/users": listUsers,
  "GET /api/v1/users/{userId}": getUser,
  "GET /api/v1/apps": listApps,
  "GET /api/v1/apps/{appId}": getApp,
};
