/** The Okta definitions' summaries: one compact line per listed item, objects in a line or two, never JSON. */
import { describe, expect, it } from "vitest";
import { allOperations } from "../../../tools/index.js";
import { DANA, SALESFORCE } from "../../fixtures/okta.js";
import { BUNDLE, DANA_USER, ENTITLEMENT, LEE_USER, ROLE_ENTITLEMENT } from "../../fixtures/okta-answers.js";
import { op } from "../../helpers/definitions.js";

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
