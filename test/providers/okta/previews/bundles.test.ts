/**
 * The guard previews of the Okta bundle writes (tools/okta/previews/bundles.ts): who holds the bundle and
 * what a delete or a replace would take from them, read from realistic upstream state.
 */
import { describe, expect, it } from "vitest";
import { DANA, SALESFORCE, SALESFORCE_ORN, SEED_REPLACE_BUNDLE } from "../../../fixtures/okta.js";
import {
  BUNDLE,
  BUNDLE_GRANTS,
  DANA_USER,
  ENTITLEMENT,
  listBody,
  NOBODY,
  ROLE_ENTITLEMENT,
  SALESFORCE_APP,
  VALUE1,
  VALUE2,
} from "../../../fixtures/okta-answers.js";
import { NO_CONFLICT } from "../../../fixtures/okta-requests.js";
import { preview, readParams } from "../../../helpers/definitions.js";

describe("guard previews", () => {
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

  describe("okta_replace_bundle", () => {
    const input = {
      ...SEED_REPLACE_BUNDLE,
      id: BUNDLE.id,
      entitlementBundleId: BUNDLE.id,
      name: BUNDLE.name,
      description: undefined,
      targetResourceOrn: SALESFORCE_ORN,
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
        sod: [NO_CONFLICT, NO_CONFLICT],
      };
      // Each holder is assessed for the value added.
      expect(readParams("okta_replace_bundle", "sod", input, state)).toEqual(
        [DANA, "00ub0oNGTSWTBKOLGLNR"].map((user) => ({
          body: {
            principalOrn: `orn:okta:directory:00o11edPwGqbUrsDm0g4:users:${user}`,
            resourceOrn: `orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-values:${VALUE2.id}`,
          },
        })),
      );
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
        "Separation of duties: Okta's risk assessment found no conflict.",
      ]);
      const bare = preview("okta_replace_bundle", input, { bundle: BUNDLE });
      expect(bare.summary).toContain(`of app ${SALESFORCE}`);
      expect(bare.required).toBe(true);
      expect(bare.details).toEqual([
        `Adds "License Entitlement": value ${VALUE2.id} (what it provisions could not be read)`,
        `Drops "License Entitlement": "value1" (${VALUE1.id}, externalValue "value_1")`,
        "Who holds this bundle could not be checked.",
        "Separation of duties: not checked: who holds the bundle, or what an entitlement added whole gives, could not be read. Check it with okta_assess_access_risk.",
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

    it("asks when a held bundle comes to give, or stops giving, an entitlement named as a whole", () => {
      const whole = {
        ...input,
        entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] }, { id: ROLE_ENTITLEMENT.id }],
      };
      const state = { bundle: BUNDLE, grants: BUNDLE_GRANTS, entitlements: [ROLE_ENTITLEMENT] };
      const added = preview("okta_replace_bundle", whole, state);
      expect(added.effects).toEqual([{ kind: "provisioning", held: "yes", on: BUNDLE.id }]);
      expect(added.required).toBe(true);
      expect(added.details).toContain(
        `Adds entitlement "Role" (${ROLE_ENTITLEMENT.id}) as a whole (no values named)`,
      );
      const wholeBundle = {
        ...BUNDLE,
        entitlements: [...BUNDLE.entitlements, { ...ROLE_ENTITLEMENT, values: [] }],
      };
      const dropped = preview(
        "okta_replace_bundle",
        { ...input, entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] }] },
        { bundle: wholeBundle, grants: BUNDLE_GRANTS },
      );
      expect(dropped.effects).toEqual([{ kind: "provisioning", held: "yes", on: BUNDLE.id }]);
      expect(dropped.details).toContain(
        `Drops entitlement "Role" (${ROLE_ENTITLEMENT.id}), named as a whole`,
      );
      const unheld = preview("okta_replace_bundle", whole, { ...state, grants: NOBODY });
      expect(unheld.required).toBe(false);
    });

    it("leaves the status alone when the replace does not name it", () => {
      const same = {
        ...input,
        entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] }],
        status: undefined,
      };
      const p = preview("okta_replace_bundle", same, { bundle: BUNDLE, grants: BUNDLE_GRANTS });
      expect(p.effects).toEqual([]);
      expect(p.required).toBe(false);
    });

    it("reads names only for entitlements the bundle does not describe", () => {
      const more = {
        ...input,
        entitlements: [{ id: ENTITLEMENT.id, values: [{ id: VALUE1.id }] }, { id: ROLE_ENTITLEMENT.id }],
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
});
