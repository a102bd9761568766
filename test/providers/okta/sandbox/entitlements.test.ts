/**
 * The Okta emulator's entitlements and values (src/sandbox/okta/routes/entitlements.ts): filters, every
 * validation error, reads, writes and what a delete takes out of bundles and grants.
 */
import { describe, expect, it } from "vitest";
import {
  OLIVIA,
  ORG,
  PERMISSION_SET,
  SALESFORCE,
  SALESFORCE_ORN,
  TERRITORY,
  WIKI,
} from "../../../fixtures/okta.js";
import {
  appFilter,
  type Body,
  expectOktaError,
  expectRateHeaders,
  f,
  GOV,
  get,
  links,
  openSandbox,
  principalFilter,
  send,
} from "../../../helpers/okta-sandbox.js";

describe("entitlements", () => {
  it("lists with the documented filters, including an ORN naming the app differently", async () => {
    const sb = await openSandbox();
    const names = async (filter: string) =>
      (await get(sb, `${GOV}/entitlements?filter=${f(filter)}`)).body.data.map((e: Body) => e.name);
    expect(await names(appFilter(SALESFORCE))).toEqual([
      "Access Level",
      "License",
      "License Entitlement",
      "Permission Set",
      "Profile",
      "Role",
    ]);
    expect(await names(`parentResourceOrn eq "orn:okta:idp:${ORG}:apps:oidc:${SALESFORCE}"`)).toHaveLength(6);
    expect(await names(`${appFilter(SALESFORCE)} AND name sw "License"`)).toEqual([
      "License",
      "License Entitlement",
    ]);
    expect(
      await names(
        `${appFilter(SALESFORCE)} AND (id eq "esp5zFLCIUV7Vibro0g2" OR id eq "0obfxqCAJWWGELFTYASJ")`,
      ),
    ).toEqual(["Access Level", "Role"]);
    expect(await names(`${appFilter(SALESFORCE)} AND externalValue eq "license"`)).toEqual(["License"]);
    expect(await names(`${appFilter(SALESFORCE)} and name co "SET"`)).toEqual(["Permission Set"]);
    const item = (
      await get(sb, `${GOV}/entitlements?filter=${f(`${appFilter(SALESFORCE)} AND name sw "Role"`)}`)
    ).body.data[0];
    expect(item).toMatchObject({
      id: "0obfxqCAJWWGELFTYASJ",
      parentResourceOrn: SALESFORCE_ORN,
      parent: { externalId: SALESFORCE, type: "APPLICATION" },
      multiValue: false,
      required: false,
      dataType: "string",
    });
    expect(item.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("rejects filters: missing (E0000028), bad syntax or unsupported (E0000053), no resource or unknown app (E0000029)", async () => {
    const sb = await openSandbox();
    const missing = expectOktaError(await get(sb, `${GOV}/entitlements`), 400, "E0000028");
    expect(missing.errorSummary).toBe("The request is missing a required parameter.");
    expect(missing.errorCauses[0]).toMatchObject({ location: "filter", locationType: "query" });
    for (const filter of [
      `parent.externalId eq`,
      `${appFilter(SALESFORCE)} AND description eq "x"`,
      `${appFilter(SALESFORCE)} AND name eq "Role"`,
    ]) {
      const body = expectOktaError(await get(sb, `${GOV}/entitlements?filter=${f(filter)}`), 400, "E0000053");
      expect(body.errorSummary).toBe("Invalid SCIM filter.");
      expect(body.errorCauses[0]).toMatchObject({
        reason: "STRING_FORMAT_INVALID",
        location: "/filter",
        locationType: "query",
        domain: "governance",
      });
    }
    const noResource = expectOktaError(
      await get(sb, `${GOV}/entitlements?filter=${f('name sw "Role"')}`),
      400,
      "E0000029",
    );
    expect(noResource.errorSummary).toBe("Invalid filter");
    const unknown = expectOktaError(
      await get(sb, `${GOV}/entitlements?filter=${f(appFilter("0oaUNKNOWN0000000000"))}`),
      400,
      "E0000029",
    );
    expect(unknown.errorSummary).toBe("Invalid externalId request.");
    expect(unknown.errorCauses[0]).toMatchObject({
      reason: "IDENTIFIER_NOT_FOUND",
      location: "/target.externalId",
    });
    const values = expectOktaError(await get(sb, `${GOV}/entitlements/values`), 400, "E0000028");
    expect(values.errorCauses[0].location).toBe("filter");
  });

  it("validates creates field by field (E0000001), malformed JSON (E0000003) and non-opted-in apps (404)", async () => {
    const sb = await openSandbox();
    const invalid = expectOktaError(
      await send(sb, "POST", `${GOV}/entitlements`, {
        body: {
          externalValue: "x",
          parent: { externalId: SALESFORCE, type: "APPLICATION" },
          multiValue: "yes",
          dataType: "number",
          values: [{ name: "" }],
        },
      }),
      400,
      "E0000001",
    );
    expect(invalid.errorSummary).toMatch(/^Api validation failed: /);
    const byLocation = Object.fromEntries(invalid.errorCauses.map((c: Body) => [c.location, c.reason]));
    expect(byLocation).toMatchObject({
      "/name": "REQUIRED_PROPERTY_MISSING",
      "/multiValue": "INVALID_DATA_TYPE",
      "/dataType": "INVALID_ENUM_VALUE",
      "/values/0/name": "STRING_LENGTH_INVALID",
      "/values/0/externalValue": "REQUIRED_PROPERTY_MISSING",
    });
    expect(invalid.errorCauses[0]).toMatchObject({ locationType: "body", domain: "entitlements" });
    const tooLong = expectOktaError(
      await send(sb, "POST", `${GOV}/entitlements`, {
        body: {
          name: "x".repeat(256),
          externalValue: "x",
          parent: { externalId: SALESFORCE, type: "APPLICATION" },
          multiValue: false,
          dataType: "string",
          values: [],
        },
      }),
      400,
      "E0000001",
    );
    expect(tooLong.errorCauses.map((c: Body) => c.location)).toEqual(["/name"]);
    const malformed = expectOktaError(
      await send(sb, "POST", `${GOV}/entitlements`, { raw: '{"name": ' }),
      400,
      "E0000003",
    );
    expect(malformed.errorSummary).toBe("The request body was not well-formed.");
    const wiki = expectOktaError(
      await send(sb, "POST", `${GOV}/entitlements`, {
        body: {
          name: "Space",
          externalValue: "space",
          parent: { externalId: WIKI, type: "APPLICATION" },
          multiValue: false,
          dataType: "string",
          values: [],
        },
      }),
      404,
      "E0000007",
    );
    expect(wiki.errorSummary).toBe("Not found: Resource not found: null (SharedAppInstance)");
  });

  it("answers unknown ids with 404 E0000007 naming the id and type", async () => {
    const sb = await openSandbox();
    const ent = expectOktaError(await get(sb, `${GOV}/entitlements/espNOTHERE0000000000`), 404, "E0000007");
    expect(ent.errorSummary).toBe("Not found: Resource not found: espNOTHERE0000000000 (Entitlement)");
    // A value of another entitlement is not found under this one.
    const value = expectOktaError(
      await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6/values/entfxqCAJWWGELFTYAAA`),
      404,
      "E0000007",
    );
    expect(value.errorSummary).toContain("entfxqCAJWWGELFTYAAA");
    expectOktaError(await get(sb, `${GOV}/entitlement-bundles/enbNOTHERE0000000000`), 404, "E0000007");
    expectOktaError(await get(sb, `${GOV}/grants/graNOTHERE0000000000`), 404, "E0000007");
    expectOktaError(await send(sb, "DELETE", `${GOV}/entitlements/espNOTHERE0000000000`), 404, "E0000007");
    expectOktaError(await get(sb, "/api/v1/users/00uNOTHERE0000000000"), 404, "E0000007");
  });

  it("answers unmatched governance paths and methods with 405 E0000022, other paths with 404", async () => {
    const sb = await openSandbox();
    const del = expectOktaError(
      await send(sb, "DELETE", `${GOV}/grants/0ggb0oNGTSWTBKOLGLNR`),
      405,
      "E0000022",
    );
    expect(del.errorSummary).toBe("The endpoint does not support the provided HTTP method");
    expectOktaError(await get(sb, `${GOV}/no-such-thing`), 405, "E0000022");
    expectOktaError(await send(sb, "POST", `${GOV}/entitlements/values`), 405, "E0000022");
    expectOktaError(await get(sb, "/api/v1/nothing-here"), 404, "E0000007");
  });

  it("gets one value with its parent, and lists values with a name filter", async () => {
    const sb = await openSandbox();
    const value = await get(sb, `${GOV}/entitlements/esp5zFLCIUV7Vibro0g2/values/entfxqCAJWWGELFTYAAA`);
    expect(value.status).toBe(200);
    expect(value.body).toMatchObject({
      id: "entfxqCAJWWGELFTYAAA",
      name: "Admin access",
      description: "ability to grant an access",
      externalValue: "admin",
      entitlementId: "esp5zFLCIUV7Vibro0g2",
      externalId: "75941239-123s-1245-xyz6-562fee27167r",
      parentResourceOrn: SALESFORCE_ORN,
      parent: { externalId: SALESFORCE, type: "APPLICATION" },
      orn: `orn:okta:governance:${ORG}:entitlement-values:entfxqCAJWWGELFTYAAA`,
      labels: [],
      _links: {
        self: {
          href: `${sb.url}${GOV}/entitlements/esp5zFLCIUV7Vibro0g2/values/entfxqCAJWWGELFTYAAA`,
          hints: {},
        },
      },
    });
    expect(links(value).self).toBe(value.body._links.self.href);
    const list = await get(
      sb,
      `${GOV}/entitlements/${PERMISSION_SET}/values?filter=${f('name sw "manage"')}`,
    );
    expect(list.body.data.map((v: Body) => v.name)).toEqual([
      "Manage Cases",
      "Manage Dashboards",
      "Manage Leads",
      "Manage Price Books",
      "Manage Public List Views",
      "Manage Territories",
      "Manage Users",
    ]);
    expect(list.body.metadata.total).toBe(7);
  });

  it("bumps lastUpdated on every write, even within the same second", async () => {
    const sb = await openSandbox({ now: () => Date.parse("2026-01-01T00:00:00Z") });
    const before = (await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`)).body.lastUpdated;
    const patch = (name: string) =>
      send(sb, "PATCH", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, {
        body: [{ op: "REPLACE", path: "/name", value: name, refType: "ENTITLEMENT" }],
      });
    const a = (await patch("A")).body.lastUpdated;
    const b = (await patch("B")).body.lastUpdated;
    expect(new Set([before, a, b]).size).toBe(3);
    expect(Date.parse(b)).toBeGreaterThan(Date.parse(a));
    expect(a).toBe("2026-01-01T00:00:00Z");
    expect(b).toBe("2026-01-01T00:00:01Z");
  });

  it("validates PATCH operations all first and names the failing index", async () => {
    const sb = await openSandbox();
    const res = await send(sb, "PATCH", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, {
      body: [
        { op: "REPLACE", path: "/name", value: "Renamed", refType: "ENTITLEMENT" },
        { op: "REMOVE", path: "/values/entNOPE", refType: "ENTITLEMENT-VALUE" },
      ],
    });
    const body = expectOktaError(res, 400, "E0000001");
    expect(body.errorCauses[0].errorSummary).toMatch(/^Operation 1:/);
    expect(body.errorCauses[0].location).toBe("/1/path");
    // Nothing was applied.
    expect((await get(sb, `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`)).body.name).toBe("License Entitlement");
    expectOktaError(
      await send(sb, "PATCH", `${GOV}/entitlements/esp2lr1lavoGDYw5U8g6`, { body: [] }),
      400,
      "E0000001",
    );
  });

  it("PUT keeps, creates and removes values, and refuses a foreign value id or a mismatched id", async () => {
    const sb = await openSandbox();
    const res = await send(sb, "PUT", `${GOV}/entitlements/esp5zFLCIUV7Vibro0g2`, {
      body: {
        id: "esp5zFLCIUV7Vibro0g2",
        name: "Access Level",
        externalValue: "access_level",
        parent: { externalId: SALESFORCE, type: "APPLICATION" },
        parentResourceOrn: SALESFORCE_ORN,
        multiValue: false,
        dataType: "string",
        values: [
          { id: "entfxqCAJWWGELFTYAAA", name: "Administrator", externalValue: "admin" },
          { name: "Auditor", externalValue: "auditor" },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.values.map((v: Body) => v.name)).toEqual(["Administrator", "Auditor"]);
    expect(res.body.values[1].id).toMatch(/^ent[0-9A-Za-z]{17}$/);
    expect(res.body.metadata.total).toBe(2);
    expect(res.body).not.toHaveProperty("description");
    const foreign = expectOktaError(
      await send(sb, "PUT", `${GOV}/entitlements/esp5zFLCIUV7Vibro0g2`, {
        body: { ...res.body, values: [{ id: "ent148gF8aZoRfFsh0g4", name: "x", externalValue: "x" }] },
      }),
      400,
      "E0000001",
    );
    expect(foreign.errorCauses[0]).toMatchObject({
      reason: "IDENTIFIER_NOT_FOUND",
      location: "/values/0/id",
    });
    const mismatch = expectOktaError(
      await send(sb, "PUT", `${GOV}/entitlements/esp5zFLCIUV7Vibro0g2`, {
        body: { ...res.body, id: "esp2lr1lavoGDYw5U8g6" },
      }),
      400,
      "E0000001",
    );
    expect(mismatch.errorCauses[0].location).toBe("/id");
  });

  it("DELETE answers 204 and removes the entitlement's values from bundles and grants", async () => {
    const sb = await openSandbox();
    const bundleBefore = (await get(sb, `${GOV}/entitlement-bundles/enbfxqCAJWWGELFTYCCC`)).body;
    expect(bundleBefore.entitlements.map((e: Body) => e.id)).toContain(PERMISSION_SET);
    const del = await send(sb, "DELETE", `${GOV}/entitlements/${PERMISSION_SET}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expectRateHeaders(del, 600);
    expectOktaError(await get(sb, `${GOV}/entitlements/${PERMISSION_SET}`), 404, "E0000007");
    const bundleAfter = (await get(sb, `${GOV}/entitlement-bundles/enbfxqCAJWWGELFTYCCC`)).body;
    expect(bundleAfter.entitlements.map((e: Body) => e.id)).not.toContain(PERMISSION_SET);
    expect(bundleAfter.lastUpdated > bundleBefore.lastUpdated).toBe(true);
    const olivia = await get(
      sb,
      `${GOV}/principal-entitlements?filter=${f(principalFilter(SALESFORCE, OLIVIA))}`,
    );
    expect(olivia.body.data.map((e: Body) => e.name)).not.toContain("Permission Set");
  });

  it("generates the same ids on every run", async () => {
    const a = (await send(await openSandbox(), "POST", `${GOV}/entitlements`, { body: TERRITORY })).body;
    const b = (await send(await openSandbox(), "POST", `${GOV}/entitlements`, { body: TERRITORY })).body;
    expect(a.id).toBe(b.id);
    expect(a.values[0].id).toBe(b.values[0].id);
  });
});
