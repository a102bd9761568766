/** The Okta emulator's principal access and revocation (src/sandbox/okta/routes/principals.ts). */
import { describe, expect, it } from "vitest";
import { OKTA_DEMO } from "../../../../src/sandbox/okta/data.js";
import { DANA, OLIVIA, ORG, PERMISSION_SET, SALESFORCE, SALESFORCE_ORN } from "../../../fixtures/okta.js";
import {
  appFilter,
  type Body,
  expectOktaError,
  f,
  GOV,
  get,
  openSandbox,
  principalFilter,
  send,
} from "../../../helpers/okta-sandbox.js";

describe("principal access and revocation", () => {
  it("requires both a principal and a resource in the filter", async () => {
    const sb = await openSandbox();
    expectOktaError(await get(sb, `${GOV}/principal-entitlements`), 400, "E0000028");
    const noUser = expectOktaError(
      await get(sb, `${GOV}/principal-entitlements?filter=${f(appFilter(SALESFORCE))}`),
      400,
      "E0000029",
    );
    expect(noUser.errorCauses[0].errorSummary).toBe("Cannot find value found for target principal");
    expectOktaError(
      await get(
        sb,
        `${GOV}/principal-access?filter=${f(`targetPrincipal.externalId eq "${DANA}" AND targetPrincipal.type eq "OKTA_USER"`)}`,
      ),
      400,
      "E0000029",
    );
    expectOktaError(
      await get(
        sb,
        `${GOV}/principal-access?filter=${f(`${principalFilter(SALESFORCE, DANA)} AND name sw "x"`)}`,
      ),
      400,
      "E0000053",
    );
  });

  it("revokes values, bundles and whole apps, and validates the body", async () => {
    const sb = await openSandbox();
    const olivia = `orn:okta:directory:${ORG}:users:${OLIVIA}`;
    const exportReports = OKTA_DEMO.entitlements
      .find((e) => e.id === PERMISSION_SET)
      ?.values.find((v) => v.name === "Export Reports");
    const manageUsers = OKTA_DEMO.entitlements
      .find((e) => e.id === PERMISSION_SET)
      ?.values.find((v) => v.name === "Manage Users");
    const res = await send(sb, "POST", "/governance/api/v2/revoke-principal-access", {
      body: {
        principalOrn: olivia,
        revokeOrns: [
          `orn:okta:governance:${ORG}:entitlement-values:${exportReports?.id}`,
          `orn:okta:governance:${ORG}:entitlement-values:${manageUsers?.id}`,
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
    const link = res.body.data[0]._links["principal-entitlements"].href;
    expect(link).toBe(
      `${sb.url}${GOV}/principal-entitlements?filter=${f(principalFilter(SALESFORCE, OLIVIA))}`,
    );
    const after = await get(sb, link);
    const names = after.body.data
      .find((e: Body) => e.name === "Permission Set")
      .values.map((v: Body) => v.name);
    expect(names).not.toContain("Export Reports");
    // Manage Users came from a bundle: it is now denied by an additive DENY grant.
    expect(names).not.toContain("Manage Users");
    expect(names).toContain("Modify All Data");
    const access = await get(sb, res.body.data[0]._links["principal-access"].href);
    expect(access.body.additional.at(-1)).toMatchObject({ grantType: "ENTITLEMENT", action: "DENY" });

    const app = await send(sb, "POST", "/governance/api/v2/revoke-principal-access", {
      body: { principalOrn: olivia, revokeOrns: [SALESFORCE_ORN] },
    });
    expect(app.status).toBe(200);
    expect((await get(sb, link)).body.data).toEqual([]);

    const missing = expectOktaError(
      await send(sb, "POST", "/governance/api/v2/revoke-principal-access", {
        body: { revokeOrns: [SALESFORCE_ORN] },
      }),
      400,
      "E0000001",
    );
    expect(missing.errorCauses[0].location).toBe("/principalOrn");
    const six = Array.from(
      { length: 6 },
      () => `orn:okta:governance:${ORG}:entitlement-values:entfxqCAJWWGELFTYAAA`,
    );
    expectOktaError(
      await send(sb, "POST", "/governance/api/v2/revoke-principal-access", {
        body: { principalOrn: olivia, revokeOrns: six },
      }),
      400,
      "E0000001",
    );
    const mixed = expectOktaError(
      await send(sb, "POST", "/governance/api/v2/revoke-principal-access", {
        body: {
          principalOrn: olivia,
          revokeOrns: [SALESFORCE_ORN, `orn:okta:governance:${ORG}:entitlement-values:entfxqCAJWWGELFTYAAA`],
        },
      }),
      400,
      "E0000001",
    );
    expect(mixed.errorCauses.at(-1).errorSummary).toMatch(/only item/);
    const badOrn = expectOktaError(
      await send(sb, "POST", "/governance/api/v2/revoke-principal-access", {
        body: { principalOrn: olivia, revokeOrns: ["nonsense"] },
      }),
      400,
      "E0000001",
    );
    expect(badOrn.errorCauses[0].errorSummary).toBe("Invalid ORN format for revokeObjectOrns");
  });
});
