/**
 * The guard previews of the Okta entitlement writes (tools/okta/previews/entitlements.ts): what a delete,
 * a replace and a PATCH would change, for whom, read from realistic upstream state.
 */
import { describe, expect, it } from "vitest";
import { SALESFORCE, SEED_PATCH_ENTITLEMENT, SEED_REPLACE_ENTITLEMENT } from "../../../fixtures/okta.js";
import {
  APP_GRANTS,
  ENTITLEMENT,
  NOBODY,
  SALESFORCE_APP,
  VALUE1,
  VALUE2,
} from "../../../fixtures/okta-answers.js";
import { preview, readParams } from "../../../helpers/definitions.js";

describe("guard previews", () => {
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
