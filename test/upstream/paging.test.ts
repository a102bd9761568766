import { describe, expect, it } from "vitest";
import { parseLinkHeader, toPage } from "../../src/upstream/paging.js";

const ORG = "https://acme-admin.oktapreview.com/governance/api/v1/entitlements";

describe("parseLinkHeader", () => {
  it("reads one header per relation and comma-joined values", () => {
    expect(
      parseLinkHeader([`<${ORG}?limit=1>; rel="self"`, `<${ORG}?after=esp1&limit=1>; rel="next"`]),
    ).toEqual({
      self: `${ORG}?limit=1`,
      next: `${ORG}?after=esp1&limit=1`,
    });
    expect(parseLinkHeader(`<a?x=1>; rel="self", <a?after=b>; rel=next`)).toEqual({
      self: "a?x=1",
      next: "a?after=b",
    });
    expect(parseLinkHeader(undefined)).toEqual({});
  });
});

describe("toPage", () => {
  it("okta-cursor: data, the after cursor of _links.next, metadata.total", () => {
    const body = {
      data: [{ id: "esp1" }],
      _links: {
        self: { href: `${ORG}?limit=1`, hints: {} },
        next: {
          href: `${ORG}?filter=x%20eq%20%22y%22&after=espyyxsx6rrrjGiIx1d6&limit=1&orderBy=name%20asc`,
          hints: {},
        },
      },
      metadata: { total: 16 },
    };
    expect(toPage("okta-cursor", body, {})).toEqual({
      items: [{ id: "esp1" }],
      nextCursor: "espyyxsx6rrrjGiIx1d6",
      total: 16,
    });
  });

  it("okta-cursor: a bare array with only a Link header (users, apps)", () => {
    expect(
      toPage("okta-cursor", [{ id: "00u1" }], {
        link: [`<${ORG}>; rel="self"`, `<${ORG}?after=00u1&limit=1>; rel="next"`],
      }),
    ).toEqual({ items: [{ id: "00u1" }], nextCursor: "00u1", total: undefined });
    expect(toPage("okta-cursor", { data: [] }, {})).toEqual({
      items: [],
      nextCursor: undefined,
      total: undefined,
    });
  });

  it("scim: the next startIndex while more remain", () => {
    const page = (startIndex: number, n: number) => ({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 12,
      startIndex,
      Resources: Array.from({ length: n }, (_, i) => ({ id: String(startIndex + i) })),
    });
    expect(toPage("scim", page(1, 5), {})).toMatchObject({ nextCursor: "6", total: 12 });
    expect(toPage("scim", page(6, 5), {})).toMatchObject({ nextCursor: "11" });
    expect(toPage("scim", page(11, 2), {}).nextCursor).toBeUndefined();
  });

  it("page-number: next_page_token first, else the next page while more remain", () => {
    expect(toPage("page-number", { items: [{ id: 1 }], next_page_token: "tok" }, {})).toEqual({
      items: [{ id: 1 }],
      nextCursor: "tok",
      total: undefined,
    });
    expect(toPage("page-number", { items: [1, 2], page: 1, per_page: 2, total: 5 }, {}).nextCursor).toBe("2");
    expect(
      toPage("page-number", { items: [5], page: 3, per_page: 2, total: 5 }, {}).nextCursor,
    ).toBeUndefined();
    expect(toPage("page-number", [{ id: 1 }], {}).items).toEqual([{ id: 1 }]);
    expect(toPage("page-number", { data: [{ id: 2 }] }, {}).items).toEqual([{ id: 2 }]);
  });
});
