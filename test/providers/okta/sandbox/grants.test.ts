/**
 * The Okta emulator's grants (src/sandbox/okta/routes/grants.ts): the resource pin, what base and additive
 * grants replace, creates and expiry PATCHes, and DENY grants.
 */
import { describe, expect, it } from "vitest";
import { OKTA_DEMO } from "../../../../src/sandbox/okta/data.js";
import {
  DANA,
  DIEGO,
  GITHUB,
  GRACE,
  MARCUS,
  OLIVIA,
  ORG,
  SALESFORCE,
  WORKDAY,
} from "../../../fixtures/okta.js";
import {
  type Body,
  expectOktaError,
  f,
  GOV,
  get,
  openSandbox,
  principalFilter,
  send,
  targetFilter,
} from "../../../helpers/okta-sandbox.js";

describe("grants", () => {
  it("requires a filter pinning exactly one target resource", async () => {
    const sb = await openSandbox();
    expectOktaError(await get(sb, `${GOV}/grants`), 400, "E0000028");
    const none = expectOktaError(
      await get(sb, `${GOV}/grants?filter=${f(`action eq "ALLOW"`)}`),
      400,
      "E0000029",
    );
    expect(none.errorSummary).toBe("Invalid filter");
    expect(none.errorCauses[0].errorSummary).toBe("Cannot find value found for target resource");
    const two = expectOktaError(
      await get(
        sb,
        `${GOV}/grants?filter=${f(`target.type eq "APPLICATION" AND (target.externalId eq "${SALESFORCE}" OR target.externalId eq "${GITHUB}")`)}`,
      ),
      400,
      "E0000029",
    );
    expect(two.errorCauses[0].errorSummary).toBe("Multiple values found for target resource");
    expectOktaError(
      await get(sb, `${GOV}/grants?filter=${f(`${targetFilter(SALESFORCE)} AND status eq "ACTIVE"`)}`),
      400,
      "E0000053",
    );
    const unknownEnt = expectOktaError(
      await get(
        sb,
        `${GOV}/grants?filter=${f(`${targetFilter(SALESFORCE)} AND entitlements.id eq "espfxqCAJWWFTFUUYKKK"`)}`,
      ),
      404,
      "E0000007",
    );
    expect(unknownEnt.errorSummary).toContain("espfxqCAJWWFTFUUYKKK");
  });

  it("lists only ACTIVE grants, sorted by id, without metadata; GET shows any status", async () => {
    const sb = await openSandbox();
    const res = await get(
      sb,
      `${GOV}/grants?filter=${f(`targetResourceOrn eq "orn:okta:idp:${ORG}:apps:oidc:${SALESFORCE}"`)}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("metadata");
    const grants = res.body.data;
    for (const g of grants) expect(g.status).toBe("ACTIVE");
    expect(grants.map((g: Body) => g.id)).toEqual([...grants.map((g: Body) => g.id)].sort());
    const inactive = OKTA_DEMO.grants.find((g) => g.userId === MARCUS && g.status === "INACTIVE");
    expect(grants.map((g: Body) => g.id)).not.toContain(inactive?.id);
    const old = await get(sb, `${GOV}/grants/${inactive?.id}`);
    expect(old.body).toMatchObject({
      status: "INACTIVE",
      grantType: "CUSTOM",
      targetPrincipal: { externalId: MARCUS },
    });
    const byValue = await get(
      sb,
      `${GOV}/grants?filter=${f(`${targetFilter(SALESFORCE)} AND entitlements.values.id eq "entfxqCAJWWFTFUUYBBB"`)}`,
    );
    // The Corporate License comes from Olivia's CUSTOM grant and from Dana's and Marcus' POLICY grants.
    const matched = byValue.body.data.map((g: Body) => [g.grantType, g.targetPrincipal.externalId]);
    expect(matched.sort()).toEqual([
      ["CUSTOM", OLIVIA],
      ["POLICY", MARCUS],
      ["POLICY", DANA],
    ]);
    const byPrincipal = await get(
      sb,
      `${GOV}/grants?filter=${f(`${targetFilter(SALESFORCE)} AND targetPrincipal.externalId eq "${DANA}" AND targetPrincipal.type eq "OKTA_USER"`)}&include=full_entitlements`,
    );
    expect(byPrincipal.body.data.map((g: Body) => g.grantType)).toEqual(
      expect.arrayContaining(["POLICY", "ENTITLEMENT-BUNDLE"]),
    );
    const bundleGrant = byPrincipal.body.data.find((g: Body) => g.grantType === "ENTITLEMENT-BUNDLE");
    expect(bundleGrant.entitlements.map((e: Body) => e.name).sort()).toEqual([
      "Permission Set",
      "Profile",
      "Role",
    ]);
    expect(bundleGrant._links.entitlementBundle.href).toBe(
      `${sb.url}${GOV}/entitlement-bundles/${bundleGrant.entitlementBundleId}`,
    );
  });

  it("base grants replace the principal's other grants on the app; additive grants stack", async () => {
    const sb = await openSandbox();
    const danaGrants = async () =>
      (
        await get(
          sb,
          `${GOV}/grants?filter=${f(`${targetFilter(SALESFORCE)} AND targetPrincipalOrn eq "orn:okta:directory:${ORG}:users:${DANA}"`)}`,
        )
      ).body.data;
    const before = await danaGrants();
    expect(before.map((g: Body) => g.grantType).sort()).toEqual(["ENTITLEMENT-BUNDLE", "POLICY"]);
    // The spec's grant-creatable maps ENTITLEMENT-BUNDLE, CUSTOM and POLICY: ENTITLEMENT is refused.
    const entitlementGrant = expectOktaError(
      await send(sb, "POST", `${GOV}/grants`, {
        body: {
          grantType: "ENTITLEMENT",
          target: { externalId: SALESFORCE, type: "APPLICATION" },
          targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
          entitlements: [{ id: "esp2lr1lavoGDYw5U8g6", values: [{ id: "ent148gF8aZoRfFsh0g4" }] }],
        },
      }),
      400,
      "E0000001",
    );
    expect(entitlementGrant.errorCauses.map((c: Body) => c.location)).toEqual(["/grantType"]);
    const additive = await send(sb, "POST", `${GOV}/grants`, {
      body: {
        grantType: "ENTITLEMENT-BUNDLE",
        entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
      },
    });
    expect(additive.status).toBe(201);
    expect(additive.body.id).toMatch(/^gra[0-9A-Za-z]{17}$/);
    expect(additive.body).toMatchObject({ action: "ALLOW", actor: "API", status: "ACTIVE" });
    expect(await danaGrants()).toHaveLength(3);
    const base = await send(sb, "POST", `${GOV}/grants`, {
      body: {
        grantType: "CUSTOM",
        target: { externalId: SALESFORCE, type: "APPLICATION" },
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        entitlements: [{ id: "esp5zFLCIUV7Vibro0g2", values: [{ id: "entfxqCAJWWGELFTYAAA" }] }],
        actor: "ADMIN",
        scheduleSettings: { expirationDate: "2031-01-01T00:00:00Z", timeZone: "Europe/Berlin" },
      },
    });
    expect(base.status).toBe(201);
    const after = await danaGrants();
    expect(after.map((g: Body) => g.id)).toEqual([base.body.id]);
    for (const g of before) expect((await get(sb, `${GOV}/grants/${g.id}`)).body.status).toBe("INACTIVE");
    const effective = await get(
      sb,
      `${GOV}/principal-entitlements?filter=${f(principalFilter(SALESFORCE, DANA))}`,
    );
    expect(effective.body.data).toHaveLength(1);
    expect(effective.body.data[0]).toMatchObject({
      id: "esp5zFLCIUV7Vibro0g2",
      name: "Access Level",
      targetPrincipalOrn: `orn:okta:directory:${ORG}:users:${DANA}`,
      values: [{ id: "entfxqCAJWWGELFTYAAA", name: "Admin access" }],
    });
    const access = await get(sb, `${GOV}/principal-access?filter=${f(principalFilter(SALESFORCE, DANA))}`);
    expect(access.body.base).toMatchObject({
      grantType: "CUSTOM",
      grantMethod: "ADMIN",
      grant: { id: base.body.id },
    });
    expect(access.body.expirationTime).toBe("2031-01-01T00:00:00Z");
    expect(access.body.additional).toBeUndefined();
  });

  it("validates creates and PATCHes the expiry", async () => {
    const sb = await openSandbox();
    const bad = expectOktaError(
      await send(sb, "POST", `${GOV}/grants`, {
        body: {
          grantType: "CUSTOM",
          target: { externalId: SALESFORCE, type: "APPLICATION" },
          targetPrincipal: { externalId: "00uNOBODY", type: "OKTA_USER" },
          action: "MAYBE",
        },
      }),
      400,
      "E0000001",
    );
    expect(bad.errorCauses.map((c: Body) => c.location)).toEqual(["/targetPrincipal/externalId", "/action"]);
    const patched = await send(sb, "PATCH", `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`, {
      body: {
        id: "0ggb0oNGTSWTBKOLGLNR",
        scheduleSettings: { expirationDate: "2030-01-01T00:00:00Z", timeZone: "America/Chicago" },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.scheduleSettings).toEqual({
      expirationDate: "2030-01-01T00:00:00Z",
      timeZone: "America/Chicago",
    });
    expectOktaError(
      await send(sb, "PATCH", `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`, {
        body: {
          id: "0ggb0oNGTSWTBKOLGLNR",
          scheduleSettings: { expirationDate: "soon", timeZone: "Mars/Base" },
        },
      }),
      400,
      "E0000001",
    );
    const policy = OKTA_DEMO.grants.find((g) => g.grantType === "POLICY" && g.status === "ACTIVE");
    const notCustom = expectOktaError(
      await send(sb, "PUT", `${GOV}/grants/${policy?.id}`, {
        body: { ...(await get(sb, `${GOV}/grants/${policy?.id}`)).body, entitlements: [] },
      }),
      400,
      "E0000001",
    );
    expect(notCustom.errorCauses[0].location).toBe("/grantType");
  });

  it("applies DENY grants: a value denied after a bundle, and a contractor's revoke-all", async () => {
    const sb = await openSandbox();
    const diego = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(WORKDAY, DIEGO))}`);
    const groups = diego.body.data.find((e: Body) => e.name === "Security Group");
    expect(groups.values.map((v: Body) => v.name).sort()).toEqual(["Employee Self-Service", "Payroll Admin"]);
    const access = await get(sb, `${GOV}/principal-access?filter=${f(principalFilter(WORKDAY, DIEGO))}`);
    expect(access.body.base.grantType).toBe("POLICY");
    expect(access.body.additional.map((a: Body) => [a.grantType, a.action])).toEqual([
      ["ENTITLEMENT-BUNDLE", "ALLOW"],
      ["ENTITLEMENT", "DENY"],
    ]);
    const bundleEntry = access.body.additional[0];
    expect(bundleEntry.bundle.name).toBe("Workday Payroll Operations");
    const approver = bundleEntry.entitlements[0].values.find((v: Body) => v.name === "Expense Approver");
    expect(approver.effective).toBe(false);
    const grace = await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(GITHUB, GRACE))}`);
    expect(grace.body.data).toEqual([]);
  });
});
