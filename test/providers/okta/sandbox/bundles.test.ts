/** The Okta emulator's entitlement bundles (src/sandbox/okta/routes/bundles.ts): lists, deletes, creates, replaces. */
import { describe, expect, it } from "vitest";
import { OKTA_DEMO } from "../../../../src/sandbox/okta/data.js";
import { DANA, GITHUB, MARCUS, PERMISSION_SET, SALESFORCE } from "../../../fixtures/okta.js";
import {
  type Body,
  expectOktaError,
  f,
  GOV,
  get,
  links,
  openSandbox,
  principalFilter,
  send,
  targetFilter,
} from "../../../helpers/okta-sandbox.js";

describe("bundles", () => {
  it("lists all statuses without entitlements, or full entitlements with include", async () => {
    const sb = await openSandbox();
    const list = await get(sb, `${GOV}/entitlement-bundles`);
    expect(list.body.metadata.total).toBe(6);
    expect(list.body.data.map((b: Body) => b.status).sort()).toEqual([
      "ACTIVE",
      "ACTIVE",
      "ACTIVE",
      "ACTIVE",
      "ACTIVE",
      "DELETED",
    ]);
    for (const b of list.body.data) expect(b.entitlements).toEqual([]);
    expect(list.body._links.self.href).toBe(`${sb.url}${GOV}/entitlement-bundles?limit=20`);
    const full = await get(
      sb,
      `${GOV}/entitlement-bundles?include=full_entitlements&filter=${f('name sw "salesforce sales"')}`,
    );
    expect(full.body.data.map((b: Body) => b.name).sort()).toEqual([
      "Salesforce Sales Cloud admin",
      "Salesforce Sales Rep",
    ]);
    const admin = full.body.data.find((b: Body) => b.id === "enbfxqCAJWWGELFTYCCC");
    const permissionSet = admin.entitlements.find((e: Body) => e.id === PERMISSION_SET);
    expect(permissionSet).toMatchObject({
      name: "Permission Set",
      multiValue: true,
      required: false,
      dataType: "array",
    });
    expect(permissionSet.values.map((v: Body) => v.name).sort()).toEqual([
      "Manage Users",
      "Modify All Data",
      "Sales Cloud User",
    ]);
    expect(permissionSet.values[0].orn).toMatch(
      /^orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-values:ent/,
    );
    const byTarget = await get(sb, `${GOV}/entitlement-bundles?filter=${f(targetFilter(GITHUB))}`);
    expect(byTarget.body.data.map((b: Body) => b.name)).toEqual(["GitHub Platform Engineering"]);
    const paged = await get(sb, `${GOV}/entitlement-bundles?limit=4`);
    expect(paged.body.data).toHaveLength(4);
    expect(links(paged).next).toBe(
      `${sb.url}${GOV}/entitlement-bundles?after=${paged.body.data[3].id}&limit=4`,
    );
  });

  it("DELETE sets DELETED (still readable, filterable), then 409 E0000169; a deleted bundle can't be granted", async () => {
    const sb = await openSandbox();
    const id = "enbfxqCAJWWGELFTYCCC";
    expect((await send(sb, "DELETE", `${GOV}/entitlement-bundles/${id}`)).status).toBe(204);
    const after = await get(sb, `${GOV}/entitlement-bundles/${id}`);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe("DELETED");
    const deleted = await get(sb, `${GOV}/entitlement-bundles?filter=${f('status eq "DELETED"')}`);
    expect(deleted.body.data.map((b: Body) => b.id)).toContain(id);
    const active = await get(sb, `${GOV}/entitlement-bundles?filter=${f('status eq "ACTIVE"')}`);
    expect(active.body.data.map((b: Body) => b.id)).not.toContain(id);
    const again = expectOktaError(
      await send(sb, "DELETE", `${GOV}/entitlement-bundles/${id}`),
      409,
      "E0000169",
    );
    expect(again.errorSummary).toBe("Object status conflicts with requested operation.");
    expect(again.errorCauses[0]).toMatchObject({
      reason: "OPERATION_STATUS_CONFLICT",
      locationType: "method",
      domain: "entitlement-bundle",
    });
    const grant = expectOktaError(
      await send(sb, "POST", `${GOV}/grants`, {
        body: {
          grantType: "ENTITLEMENT-BUNDLE",
          entitlementBundleId: id,
          targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        },
      }),
      400,
      "E0000001",
    );
    expect(grant.errorCauses[0].location).toBe("/entitlementBundleId");
    // Olivia's grant of that bundle ended with it.
    const olivia = await get(
      sb,
      `${GOV}/grants?filter=${f(`${targetFilter(SALESFORCE)} AND entitlementBundleId eq "${id}"`)}`,
    );
    expect(olivia.body.data).toEqual([]);
  });

  it("validates creates: E0000028 for missing name / entitlements, E0000001 for duplicates and unknown ids", async () => {
    const sb = await openSandbox();
    const target = { externalId: SALESFORCE, type: "APPLICATION" };
    const missing = expectOktaError(
      await send(sb, "POST", `${GOV}/entitlement-bundles`, { body: { target } }),
      400,
      "E0000028",
    );
    expect(missing.errorCauses.map((c: Body) => c.reason)).toEqual(["MISSING_NAME", "MISSING_ENTITLEMENTS"]);
    const duplicate = expectOktaError(
      await send(sb, "POST", `${GOV}/entitlement-bundles`, {
        body: {
          name: "salesforce sales rep",
          target,
          entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
        },
      }),
      400,
      "E0000001",
    );
    expect(duplicate.errorCauses[0].location).toBe("/name");
    const unknown = expectOktaError(
      await send(sb, "POST", `${GOV}/entitlement-bundles`, {
        body: {
          name: "Mixed",
          target,
          entitlements: [
            { id: "espNOPE" },
            { id: "esp5zFLCIUV7Vibro0g2", values: [{ id: "ent148gF8aZoRfFsh0g4" }] },
            { id: OKTA_DEMO.entitlements.find((e) => e.appId === GITHUB)?.id },
          ],
        },
      }),
      400,
      "E0000001",
    );
    expect(unknown.errorCauses.map((c: Body) => [c.location, c.reason])).toEqual([
      ["/entitlements/0/id", "IDENTIFIER_NOT_FOUND"],
      ["/entitlements/1/values/0/id", "IDENTIFIER_NOT_FOUND"],
      ["/entitlements/2/id", "IDENTIFIER_NOT_FOUND"],
    ]);
  });

  it("PUT changes propagate to the bundle's grants", async () => {
    const sb = await openSandbox();
    const rep = OKTA_DEMO.bundles.find((b) => b.name === "Salesforce Sales Rep");
    const bundle = (await get(sb, `${GOV}/entitlement-bundles/${rep?.id}`)).body;
    const res = await send(sb, "PUT", `${GOV}/entitlement-bundles/${bundle.id}`, {
      body: {
        ...bundle,
        entitlements: [
          {
            id: "0obfxqCAJWWGELFTYASJ",
            values: [
              { id: OKTA_DEMO.entitlements.find((e) => e.id === "0obfxqCAJWWGELFTYASJ")?.values[0]?.id },
            ],
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.lastUpdated > bundle.lastUpdated).toBe(true);
    const marcus = await get(
      sb,
      `${GOV}/principal-entitlements?filter=${f(principalFilter(SALESFORCE, MARCUS))}`,
    );
    const role = marcus.body.data.find((e: Body) => e.name === "Role");
    expect(role.values.map((v: Body) => v.name)).toEqual(["CEO"]);
    expect(marcus.body.data.find((e: Body) => e.name === "Permission Set")).toBeUndefined();
  });
});
