/** The Okta definitions refuse bad input before any request, naming the field and the rule. */
import { describe, expect, it } from "vitest";
import {
  DANA,
  SALESFORCE,
  SEED_CREATE_BUNDLE,
  SEED_CREATE_ENTITLEMENT,
  SEED_CREATE_GRANT,
  SEED_PATCH_ENTITLEMENT,
  SEED_REPLACE_BUNDLE,
  SEED_REPLACE_ENTITLEMENT,
  SEED_REPLACE_GRANT,
  without,
} from "../../fixtures/okta.js";
import { issuePaths, parsed, refused } from "../../helpers/definitions.js";

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
    expect(patch({ op: "REMOVE", path: "/name", refType: "ENTITLEMENT" })).toEqual(["operations.0.op"]);
    expect(patch({ op: "ADD", path: "/description", refType: "ENTITLEMENT" })).toEqual([
      "operations.0.value",
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
    // The spec's grant-creatable maps ENTITLEMENT-BUNDLE, CUSTOM and POLICY only.
    expect(paths({ grantType: "ENTITLEMENT", target, entitlements: refs })).toEqual(["grantType"]);
    expect(paths({ grantType: "CUSTOM", target, entitlements: [{ id: refs[0]?.id, values: [] }] })).toEqual([
      "entitlements.0.values",
    ]);
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
