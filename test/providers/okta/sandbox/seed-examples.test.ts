/** The seed documents' Okta examples, verbatim, against the emulator's demo data. */
import { describe, expect, it } from "vitest";
import {
  DANA,
  ORG,
  PRIYA,
  SALESFORCE,
  SALESFORCE_ORN,
  SEED_CREATE_BUNDLE,
  SEED_CREATE_ENTITLEMENT,
  SEED_CREATE_GRANT,
  SEED_PATCH_ENTITLEMENT,
  SEED_REPLACE_BUNDLE,
  SEED_REPLACE_ENTITLEMENT,
  SEED_REPLACE_GRANT,
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
} from "../../../helpers/okta-sandbox.js";

describe("the seed documents' examples, verbatim", () => {
  it("001: create an entitlement", async () => {
    const sb = await openSandbox();
    const res = await send(sb, "POST", `${GOV}/entitlements`, {
      body: SEED_CREATE_ENTITLEMENT,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "License Entitlement",
      externalValue: "license_entitlement",
      description: "Some license entitlement",
      parentResourceOrn: "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:0oafxqCAJWWGELFTYASJ",
      parent: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
      multiValue: true,
      required: false,
      dataType: "array",
      metadata: { total: 2 },
      createdBy: PRIYA,
    });
    expect(res.body.id).toMatch(/^esp[0-9A-Za-z]{17}$/);
    expect(res.body.values.map((v: Body) => [v.name, v.externalValue, v.description])).toEqual([
      ["value1", "value_1", "description for value1"],
      ["value2", "value_2", "description for value2"],
    ]);
    for (const v of res.body.values) {
      expect(v.id).toMatch(/^ent[0-9A-Za-z]{17}$/);
      expect(v.orn).toBe(`orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-values:${v.id}`);
    }
    expect(res.body._links.self.href).toBe(`${sb.url}${GOV}/entitlements/${res.body.id}`);
    expect(res.body.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await get(sb, `${GOV}/entitlements/${res.body.id}`);
    expect(got.body).toEqual(res.body);
  });

  it("001: replace an entitlement", async () => {
    const sb = await openSandbox();
    const res = await send(sb, "PUT", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, {
      body: SEED_REPLACE_ENTITLEMENT,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: "esp2lr1lavoGDYw5U8g6",
      description: "Entitlement description",
      dataType: "array",
      metadata: { total: 2 },
    });
    expect(res.body.values.map((v: Body) => [v.id, v.description])).toEqual([
      ["ent148gF8aZoRfFsh0g4", "description for value1"],
      ["entotuwr1z1efm5RA1d6", "new value for entitlement"],
    ]);
  });

  it("001: update an entitlement with the documented PATCH array", async () => {
    const sb = await openSandbox();
    const res = await send(sb, "PATCH", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, {
      body: SEED_PATCH_ENTITLEMENT,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "replace name for entitlement",
      description: "replace description for entitlement",
    });
    expect(res.body.values).toHaveLength(1);
    expect(res.body.values[0]).toMatchObject({
      name: "value1",
      externalValue: "value_1",
      description: "description for value1",
    });
    expect(res.body.values[0].id).not.toBe("ent148gF8aZoRfFsh0g4");
    const all = (await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`)).body;
    expect(all.values.map((v: Body) => v.id)).toEqual(["entotuwr1z1efm5RA1d6", res.body.values[0].id]);
    expectOktaError(
      await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6/values/ent148gF8aZoRfFsh0g4`),
      404,
      "E0000007",
    );
  });

  it("002: create a bundle and replace the Github admin bundle", async () => {
    const sb = await openSandbox();
    const created = await send(sb, "POST", `${GOV}/entitlement-bundles`, {
      body: SEED_CREATE_BUNDLE,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Salesforce admin bundle",
      status: "ACTIVE",
      targetResourceOrn: SALESFORCE_ORN,
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
    });
    expect(created.body.id).toMatch(/^enb[0-9A-Za-z]{17}$/);
    expect(created.body.orn).toBe(`orn:okta:governance:${ORG}:entitlement-bundles:${created.body.id}`);

    const replaced = await send(sb, "PUT", `${GOV}/entitlement-bundles/0bbfxqCAJWWGELFTYAAA`, {
      body: SEED_REPLACE_BUNDLE,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: "0bbfxqCAJWWGELFTYAAA",
      name: "Github admin bundle",
      created: "2022-05-24T14:15:22Z",
      status: "ACTIVE",
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
    });
    expect(replaced.body.lastUpdated > "2022-05-24T14:15:22Z").toBe(true);
  });

  it("004: grant a bundle to a user, and replace a custom grant", async () => {
    const sb = await openSandbox();
    const created = await send(sb, "POST", `${GOV}/grants`, {
      body: SEED_CREATE_GRANT,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      grantType: "ENTITLEMENT-BUNDLE",
      entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
      action: "ALLOW",
      actor: "ACCESS_REQUEST",
      targetResourceOrn: SALESFORCE_ORN,
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      targetPrincipalOrn: `orn:okta:directory:${ORG}:users:${DANA}`,
      targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
      status: "ACTIVE",
      createdBy: PRIYA,
      _links: {
        entitlementBundle: { href: `${sb.url}${GOV}/entitlement-bundles/enbfxqCAJWWGELFTYCCC`, hints: {} },
      },
    });
    const dana = await get(
      sb,
      `${GOV}/principal-entitlements?filter=${f(principalFilter(SALESFORCE, DANA))}`,
    );
    expect(dana.body.data.find((e: Body) => e.name === "Access Level").values[0].id).toBe(
      "entfxqCAJWWGELFTYAAA",
    );

    const replaced = await send(sb, "PUT", `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`, {
      body: SEED_REPLACE_GRANT,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: "0ggb0oNGTSWTBKOLGLNR",
      grantType: "CUSTOM",
      status: "ACTIVE",
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
    });
    const priya = await get(
      sb,
      `${GOV}/principal-entitlements?filter=${f(principalFilter(SALESFORCE, PRIYA))}`,
    );
    // The seed's Role, named without values, gives the whole entitlement: every value it has.
    const role = await get(sb, `${GOV}/entitlements/0obfxqCAJWWGELFTYASJ`);
    expect(priya.body.data.map((e: Body) => [e.name, e.values.map((v: Body) => v.id)])).toEqual([
      ["Role", role.body.values.map((v: Body) => v.id)],
    ]);
  });
});
