/**
 * The Okta definitions' upstream requests, without network: the seed documents' example bodies pass the
 * input schemas and map to the exact upstream request, and the convenience fields build correctly quoted
 * SCIM filters.
 */
import { describe, expect, it } from "vitest";
import {
  READ_ONLY_FIELDS,
  SALESFORCE,
  SALESFORCE_ORN,
  SEED_CREATE_BUNDLE,
  SEED_CREATE_BUNDLE_ONE_VALUE,
  SEED_CREATE_ENTITLEMENT,
  SEED_CREATE_GRANT,
  SEED_PATCH_ENTITLEMENT,
  SEED_REPLACE_BUNDLE,
  SEED_REPLACE_ENTITLEMENT,
  SEED_REPLACE_GRANT,
  without,
} from "../../fixtures/okta.js";
import { mapRequest, op } from "../../helpers/definitions.js";

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
      body: without(SEED_REPLACE_BUNDLE, READ_ONLY_FIELDS),
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
      body: without(SEED_REPLACE_GRANT, READ_ONLY_FIELDS),
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
    expect(filterOf("okta_list_entitlements", { filter: `parentResourceOrn eq "${SALESFORCE_ORN}"` })).toBe(
      `parentResourceOrn eq "${SALESFORCE_ORN}"`,
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
