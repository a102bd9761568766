/** Atomicwork's apps (upstream-apis §2.2): the identity providers entitlements come from. */
import type { RouteTable } from "../../kit/http.js";
import type { AtomicworkStore } from "../store.js";
import { page } from "../validation.js";

export const appRoutes: RouteTable<AtomicworkStore> = {
  "GET /api/v1/iga/apps": (store, req) => {
    const q = req.query.get("search_key")?.toLowerCase();
    const list = [...store.apps.values()].filter((a) => !q || String(a.name).toLowerCase().includes(q));
    return { status: 200, body: page(req, list, 100) };
  },
};
