/**
 * The guard previews of the Okta grant writes (tools/okta/previews/grants.ts): what a new or replaced
 * grant would give or take, and what it replaces, read from realistic upstream state.
 */
import { describe, expect, it } from "vitest";
import {
  DANA,
  ORG,
  SALESFORCE,
  SALESFORCE_ORN,
  SEED_CREATE_GRANT,
  SEED_REPLACE_GRANT,
} from "../../../fixtures/okta.js";
import {
  BUNDLE,
  DANA_USER,
  ENTITLEMENT,
  grant,
  listBody,
  ROLE_ENTITLEMENT,
  SALESFORCE_APP,
  VALUE1,
  VALUE2,
} from "../../../fixtures/okta-answers.js";
import { conflictAnswer, NO_CONFLICT } from "../../../fixtures/okta-requests.js";
import { policy, preview, readParams } from "../../../helpers/definitions.js";

describe("guard previews", () => {
  describe("okta_create_grant", () => {
    it("previews the seed bundle grant with values gained, what they provision and existing grants", () => {
      const existing = listBody([grant("gra17atqzjv6mM17J1d9", DANA, { grantType: "POLICY" })]);
      const state = {
        user: DANA_USER,
        bundle: BUNDLE,
        app: SALESFORCE_APP,
        existingGrants: existing,
        sod: [NO_CONFLICT],
      };
      expect(readParams("okta_create_grant", "sod", SEED_CREATE_GRANT, state)).toEqual([
        {
          body: {
            principalOrn: `orn:okta:directory:${ORG}:users:${DANA}`,
            resourceOrn: `orn:okta:governance:${ORG}:entitlement-bundles:${BUNDLE.id}`,
          },
        },
      ]);
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
        "Separation of duties: Okta's risk assessment found no conflict.",
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
        sod: [
          NO_CONFLICT,
          conflictAnswer("Administer and approve", SALESFORCE_ORN, [
            [["Role", "Admin access"]],
            [["License Entitlement", "value1"]],
          ]),
        ],
      };
      expect(readParams("okta_create_grant", "sod", input, state)).toEqual(
        [VALUE2.id, "entfxqCAJWWGELFTYAAA"].map((v) => ({
          body: {
            principalOrn: `orn:okta:directory:${ORG}:users:${DANA}`,
            resourceOrn: `orn:okta:governance:${ORG}:entitlement-values:${v}`,
          },
        })),
      );
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
        `Separation of duties: conflicts with rule "Administer and approve" in app "Salesforce": one of "Role": "Admin access" together with one of "License Entitlement": "value1".`,
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

  describe("okta_update_grant without an expirationDate", () => {
    it("asks, since the spec does not say whether the grant's end is kept or cleared", () => {
      const current = grant(SEED_REPLACE_GRANT.id, DANA, {
        scheduleSettings: { expirationDate: "2030-01-01T00:00:00Z" },
      });
      const input = { grantId: SEED_REPLACE_GRANT.id, id: SEED_REPLACE_GRANT.id, scheduleSettings: {} };
      const p = preview("okta_update_grant", input, { grant: current, user: DANA_USER, app: SALESFORCE_APP });
      expect(p.effects).toEqual([{ kind: "unknown", on: SEED_REPLACE_GRANT.id }]);
      expect(p.required).toBe(true);
      expect(p.summary).toMatch(/ends: 2030-01-01T00:00:00Z -> \(not given\)\.$/);
      expect(p.details).toEqual([
        "No expirationDate is given: whether Okta keeps or clears the grant's current end is not specified.",
      ]);
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
      const state = {
        grant: current,
        user: DANA_USER,
        app: SALESFORCE_APP,
        entitlements: [ENTITLEMENT, ROLE_ENTITLEMENT],
      };
      // Only the value gained is assessed, for the grant's own user.
      expect(readParams("okta_replace_grant", "sod", input, state)).toEqual([
        {
          body: {
            principalOrn: `orn:okta:directory:${ORG}:users:${DANA}`,
            resourceOrn: `orn:okta:governance:${ORG}:entitlement-values:entfxqCAJWWGELFTYAAA`,
          },
        },
      ]);
      const p = preview("okta_replace_grant", input, { ...state, sod: [NO_CONFLICT] });
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
        "Separation of duties: Okta's risk assessment found no conflict.",
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
});
