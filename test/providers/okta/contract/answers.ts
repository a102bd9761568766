/**
 * The Okta sandbox's answers held to the Governance API spec: each answer (status and body) validated
 * against the schema the spec gives that operation and status, and a record of what was checked, so a
 * suite can show that every operation the sandbox serves was answered, and with which statuses.
 */
import { expect } from "vitest";
import type { Route } from "../../../../src/core/operation.js";
import type { Sandbox } from "../../../../src/sandbox/index.js";
import {
  PRIYA_GRANT,
  PROFILE,
  SALES_CLOUD_ADMIN,
  SALESFORCE,
  SALESFORCE_ORN,
} from "../../../fixtures/okta.js";
import {
  DANA_REVIEW,
  GITHUB_REVIEW,
  SALES_REVIEW,
  SAMUEL_REVIEW,
} from "../../../fixtures/okta-certifications.js";
import { responseSchema } from "../../../helpers/contract-cases.js";
import { type Res, send } from "../../../helpers/okta-sandbox.js";
import type { Spec } from "../../../helpers/spec.js";
import { REQUEST_SAMPLES } from "./requests-answers.js";

/** Route -> the statuses whose answers were validated. */
export type Checked = Map<Route, Set<number>>;

/** The sandbox's routes that are operations of the spec (the management API's lookups are not). */
export function servedOperations(spec: Spec, sandbox: Sandbox): Route[] {
  return (sandbox.routes as Route[]).filter((route) => spec.find(route) !== undefined);
}

/** The path of `route` with `ids` filled in. */
export function pathOf(route: Route, ids: Record<string, string>): string {
  return route
    .slice(route.indexOf(" ") + 1)
    .replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? `missing-${name}`));
}

/**
 * Sends `route` and validates the answer against the spec: the status must be one the operation
 * documents, its body must match that status's schema (or be empty when the spec gives none).
 */
export async function answer(
  spec: Spec,
  checked: Checked,
  route: Route,
  request: { path: string; body?: unknown; auth?: string | null; sandbox: Sandbox },
): Promise<Res> {
  const method = route.slice(0, route.indexOf(" "));
  const res = await send(request.sandbox, method, request.path, {
    body: request.body,
    ...(request.auth !== undefined ? { auth: request.auth } : {}),
  });
  expectValid(spec, route, res, `${method} ${request.path}`);
  const statuses = checked.get(route) ?? new Set<number>();
  statuses.add(res.status);
  checked.set(route, statuses);
  return res;
}

/**
 * Ids of the spec's own examples that its id patterns refuse (a grant `0ggb…` where grant-id says `gra…`, a
 * bundle `0bbf…` where entitlement-bundle-id says `enb…`): the demo org keeps them so the examples run
 * verbatim, and a pattern error on exactly these values is not counted.
 */
export const SPEC_EXAMPLE_IDS: ReadonlySet<string> = new Set([
  "0ggb0oNGTSWTBKOLGLNR",
  "0bbfxqCAJWWGELFTYAAA",
]);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object";

/**
 * The schema as the tests read it: `oneOf` as `anyOf`. The spec's grant answers are `oneOf` a grant with
 * entitlement references or one with full entitlements, and every full entitlement is also a reference, so
 * any list with full entitlements (even an empty one) matches both: "exactly one" can never hold.
 */
const asRead = new WeakMap<Json, Json>();
function readable(schema: Json): Json {
  let out = asRead.get(schema);
  if (!out) {
    out = JSON.parse(JSON.stringify(schema).replaceAll('"oneOf":', '"anyOf":')) as Json;
    asRead.set(schema, out);
  }
  return out;
}

/** The value at a JSON pointer ("/base/grant/id"). */
function at(body: unknown, pointer: string): unknown {
  let node = body;
  for (const part of pointer.split("/").slice(1)) node = isObject(node) ? node[part] : undefined;
  return node;
}

/** The answer's status is documented for the operation, and its body matches the documented schema. */
export function expectValid(spec: Spec, route: Route, res: Res, what: string): void {
  const operation = spec.find(route);
  expect(operation, `${route} is an operation of the spec`).toBeDefined();
  const documented = Object.keys(operation?.responses ?? {});
  expect(documented, `${what}: the spec documents ${res.status}`).toContain(String(res.status));
  const schema = responseSchema(spec, route, res.status);
  if (schema === undefined) {
    expect(res.body, `${what}: ${res.status} has no body in the spec`).toBeUndefined();
    return;
  }
  const errors = spec.validate(readable(schema), res.body).filter((e) => {
    const m = /^(\S+) must match pattern /.exec(e);
    return !(m && SPEC_EXAMPLE_IDS.has(String(at(res.body, m[1] as string))));
  });
  expect(errors, `${what} -> ${res.status}: ${JSON.stringify(res.body).slice(0, 400)}`).toEqual([]);
}

/**
 * One request per operation that the sandbox answers with success on the demo org: what the generic
 * error checks (401, 403, 429) send, with a valid body for writes.
 */
export const SAMPLE_REQUESTS: Record<
  string,
  { ids?: Record<string, string>; query?: string; body?: unknown }
> = {
  "GET /governance/api/v1/entitlements": {
    query: `filter=${encodeURIComponent(`parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION"`)}`,
  },
  "POST /governance/api/v1/entitlements": {
    body: {
      name: "Territory",
      externalValue: "territory",
      parent: { externalId: SALESFORCE, type: "APPLICATION" },
      multiValue: false,
      dataType: "string",
      values: [{ name: "EMEA", externalValue: "emea" }],
    },
  },
  "GET /governance/api/v1/entitlements/values": {
    query: `filter=${encodeURIComponent(`parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION"`)}`,
  },
  "GET /governance/api/v1/entitlements/{entitlementId}": { ids: { entitlementId: PROFILE } },
  "PUT /governance/api/v1/entitlements/{entitlementId}": { ids: { entitlementId: PROFILE } },
  "PATCH /governance/api/v1/entitlements/{entitlementId}": {
    ids: { entitlementId: PROFILE },
    body: [{ op: "REPLACE", path: "/description", value: "Salesforce profiles", refType: "ENTITLEMENT" }],
  },
  "DELETE /governance/api/v1/entitlements/{entitlementId}": { ids: { entitlementId: PROFILE } },
  "GET /governance/api/v1/entitlements/{entitlementId}/values": { ids: { entitlementId: PROFILE } },
  "GET /governance/api/v1/entitlements/{entitlementId}/values/{valueId}": {
    ids: { entitlementId: PROFILE, valueId: "entaWRdlVAm6zmXVaJN9" },
  },
  "GET /governance/api/v1/entitlement-bundles": {},
  "POST /governance/api/v1/entitlement-bundles": {
    body: {
      name: "Salesforce read only",
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      entitlements: [{ id: PROFILE, values: [{ id: "ent3tDMDLEGyHMlDYDn3" }] }],
    },
  },
  "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}": {
    ids: { entitlementBundleId: SALES_CLOUD_ADMIN },
  },
  "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId}": {
    ids: { entitlementBundleId: SALES_CLOUD_ADMIN },
  },
  "DELETE /governance/api/v1/entitlement-bundles/{entitlementBundleId}": {
    ids: { entitlementBundleId: SALES_CLOUD_ADMIN },
  },
  "GET /governance/api/v1/grants": {
    query: `filter=${encodeURIComponent(`target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION"`)}`,
  },
  "POST /governance/api/v1/grants": {
    body: {
      grantType: "ENTITLEMENT-BUNDLE",
      entitlementBundleId: SALES_CLOUD_ADMIN,
      targetPrincipal: { externalId: "00uHwCHSBn6G1ldstZ2x", type: "OKTA_USER" },
    },
  },
  "GET /governance/api/v1/grants/{grantId}": { ids: { grantId: PRIYA_GRANT } },
  "PUT /governance/api/v1/grants/{grantId}": { ids: { grantId: PRIYA_GRANT } },
  "PATCH /governance/api/v1/grants/{grantId}": {
    ids: { grantId: PRIYA_GRANT },
    body: { id: PRIYA_GRANT, scheduleSettings: { expirationDate: "2031-01-01T00:00:00Z" } },
  },
  "GET /governance/api/v1/principal-entitlements": { query: principalQuery() },
  "GET /governance/api/v1/principal-access": { query: principalQuery() },
  "GET /governance/api/v1/principal-entitlements/history": {
    query: `filter=${encodeURIComponent(`resource.externalId eq "${SALESFORCE}" AND resource.type eq "APPLICATION" AND principal.externalId eq "00ufxqCAJWWGELFTYCCC" AND principal.type eq "OKTA_USER"`)}`,
  },
  "POST /governance/api/v2/revoke-principal-access": {
    body: {
      principalOrn: "orn:okta:directory:00o11edPwGqbUrsDm0g4:users:00ub0oNGTSWTBKOLGLNR",
      revokeOrns: [SALESFORCE_ORN],
    },
  },
  "GET /governance/api/v2/resources/{resourceOrn}/entitlement-settings": {
    ids: { resourceOrn: SALESFORCE_ORN },
  },
  "PATCH /governance/api/v2/resources/{resourceOrn}/entitlement-settings": {
    ids: { resourceOrn: SALESFORCE_ORN },
    body: { status: "OPTED_IN" },
  },
  "GET /governance/api/v1/campaigns": { query: `filter=${encodeURIComponent('status eq "ACTIVE"')}` },
  "GET /governance/api/v1/campaigns/{campaignId}": { ids: { campaignId: SALES_REVIEW } },
  "POST /governance/api/v1/campaigns/{campaignId}/launch": { ids: { campaignId: GITHUB_REVIEW } },
  "POST /governance/api/v1/campaigns/{campaignId}/end": {
    ids: { campaignId: SALES_REVIEW },
    body: { skipRemediation: false },
  },
  "GET /governance/api/v1/reviews": {
    query: `filter=${encodeURIComponent(`campaignId eq "${SALES_REVIEW}"`)}`,
  },
  "GET /governance/api/v1/reviews/{reviewId}": { ids: { reviewId: SAMUEL_REVIEW } },
  "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign": {
    ids: { campaignId: SALES_REVIEW },
    body: {
      reviewerId: "00ub0oNGTSWTBKOLGLNR",
      reviewIds: [SAMUEL_REVIEW, DANA_REVIEW],
      note: "Dana is on leave",
    },
  },
  ...REQUEST_SAMPLES,
};

function principalQuery(): string {
  return `filter=${encodeURIComponent(
    `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND targetPrincipal.externalId eq "00ufxqCAJWWGELFTYCCC" AND targetPrincipal.type eq "OKTA_USER"`,
  )}`;
}

/** The full path of a sample request. */
export function samplePath(route: Route): string {
  const sample = SAMPLE_REQUESTS[route] ?? {};
  const path = pathOf(route, sample.ids ?? {});
  return sample.query ? `${path}?${sample.query}` : path;
}
