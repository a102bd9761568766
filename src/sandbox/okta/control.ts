/**
 * The sandbox's control surface for Okta, outside the emulated API (its own prefix, `/_sandbox/okta/`, no
 * token: the sandbox listens on loopback): in Okta, approvers decide requests in its UI, not through the
 * API, so tests and demos decide here. `approve` and `deny` act on a PENDING request as its approver (the
 * requester's manager or the app's owner, as the request's sequence says; `deciderId` in the body to name
 * another); an approval is fulfilled as a grant at once. `messages` shows what was written on a request.
 */
import type { RouteTable, SandboxRequest, SandboxResponse } from "../kit/http.js";
import { isObject } from "../kit/json.js";
import { E, OktaError } from "./errors.js";
import { renderRequest } from "./requests-render.js";
import type { OktaRequests, RequestRec } from "./requests-store.js";

export const CONTROL_PREFIX = "/_sandbox/okta/";

/** True for a route of the control surface (served without authentication or rate limits). */
export function isControlRoute(route: string): boolean {
  return route.slice(route.indexOf(" ") + 1).startsWith(CONTROL_PREFIX);
}

/** The PENDING request of the path, and who decides it. */
function pending(requests: OktaRequests, req: SandboxRequest): { r: RequestRec; deciderId: string } {
  const id = req.params.requestId as string;
  const r = requests.requests.get(id);
  if (!r) throw E.notFound(id, "Request");
  if (r.status !== "PENDING") {
    throw new OktaError(
      409,
      "E0000169",
      `Request ${id} is ${r.status}; only a PENDING request can be decided.`,
    );
  }
  let given: unknown;
  try {
    given = req.body.trim() === "" ? undefined : (JSON.parse(req.body) as unknown);
  } catch {
    throw E.malformed();
  }
  const named = isObject(given) && typeof given.deciderId === "string" ? given.deciderId : undefined;
  if (named !== undefined && !requests.store.users.has(named)) throw E.notFound(named, "User");
  const sequence = requests.sequences.get(r.sequenceId);
  const deciderId = named ?? requests.approverOf(sequence?.approver ?? "MANAGER", r.requestedFor, r.appId);
  return { r, deciderId };
}

function decide(requests: OktaRequests, req: SandboxRequest, approve: boolean): SandboxResponse {
  const { r, deciderId } = pending(requests, req);
  if (approve) requests.approve(r, deciderId);
  else requests.deny(r, deciderId);
  return { status: 200, body: renderRequest(requests, r, true) };
}

export const controlRoutes: RouteTable<OktaRequests> = {
  "POST /_sandbox/okta/requests/{requestId}/approve": (requests, req) => decide(requests, req, true),
  "POST /_sandbox/okta/requests/{requestId}/deny": (requests, req) => decide(requests, req, false),
  "GET /_sandbox/okta/requests/{requestId}/messages": (requests, req) => {
    const id = req.params.requestId as string;
    const r = requests.requests.get(id);
    if (!r) throw E.notFound(id, "Request");
    return { status: 200, body: { data: r.messages.map((m) => ({ ...m })) } };
  },
};
