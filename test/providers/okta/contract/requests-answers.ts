/**
 * The access-request and risk operations in the Okta answer suites (answers-*.test.ts spread these in): a
 * sample request per operation, the bad and missing requests each documented error status is shown with,
 * the statuses Okta gives that the spec does not document for an operation, the spec examples the demo
 * org cannot run, and the reads and writes that sweep the demo org's catalog, requests and rules.
 */
import { expect } from "vitest";
import type { Route } from "../../../../src/core/operation.js";
import type { Sandbox } from "../../../../src/sandbox/index.js";
import { OKTA_DEMO } from "../../../../src/sandbox/okta/data.js";
import { OKTA_REQUESTS_DEMO } from "../../../../src/sandbox/okta/requests-data.js";
import { DANA, PRIYA, SALESFORCE, SALESFORCE_ORN, WORKDAY } from "../../../fixtures/okta.js";
import {
  ENTRIES,
  HANNAH,
  JUSTIFICATION_FIELD,
  PAYROLL_BUNDLE,
  REQUESTS,
  RULES,
} from "../../../fixtures/okta-requests.js";

type Json = Record<string, unknown>;
type Case = [Route, { path: string; body?: unknown }];
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
const CATALOG = "/governance/api/v2/catalogs/default";
const userOrn = (id: string) => `orn:okta:directory:00o11edPwGqbUrsDm0g4:users:${id}`;
const bundleOrn = (id: string) => `orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-bundles:${id}`;
const UNKNOWN = "cenNOTHEREaaaaaaaaaa";
const WORKDAY_CONDITION = OKTA_REQUESTS_DEMO.conditions.find((c) => c.appId === WORKDAY)?.id as string;

/** A request for Hannah of the payroll bundle, with the justification its sequence asks for. */
export const PAYROLL_REQUEST = {
  requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.payroll },
  requestedFor: { type: "OKTA_USER", externalId: HANNAH },
  requesterFieldValues: [{ id: JUSTIFICATION_FIELD, value: "Covering the payroll close in June" }],
};

export const REQUEST_SAMPLES: Record<
  string,
  { ids?: Record<string, string>; query?: string; body?: unknown }
> = {
  [`GET ${CATALOG}/entries`]: { query: q("not(parent pr)") },
  [`GET ${CATALOG}/entries/{entryId}`]: { ids: { entryId: ENTRIES.payroll } },
  [`GET ${CATALOG}/entries/{entryId}/users/{userId}/request-fields`]: {
    ids: { entryId: ENTRIES.payroll, userId: HANNAH },
  },
  [`GET ${CATALOG}/user/{userId}/entries`]: { ids: { userId: DANA }, query: q("not(parent pr)") },
  "GET /governance/api/v2/requests": {},
  "POST /governance/api/v2/requests": { body: PAYROLL_REQUEST },
  "GET /governance/api/v2/requests/{requestId}": { ids: { requestId: REQUESTS.pending } },
  "POST /governance/api/v2/requests/{requestId}/messages": {
    ids: { requestId: REQUESTS.pending },
    body: { message: "Checking with the payroll team." },
  },
  "GET /governance/api/v2/resources/{resourceId}/request-conditions": { ids: { resourceId: WORKDAY } },
  "GET /governance/api/v2/resources/{resourceId}/request-conditions/{requestConditionId}": {
    ids: { resourceId: WORKDAY, requestConditionId: WORKDAY_CONDITION },
  },
  "GET /governance/api/v2/resources/{resourceId}/request-sequences": { ids: { resourceId: WORKDAY } },
  "GET /governance/api/v1/risk-rules": {},
  "POST /governance/api/v1/risk-rule-assessments": {
    body: { principalOrn: userOrn(HANNAH), resourceOrn: bundleOrn(PAYROLL_BUNDLE) },
  },
};

/** Statuses Okta gives that the spec does not document for the operation, with the reason. */
export const REQUEST_UNDOCUMENTED: Record<string, string> = {
  [`GET ${CATALOG}/entries/{entryId}/users/{userId}/request-fields 403`]:
    "the spec documents only 200, 401 and 404 here; a token without the request scope gets Okta's 403 like everywhere",
  [`GET ${CATALOG}/entries/{entryId}/users/{userId}/request-fields 429`]:
    "the spec documents no rate limit here; Okta's limits apply to every endpoint",
  "POST /governance/api/v2/requests 429":
    "the spec documents no rate limit here; Okta's limits apply to every endpoint",
  "POST /governance/api/v2/requests/{requestId}/messages 403":
    "the spec documents only 201, 401 and 429 here; a token without the request scope gets Okta's 403 like everywhere",
};

/** Documented error statuses the sandbox never gives, with the reason. */
export const REQUEST_NOT_GIVEN: Record<string, string> = {
  [`GET ${CATALOG}/entries 404`]:
    "the default catalog always exists, and a filter naming an unknown parent lists nothing, as a filter does",
};

/** Requests each documented 400 is shown with. */
export const REQUEST_BAD: Case[] = [
  [`GET ${CATALOG}/entries`, { path: `${CATALOG}/entries?${q("parent pr")}` }],
  [`GET ${CATALOG}/entries/{entryId}`, { path: `${CATALOG}/entries/cen-too-short` }],
  [
    `GET ${CATALOG}/user/{userId}/entries`,
    { path: `${CATALOG}/user/${DANA}/entries?${q("not(parent pr)")}&match=ab` },
  ],
  ["GET /governance/api/v2/requests", { path: "/governance/api/v2/requests?orderBy=name" }],
  [
    "POST /governance/api/v2/requests",
    {
      path: "/governance/api/v2/requests",
      body: { ...PAYROLL_REQUEST, requested: { type: "APP", entryId: "x" } },
    },
  ],
  ["GET /governance/api/v1/risk-rules", { path: `/governance/api/v1/risk-rules?${q('id eq "x"')}` }],
  [
    "POST /governance/api/v1/risk-rule-assessments",
    { path: "/governance/api/v1/risk-rule-assessments", body: { principalOrn: "orn:okta:directory:nope" } },
  ],
];

/** Requests each documented 404 and 409 is shown with. */
export const REQUEST_MISSING: [Route, { path: string; body?: unknown }, number][] = [
  [`GET ${CATALOG}/entries/{entryId}`, { path: `${CATALOG}/entries/${UNKNOWN}` }, 404],
  [
    `GET ${CATALOG}/entries/{entryId}/users/{userId}/request-fields`,
    { path: `${CATALOG}/entries/${ENTRIES.githubAdmin}/users/${DANA}/request-fields` },
    404,
  ],
  [
    `GET ${CATALOG}/user/{userId}/entries`,
    { path: `${CATALOG}/user/00uNOTHEREaaaaaaaaaa/entries?${q("not(parent pr)")}` },
    404,
  ],
  [
    "GET /governance/api/v2/requests/{requestId}",
    { path: "/governance/api/v2/requests/reqNOTHEREaaaaaaaaaa" },
    404,
  ],
  [
    "GET /governance/api/v2/resources/{resourceId}/request-conditions",
    { path: "/governance/api/v2/resources/0oaNOTHEREaaaaaaaaaa/request-conditions" },
    404,
  ],
  [
    "GET /governance/api/v2/resources/{resourceId}/request-conditions/{requestConditionId}",
    { path: `/governance/api/v2/resources/${SALESFORCE}/request-conditions/rcoNOTHEREaaaaaaaaaa` },
    404,
  ],
  [
    "GET /governance/api/v2/resources/{resourceId}/request-sequences",
    { path: "/governance/api/v2/resources/0oaNOTHEREaaaaaaaaaa/request-sequences" },
    404,
  ],
  [
    "POST /governance/api/v2/requests",
    { path: "/governance/api/v2/requests", body: { ...PAYROLL_REQUEST, requesterFieldValues: [] } },
    409,
  ],
];

/** Spec examples the demo org cannot run, with the reason (each is still refused with a documented 400). */
export const REQUEST_FOREIGN_EXAMPLES: Record<string, string> = {
  "POST /governance/api/v1/risk-rule-assessments BundleRequest":
    "assesses bundle enbogpaj3XUzcM62u1d6, not in the demo org",
  "POST /governance/api/v1/risk-rule-assessments CollectionRequest":
    "assesses a resource collection, which the demo org does not have",
};

/** The tool of each write route with path ids, for its sample path ids. */
export const REQUEST_OPERATIONS: Record<string, string> = {
  "POST /governance/api/v2/requests/{requestId}/messages": "okta_add_request_message",
};

type Read = (route: Route, path: string) => Promise<Json>;

/**
 * Reads the whole demo catalog, every user's requestable entries and request fields, every request (each
 * status filter, and one by one), every app's conditions (each alone) and sequences, and the risk rules.
 */
export async function readRequestsOrg(read: Read): Promise<void> {
  const tops = await read(`GET ${CATALOG}/entries`, `${CATALOG}/entries?${q("not(parent pr)")}&limit=200`);
  let children = 0;
  for (const top of tops.data as Json[]) {
    await read(`GET ${CATALOG}/entries/{entryId}`, `${CATALOG}/entries/${top.id}`);
    const kids = await read(`GET ${CATALOG}/entries`, `${CATALOG}/entries?${q(`parent eq "${top.id}"`)}`);
    for (const kid of kids.data as Json[]) {
      children += 1;
      await read(`GET ${CATALOG}/entries/{entryId}`, `${CATALOG}/entries/${kid.id}`);
      if (kid.requestable !== true) continue;
      for (const u of OKTA_DEMO.users) {
        await read(
          `GET ${CATALOG}/entries/{entryId}/users/{userId}/request-fields`,
          `${CATALOG}/entries/${kid.id}/users/${u.id}/request-fields`,
        );
      }
    }
  }
  expect(children).toBeGreaterThanOrEqual(5);
  await read(`GET ${CATALOG}/entries`, `${CATALOG}/entries?${q("not(parent pr)")}&match=work&limit=1`);
  for (const u of OKTA_DEMO.users) {
    const mine = await read(
      `GET ${CATALOG}/user/{userId}/entries`,
      `${CATALOG}/user/${u.id}/entries?${q("not(parent pr)")}`,
    );
    for (const top of mine.data as Json[]) {
      await read(
        `GET ${CATALOG}/user/{userId}/entries`,
        `${CATALOG}/user/${u.id}/entries?${q(`parent eq "${top.id}"`)}`,
      );
    }
  }
  const all = await read("GET /governance/api/v2/requests", "/governance/api/v2/requests?limit=200");
  for (const r of all.data as Json[]) {
    await read("GET /governance/api/v2/requests/{requestId}", `/governance/api/v2/requests/${r.id}`);
  }
  for (const status of ["PENDING", "APPROVED", "DENIED"]) {
    const some = await read(
      "GET /governance/api/v2/requests",
      `/governance/api/v2/requests?${q(`status eq "${status}"`)}&orderBy=lastUpdated%20asc&limit=2`,
    );
    expect((some.data as Json[]).length, status).toBeGreaterThan(0);
  }
  for (const a of OKTA_DEMO.apps) {
    const conds = await read(
      "GET /governance/api/v2/resources/{resourceId}/request-conditions",
      `/governance/api/v2/resources/${a.id}/request-conditions`,
    );
    for (const c of conds.data as Json[]) {
      await read(
        "GET /governance/api/v2/resources/{resourceId}/request-conditions/{requestConditionId}",
        `/governance/api/v2/resources/${a.id}/request-conditions/${c.id}`,
      );
    }
    await read(
      "GET /governance/api/v2/resources/{resourceId}/request-sequences",
      `/governance/api/v2/resources/${a.id}/request-sequences`,
    );
  }
  await read("GET /governance/api/v1/risk-rules", "/governance/api/v1/risk-rules?limit=2");
  await read(
    "GET /governance/api/v1/risk-rules",
    `/governance/api/v1/risk-rules?${q(`resourceOrn eq "${SALESFORCE_ORN}"`)}`,
  );
  await read("GET /governance/api/v1/risk-rules", `/governance/api/v1/risk-rules?${q('name co "payments"')}`);
  expect(RULES.payments).toMatch(/^rul/);
}

type Write = (sandbox: Sandbox, route: Route, path: string, body: unknown, status: number) => Promise<Json>;

/** Files a request, adds a message, and assesses risk: each write answered with success. */
export async function writeRequests(sandbox: Sandbox, write: Write): Promise<void> {
  const created = await write(
    sandbox,
    "POST /governance/api/v2/requests",
    "/governance/api/v2/requests",
    PAYROLL_REQUEST,
    202,
  );
  expect(created.status).toBe("SUBMITTED");
  await write(
    sandbox,
    "POST /governance/api/v2/requests/{requestId}/messages",
    `/governance/api/v2/requests/${created.id}/messages`,
    { message: "The payroll team confirmed the dates." },
    201,
  );
  const assessed = await write(
    sandbox,
    "POST /governance/api/v1/risk-rule-assessments",
    "/governance/api/v1/risk-rule-assessments",
    { principalOrn: userOrn(HANNAH), resourceOrn: bundleOrn(PAYROLL_BUNDLE) },
    200,
  );
  expect((assessed.data as Json[]).map((c) => c.ruleName)).toEqual(["Create and approve payments"]);
  const standing = await write(
    sandbox,
    "POST /governance/api/v1/risk-rule-assessments",
    "/governance/api/v1/risk-rule-assessments",
    { principalOrn: userOrn(PRIYA) },
    200,
  );
  expect(standing.data).toEqual([]);
}
