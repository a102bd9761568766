/**
 * The Okta operation definitions as pure data, without network: the seed documents' example bodies pass
 * the input schemas and map to the exact upstream bodies, bad input is refused naming the field, the
 * convenience fields build correctly quoted filters, and every guard's preview says what would change.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type AnyOperation,
  type GuardPolicy,
  needsConfirmation,
  parseRoute,
  type RequestParts,
} from "../src/core/operation.js";
import { allOperations } from "../tools/index.js";

const SALESFORCE = "0oafxqCAJWWGELFTYASJ";
const DANA = "00ufxqCAJWWGELFTYCCC";
const SF_ORN = `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:${SALESFORCE}`;

function op(name: string): AnyOperation {
  const found = allOperations.find((o) => o.name === name);
  if (!found) throw new Error(`no operation ${name}`);
  return found;
}

function parsed(name: string, input: Record<string, unknown>): Record<string, unknown> {
  const result: z.ZodSafeParseResult<unknown> = op(name).input.safeParse(input);
  if (!result.success) throw new Error(`${name} refused: ${JSON.stringify(result.error.issues)}`);
  return result.data as Record<string, unknown>;
}

function refused(name: string, input: Record<string, unknown>): z.core.$ZodIssue[] {
  const result: z.ZodSafeParseResult<unknown> = op(name).input.safeParse(input);
  expect(result.success, `${name} accepted ${JSON.stringify(input)}`).toBe(false);
  return result.success ? [] : result.error.issues;
}

/** The issue paths, dotted: "operations.0.value". */
function issuePaths(name: string, input: Record<string, unknown>): string[] {
  return refused(name, input).map((i) => i.path.join("."));
}

/** Mirrors the registrar's default mapping (DESIGN §2.3) plus the operation's `request` hook. */
function mapRequest(name: string, input: Record<string, unknown>): RequestParts {
  const operation = op(name);
  const data = parsed(name, input);
  const { method, params } = parseRoute(operation.route);
  const path: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (params.includes(key)) path[key] = String(value);
    else if (value !== undefined) rest[key] = value;
  }
  const defaults: RequestParts =
    method === "GET" || method === "DELETE"
      ? { path, query: rest as RequestParts["query"] }
      : { path, query: {}, body: rest };
  if (!operation.request) return defaults;
  const custom = operation.request(data);
  return {
    path: custom.path ?? defaults.path,
    query: custom.query ?? defaults.query,
    body: "body" in custom ? custom.body : defaults.body,
  };
}

function policy(name: string): GuardPolicy<Record<string, unknown>> {
  const guard = op(name).guard;
  if (guard === "none") throw new Error(`${name} has no guard`);
  return guard as GuardPolicy<Record<string, unknown>>;
}

function preview(name: string, input: Record<string, unknown>, state: Record<string, unknown>) {
  const p = policy(name).preview(parsed(name, input), state);
  // The guard's decision, from the effects alone (DESIGN §2.4 step 0).
  return { ...p, required: needsConfirmation(p.effects, { confirmCreates: false }) };
}

function readParams(
  name: string,
  key: string,
  input: Record<string, unknown>,
  state: Record<string, unknown>,
) {
  const read = policy(name).reads.find((r) => r.key === key);
  if (!read) throw new Error(`${name} has no read ${key}`);
  return read.params(parsed(name, input), state);
}

// ---- seed documents' example request bodies, verbatim ----

const SEED_CREATE_ENTITLEMENT = {
  name: "License Entitlement",
  externalValue: "license_entitlement",
  description: "Some license entitlement",
  parent: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
  multiValue: true,
  dataType: "string",
  values: [
    { name: "value1", description: "description for value1", externalValue: "value_1" },
    { name: "value2", description: "description for value2", externalValue: "value_2" },
  ],
};

const SEED_REPLACE_ENTITLEMENT = {
  id: "esp2lr1lavoGDYw5U8g6",
  name: "License Entitlement",
  externalValue: "license_entitlement",
  description: "Entitlement description",
  parentResourceOrn: "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:0oafxqCAJWWGELFTYASJ",
  parent: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
  multiValue: true,
  dataType: "string",
  values: [
    {
      id: "ent148gF8aZoRfFsh0g4",
      name: "value1",
      description: "description for value1",
      externalValue: "value_1",
    },
    {
      id: "entotuwr1z1efm5RA1d6",
      name: "value2",
      description: "new value for entitlement",
      externalValue: "value_2",
    },
  ],
};

const SEED_PATCH_ENTITLEMENT = [
  {
    op: "ADD",
    path: "/values/-",
    value: { name: "value1", description: "description for value1", externalValue: "value_1" },
    refType: "ENTITLEMENT-VALUE",
  },
  { op: "REMOVE", path: "/values/ent148gF8aZoRfFsh0g4", refType: "ENTITLEMENT-VALUE" },
  {
    op: "REPLACE",
    path: "/values/ent148gF8aZoRfFsh0g4",
    value: { name: "value1", description: "replace description for value1" },
    refType: "ENTITLEMENT-VALUE",
  },
  { op: "ADD", path: "/description", value: "add description for entitlement", refType: "ENTITLEMENT" },
  { op: "REMOVE", path: "/description", refType: "ENTITLEMENT" },
  {
    op: "REPLACE",
    path: "/description",
    value: "replace description for entitlement",
    refType: "ENTITLEMENT",
  },
  { op: "REPLACE", path: "/name", value: "replace name for entitlement", refType: "ENTITLEMENT" },
];

// "values": [ ] in the rendered seed is a collapsed list ("one entitlement, one value"); both forms pass.
const SEED_CREATE_BUNDLE = {
  name: "Salesforce admin bundle",
  description: "A bundle for full administrative access in salesforce",
  target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
  entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
};
const SEED_CREATE_BUNDLE_ONE_VALUE = {
  ...SEED_CREATE_BUNDLE,
  entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [{ id: "entfxqCAJWWGELFTYAAA" }] }],
};

const SEED_BUNDLE_READ_ONLY = {
  created: "2022-05-24T14:15:22Z",
  createdBy: "00ub0oNGTSWTBKOLGLNR",
  lastUpdated: "2022-05-24T14:15:22Z",
  lastUpdatedBy: "00ub0oNGTSWTBKOLGLNR",
};
const SEED_REPLACE_BUNDLE = {
  id: "0bbfxqCAJWWGELFTYAAA",
  name: "Github admin bundle",
  description: "Github bundle for administrative access",
  ...SEED_BUNDLE_READ_ONLY,
  status: "ACTIVE",
  targetResourceOrn: "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:github:0oafxqCAJWWGELFTYASJ",
  target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
  entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
};

const SEED_CREATE_GRANT = {
  grantType: "ENTITLEMENT-BUNDLE",
  entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
  actor: "ACCESS_REQUEST",
  targetPrincipal: { externalId: "00ufxqCAJWWGELFTYCCC", type: "OKTA_USER" },
};

const SEED_REPLACE_GRANT = {
  id: "0ggb0oNGTSWTBKOLGLNR",
  created: "2022-05-24T14:15:22Z",
  createdBy: "00ub0oNGTSWTBKOLGLNR",
  lastUpdated: "2022-05-24T14:15:22Z",
  lastUpdatedBy: "00ub0oNGTSWTBKOLGLNR",
  grantType: "CUSTOM",
  action: "ALLOW",
  actor: "API",
  targetResourceOrn: "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:0oafxqCAJWWGELFTYASJ",
  target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
  targetPrincipalOrn: "orn:okta:directory:00o11edPwGqbUrsDm0g4:users:00ub0oNGTSWTBKOLGLNR",
  targetPrincipal: { externalId: "00ub0oNGTSWTBKOLGLNR", type: "OKTA_USER" },
  entitlements: [
    { id: "0obfxqCAJWWGELFTYASJ", values: [] },
    { id: "0obfxqCAJWWGELFTYASJ", values: [] },
  ],
  status: "ACTIVE",
};

function without(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));
}
const READ_ONLY = ["created", "createdBy", "lastUpdated", "lastUpdatedBy", "metadata", "_links"];

describe("seed example bodies pass as is and map to the exact upstream request", () => {
  it("create entitlement (seed 001)", () => {
    expect(mapRequest("okta_create_entitlement", SEED_CREATE_ENTITLEMENT)).toEqual({
      path: {},
      query: {},
      body: SEED_CREATE_ENTITLEMENT,
    });
  });

  it("replace entitlement (seed 001) with its path id", () => {
    const parts = mapRequest("okta_replace_entitlement", {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
      ...SEED_REPLACE_ENTITLEMENT,
    });
    expect(parts).toEqual({
      path: { entitlementId: "esp2lr1lavoGDYw5U8g6" },
      query: {},
      body: SEED_REPLACE_ENTITLEMENT,
    });
  });

  it("replace entitlement drops the read-only fields of a GET result", () => {
    const parts = mapRequest("okta_replace_entitlement", {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
      ...SEED_REPLACE_ENTITLEMENT,
      created: "2025-06-27T12:18:37Z",
      createdBy: "pcankwjew5WvKbIc81d7",
      lastUpdated: "2025-06-27T12:18:37Z",
      lastUpdatedBy: "pcankwjew5WvKbIc81d7",
      metadata: { total: 2 },
      _links: { self: { href: "https://x/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6", hints: {} } },
    });
    expect(parts.body).toEqual(SEED_REPLACE_ENTITLEMENT);
  });

  it("update entitlement (seed 001): the operations array is the body", () => {
    const parts = mapRequest("okta_update_entitlement", {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
      operations: SEED_PATCH_ENTITLEMENT,
    });
    expect(parts).toEqual({
      path: { entitlementId: "esp2lr1lavoGDYw5U8g6" },
      query: {},
      body: SEED_PATCH_ENTITLEMENT,
    });
  });

  it.each([
    ["collapsed values", SEED_CREATE_BUNDLE],
    ["one value", SEED_CREATE_BUNDLE_ONE_VALUE],
  ])("create bundle (seed 002, %s)", (_label, seed) => {
    expect(mapRequest("okta_create_bundle", seed)).toEqual({ path: {}, query: {}, body: seed });
  });

  it("replace bundle (seed 002) with its path id, without the read-only fields", () => {
    const parts = mapRequest("okta_replace_bundle", {
      entitlementBundleId: "0bbfxqCAJWWGELFTYAAA",
      ...SEED_REPLACE_BUNDLE,
    });
    expect(parts).toEqual({
      path: { entitlementBundleId: "0bbfxqCAJWWGELFTYAAA" },
      query: {},
      body: without(SEED_REPLACE_BUNDLE, READ_ONLY),
    });
    expect(parts.body).toMatchObject({ status: "ACTIVE", targetResourceOrn: expect.any(String) });
  });

  it("create grant (seed 004)", () => {
    expect(mapRequest("okta_create_grant", SEED_CREATE_GRANT)).toEqual({
      path: {},
      query: {},
      body: SEED_CREATE_GRANT,
    });
  });

  it("replace grant (seed 004) with its path id, without the read-only fields", () => {
    const parts = mapRequest("okta_replace_grant", {
      grantId: "0ggb0oNGTSWTBKOLGLNR",
      ...SEED_REPLACE_GRANT,
    });
    expect(parts).toEqual({
      path: { grantId: "0ggb0oNGTSWTBKOLGLNR" },
      query: {},
      body: without(SEED_REPLACE_GRANT, READ_ONLY),
    });
  });

  it("delete and get map ids to the path only", () => {
    expect(mapRequest("okta_delete_entitlement", { entitlementId: "esp2lr1lavoGDYw5U8g6" })).toEqual({
      path: { entitlementId: "esp2lr1lavoGDYw5U8g6" },
      query: {},
    });
    expect(
      mapRequest("okta_get_entitlement_value", {
        entitlementId: "esp5zFLCIUV7Vibro0g2",
        valueId: "entfxqCAJWWGELFTYAAA",
      }),
    ).toEqual({
      path: { entitlementId: "esp5zFLCIUV7Vibro0g2", valueId: "entfxqCAJWWGELFTYAAA" },
      query: {},
    });
    expect(
      mapRequest("okta_get_grant", {
        grantId: "0ggb0oNGTSWTBKOLGLNR",
        include: ["full_entitlements", "metadata"],
      }),
    ).toEqual({
      path: { grantId: "0ggb0oNGTSWTBKOLGLNR" },
      query: { include: "full_entitlements,metadata" },
    });
  });

  it("shapes a 204 delete into a result", () => {
    const shape = op("okta_delete_bundle").shape;
    expect(shape?.(undefined, { entitlementBundleId: "enbfxqCAJWWGELFTYCCC" })).toEqual({
      deleted: true,
      id: "enbfxqCAJWWGELFTYCCC",
    });
  });
});

describe("bad input is refused, naming the field", () => {
  it.each([
    "esp2lr1lavoGDYw5U8g/",
    "../../../api/v1/users",
    "esp2lr1lavoGDYw5U8g?",
    "esp2lr1lavoGDYw5U%2F",
    "esp2lr1lavo GDYw5U8g",
    "esp2lr1lavoGDYw5U8g",
    "esp2lr1lavoGDYw5U8g6x",
    "",
  ])("entitlementId %j", (bad) => {
    expect(issuePaths("okta_get_entitlement", { entitlementId: bad })).toEqual(["entitlementId"]);
    expect(issuePaths("okta_delete_entitlement", { entitlementId: bad })).toEqual(["entitlementId"]);
  });

  it.each([
    ["okta_get_entitlement_value", { entitlementId: "esp2lr1lavoGDYw5U8g6", valueId: "ent/../x" }, "valueId"],
    ["okta_get_bundle", { entitlementBundleId: "enb..fxqCAJWWGELFTYC" }, "entitlementBundleId"],
    ["okta_delete_bundle", { entitlementBundleId: "enbfxqCAJWWGELFTYCC%" }, "entitlementBundleId"],
    ["okta_get_grant", { grantId: "gra17atqzjv6mM17J1d?" }, "grantId"],
    ["okta_list_grants", { appId: "0oafxqCAJWWGELFTYAS/" }, "appId"],
  ])("%s refuses %j", (name, input, field) => {
    expect(issuePaths(name, input)).toContain(field);
  });

  it("refuses missing required fields and wrong types", () => {
    expect(issuePaths("okta_create_entitlement", without(SEED_CREATE_ENTITLEMENT, ["name"]))).toEqual([
      "name",
    ]);
    expect(issuePaths("okta_create_entitlement", { ...SEED_CREATE_ENTITLEMENT, multiValue: "yes" })).toEqual([
      "multiValue",
    ]);
    expect(issuePaths("okta_create_entitlement", { ...SEED_CREATE_ENTITLEMENT, dataType: "number" })).toEqual(
      ["dataType"],
    );
    expect(
      issuePaths("okta_create_entitlement", {
        ...SEED_CREATE_ENTITLEMENT,
        parent: { externalId: SALESFORCE },
      }),
    ).toEqual(["parent.type"]);
    expect(issuePaths("okta_create_bundle", without(SEED_CREATE_BUNDLE, ["target"]))).toEqual(["target"]);
    expect(issuePaths("okta_create_grant", without(SEED_CREATE_GRANT, ["targetPrincipal"]))).toEqual([
      "targetPrincipal",
    ]);
    expect(
      issuePaths("okta_update_entitlement", { entitlementId: "esp2lr1lavoGDYw5U8g6", operations: [] }),
    ).toEqual(["operations"]);
  });

  it.each([0, 201, 1.5, "20"])("refuses limit %j", (limit) => {
    expect(issuePaths("okta_list_entitlements", { appId: SALESFORCE, limit })).toEqual(["limit"]);
    expect(issuePaths("okta_search_users", { q: "dana", limit })).toEqual(["limit"]);
  });

  it("accepts limit 1 and 200", () => {
    expect(parsed("okta_list_bundles", { limit: 1 }).limit).toBe(1);
    expect(parsed("okta_list_grants", { appId: SALESFORCE, limit: 200 }).limit).toBe(200);
  });

  it.each([
    ['name eq "x" AND', /ends too early/],
    ['(name eq "x"', /unbalanced parentheses/],
    ['name eq "x', /unterminated string/],
    ['name like "x"', /unknown operator "like"/],
  ])("refuses the malformed filter %j with the parser's reason", (filter, reason) => {
    for (const name of [
      "okta_list_entitlements",
      "okta_list_bundles",
      "okta_list_grants",
      "okta_list_entitlement_values",
    ]) {
      const input =
        name === "okta_list_entitlement_values"
          ? { entitlementId: "esp2lr1lavoGDYw5U8g6", filter }
          : { filter };
      const issues = refused(name, input);
      expect(issues.map((i) => i.path.join("."))).toEqual(["filter"]);
      expect(issues[0]?.message).toMatch(/not a valid SCIM filter/);
      expect(issues[0]?.message).toMatch(reason);
    }
  });

  it.each(["okta_list_entitlements", "okta_list_all_entitlement_values", "okta_list_grants"])(
    "%s needs a filter or an appId",
    (name) => {
      const issues = refused(name, { nameContains: "x" });
      expect(issues.map((i) => i.message).join(" ")).toMatch(/appId.*filter|filter.*appId/);
      expect(parsed(name, { filter: `parent.externalId eq "${SALESFORCE}"` })).toBeTruthy();
      expect(parsed(name, { appId: SALESFORCE })).toBeTruthy();
    },
  );

  it("refuses a PUT whose body id differs from the path id, naming both", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        "okta_replace_entitlement",
        { ...SEED_REPLACE_ENTITLEMENT, entitlementId: "esp5zFLCIUV7Vibro0g2" },
        "entitlementId",
      ],
      [
        "okta_replace_bundle",
        { ...SEED_REPLACE_BUNDLE, entitlementBundleId: "enbfxqCAJWWGELFTYCCC" },
        "entitlementBundleId",
      ],
      ["okta_replace_grant", { ...SEED_REPLACE_GRANT, grantId: "gra17atqzjv6mM17J1d7" }, "grantId"],
    ];
    for (const [name, input, pathKey] of cases) {
      const issues = refused(name, input);
      expect(issues.map((i) => i.path.join("."))).toEqual(["id"]);
      expect(issues[0]?.message).toContain("id (");
      expect(issues[0]?.message).toContain(`${pathKey} (`);
    }
  });

  it("refuses ORNs with whitespace or the wrong shape", () => {
    const base = { entitlementId: "esp2lr1lavoGDYw5U8g6", ...SEED_REPLACE_ENTITLEMENT };
    expect(
      issuePaths("okta_replace_entitlement", { ...base, parentResourceOrn: "orn:okta:idp:00o1:apps:sf 0oa" }),
    ).toEqual(["parentResourceOrn"]);
    expect(
      issuePaths("okta_replace_entitlement", { ...base, parentResourceOrn: "0oafxqCAJWWGELFTYASJ" }),
    ).toEqual(["parentResourceOrn"]);
  });

  it("checks each PATCH operation against the documented combinations", () => {
    const patch = (operation: Record<string, unknown>) =>
      issuePaths("okta_update_entitlement", {
        entitlementId: "esp2lr1lavoGDYw5U8g6",
        operations: [operation],
      });
    expect(patch({ op: "ADD", path: "/values/-", refType: "ENTITLEMENT-VALUE" })).toEqual([
      "operations.0.value",
    ]);
    expect(patch({ op: "REMOVE", path: "/values/-", refType: "ENTITLEMENT-VALUE" })).toEqual([
      "operations.0.path",
    ]);
    expect(patch({ op: "REMOVE", path: "/values/../../x", refType: "ENTITLEMENT-VALUE" })).toEqual([
      "operations.0.path",
    ]);
    expect(patch({ op: "REMOVE", path: "/values/ent148gF8aZoRfFsh0g4", refType: "ENTITLEMENT" })).toEqual([
      "operations.0.refType",
    ]);
    expect(patch({ op: "ADD", path: "/name", value: "x", refType: "ENTITLEMENT" })).toEqual([
      "operations.0.op",
    ]);
    expect(patch({ op: "DROP", path: "/name", refType: "ENTITLEMENT" })).toContain("operations.0.op");
    expect(
      issuePaths("okta_update_entitlement", {
        entitlementId: "esp2lr1lavoGDYw5U8g6",
        operations: Array.from({ length: 101 }, () => SEED_PATCH_ENTITLEMENT[4]),
      }),
    ).toEqual(["operations"]);
  });

  it("names the field a grant type needs", () => {
    const user = { externalId: DANA, type: "OKTA_USER" };
    const target = { externalId: SALESFORCE, type: "APPLICATION" };
    const refs = [{ id: "esp2lr1lavoGDYw5U8g6", values: [{ id: "ent148gF8aZoRfFsh0g4" }] }];
    const paths = (input: Record<string, unknown>) =>
      issuePaths("okta_create_grant", { targetPrincipal: user, ...input });
    expect(paths({ grantType: "ENTITLEMENT-BUNDLE" })).toEqual(["entitlementBundleId"]);
    expect(
      paths({ grantType: "ENTITLEMENT-BUNDLE", entitlementBundleId: "enbfxqCAJWWGELFTYCCC", target }),
    ).toEqual(["target"]);
    expect(paths({ grantType: "CUSTOM" })).toEqual(["target"]);
    expect(paths({ grantType: "POLICY" })).toEqual(["target"]);
    expect(paths({ grantType: "POLICY", target, entitlements: refs })).toEqual(["entitlements"]);
    expect(paths({ grantType: "ENTITLEMENT", target })).toEqual(["entitlements"]);
    expect(paths({ grantType: "CUSTOM", target, entitlementBundleId: "enbfxqCAJWWGELFTYCCC" })).toEqual([
      "entitlementBundleId",
    ]);
    expect(paths({ grantType: "CUSTOM", target, scheduleSettings: { expirationDate: "next week" } })).toEqual(
      ["scheduleSettings.expirationDate"],
    );
    expect(parsed("okta_create_grant", { grantType: "CUSTOM", targetPrincipal: user, target })).toBeTruthy();
    expect(
      parsed("okta_create_grant", {
        grantType: "CUSTOM",
        targetPrincipal: user,
        target,
        entitlements: refs,
        action: "DENY",
      }),
    ).toBeTruthy();
    expect(
      issuePaths("okta_replace_grant", {
        grantId: "0ggb0oNGTSWTBKOLGLNR",
        ...SEED_REPLACE_GRANT,
        grantType: "POLICY",
      }),
    ).toEqual(["grantType"]);
  });
});

describe("convenience fields build correctly quoted SCIM filters", () => {
  const filterOf = (name: string, input: Record<string, unknown>) => mapRequest(name, input).query.filter;

  it("okta_list_entitlements", () => {
    expect(
      mapRequest("okta_list_entitlements", { appId: SALESFORCE, limit: 50, after: "espyyxsx6rrrjGiIx1d6" }),
    ).toEqual({
      path: {},
      query: {
        filter: `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION"`,
        limit: 50,
        after: "espyyxsx6rrrjGiIx1d6",
      },
    });
    expect(
      filterOf("okta_list_entitlements", {
        appId: SALESFORCE,
        nameStartsWith: 'Lic "A"',
        nameContains: "x\\y",
        externalValue: "license_entitlement",
        orderBy: "created desc",
      }),
    ).toBe(
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND name sw "Lic \\"A\\"" AND name co "x\\\\y" AND externalValue eq "license_entitlement"`,
    );
    expect(
      mapRequest("okta_list_entitlements", { appId: SALESFORCE, orderBy: "created desc" }).query.orderBy,
    ).toBe("created desc");
  });

  it("keeps an injection attempt inside one literal", () => {
    expect(filterOf("okta_list_entitlements", { appId: SALESFORCE, nameContains: 'x" OR id pr "' })).toBe(
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND name co "x\\" OR id pr \\""`,
    );
  });

  it("ANDs a raw filter, parenthesised, after the convenience clauses; alone it is sent as is", () => {
    const raw = 'id eq "espfxqCAJWWGELFTYASJ" OR id eq "espfxqCAJWWGELFTYASI"';
    expect(filterOf("okta_list_entitlements", { appId: SALESFORCE, filter: raw })).toBe(
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND (${raw})`,
    );
    expect(filterOf("okta_list_entitlements", { filter: `parentResourceOrn eq "${SF_ORN}"` })).toBe(
      `parentResourceOrn eq "${SF_ORN}"`,
    );
  });

  it("okta_list_all_entitlement_values", () => {
    expect(
      filterOf("okta_list_all_entitlement_values", {
        appId: SALESFORCE,
        entitlementId: "esp5zFLCIUV7Vibro0g2",
        nameStartsWith: "Adm",
        nameContains: "min",
        externalValue: "corporate",
      }),
    ).toBe(
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND entitlementId eq "esp5zFLCIUV7Vibro0g2" AND name sw "Adm" AND name co "min" AND externalValue eq "corporate"`,
    );
  });

  it("okta_list_entitlement_values", () => {
    expect(
      mapRequest("okta_list_entitlement_values", {
        entitlementId: "esp5zFLCIUV7Vibro0g2",
        nameStartsWith: "Corp",
      }),
    ).toEqual({ path: { entitlementId: "esp5zFLCIUV7Vibro0g2" }, query: { filter: 'name sw "Corp"' } });
    expect(
      mapRequest("okta_list_entitlement_values", { entitlementId: "esp5zFLCIUV7Vibro0g2" }).query,
    ).toEqual({});
  });

  it("okta_list_bundles", () => {
    expect(
      mapRequest("okta_list_bundles", {
        appId: SALESFORCE,
        nameContains: "admin",
        status: "ACTIVE",
        include: ["full_entitlements"],
        orderBy: "lastUpdated asc,id asc",
      }).query,
    ).toEqual({
      filter: `target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION" AND name co "admin" AND status eq "ACTIVE"`,
      include: "full_entitlements",
      orderBy: "lastUpdated asc,id asc",
    });
    expect(mapRequest("okta_list_bundles", {}).query).toEqual({});
  });

  it("okta_list_grants", () => {
    expect(
      filterOf("okta_list_grants", {
        appId: SALESFORCE,
        principalId: "00ub0oNGTSWTBKOLGLNR",
        entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
      }),
    ).toBe(
      `target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION" AND targetPrincipal.externalId eq "00ub0oNGTSWTBKOLGLNR" AND targetPrincipal.type eq "OKTA_USER" AND entitlementBundleId eq "enbfxqCAJWWGELFTYCCC"`,
    );
  });

  it("search tools send q, limit and after only", () => {
    expect(mapRequest("okta_search_users", { q: "Dana", limit: 5 })).toEqual({
      path: {},
      query: { q: "Dana", limit: 5 },
    });
    expect(mapRequest("okta_search_apps", { q: "Sales" })).toEqual({ path: {}, query: { q: "Sales" } });
  });
});

// ---- realistic upstream state (shapes per upstream-apis §1.9) ----

const VALUE1 = {
  id: "ent148gF8aZoRfFsh0g4",
  name: "value1",
  externalValue: "value_1",
  description: "description for value1",
  orn: "orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-values:ent148gF8aZoRfFsh0g4",
};
const VALUE2 = {
  id: "entotuwr1z1efm5RA1d6",
  name: "value2",
  externalValue: "value_2",
  description: "description for value2",
  orn: "orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-values:entotuwr1z1efm5RA1d6",
};
const ENTITLEMENT = {
  id: "esp2lr1lavoGDYw5U8g6",
  name: "License Entitlement",
  externalValue: "license_entitlement",
  description: "Some license entitlement",
  parentResourceOrn: SF_ORN,
  parent: { externalId: SALESFORCE, type: "APPLICATION" },
  multiValue: true,
  required: false,
  dataType: "array",
  values: [VALUE1, VALUE2],
  metadata: { total: 2 },
  created: "2025-06-27T12:18:37Z",
  lastUpdated: "2025-06-27T12:18:37Z",
};
const ROLE_ENTITLEMENT = {
  id: "esp5zFLCIUV7Vibro0g2",
  name: "Role",
  externalValue: "role",
  parent: { externalId: SALESFORCE, type: "APPLICATION" },
  multiValue: false,
  dataType: "string",
  values: [{ id: "entfxqCAJWWGELFTYAAA", name: "Admin access", externalValue: "admin" }],
  lastUpdated: "2025-06-27T12:18:37Z",
};
const SALESFORCE_APP = { id: SALESFORCE, name: "salesforce", label: "Salesforce", status: "ACTIVE" };
const DANA_USER = {
  id: DANA,
  status: "ACTIVE",
  profile: { firstName: "Dana", lastName: "Whitfield", email: "dana@example.com", login: "dana@example.com" },
};
const LEE_USER = {
  id: "00ub0oNGTSWTBKOLGLNR",
  status: "ACTIVE",
  profile: { firstName: "Lee", lastName: "Park", email: "lee@example.com", login: "lee@example.com" },
};
const BUNDLE = {
  id: "enbfxqCAJWWGELFTYCCC",
  name: "Salesforce admin bundle",
  status: "ACTIVE",
  targetResourceOrn: SF_ORN,
  target: { externalId: SALESFORCE, type: "APPLICATION" },
  entitlements: [{ ...ENTITLEMENT, values: [VALUE1] }],
  created: "2025-01-01T00:00:00Z",
  lastUpdated: "2025-02-01T00:00:00Z",
};
function grant(id: string, userId: string, extra: Record<string, unknown>) {
  return {
    id,
    grantType: "ENTITLEMENT-BUNDLE",
    action: "ALLOW",
    actor: "API",
    status: "ACTIVE",
    targetResourceOrn: SF_ORN,
    target: { externalId: SALESFORCE, type: "APPLICATION" },
    targetPrincipalOrn: `orn:okta:directory:00o11edPwGqbUrsDm0g4:users:${userId}`,
    targetPrincipal: { externalId: userId, type: "OKTA_USER" },
    lastUpdated: "2025-03-01T00:00:00Z",
    ...extra,
  };
}
const listBody = (data: unknown[]) => ({
  data,
  _links: { self: { href: "https://x/governance/api/v1/grants" } },
});
const BUNDLE_GRANTS = listBody([
  grant("gra17atqzjv6mM17J1d7", DANA, { entitlementBundleId: BUNDLE.id }),
  grant("gra17atqzjv6mM17J1d8", "00ub0oNGTSWTBKOLGLNR", { entitlementBundleId: BUNDLE.id }),
]);

describe("guard previews", () => {
  // The grants of Salesforce with what each gives (read with full_entitlements): who holds what.
  const APP_GRANTS = listBody([
    grant("gra17atqzjv6mM17J1d7", DANA, {
      entitlementBundleId: BUNDLE.id,
      entitlements: [{ ...ENTITLEMENT, values: [VALUE1] }],
    }),
    grant("gra17atqzjv6mM17J1d8", "00ub0oNGTSWTBKOLGLNR", {
      grantType: "CUSTOM",
      entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] }],
    }),
  ]);
  const NOBODY = listBody([]);

  describe("okta_delete_entitlement", () => {
    const input = { entitlementId: ENTITLEMENT.id };

    it("reads the entitlement, its app and the app's grants with what they give", () => {
      expect(readParams("okta_delete_entitlement", "entitlement", input, {})).toEqual({
        path: { entitlementId: ENTITLEMENT.id },
      });
      expect(readParams("okta_delete_entitlement", "app", input, { entitlement: ENTITLEMENT })).toEqual({
        path: { appId: SALESFORCE },
      });
      expect(readParams("okta_delete_entitlement", "appGrants", input, { entitlement: ENTITLEMENT })).toEqual(
        {
          query: {
            filter: `target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION"`,
            include: "full_entitlements",
            limit: 200,
          },
        },
      );
    });

    it("names the entitlement, its app, every value with what it provisions and who holds it", () => {
      const p = preview("okta_delete_entitlement", input, {
        entitlement: ENTITLEMENT,
        app: SALESFORCE_APP,
        appGrants: APP_GRANTS,
      });
      expect(p.required).toBe(true);
      expect(p.effects).toEqual([{ kind: "remove", on: ENTITLEMENT.id }]);
      expect(p.summary).toBe(
        `Delete entitlement "License Entitlement" (${ENTITLEMENT.id}) (externalValue "license_entitlement") of app "Salesforce" (${SALESFORCE}).`,
      );
      expect(p.details).toEqual([
        `Deletes value "value1" (${VALUE1.id}, externalValue "value_1"): held by 2 users`,
        `Deletes value "value2" (${VALUE2.id}, externalValue "value_2"): held by nobody`,
        "2 users hold values of it and lose them.",
      ]);
      expect(p.confirmName).toBe("License Entitlement");
      expect(p.targetIds).toEqual([ENTITLEMENT.id, SALESFORCE]);
    });

    it("copes with missing optional reads", () => {
      const p = preview("okta_delete_entitlement", input, { entitlement: ENTITLEMENT });
      expect(p.summary).toContain(`of app ${SALESFORCE}`);
      expect(p.details).toContain("Who holds its values could not be checked.");
    });
  });

  describe("okta_delete_bundle", () => {
    const input = { entitlementBundleId: BUNDLE.id };

    it("reads the holders as users", () => {
      expect(readParams("okta_delete_bundle", "grants", input, { bundle: BUNDLE })).toEqual({
        path: {},
        query: {
          filter: `target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION" AND entitlementBundleId eq "${BUNDLE.id}"`,
          limit: 200,
        },
      });
      expect(
        readParams("okta_delete_bundle", "holders", input, { bundle: BUNDLE, grants: BUNDLE_GRANTS }),
      ).toEqual([{ path: { userId: DANA } }, { path: { userId: "00ub0oNGTSWTBKOLGLNR" } }]);
      expect(
        readParams("okta_delete_bundle", "holders", input, { bundle: BUNDLE, grants: listBody([]) }),
      ).toBeNull();
    });

    it("names who loses access and what the bundle provisions", () => {
      const p = preview("okta_delete_bundle", input, {
        bundle: BUNDLE,
        app: SALESFORCE_APP,
        grants: BUNDLE_GRANTS,
        holders: [DANA_USER, undefined],
      });
      expect(p.required).toBe(true);
      expect(p.summary).toBe(
        `Delete bundle "Salesforce admin bundle" (${BUNDLE.id}) of app "Salesforce" (${SALESFORCE}).`,
      );
      expect(p.confirmName).toBe("Salesforce admin bundle");
      expect(p.details).toEqual([
        `It gives 1 entitlement value: "License Entitlement": "value1" (${VALUE1.id}, externalValue "value_1")`,
        "2 users hold this bundle and will lose the access it gives:",
        `"Dana Whitfield" <dana@example.com> (${DANA})`,
        "user 00ub0oNGTSWTBKOLGLNR",
      ]);
    });
  });

  describe("okta_create_grant", () => {
    it("previews the seed bundle grant with values gained, what they provision and existing grants", () => {
      const existing = listBody([grant("gra17atqzjv6mM17J1d9", DANA, { grantType: "POLICY" })]);
      const state = { user: DANA_USER, bundle: BUNDLE, app: SALESFORCE_APP, existingGrants: existing };
      expect(
        readParams("okta_create_grant", "existingGrants", SEED_CREATE_GRANT, { bundle: BUNDLE }),
      ).toEqual({
        path: {},
        query: {
          filter: `target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION" AND targetPrincipal.externalId eq "${DANA}" AND targetPrincipal.type eq "OKTA_USER"`,
          limit: 200,
        },
      });
      expect(readParams("okta_create_grant", "entitlements", SEED_CREATE_GRANT, state)).toBeNull();
      const p = preview("okta_create_grant", SEED_CREATE_GRANT, state);
      expect(p.required).toBe(true);
      expect(p.effects).toEqual([{ kind: "grant", on: DANA }]);
      expect(p.summary).toBe(
        `Grant "Dana Whitfield" (${DANA}) the bundle "Salesforce admin bundle" (${BUNDLE.id}) in app "Salesforce" (${SALESFORCE}).`,
      );
      expect(p.details).toEqual([
        `Gains "License Entitlement": "value1" (${VALUE1.id}, externalValue "value_1")`,
        "Adds to the user's 1 active grant in this app.",
      ]);
      expect(p.targetIds).toEqual([DANA, BUNDLE.id, SALESFORCE]);
      expect(policy("okta_create_grant").version?.(state)).toBe(`${BUNDLE.lastUpdated}|gra17atqzjv6mM17J1d9`);
    });

    it("says which grants a base grant replaces, names values, and shows the expiry", () => {
      const input = {
        grantType: "CUSTOM",
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        target: { externalId: SALESFORCE, type: "APPLICATION" },
        entitlements: [
          { id: ENTITLEMENT.id, values: [{ id: VALUE2.id }] },
          { id: ROLE_ENTITLEMENT.id, values: [{ id: "entfxqCAJWWGELFTYAAA" }] },
        ],
        scheduleSettings: { expirationDate: "2026-01-31T17:00:00Z", timeZone: "America/New_York" },
      };
      expect(readParams("okta_create_grant", "entitlements", input, {})).toEqual([
        { path: { entitlementId: ENTITLEMENT.id } },
        { path: { entitlementId: ROLE_ENTITLEMENT.id } },
      ]);
      expect(readParams("okta_create_grant", "bundle", input, {})).toBeNull();
      const existing = listBody([
        grant("gra17atqzjv6mM17J1d9", DANA, { entitlementBundleId: BUNDLE.id }),
        grant("gra17atqzjv6mM17J1d1", DANA, {
          grantType: "CUSTOM",
          entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] }],
        }),
      ]);
      const state = {
        user: DANA_USER,
        app: SALESFORCE_APP,
        entitlements: [ENTITLEMENT, ROLE_ENTITLEMENT],
        existingGrants: existing,
      };
      const p = preview("okta_create_grant", input, state);
      expect(p.effects).toEqual([
        { kind: "grant", on: DANA },
        { kind: "revoke", on: DANA },
      ]);
      expect(p.summary).toBe(
        `Grant "Dana Whitfield" (${DANA}) 2 entitlement values in app "Salesforce" (${SALESFORCE}).`,
      );
      expect(p.details).toEqual([
        `Gains "License Entitlement": "value2" (${VALUE2.id}, externalValue "value_2")`,
        `Gains "Role": "Admin access" (entfxqCAJWWGELFTYAAA, externalValue "admin")`,
        "Replaces the user's 2 active grants in this app:",
        `grant gra17atqzjv6mM17J1d9 (ENTITLEMENT-BUNDLE ALLOW, bundle ${BUNDLE.id})`,
        "grant gra17atqzjv6mM17J1d1 (CUSTOM ALLOW, 1 value)",
        "Expires 2026-01-31T17:00:00Z (America/New_York).",
      ]);
      expect(policy("okta_create_grant").version?.(state)).toBe("|gra17atqzjv6mM17J1d1,gra17atqzjv6mM17J1d9");
    });

    it("previews a DENY as a revocation, and falls back to ids", () => {
      const input = {
        grantType: "CUSTOM",
        action: "DENY",
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        target: { externalId: SALESFORCE, type: "APPLICATION" },
      };
      const p = preview("okta_create_grant", input, {});
      expect(p.effects.map((e) => e.kind)).toEqual(["revoke", "revoke"]);
      expect(p.summary).toBe(`Revoke all access of user ${DANA} to app ${SALESFORCE} (DENY).`);
      expect(p.details).toContain(`User ${DANA} could not be read: check the id with okta_search_users.`);
      expect(p.details).toContain(
        "The user's current grants in this app could not be read; a base grant replaces all of them.",
      );
    });
  });

  describe("okta_replace_grant", () => {
    const input = {
      ...SEED_REPLACE_GRANT,
      grantId: SEED_REPLACE_GRANT.id,
      targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
      entitlements: [
        { id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] },
        { id: ROLE_ENTITLEMENT.id, values: [{ id: "entfxqCAJWWGELFTYAAA" }] },
      ],
    };
    const currentEntitlements = [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }, { id: VALUE2.id }] }];
    const current = grant(SEED_REPLACE_GRANT.id, DANA, {
      grantType: "CUSTOM",
      entitlements: currentEntitlements,
    });

    it("reads the grant first (the version target) and the entitlements named old and new", () => {
      expect(policy("okta_replace_grant").reads[0]?.key).toBe("grant");
      expect(readParams("okta_replace_grant", "entitlements", input, { grant: current })).toEqual([
        { path: { entitlementId: ENTITLEMENT.id } },
        { path: { entitlementId: ROLE_ENTITLEMENT.id } },
      ]);
      const full = { ...current, entitlements: [ENTITLEMENT] };
      expect(readParams("okta_replace_grant", "entitlements", input, { grant: full })).toEqual([
        { path: { entitlementId: ROLE_ENTITLEMENT.id } },
      ]);
    });

    it("lists values gained and lost, with what they provision", () => {
      const p = preview("okta_replace_grant", input, {
        grant: current,
        user: DANA_USER,
        app: SALESFORCE_APP,
        entitlements: [ENTITLEMENT, ROLE_ENTITLEMENT],
      });
      expect(p.required).toBe(true);
      expect(p.effects).toEqual([
        { kind: "grant", on: DANA },
        { kind: "revoke", on: DANA },
      ]);
      expect(p.summary).toBe(
        `Replace the entitlements of grant ${SEED_REPLACE_GRANT.id} of "Dana Whitfield" <dana@example.com> (${DANA}) in app "Salesforce" (${SALESFORCE}): the user gains 1 value and loses 1 value.`,
      );
      expect(p.details).toEqual([
        `Gains "Role": "Admin access" (entfxqCAJWWGELFTYAAA, externalValue "admin")`,
        `Loses "License Entitlement": "value2" (${VALUE2.id}, externalValue "value_2")`,
      ]);
    });

    it("lets a replace that changes nobody's access through", () => {
      const same = { ...input, entitlements: currentEntitlements };
      const p = preview("okta_replace_grant", same, { grant: current });
      expect(p.details).toEqual(["The entitlement values stay the same.", "Nothing is lost."]);
      expect(p.effects).toEqual([]);
      expect(p.required).toBe(false);
    });
  });

  describe("okta_replace_bundle", () => {
    const input = {
      ...SEED_REPLACE_BUNDLE,
      id: BUNDLE.id,
      entitlementBundleId: BUNDLE.id,
      name: BUNDLE.name,
      description: undefined,
      targetResourceOrn: SF_ORN,
      entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE2.id }] }],
    };

    it("lists values added and dropped, with what they provision, and the holders whose access changes", () => {
      expect(readParams("okta_replace_bundle", "entitlements", input, { bundle: BUNDLE })).toEqual([
        { path: { entitlementId: ENTITLEMENT.id } },
      ]);
      const state = {
        bundle: BUNDLE,
        app: SALESFORCE_APP,
        grants: BUNDLE_GRANTS,
        entitlements: [ENTITLEMENT],
      };
      const p = preview("okta_replace_bundle", input, state);
      expect(p.required).toBe(true);
      expect(p.effects).toEqual([
        { kind: "provisioning", held: "yes", on: BUNDLE.id },
        { kind: "provisioning", held: "yes", on: BUNDLE.id },
      ]);
      expect(p.summary).toBe(
        `Replace bundle "Salesforce admin bundle" (${BUNDLE.id}) of app "Salesforce" (${SALESFORCE}): adds 1 value, drops 1 value.`,
      );
      expect(p.details).toEqual([
        `Adds "License Entitlement": "value2" (${VALUE2.id}, externalValue "value_2")`,
        `Drops "License Entitlement": "value1" (${VALUE1.id}, externalValue "value_1")`,
        "Changes the access of 2 users who hold this bundle.",
      ]);
      const bare = preview("okta_replace_bundle", input, { bundle: BUNDLE });
      expect(bare.summary).toContain(`of app ${SALESFORCE}`);
      expect(bare.required).toBe(true);
      expect(bare.details).toEqual([
        `Adds "License Entitlement": value ${VALUE2.id} (what it provisions could not be read)`,
        `Drops "License Entitlement": "value1" (${VALUE1.id}, externalValue "value_1")`,
        "Who holds this bundle could not be checked.",
      ]);
    });

    it("lets a change to a bundle nobody holds through, and asks when somebody does", () => {
      const unheld = preview("okta_replace_bundle", input, { bundle: BUNDLE, grants: NOBODY });
      expect(unheld.effects.map((e) => e.held)).toEqual(["no", "no"]);
      expect(unheld.required).toBe(false);
      const same = { ...input, entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] }] };
      const described = preview(
        "okta_replace_bundle",
        { ...same, description: "New text" },
        {
          bundle: BUNDLE,
          grants: BUNDLE_GRANTS,
        },
      );
      expect(described.effects).toEqual([{ kind: "describe", on: BUNDLE.id }]);
      expect(described.required).toBe(false);
      const renamed = preview(
        "okta_replace_bundle",
        { ...same, name: "Salesforce read only" },
        {
          bundle: BUNDLE,
          grants: BUNDLE_GRANTS,
        },
      );
      expect(renamed.required).toBe(true);
      const deleted = preview(
        "okta_replace_bundle",
        { ...same, status: "DELETED" },
        {
          bundle: BUNDLE,
          grants: NOBODY,
        },
      );
      expect(deleted.effects).toEqual([{ kind: "remove", on: BUNDLE.id }]);
      expect(deleted.required).toBe(true);
    });

    it("reads names only for entitlements the bundle does not describe", () => {
      const more = {
        ...input,
        entitlements: [
          { id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] },
          { id: ROLE_ENTITLEMENT.id, values: [] },
        ],
      };
      expect(readParams("okta_replace_bundle", "entitlements", more, { bundle: BUNDLE })).toEqual([
        { path: { entitlementId: ROLE_ENTITLEMENT.id } },
      ]);
      const same = { ...input, entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] }] };
      expect(readParams("okta_replace_bundle", "entitlements", same, { bundle: BUNDLE })).toBeNull();
      expect(readParams("okta_replace_bundle", "bundle", more, {})).toEqual({
        path: { entitlementBundleId: BUNDLE.id },
        query: { include: "full_entitlements" },
      });
    });
  });

  describe("okta_replace_entitlement", () => {
    const base = { entitlementId: ENTITLEMENT.id, ...SEED_REPLACE_ENTITLEMENT };
    const state = { entitlement: ENTITLEMENT, appGrants: APP_GRANTS };

    it("asks when a value would be dropped, naming it with what it provisions and who holds it", () => {
      const input = { ...base, values: [SEED_REPLACE_ENTITLEMENT.values[0]] };
      const p = preview("okta_replace_entitlement", input, state);
      expect(p.required).toBe(true);
      expect(p.summary).toBe(
        `Replace entitlement "License Entitlement" (${ENTITLEMENT.id}) of app ${SALESFORCE}: drops 1 value.`,
      );
      expect(p.details).toContain(
        `Drops value "value2" (${VALUE2.id}, externalValue "value_2"): held by nobody`,
      );
      expect(p.effects).toContainEqual({ kind: "remove", on: VALUE2.id });
      expect(p.targetIds).toEqual([ENTITLEMENT.id, VALUE2.id]);
    });

    it("asks when a held value would provision something else: a rename is not enough to see it", () => {
      const input = {
        ...base,
        description: ENTITLEMENT.description,
        dataType: ENTITLEMENT.dataType,
        values: [
          {
            ...SEED_REPLACE_ENTITLEMENT.values[0],
            description: VALUE1.description,
            externalValue: "system_administrator",
          },
          { ...SEED_REPLACE_ENTITLEMENT.values[1], description: VALUE2.description },
        ],
      };
      const p = preview("okta_replace_entitlement", input, state);
      expect(p.effects).toEqual([{ kind: "provisioning", held: "yes", on: VALUE1.id }]);
      expect(p.required).toBe(true);
      expect(p.details[0]).toBe(
        `Changes what "value1" (${VALUE1.id}, externalValue "value_1") provisions to externalValue "system_administrator": held by 2 users`,
      );
    });

    it("lets renames of unheld values, additions and descriptions through", () => {
      const input = {
        ...base,
        description: ENTITLEMENT.description,
        dataType: ENTITLEMENT.dataType,
        values: [
          { ...SEED_REPLACE_ENTITLEMENT.values[0], description: VALUE1.description },
          { ...SEED_REPLACE_ENTITLEMENT.values[1], name: "Value two", description: "new words" },
          { name: "value3", externalValue: "value_3" },
        ],
      };
      const p = preview("okta_replace_entitlement", input, state);
      expect(p.required).toBe(false);
      expect(p.details).toEqual([
        `Renames "value2" (${VALUE2.id}, externalValue "value_2") to "Value two": held by nobody`,
        `Changes the description of "value2" (${VALUE2.id})`,
        'Adds value "value3" (externalValue "value_3")',
        "No current value is dropped.",
      ]);
      // The same rename of a held value asks: a name can disguise what it provisions.
      const held = {
        ...input,
        values: [{ ...input.values[0], name: "Read only" }, ...input.values.slice(1)],
      };
      expect(preview("okta_replace_entitlement", held, state).required).toBe(true);
    });

    it("asks when who holds the values could not be read, or not all values were read", () => {
      const input = {
        ...base,
        description: ENTITLEMENT.description,
        dataType: ENTITLEMENT.dataType,
        values: [
          { ...SEED_REPLACE_ENTITLEMENT.values[0], description: VALUE1.description },
          { ...SEED_REPLACE_ENTITLEMENT.values[1], name: "Value two", description: VALUE2.description },
        ],
      };
      expect(preview("okta_replace_entitlement", input, { entitlement: ENTITLEMENT }).required).toBe(true);
      const partial = { ...ENTITLEMENT, metadata: { total: 5 } };
      const p = preview("okta_replace_entitlement", base, { entitlement: partial, appGrants: NOBODY });
      expect(p.required).toBe(true);
      expect(p.details.join("\n")).toMatch(/5 values but only 2 were read/);
    });
  });

  describe("okta_update_entitlement", () => {
    const state = { entitlement: ENTITLEMENT, appGrants: APP_GRANTS };

    it("asks when an operation removes a value, naming it", () => {
      const input = {
        entitlementId: ENTITLEMENT.id,
        operations: [{ op: "REMOVE", path: `/values/${VALUE2.id}`, refType: "ENTITLEMENT-VALUE" }],
      };
      const p = preview("okta_update_entitlement", input, state);
      expect(p.required).toBe(true);
      expect(p.summary).toBe(
        `Update entitlement "License Entitlement" (${ENTITLEMENT.id}): removes 1 value, 1 operation.`,
      );
      expect(p.details).toEqual([
        `Removes value "value2" (${VALUE2.id}, externalValue "value_2"): held by nobody`,
      ]);
    });

    it("asks when a REPLACE changes what a held value provisions", () => {
      const input = {
        entitlementId: ENTITLEMENT.id,
        operations: [
          {
            op: "REPLACE",
            path: `/values/${VALUE1.id}`,
            value: { externalValue: "system_administrator" },
            refType: "ENTITLEMENT-VALUE",
          },
        ],
      };
      const p = preview("okta_update_entitlement", input, state);
      expect(p.effects).toEqual([{ kind: "provisioning", held: "yes", on: VALUE1.id }]);
      expect(p.required).toBe(true);
    });

    it("does not ask when it only adds, renames what nobody holds or describes", () => {
      const input = {
        entitlementId: ENTITLEMENT.id,
        operations: [
          {
            op: "ADD",
            path: "/values/-",
            value: { name: "value3", externalValue: "value_3" },
            refType: "ENTITLEMENT-VALUE",
          },
          {
            op: "REPLACE",
            path: `/values/${VALUE2.id}`,
            value: { name: "Value two" },
            refType: "ENTITLEMENT-VALUE",
          },
          { op: "REMOVE", path: "/description", refType: "ENTITLEMENT" },
        ],
      };
      const p = preview("okta_update_entitlement", input, state);
      expect(p.required).toBe(false);
      expect(p.details).toEqual([
        'Adds value "value3" (externalValue "value_3")',
        `Renames "value2" (${VALUE2.id}, externalValue "value_2") to "Value two": held by nobody`,
        "Removes the description",
      ]);
      // Renaming the entitlement itself, which people hold, asks.
      const renamed = {
        entitlementId: ENTITLEMENT.id,
        operations: [{ op: "REPLACE", path: "/name", value: "License", refType: "ENTITLEMENT" }],
      };
      expect(preview("okta_update_entitlement", renamed, state).required).toBe(true);
    });

    it("previews the seed's PATCH example", () => {
      const p = preview(
        "okta_update_entitlement",
        { entitlementId: ENTITLEMENT.id, operations: SEED_PATCH_ENTITLEMENT },
        state,
      );
      expect(p.required).toBe(true);
      expect(p.details).toContain(
        `Removes value "value1" (${VALUE1.id}, externalValue "value_1"): held by 2 users`,
      );
    });
  });
});

describe("summaries", () => {
  it("lists one compact line per item under a header", () => {
    const list = op("okta_list_entitlements");
    const text = list.summarize(
      { items: [ENTITLEMENT, ROLE_ENTITLEMENT], nextCursor: "esp5zFLCIUV7Vibro0g2", total: 31 },
      { appId: SALESFORCE },
    );
    expect(text).toBe(
      [
        `2 entitlements of 31 in app ${SALESFORCE}; more: after=esp5zFLCIUV7Vibro0g2`,
        `- License Entitlement (${ENTITLEMENT.id}) values: multi, externalValue=license_entitlement`,
        `- Role (${ROLE_ENTITLEMENT.id}) values: single, externalValue=role`,
      ].join("\n"),
    );
    const users = op("okta_search_users").summarize({ items: [DANA_USER, LEE_USER] }, { q: "a" });
    expect(users).toBe(
      [
        '2 users matching "a"; no more pages',
        `- Dana Whitfield <dana@example.com> (${DANA}) ACTIVE`,
        "- Lee Park <lee@example.com> (00ub0oNGTSWTBKOLGLNR) ACTIVE",
      ].join("\n"),
    );
  });

  it("summarises objects in a line or two, never as JSON", () => {
    for (const o of allOperations) {
      const sample = o.paging
        ? { items: [] }
        : o.shape
          ? o.shape(undefined, { entitlementId: "x", entitlementBundleId: "x" })
          : {};
      const text = o.summarize(sample, {});
      expect(text.length, o.name).toBeGreaterThan(5);
      expect(text, o.name).not.toMatch(/^\s*[{[]/);
    }
    expect(op("okta_get_bundle").summarize(BUNDLE, {})).toBe(
      `Bundle "Salesforce admin bundle" (${BUNDLE.id}) (ACTIVE) of app ${SALESFORCE}; values: License Entitlement: value1.`,
    );
  });
});

describe("the definitions as data", () => {
  it("has the Okta operations in order, with unique okta_ names", () => {
    const names = allOperations.filter((o) => o.provider === "okta").map((o) => o.name);
    expect(names).toEqual([
      "okta_list_entitlements",
      "okta_get_entitlement",
      "okta_create_entitlement",
      "okta_replace_entitlement",
      "okta_update_entitlement",
      "okta_delete_entitlement",
      "okta_list_entitlement_values",
      "okta_get_entitlement_value",
      "okta_list_all_entitlement_values",
      "okta_list_bundles",
      "okta_get_bundle",
      "okta_create_bundle",
      "okta_replace_bundle",
      "okta_delete_bundle",
      "okta_list_grants",
      "okta_get_grant",
      "okta_create_grant",
      "okta_replace_grant",
      "okta_update_grant",
      "okta_list_principal_entitlements",
      "okta_get_principal_access",
      "okta_revoke_principal_access",
      "okta_search_users",
      "okta_search_apps",
    ]);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^okta_[a-z_]+$/);
  });

  it("sets all four annotations as booleans, consistent with the method", () => {
    for (const o of allOperations.filter((op) => op.provider === "okta")) {
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof o.annotations[hint], `${o.name}.${hint}`).toBe("boolean");
      }
      const { method } = parseRoute(o.route);
      expect(o.annotations.readOnlyHint, o.name).toBe(method === "GET");
      expect(o.annotations.openWorldHint, o.name).toBe(true);
      if (o.annotations.readOnlyHint) expect(o.annotations.destructiveHint, o.name).toBe(false);
      if (o.annotations.destructiveHint) expect(o.guard, o.name).not.toBe("none");
      if (o.annotations.readOnlyHint) expect(o.guard, o.name).toBe("none");
    }
  });

  it("makes every route param an input key, and reads only GET routes", () => {
    for (const o of allOperations.filter((op) => op.provider === "okta")) {
      for (const param of parseRoute(o.route).params)
        expect(Object.keys(o.input.shape), o.name).toContain(param);
      if (o.guard !== "none") {
        for (const read of o.guard.reads)
          expect(read.route.startsWith("GET /"), `${o.name} ${read.key}`).toBe(true);
      }
    }
  });

  it("describes every input field, keeps descriptions short, and declares no confirmationToken", () => {
    for (const o of allOperations) {
      expect(o.description.length, o.name).toBeLessThan(300);
      expect(o.title.length, o.name).toBeLessThan(40);
      expect(Object.keys(o.input.shape), o.name).not.toContain("confirmationToken");
      const rendered = z.toJSONSchema(o.input, { io: "input" }) as {
        properties: Record<string, { description?: string }>;
      };
      expect(Object.keys(rendered.properties), o.name).toEqual(Object.keys(o.input.shape));
      for (const [key, field] of Object.entries(rendered.properties)) {
        expect(field.description, `${o.name}.${key}`).toBeTruthy();
      }
    }
  });

  it("pages every list the Okta way", () => {
    for (const o of allOperations.filter((op) => op.provider === "okta")) {
      const isList = o.name.startsWith("okta_list_") || o.name.startsWith("okta_search_");
      expect(o.paging, o.name).toBe(isList ? "okta-cursor" : undefined);
    }
  });
});
