/**
 * The sandbox answers as Atomicwork's spec says, for every operation it serves, across the demo data, over
 * real HTTP: each answer's status is one the spec declares (200; creates answer 200, not 201) or an error
 * status Atomicwork's docs list, and its body validates against the spec's response schema. The spec's
 * schemas are all "Empty response body" (`type: object`, no properties), so each body is also checked
 * against the fields the spec's descriptions name (PROSE below, each with the words it rests on), and
 * error bodies against the `{error, code}` envelope of the docs, since the spec declares no error answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnyOperation } from "../../../src/core/operation.js";
import { ATOMICWORK_DEMO } from "../../../src/sandbox/atomicwork/data.js";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { allOperations } from "../../../tools/index.js";
import { SEED_000 } from "../../fixtures/atomicwork.js";
import { responseSchema } from "../../helpers/contract-cases.js";
import { loadSpec, specsMissing } from "../../helpers/spec.js";
import { type Answer, AW_HEADERS, send, sendRaw } from "./spec-requests.js";

type Json = Record<string, unknown>;
const missing = specsMissing();
const TOOLS = allOperations.filter((op) => op.provider === "atomicwork");
const tool = (name: string) => TOOLS.find((op) => op.name === name) as AnyOperation;

/** The statuses Atomicwork's API introduction lists for errors (the spec declares none). */
const DOCUMENTED_ERRORS = [400, 401, 403, 404, 429, 500];
const ERROR_ENVELOPE = {
  type: "object",
  required: ["error", "code"],
  properties: { error: { type: "string", minLength: 1 }, code: { type: "string", minLength: 1 } },
};

const EMPTY = { type: "object", maxProperties: 0 };
const id = { type: "integer" };
const ref = { type: "object", required: ["id"], properties: { id } };
/** "Returns paginated results with `page`, `per_page` (default 25), and `next_page_token`". */
const page = (item: Json) => ({
  type: "object",
  required: ["items", "page", "per_page"],
  properties: {
    items: { type: "array", items: item },
    page: { type: "integer", minimum: 1 },
    per_page: { type: "integer", minimum: 1, maximum: 100 },
    next_page_token: { type: "string", minLength: 1 },
  },
});
/**
 * "Returns the created grant with its id, resolved status, entitlement, app, and provisioning details";
 * "user info, entitlement, app, policy, provisioning status, revocation status, and timestamps"; the
 * grant types and providers of the grants/list description's tables.
 */
const grant = {
  type: "object",
  required: ["id", "status", "user", "entitlement", "app", "provisioning_status", "granted_at", "updated_at"],
  properties: {
    id,
    status: { enum: ["GRANTED", "EXTENDED", "REVOKED", "EXPIRED"] },
    type: { enum: ["BIRTHRIGHT", "PREAPPROVED", "APPROVED"] },
    provider: { enum: ["OKTA", "AZURE_AD", "JUMPCLOUD", "GOOGLE_WORKSPACE", "MS_INTUNE", "MANUAL"] },
    user: ref,
    entitlement: ref,
    app: ref,
    policy: { type: "object", properties: { id, key: { type: "string" } } },
    revocation_status: {
      type: ["object", "null"],
      required: ["status", "schedule_id"],
      properties: { status: { enum: ["IN_PROGRESS", "COMPLETED", "FAILED"] } },
    },
  },
};

/** The body each operation's description promises (beyond the spec's `type: object`). */
const PROSE: Record<string, Json> = {
  "GET /api/v1/iga/apps": page({ type: "object", required: ["id", "name"], properties: { id } }),
  // "Each entitlement belongs to an app"; its types are the description's table.
  "GET /api/v1/iga/entitlements": page({
    type: "object",
    required: ["id", "name", "app_id"],
    properties: { id, app_id: id, type: { enum: ["GROUP", "ROLE", "LICENSE", "REPO", "OTHER"] } },
  }),
  // "Empty response body", and seed 000's response example: `{}`.
  "POST /api/v1/iga/entitlements": EMPTY,
  "POST /api/v1/iga/policies": EMPTY,
  "PUT /api/v1/iga/grants/{grant_id}": EMPTY,
  "POST /api/v1/iga/grants": grant,
  "POST /api/v1/iga/grants/list": page(grant),
  // "The response includes a revocation_status object with status (IN_PROGRESS, COMPLETED, or FAILED)".
  "POST /api/v1/iga/grants/{grant_id}/revoke": {
    ...grant,
    required: [...grant.required, "revocation_status"],
  },
  // "event_type — one of GRANTED, EXTENDED, REVOKED, or EXPIRED", "event_at", "event_by".
  "GET /api/v1/iga/grants/{grant_id}/history": page({
    type: "object",
    required: ["event_type", "event_at", "event_by"],
    properties: {
      event_type: { enum: ["GRANTED", "EXTENDED", "REVOKED", "EXPIRED"] },
      event_at: { type: "string", format: "date-time" },
    },
  }),
};

/** Every answer seen, by route and status, for the coverage check. */
const seen = new Map<string, Set<number>>();
let checked = 0;

function check(op: AnyOperation, answer: Answer, what: string): void {
  const spec = loadSpec("atomicwork");
  checked += 1;
  const statuses = seen.get(op.route) ?? new Set<number>();
  statuses.add(answer.status);
  seen.set(op.route, statuses);
  const declared = spec.find(op.route)?.responses ?? {};
  if (answer.status < 400) {
    expect(Object.keys(declared), `${what}: ${answer.status}`).toContain(String(answer.status));
    const schema = responseSchema(spec, op.route, answer.status) as Json;
    expect(spec.validate(schema, answer.body), what).toEqual([]);
    expect(
      spec.validate(PROSE[op.route] as Json, answer.body),
      `${what}: ${JSON.stringify(answer.body)}`,
    ).toEqual([]);
    return;
  }
  expect(DOCUMENTED_ERRORS, what).toContain(answer.status);
  expect(responseSchema(spec, op.route, answer.status), what).toBeUndefined();
  expect(spec.validate(ERROR_ENVELOPE, answer.body), `${what}: ${JSON.stringify(answer.body)}`).toEqual([]);
  if (answer.status === 429) expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
}

async function sweep(sandbox: Sandbox, name: string, inputs: Json[]): Promise<void> {
  for (const input of inputs) {
    const op = tool(name);
    check(op, await send(sandbox, op, input), `${name} ${JSON.stringify(input)}`);
  }
}

const APPS = ATOMICWORK_DEMO.apps.map((a) => a.id);
const USERS = ATOMICWORK_DEMO.users.map((u) => u.id);
const ENTITLEMENTS = ATOMICWORK_DEMO.entitlements.map((e) => e.id);
const GRANTS = ATOMICWORK_DEMO.grants.map((g) => g.id);
const POLICY = ATOMICWORK_DEMO.policies[0];
const SORTS = ["CREATED_AT", "UPDATED_AT", "NAME", "EXPIRES_AT", "GRANTED_AT"].flatMap((f) => [
  `${f}_ASC`,
  `${f}_DESC`,
]);
const FILTERS: Json[][] = [
  [],
  ...["ACTIVE", "INACTIVE", "REVOKED"].map((value) => [
    { attribute: "status", operator: "IS_ANY_OF", values: [{ value }] },
  ]),
  ...USERS.map((value) => [{ attribute: "user", operator: "IS_ANY_OF", values: [{ value }] }]),
  ...APPS.map((value) => [{ attribute: "app", operator: "EQUALS", values: [{ value }] }]),
  ...ENTITLEMENTS.map((value) => [{ attribute: "entitlement", operator: "IN", values: [{ value }] }]),
  [{ attribute: "entitlement_value", operator: "TEXT_CONTAINS", values: [{ value: "Admin" }] }],
  [{ attribute: "expires_at", operator: "IS_NOT_NULL" }],
  [
    {
      attribute: "granted_at",
      operator: "IS_BETWEEN",
      values: [{ value: "2024-01-01T00:00:00Z" }, { value: "2030-12-31T23:59:59Z" }],
    },
  ],
];

describe.skipIf(missing !== undefined)(
  `Atomicwork's answers against its published API${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox();
    });
    afterAll(async () => {
      await sandbox.close();
    });

    it("lists apps and entitlements, every page, every filter", async () => {
      await sweep(sandbox, "atomicwork_list_apps", [
        {},
        ...[1, 2, 3, 4, 5].map((n) => ({ page: n, per_page: 1 })),
        ...ATOMICWORK_DEMO.apps.map((a) => ({ search_key: a.name.slice(0, 4) })),
      ]);
      const filters = APPS.flatMap((app_id) =>
        ["GROUP", "ROLE"].flatMap((type) =>
          ["DRAFT", "PUBLISHED"].map((status) => ({ app_id, type, status })),
        ),
      );
      await sweep(sandbox, "atomicwork_list_entitlements", [
        {},
        ...filters,
        ...[1, 2, 3, 4].map((n) => ({ page: n, per_page: 2 })),
        { search_key: "Sales" },
      ]);
    });

    it("searches grants with no body, every filter, sort order, policy and page", async () => {
      const list = tool("atomicwork_search_grants");
      // The spec does not require the body: without one, every grant (as with `[]`).
      const bare = await sendRaw(`${sandbox.url}/api/v1/iga/grants/list`, "POST", undefined);
      check(list, bare, "no body");
      expect(bare.status).toBe(200);
      expect((bare.body as { items: unknown[] }).items).toHaveLength(GRANTS.length);
      await sweep(sandbox, "atomicwork_search_grants", [
        ...FILTERS.map((filters) => ({ filters })),
        ...[...SORTS, "PUBLISHED_DESC", "UNPUBLISHED_DESC"].map((sort_order) => ({ sort_order })),
        { policy_id: POLICY?.key },
        { app_id: 12345, search_key: "dana" },
        { ids: GRANTS.join(",") },
      ]);
      // Walk the pages both ways: by number, then by next_page_token.
      let token: string | undefined;
      let pages = 0;
      do {
        const answer = await send(sandbox, list, {
          per_page: 2,
          ...(token ? { next_page_token: token } : {}),
        });
        check(list, answer, `token page ${pages}`);
        token = (answer.body as { next_page_token?: string }).next_page_token;
        pages += 1;
      } while (token && pages < 10);
      expect(pages).toBe(3);
      await sweep(
        sandbox,
        "atomicwork_search_grants",
        [1, 2, 3].map((n) => ({ page: n, per_page: 2 })),
      );
    });

    it("reads every grant's history, in every order", async () => {
      await sweep(
        sandbox,
        "atomicwork_get_grant_history",
        GRANTS.flatMap((grant_id) =>
          ["CREATED_AT_ASC", "CREATED_AT_DESC", "UPDATED_AT_ASC", "UPDATED_AT_DESC"].map((sort_order) => ({
            grant_id,
            sort_order,
          })),
        ),
      );
    });

    it("creates entitlements, policies and grants across the demo apps, users and entitlements", async () => {
      await sweep(sandbox, "atomicwork_create_entitlement", [
        SEED_000,
        ...APPS.map((app_id) => ({ name: `Sweep entitlement ${app_id}`, app_id })),
        {
          name: "Bare provisioning",
          app_id: 12346,
          provisioning_config: { provider: "AZURE_AD", type: "AZURE_GROUP_PROVISIONING", value: {} },
        },
      ]);
      await sweep(
        sandbox,
        "atomicwork_create_policy",
        ["BIRTH_RIGHT", "SELF_SERVICE"].flatMap((type) =>
          ["DRAFT", "PUBLISHED", "ARCHIVED", "UNPUBLISHED"].map((status) => ({
            name: `${type} ${status}`,
            type,
            status,
            app_id: 12345,
            entitlements: [501, 502],
          })),
        ),
      );
      await sweep(sandbox, "atomicwork_create_grant", [
        ...USERS.flatMap((user_id) =>
          ENTITLEMENTS.slice(0, 3).map((entitlement_id) => ({ user_id, entitlement_id })),
        ),
        { user_id: 9002, entitlement_id: 505, policy_id: POLICY?.id },
        { user_id: 9002, entitlement_id: 506, policy_key: POLICY?.key },
      ]);
    });

    it("updates and revokes every demo grant", async () => {
      const fresh = await startSandbox();
      try {
        await sweep(
          fresh,
          "atomicwork_update_grant",
          GRANTS.flatMap((grant_id) =>
            ["EXTENDED", "GRANTED"].map((status) => ({ grant_id, status, granted_by: 9002 })),
          ),
        );
        await sweep(fresh, "atomicwork_update_grant", [{ grant_id: 7002, policy_key: POLICY?.key }]);
        await sweep(
          fresh,
          "atomicwork_revoke_grant",
          GRANTS.map((grant_id, i) => ({ grant_id, skip_deprovisioning: i % 2 === 0 })),
        );
        // Revoked already: a 400, a status the docs list.
        await sweep(fresh, "atomicwork_revoke_grant", [{ grant_id: GRANTS[0] }]);
      } finally {
        await fresh.close();
      }
    });

    it("answers errors with a documented status and the {error, code} envelope", async () => {
      const unknown = { grant_id: 999_999 };
      await sweep(sandbox, "atomicwork_get_grant_history", [unknown]);
      await sweep(sandbox, "atomicwork_update_grant", [{ ...unknown, status: "GRANTED" }]);
      await sweep(sandbox, "atomicwork_revoke_grant", [unknown]);
      await sweep(sandbox, "atomicwork_create_grant", [
        { user_id: 1, entitlement_id: 501 },
        { user_id: 9001, entitlement_id: 1 },
        { user_id: 9001, entitlement_id: 501, policy_id: 1 },
        { user_id: "9001", entitlement_id: 501 },
      ]);
      await sweep(sandbox, "atomicwork_create_entitlement", [
        { name: "Nowhere", app_id: 1 },
        { app_id: 12345 },
      ]);
      await sweep(sandbox, "atomicwork_create_policy", [
        { name: "x", type: "SELF_SERVICE", status: "DRAFT", app_id: 12345, entitlements: [1] },
      ]);
      await sweep(sandbox, "atomicwork_list_entitlements", [{ type: "LICENSE" }, { per_page: 101 }]);
      const probe = { grant_id: 7001, user_id: 9001, entitlement_id: 501, name: "n", app_id: 12345 };
      for (const op of TOOLS) {
        check(op, await send(sandbox, op, probe, { "X-Api-Key": "wrong" }), `${op.name} with a wrong key`);
        check(
          op,
          await send(sandbox, op, probe, { ...AW_HEADERS, "X-Workspace-Id": "2" }),
          `${op.name} elsewhere`,
        );
      }
      const limited = await startSandbox({ rateLimit: { limit: 1 } });
      try {
        const apps = tool("atomicwork_list_apps");
        check(apps, await send(limited, apps, {}), "first");
        check(apps, await send(limited, apps, {}), "rate limited");
      } finally {
        await limited.close();
      }
    });

    it("covered every operation with a 200 and an error", () => {
      for (const op of TOOLS) {
        const statuses = [...(seen.get(op.route) ?? [])];
        expect(statuses, op.route).toContain(200);
        expect(
          statuses.some((s) => s >= 400),
          op.route,
        ).toBe(true);
      }
      expect(seen.get("GET /api/v1/iga/apps")).toContain(429);
      expect(checked).toBeGreaterThan(180);
    });
  },
);
