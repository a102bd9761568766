/**
 * An app's entitlement settings through a real Client against the sandbox: reading whether an app is
 * opted in, onboarding one (the create that fails in an app that is not opted in says what to do next,
 * the opt-in asks a person, then the create goes through), a change to the status it already has, the
 * bookmark app Okta refuses, ORNs refused before any request; then the guard matrix for the write.
 */
import { describe, expect, it } from "vitest";
import { GRACE, ORG, SALESFORCE, SALESFORCE_ORN, TERRITORY, WIKI } from "../../fixtures/okta.js";
import { type GuardCase, guardMatrix, sandboxSend } from "../../helpers/guard-matrix.js";
import {
  call,
  confirmed,
  expectRefusedLocally,
  ok,
  sandboxGet,
  structured,
  text,
} from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

const SLACK = "0oaOYCoLhABLJCYAAMAT";
const SLACK_ORN = `orn:okta:idp:${ORG}:apps:slack:${SLACK}`;
const WIKI_ORN = `orn:okta:idp:${ORG}:apps:bookmark:${WIKI}`;
/** The path as the client sends it: the ORN with its colons raw, as in Okta's own traffic. */
const settingsPath = (orn: string) =>
  `/governance/api/v2/resources/${encodeURIComponent(orn).replace(/%3A/g, ":")}/entitlement-settings`;

const session = testServer();

describe("an app's entitlement settings", () => {
  it("tells an opted-in app from one that is not, and what to do next", async () => {
    const salesforce = await call(session.client, "okta_get_entitlement_settings", {
      resourceOrn: SALESFORCE_ORN,
    });
    expect(ok(salesforce)).toEqual({ status: "OPTED_IN" });
    expect(text(salesforce)).toBe(`Settings of app ${SALESFORCE}: Entitlement Management OPTED_IN.`);
    const wiki = await call(session.client, "okta_get_entitlement_settings", { resourceOrn: WIKI_ORN });
    expect(ok(wiki)).toEqual({ status: "OPTED_OUT" });
    expect(text(wiki)).toMatch(
      /OPTED_OUT\. .*opt it in with okta_update_entitlement_settings \(status OPTED_IN\)/,
    );
  });

  it("onboards an app: the failed create says to opt it in, the opt-in is confirmed, then the create works", async () => {
    await sandboxSend(session.sandbox, "PATCH", settingsPath(SLACK_ORN), { status: "OPTED_OUT" });
    const entitlement = { ...TERRITORY, parent: { externalId: SLACK, type: "APPLICATION" } };
    const refused = await call(session.client, "okta_create_entitlement", entitlement);
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/404 E0000007/);
    expect(text(refused)).toMatch(
      /not opted in to Entitlement Management: check it with okta_get_entitlement_settings and opt it in with okta_update_entitlement_settings \(status OPTED_IN\)/,
    );
    expect(text(refused)).toMatch(/Nothing was changed\.$/);

    const asked = await call(session.client, "okta_update_entitlement_settings", {
      resourceOrn: SLACK_ORN,
      status: "OPTED_IN",
    });
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toMatch(
      /Set the entitlement settings of app "Slack" \(0oaOYCoLhABLJCYAAMAT\) to OPTED_IN\./,
    );
    expect(text(asked)).toMatch(/Turns Entitlement Management on \(OPTED_OUT -> OPTED_IN\)/);
    expect((await sandboxGet(session.sandbox, settingsPath(SLACK_ORN))).body).toEqual({
      status: "OPTED_OUT",
    });

    const done = await confirmed(session.client, "okta_update_entitlement_settings", {
      resourceOrn: SLACK_ORN,
      status: "OPTED_IN",
    });
    expect(ok(done)).toEqual({ status: "OPTED_IN" });
    expect(text(done)).toBe(`Updated the settings of app ${SLACK}: Entitlement Management OPTED_IN.`);
    const created = ok<{ id: string; parent: { externalId: string } }>(
      await call(session.client, "okta_create_entitlement", entitlement),
    );
    expect(created.parent.externalId).toBe(SLACK);
    expect(await session.outcomes("okta_update_entitlement_settings")).toEqual([
      "confirmation_required",
      "confirmation_required",
      "confirmed_by_token",
      "executing",
      "executed",
    ]);
  });

  it("goes through unasked when the app already has the status, since nobody's access changes", async () => {
    const result = await call(session.client, "okta_update_entitlement_settings", {
      resourceOrn: SALESFORCE_ORN,
      status: "OPTED_IN",
    });
    expect(ok(result)).toEqual({ status: "OPTED_IN" });
    expect(await session.outcomes("okta_update_entitlement_settings")).toEqual([
      "not_required",
      "executing",
      "executed",
    ]);
  });

  it("reports Okta's refusal to opt in a bookmark app", async () => {
    const result = await confirmed(session.client, "okta_update_entitlement_settings", {
      resourceOrn: WIKI_ORN,
      status: "OPTED_IN",
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/400 E0000001.*Bookmark apps can't be enabled for Entitlement Management/s);
    expect((await sandboxGet(session.sandbox, settingsPath(WIKI_ORN))).body).toEqual({ status: "OPTED_OUT" });
  });

  it("shows each app's ORN in okta_search_apps, the input the settings tools take", async () => {
    const result = await call(session.client, "okta_search_apps", { q: "Salesforce" });
    expect(text(result)).toContain(`orn=${SALESFORCE_ORN}`);
  });

  it.each([
    [{ resourceOrn: SALESFORCE }, /resourceOrn/],
    [{ resourceOrn: `orn:okta:directory:${ORG}:users:${GRACE}` }, /resourceOrn/],
    [{ resourceOrn: `orn:okta:idp:${ORG}:apps:x:../../api/v1/users` }, /resourceOrn/],
    [{ resourceOrn: SALESFORCE_ORN, status: "opted_in" }, /status/],
  ])("refuses %j before any request", async (args, field) => {
    const tool = "status" in args ? "okta_update_entitlement_settings" : "okta_get_entitlement_settings";
    await expectRefusedLocally(session.client, session.sandbox, tool, args, field);
  });
});

const CASES: GuardCase[] = [
  {
    tool: "okta_update_entitlement_settings",
    args: { resourceOrn: SALESFORCE_ORN, status: "OPTED_OUT" },
    otherArgs: { resourceOrn: SLACK_ORN, status: "OPTED_OUT" },
    write: { method: "PATCH", path: settingsPath(SALESFORCE_ORN) },
    readBack: settingsPath(SALESFORCE_ORN),
    // Somebody comes to hold access in the app: the holders the preview stated have changed.
    changeTarget: async (sandbox) => {
      await sandboxSend(sandbox, "POST", "/governance/api/v1/grants", {
        grantType: "ENTITLEMENT-BUNDLE",
        entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
        targetPrincipal: { externalId: GRACE, type: "OKTA_USER" },
      });
    },
  },
];

guardMatrix(CASES);
