/**
 * The Okta emulator's paging: _links.next and Link headers, canonical queries, default limits and orders,
 * bad paging requests (E0000029), and the bare arrays of the management API.
 */
import { describe, expect, it } from "vitest";
import { OKTA_DEMO } from "../../../../src/sandbox/okta/data.js";
import { PERMISSION_SET, SALESFORCE } from "../../../fixtures/okta.js";
import {
  appFilter,
  type Body,
  expectOktaError,
  f,
  GOV,
  get,
  links,
  openSandbox,
  type Res,
} from "../../../helpers/okta-sandbox.js";

describe("paging", () => {
  it("walks 28 values 10 at a time through _links.next, each seen once, with Link headers", async () => {
    const sb = await openSandbox();
    let path: string | undefined = `${GOV}/entitlements/${PERMISSION_SET}/values?limit=10`;
    const seen: string[] = [];
    const pages: number[] = [];
    while (path) {
      const res: Res = await get(sb, path);
      expect(res.status).toBe(200);
      expect(res.body.metadata).toEqual({ total: 28 });
      pages.push(res.body.data.length);
      for (const item of res.body.data) {
        seen.push(item.name);
        expect(item).toMatchObject({
          entitlementId: PERMISSION_SET,
          labels: [],
          _links: {},
          parent: { externalId: SALESFORCE },
        });
      }
      const header = links(res);
      expect(header.self).toBe(res.body._links.self.href);
      expect(res.body._links.self.hints).toEqual({});
      expect(header.next).toBe(res.body._links.next?.href);
      if (res.body._links.next) {
        const last = res.body.data.at(-1).id;
        expect(res.body._links.next.href).toBe(
          `${sb.url}${GOV}/entitlements/${PERMISSION_SET}/values?after=${last}&limit=10&orderBy=name%20asc`,
        );
      }
      path = res.body._links.next?.href;
    }
    expect(pages).toEqual([10, 10, 8]);
    expect(new Set(seen).size).toBe(28);
    expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it("walks 30 entitlements of the scale app through Link headers, canonicalising the query", async () => {
    const sb = await openSandbox({ scale: 30 });
    const scaleApp = OKTA_DEMO.scaleApp.id;
    const filter = appFilter(scaleApp);
    const first = await get(sb, `${GOV}/entitlements?limit=10&filter=${f(filter)}`);
    expect(first.status).toBe(200);
    expect(links(first).self).toBe(
      `${sb.url}${GOV}/entitlements?filter=${f(filter)}&limit=10&orderBy=name%20asc`,
    );
    expect(first.body.data[0]._links.values.href).toBe(
      `${sb.url}${GOV}/entitlements/${first.body.data[0].id}/values?limit=10`,
    );
    expect(first.body.data[0]).not.toHaveProperty("values");
    const ids = new Set<string>();
    let res: Res = first;
    let count = 0;
    for (;;) {
      count++;
      expect(res.body.metadata.total).toBe(30);
      for (const item of res.body.data) ids.add(item.id);
      const next = links(res).next;
      if (!next) break;
      res = await get(sb, next);
    }
    expect(count).toBe(3);
    expect(ids.size).toBe(30);
    for (const id of ids) expect(id).toMatch(/^esp[0-9A-Za-z]{17}$/);
  });

  it("adds the default limit and orderBy to all-values links and ends without next", async () => {
    const sb = await openSandbox();
    const filter = `${appFilter(SALESFORCE)} AND (entitlementId eq "esp5zFLCIUV7Vibro0g2" OR entitlementId eq "esp81PLbVQGWaklZb0g2")`;
    const res = await get(sb, `${GOV}/entitlements/values?filter=${f(filter)}`);
    expect(res.status).toBe(200);
    expect(res.body._links.self.href).toBe(
      `${sb.url}${GOV}/entitlements/values?filter=${f(filter)}&limit=200&orderBy=id%20asc`,
    );
    expect(res.body._links.next).toBeUndefined();
    expect(Object.keys(links(res))).toEqual(["self"]);
    expect(res.body.metadata.total).toBe(6);
    const ids = res.body.data.map((v: Body) => v.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain("entfxqCAJWWGELFTYAAA");
    expect(ids).toContain("entfxqCAJWWFTFUUYBBB");
  });

  it("orders by another field and rejects unknown orderBy, bad limit and bad after", async () => {
    const sb = await openSandbox();
    const base = `${GOV}/entitlements?filter=${f(appFilter(SALESFORCE))}`;
    const desc = await get(sb, `${base}&orderBy=${f("name desc")}`);
    expect(desc.body.data.map((e: Body) => e.name)).toEqual([
      "Role",
      "Profile",
      "Permission Set",
      "License Entitlement",
      "License",
      "Access Level",
    ]);
    expect(desc.body._links.self.href).toContain("orderBy=name%20desc");
    const badOrder = expectOktaError(await get(sb, `${base}&orderBy=${f("color asc")}`), 400, "E0000029");
    expect(badOrder.errorCauses[0]).toMatchObject({ location: "/orderBy", reason: "STRING_FORMAT_INVALID" });
    for (const limit of ["0", "201", "abc", "-1", "1.5"]) {
      const body = expectOktaError(await get(sb, `${base}&limit=${limit}`), 400, "E0000029");
      expect(body.errorSummary).toBe("Invalid paging request.");
      expect(body.errorCauses[0]).toMatchObject({ location: "/limit", locationType: "query" });
    }
    const after = expectOktaError(await get(sb, `${base}&after=espNOPE`), 400, "E0000029");
    expect(after.errorCauses[0]).toMatchObject({ reason: "INVALID_AFTER_PARAMETER", location: "/after" });
  });

  it("pages users and apps as bare arrays with Link headers", async () => {
    const sb = await openSandbox();
    const seen: string[] = [];
    let next: string | undefined = "/api/v1/users?limit=5";
    let pages = 0;
    while (next) {
      const res: Res = await get(sb, next);
      expect(Array.isArray(res.body)).toBe(true);
      pages++;
      for (const u of res.body) seen.push(u.id);
      next = links(res).next;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(OKTA_DEMO.users.map((u) => u.id));
    const apps = await get(sb, "/api/v1/apps");
    expect(apps.body.map((a: Body) => a.label)).toEqual([
      "Salesforce",
      "GitHub Enterprise Cloud",
      "Workday",
      "Slack",
      "Company Wiki",
    ]);
    expect(links(apps).next).toBeUndefined();
  });
});
