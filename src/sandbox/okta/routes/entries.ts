/**
 * Okta's access request catalog (v2): the default catalog's entries (an app's entry is the parent of its
 * bundles' entries), the entries one user may request, one entry, and the request fields of an entry for a
 * user with the risk assessment of requesting it. Lists take the spec's required filter, `not(parent pr)`
 * for the top level or `parent eq "cen…"` for an entry's children, a `match` on names, and cursor paging.
 */
import { FilterError, type FilterNode, parseFilter } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { E, queryCause } from "../errors.js";
import { requiredFilter } from "../filters.js";
import { enc, listQuery } from "../lists.js";
import { CATALOG, renderEntry } from "../requests-render.js";
import { type EntryRec, type OktaRequests, RISK_SUBMISSION } from "../requests-store.js";
import { valuesOfRefs } from "../risk-engine.js";
import type { UserRec } from "../store.js";

/** Which entries a catalog filter asks for: the top level, or the children of one entry. */
type Level = { top: true } | { top: false; parent: string };

/** The spec's x-scim-filter of the catalog: `parent eq "…"`, or `not(parent pr)` for the top level. */
function catalogLevel(text: string): Level {
  let node: FilterNode;
  try {
    node = parseFilter(text);
  } catch (err) {
    if (err instanceof FilterError) throw E.scim(err.message);
    throw err;
  }
  if (node.op === "not" && node.filter.op === "pr" && node.filter.attrPath === "parent") return { top: true };
  if (node.op === "eq" && node.attrPath === "parent" && typeof node.compValue === "string") {
    return { top: false, parent: node.compValue };
  }
  throw E.scim('The catalog filters by parent only: not(parent pr), or parent eq "<entry id>"');
}

/** `match`: 3 to 50 characters, compared with names and descriptions without case. */
function matchOf(req: SandboxRequest): string | undefined {
  const match = req.query.get("match");
  if (match === null) return undefined;
  if (match.length < 3 || match.length > 50) {
    throw E.validation("AccessRequestCatalog", [
      queryCause("/match", "match must be 3 to 50 characters long", "STRING_LENGTH_INVALID"),
    ]);
  }
  return match.toLowerCase();
}

/**
 * One page of entries: `requestable` says, for each, whether it can be requested (by anyone in the default
 * catalog; the user's catalog lists only what they may request).
 */
function listEntries(
  requests: OktaRequests,
  req: SandboxRequest,
  path: string,
  user?: UserRec,
): SandboxResponse {
  const filter = requiredFilter(req);
  const level = catalogLevel(filter);
  const match = matchOf(req);
  const lq = listQuery(req, {
    defaultLimit: 20,
    orderFields: ["name"],
    defaultOrder: "name asc",
    linkDefaultOrder: false,
  });
  const all = requests.entries();
  const matched = all.filter((e) => {
    if (level.top ? e.parent !== undefined : e.parent !== level.parent) return false;
    if (user && !requests.requestable(e)) return false;
    const text = `${e.name} ${e.description ?? ""}`.toLowerCase();
    return match === undefined || text.includes(match);
  });
  let start = 0;
  if (lq.after !== undefined) {
    const at = matched.findIndex((e) => e.id === lq.after);
    if (at < 0) {
      throw E.paging([
        queryCause(
          "/after",
          "The after parameter is invalid; use the links of the previous page",
          "INVALID_AFTER_PARAMETER",
        ),
      ]);
    }
    start = at + 1;
  }
  const slice = matched.slice(start, start + lq.limit);
  const last = slice[slice.length - 1];
  const href = (after: string | undefined) =>
    `${requests.store.cfg.baseUrl()}${path}?${[
      `filter=${enc(filter)}`,
      ...(match !== undefined ? [`match=${enc(req.query.get("match") ?? "")}`] : []),
      ...(after ? [`after=${enc(after)}`] : []),
      `limit=${lq.limit}`,
    ].join("&")}`;
  const links: Json = { self: { href: href(lq.after) } };
  if (last && start + lq.limit < matched.length) links.next = { href: href(last.id) };
  return {
    status: 200,
    body: { data: slice.map((e) => renderEntry(requests, e, requests.requestable(e))), _links: links },
  };
}

function entryOr404(requests: OktaRequests, id: string): EntryRec {
  if (id.length !== 20) {
    throw E.validation("entryId", [
      {
        errorSummary: "entryId must be 20 characters long",
        reason: "STRING_LENGTH_INVALID",
        location: "/entryId",
        locationType: "path",
      },
    ]);
  }
  const entry = requests.entry(id);
  if (!entry) throw E.notFound(id, "CatalogEntry");
  return entry;
}

function userOr404(requests: OktaRequests, id: string): UserRec {
  const user = requests.store.users.get(id);
  if (!user) throw E.notFound(id, "User");
  return user;
}

/**
 * The fields the entry's approval sequence asks the requester for (and the access duration its condition
 * fixes), with the risk assessment when requesting it would break a risk rule. An entry no condition lets
 * the user request has no fields to give: 404.
 */
function requestFields(requests: OktaRequests, req: SandboxRequest): SandboxResponse {
  const entry = entryOr404(requests, req.params.entryId as string);
  const user = userOr404(requests, req.params.userId as string);
  const condition = requests.conditionFor(entry);
  if (!condition || !entry.bundle) {
    throw E.notFound(`${entry.id} for ${user.id}`, "RequestableCatalogEntry");
  }
  const sequence = requests.sequences.get(condition.sequenceId);
  const data: Json[] = (sequence?.fields ?? []).map((f) => ({
    id: f.id,
    type: f.type,
    label: f.label,
    required: f.required,
    ...(f.choices ? { choices: [...f.choices] } : {}),
  }));
  if (condition.duration) {
    data.push({
      id: "ACCESS_DURATION",
      type: "DURATION",
      required: false,
      readOnly: true,
      value: condition.duration,
    });
  }
  const conflicts = requests.conflicts(
    user.id,
    entry.app.id,
    valuesOfRefs(requests.store, entry.bundle.entitlements),
  );
  const body: Json = { data };
  if (conflicts.length > 0) {
    body.metadata = {
      riskAssessment: {
        requestSubmissionType: RISK_SUBMISSION,
        riskRules: conflicts.slice(0, 5).map((c) => ({ name: c.rule.name, resourceName: entry.app.label })),
      },
    };
  }
  return { status: 200, body };
}

export const entryRoutes: RouteTable<OktaRequests> = {
  "GET /governance/api/v2/catalogs/default/entries": (requests, req) =>
    listEntries(requests, req, `${CATALOG}/entries`),
  "GET /governance/api/v2/catalogs/default/entries/{entryId}": (requests, req) => {
    const entry = entryOr404(requests, req.params.entryId as string);
    return { status: 200, body: renderEntry(requests, entry, requests.requestable(entry)) };
  },
  "GET /governance/api/v2/catalogs/default/entries/{entryId}/users/{userId}/request-fields": requestFields,
  "GET /governance/api/v2/catalogs/default/user/{userId}/entries": (requests, req) => {
    const user = userOr404(requests, req.params.userId as string);
    return listEntries(requests, req, `${CATALOG}/user/${user.id}/entries`, user);
  },
};
