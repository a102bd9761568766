/**
 * The sandbox's own control surface, outside the emulated API: approvers decide in IdentityIQ's UI, not
 * through its API, so tests and demos approve or reject a launched workflow's pending approvals here.
 * `POST /_sandbox/iiq/workflows/{id}/approve` and `…/reject`, an optional JSON body `{"comment": "…"}`;
 * no authentication beyond the loopback the sandbox listens on. The answer is the workflow's task result;
 * 404 for an unknown id, 409 when no approval is pending. Never a tool.
 */
import type { RouteTable, SandboxRequest } from "../kit/http.js";
import { isObject } from "../kit/json.js";
import { ScimError } from "./scim.js";
import type { IiqStore } from "./store.js";
import { decide, taskResult } from "./workflows.js";

export const CONTROL_PREFIX = "/_sandbox/iiq/";

function comment(req: SandboxRequest): string | undefined {
  if (req.body.trim() === "") return undefined;
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw new ScimError(400, 'The body must be JSON: {"comment": "…"} or nothing', "invalidSyntax");
  }
  return isObject(body) && typeof body.comment === "string" ? body.comment : undefined;
}

const decision = (what: "approve" | "reject") => (store: IiqStore, req: SandboxRequest) => ({
  status: 200,
  body: taskResult(store, decide(store, req.params.id ?? "", what, comment(req))),
});

export const controlRoutes: RouteTable<IiqStore> = {
  "POST /_sandbox/iiq/workflows/{id}/approve": decision("approve"),
  "POST /_sandbox/iiq/workflows/{id}/reject": decision("reject"),
};
