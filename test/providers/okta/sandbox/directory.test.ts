/** The Okta emulator's users and apps (src/sandbox/okta/routes/directory.ts): q search, ids, defaults, seeds. */
import { describe, expect, it } from "vitest";
import { OKTA_DEMO } from "../../../../src/sandbox/okta/data.js";
import { DANA, GRACE, PRIYA, SALESFORCE, SALESFORCE_ORN } from "../../../fixtures/okta.js";
import {
  appFilter,
  type Body,
  expectOktaError,
  f,
  GOV,
  get,
  links,
  openSandbox,
} from "../../../helpers/okta-sandbox.js";

describe("users and apps", () => {
  it("searches users and apps with q (case-insensitive prefix) and gets them by id", async () => {
    const sb = await openSandbox();
    const dana = await get(sb, "/api/v1/users?q=DAN");
    expect(dana.body.map((u: Body) => u.profile.login)).toEqual(["dana.whitfield@acme.example"]);
    expect(dana.body[0]).toMatchObject({
      id: DANA,
      status: "ACTIVE",
      profile: { firstName: "Dana", lastName: "Whitfield" },
    });
    expect((await get(sb, "/api/v1/users?q=raman")).body[0].id).toBe(PRIYA);
    expect((await get(sb, `/api/v1/users?filter=${f('profile.lastName eq "Liu"')}`)).body[0].id).toBe(GRACE);
    expectOktaError(await get(sb, `/api/v1/users?filter=${f('profile.nickName eq "x"')}`), 400, "E0000031");
    expect((await get(sb, "/api/v1/users/dana.whitfield@acme.example")).body.id).toBe(DANA);
    expect((await get(sb, "/api/v1/apps?q=sl")).body.map((a: Body) => a.name)).toEqual(["slack"]);
    const sf = await get(sb, `/api/v1/apps/${SALESFORCE}`);
    expect(sf.body).toMatchObject({
      id: SALESFORCE,
      name: "salesforce",
      label: "Salesforce",
      status: "ACTIVE",
      orn: SALESFORCE_ORN,
    });
    expectOktaError(await get(sb, "/api/v1/apps/0oaNOTHERE0000000000"), 404, "E0000007");
  });

  it("returns 10 users by default for a q search and 200 for a plain list", async () => {
    const sb = await openSandbox();
    const a = await get(sb, "/api/v1/users?q=a");
    expect(a.body.length).toBeLessThanOrEqual(10);
    expect(links(a).self).toBe(`${sb.url}/api/v1/users?q=a&limit=10`);
    expect(links(await get(sb, "/api/v1/users")).self).toBe(`${sb.url}/api/v1/users?limit=200`);
  });

  it("serves an empty org (apps and users only) and a large scale app", async () => {
    const empty = await openSandbox({ seed: "empty" });
    expect((await get(empty, `${GOV}/entitlements?filter=${f(appFilter(SALESFORCE))}`)).body.data).toEqual(
      [],
    );
    expect((await get(empty, `${GOV}/entitlement-bundles`)).body.metadata.total).toBe(0);
    expect((await get(empty, "/api/v1/users")).body).toHaveLength(12);
    const big = await openSandbox({ scale: 50_000 });
    const started = Date.now();
    const res = await get(big, `${GOV}/entitlements?filter=${f(appFilter(OKTA_DEMO.scaleApp.id))}&limit=200`);
    expect(res.body.metadata.total).toBe(50_000);
    expect(res.body.data[0].name).toBe("Scale Entitlement 000001");
    const next = await get(big, links(res).next as string);
    expect(next.body.data[0].name).toBe("Scale Entitlement 000201");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
