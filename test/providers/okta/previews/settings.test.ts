/**
 * The guard preview of okta_update_entitlement_settings (tools/okta/previews/settings.ts): opting an app
 * out removes what its entitlements give, opting in changes what Okta provisions, the status it already
 * has changes nothing, and an unread status is unknown; the reads it makes.
 */
import { describe, expect, it } from "vitest";
import { SALESFORCE, SALESFORCE_ORN } from "../../../fixtures/okta.js";
import { APP_GRANTS, NOBODY, SALESFORCE_APP } from "../../../fixtures/okta-answers.js";
import { preview, readParams } from "../../../helpers/definitions.js";

const TOOL = "okta_update_entitlement_settings";
const out = { resourceOrn: SALESFORCE_ORN, status: "OPTED_OUT" };
const into = { resourceOrn: SALESFORCE_ORN, status: "OPTED_IN" };

describe("guard previews", () => {
  describe(TOOL, () => {
    it("reads the settings by the app's ORN, and the app and its grants by the id the ORN ends in", () => {
      expect(readParams(TOOL, "settings", out, {})).toEqual({ path: { resourceOrn: SALESFORCE_ORN } });
      expect(readParams(TOOL, "app", out, {})).toEqual({ path: { appId: SALESFORCE } });
      expect(readParams(TOOL, "appGrants", out, {})).toMatchObject({
        query: { filter: `target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION"` },
      });
    });

    it("counts opting out as removing what the app's grants give, naming who holds them", () => {
      const p = preview(TOOL, out, {
        settings: { status: "OPTED_IN" },
        app: SALESFORCE_APP,
        appGrants: APP_GRANTS,
      });
      expect(p.effects).toEqual([{ kind: "remove", on: SALESFORCE }]);
      expect(p.required).toBe(true);
      expect(p.summary).toBe(
        `Set the entitlement settings of app "Salesforce" (${SALESFORCE}) to OPTED_OUT.`,
      );
      expect(p.details[0]).toMatch(/^Turns Entitlement Management off \(OPTED_IN -> OPTED_OUT\)/);
      expect(p.details[1]).toMatch(/^\d+ users? holds? grants in the app\.$/);
    });

    it("asks before opting in, even when nobody holds anything yet", () => {
      const p = preview(TOOL, into, { settings: { status: "OPTED_OUT" }, appGrants: NOBODY });
      expect(p.effects).toEqual([{ kind: "provisioning", held: "unknown", on: SALESFORCE }]);
      expect(p.required).toBe(true);
      expect(p.details).toContain("Nobody holds a grant in the app.");
    });

    it("changes nothing when the app already has the status, and asks when the status could not be read", () => {
      const same = preview(TOOL, into, { settings: { status: "OPTED_IN" } });
      expect(same.effects).toEqual([]);
      expect(same.required).toBe(false);
      expect(same.details).toEqual(["The app is already OPTED_IN: nothing changes."]);
      const unread = preview(TOOL, into, {});
      expect(unread.effects).toEqual([{ kind: "unknown", on: SALESFORCE }]);
      expect(unread.required).toBe(true);
    });
  });
});
