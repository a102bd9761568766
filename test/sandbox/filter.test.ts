/**
 * The sandbox's SCIM filter subset: parsing, per-endpoint validation, evaluation, and the resource pins.
 */
import { describe, expect, it } from "vitest";
import {
  compileFilter,
  conjuncts,
  evaluateFilter,
  FilterError,
  getPath,
  parseFilter,
  topLevelEq,
  validateFilter,
} from "../../src/sandbox/kit/filter.js";
import { OKTA_FILTERS, type PinAttrs, resolvePin } from "../../src/sandbox/okta/filters.js";
import { normalizeOrn } from "../../src/sandbox/okta/orn.js";
import { ORG, SALESFORCE, SALESFORCE_ORN } from "../fixtures/okta.js";

const entitlement = {
  id: "esp2lr1lavoGDYw5U8g6",
  name: "License Entitlement",
  externalValue: "license_entitlement",
  parent: { externalId: SALESFORCE, type: "APPLICATION" },
  parentResourceOrn: SALESFORCE_ORN,
};

const grant = {
  targetResourceOrn: SALESFORCE_ORN,
  target: { externalId: SALESFORCE, type: "APPLICATION" },
  targetPrincipal: { externalId: "00ub0oNGTSWTBKOLGLNR", type: "OKTA_USER" },
  entitlements: [
    { id: "espA", values: [{ id: "entA1" }, { id: "entA2" }] },
    { id: "espB", values: [] },
  ],
  action: "ALLOW",
};

const APP_PIN: PinAttrs = {
  orn: "parentResourceOrn",
  externalId: "parent.externalId",
  type: "parent.type",
  typeValue: "APPLICATION",
  idFromOrn: (orn) => /^orn:[a-z]+:idp:[^:]+:apps:[^:]+:([^:]+)$/.exec(orn)?.[1],
};

function matches(filter: string, item: unknown, spec = OKTA_FILTERS.entitlements): boolean {
  return evaluateFilter(compileFilter(filter, spec), item, spec);
}

function errorOf(fn: () => unknown): FilterError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FilterError) return err;
    throw err;
  }
  throw new Error("expected a FilterError");
}

describe("parseFilter", () => {
  it("parses AND chains into one node and keeps parentheses as a subtree", () => {
    const node = parseFilter(
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND (id eq "espA" OR id eq "espB")`,
    );
    expect(node.op).toBe("and");
    const parts = conjuncts(node);
    expect(parts.map((p) => p.op)).toEqual(["eq", "eq", "or"]);
  });

  it("treats operators and logical words case-insensitively", () => {
    const node = parseFilter(`parent.externalId EQ "${SALESFORCE}" and parent.type Eq "APPLICATION"`);
    expect(conjuncts(node).map((p) => p.op)).toEqual(["eq", "eq"]);
    expect(matches(`name SW "lic" aNd parent.type eQ "application"`, entitlement)).toBe(true);
  });

  it("binds AND tighter than OR", () => {
    // a OR (b AND c): true because a is true even though c is false.
    expect(
      matches(`id eq "esp2lr1lavoGDYw5U8g6" OR name sw "Lic" AND externalValue eq "nope"`, entitlement),
    ).toBe(true);
    // (a OR b) AND c: false because c is false.
    expect(
      matches(`(id eq "esp2lr1lavoGDYw5U8g6" OR name sw "Lic") AND externalValue eq "nope"`, entitlement),
    ).toBe(false);
  });

  it.each([
    "",
    "   ",
    "name sw",
    'name sw "unterminated',
    '(name sw "a"',
    'name sw "a")',
    "parent.type eq APPLICATION",
    'name zz "a"',
    'name sw "a" AND',
  ])("rejects %j as a syntax error", (text) => {
    expect(errorOf(() => parseFilter(text)).kind).toBe("syntax");
  });
});

describe("validateFilter", () => {
  it("accepts every documented entitlements example", () => {
    for (const text of [
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION"`,
      `parentResourceOrn eq "orn:okta:idp:${ORG}:apps:oidc:${SALESFORCE}"`,
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND name sw "License"`,
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND (id eq "espfxqCAJWWGELFTYASJ" OR id eq "espfxqCAJWWGELFTYASI")`,
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND externalValue eq "License"`,
    ]) {
      expect(() => compileFilter(text, OKTA_FILTERS.entitlements), text).not.toThrow();
    }
  });

  it("rejects an attribute the endpoint does not support", () => {
    const err = errorOf(() => compileFilter(`description eq "x"`, OKTA_FILTERS.entitlements));
    expect(err.kind).toBe("unsupported");
    expect(err.message).toContain("description");
  });

  it("rejects an operator the attribute does not support", () => {
    const err = errorOf(() => compileFilter(`name eq "Profile"`, OKTA_FILTERS.entitlements));
    expect(err.kind).toBe("unsupported");
    expect(err.message).toMatch(/operator 'eq'.*name.*sw, co/);
    expect(errorOf(() => compileFilter(`id gt "esp"`, OKTA_FILTERS.entitlements)).kind).toBe("unsupported");
    expect(() => compileFilter(`id gt "enb"`, OKTA_FILTERS.bundles)).not.toThrow();
  });

  it("treats attribute names as case-sensitive", () => {
    expect(errorOf(() => compileFilter(`Name sw "a"`, OKTA_FILTERS.entitlements)).kind).toBe("unsupported");
  });

  it("with caseInsensitiveNames (RFC 7644 §3.4.2.2), matches names in any case, spelled as the table spells them", () => {
    const table = { displayableName: { ops: ["eq"] }, "application.displayName": { ops: ["eq"] } } as const;
    const node = compileFilter(
      'DISPLAYABLENAME eq "a" and (Application.DisplayName eq "AD" or displayablename eq "b")',
      table,
      { caseInsensitiveNames: true },
    );
    expect(JSON.stringify(node)).not.toMatch(/DISPLAYABLENAME|Application\.DisplayName|displayablename/);
    expect(evaluateFilter(node, { displayableName: "a", application: [{ displayName: "AD" }] }, table)).toBe(
      true,
    );
    expect(errorOf(() => compileFilter('owner eq "x"', table, { caseInsensitiveNames: true })).kind).toBe(
      "unsupported",
    );
  });

  it("rejects not, pr, value paths and non-string values", () => {
    expect(errorOf(() => compileFilter(`not (name sw "a")`, OKTA_FILTERS.entitlements)).kind).toBe(
      "unsupported",
    );
    expect(errorOf(() => compileFilter("name pr", OKTA_FILTERS.entitlements)).kind).toBe("unsupported");
    expect(errorOf(() => compileFilter(`entitlements[id eq "a"]`, OKTA_FILTERS.grants)).kind).toBe(
      "unsupported",
    );
    expect(errorOf(() => compileFilter("id eq 42", OKTA_FILTERS.entitlements)).kind).toBe("unsupported");
    expect(errorOf(() => compileFilter(`lastUpdated gt "yesterday"`, OKTA_FILTERS.bundles)).kind).toBe(
      "unsupported",
    );
  });

  it("knows each endpoint's table", () => {
    const ok = (text: string, spec: Parameters<typeof validateFilter>[1]) =>
      expect(() => validateFilter(parseFilter(text), spec), text).not.toThrow();
    const bad = (text: string, spec: Parameters<typeof validateFilter>[1]) =>
      expect(errorOf(() => validateFilter(parseFilter(text), spec)).kind, text).toBe("unsupported");
    ok(`name sw "a" AND labelValueId eq "lbl1"`, OKTA_FILTERS.entitlementValues);
    bad(`id eq "ent1"`, OKTA_FILTERS.entitlementValues);
    ok(
      `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND entitlementId eq "e"`,
      OKTA_FILTERS.allEntitlementValues,
    );
    bad(`parent.externalId eq "${SALESFORCE}" AND id eq "e"`, OKTA_FILTERS.allEntitlementValues);
    ok(`lastUpdated ge "2022-05-24T14:15:22Z" AND id gt "0bbfxqCAJWWGELFTYBBB"`, OKTA_FILTERS.bundles);
    ok(`status eq "DELETED" OR name eq "x"`, OKTA_FILTERS.bundles);
    ok(
      `targetResourceOrn eq "o" AND entitlements.values.id eq "e" AND action eq "ALLOW"`,
      OKTA_FILTERS.grants,
    );
    bad(`status eq "ACTIVE"`, OKTA_FILTERS.grants);
    ok(`targetPrincipalOrn eq "o" AND parentResourceOrn eq "p"`, OKTA_FILTERS.principal);
    bad(`name sw "x"`, OKTA_FILTERS.principal);
  });
});

describe("evaluateFilter", () => {
  it("compares eq exactly, sw/co case-insensitively, enums case-insensitively", () => {
    expect(matches(`externalValue eq "license_entitlement"`, entitlement)).toBe(true);
    expect(matches(`externalValue eq "LICENSE_ENTITLEMENT"`, entitlement)).toBe(false);
    expect(matches(`name sw "license"`, entitlement)).toBe(true);
    expect(matches(`name co "ENTITLE"`, entitlement)).toBe(true);
    expect(matches(`name co "profile"`, entitlement)).toBe(false);
    expect(matches(`parent.type eq "application"`, entitlement)).toBe(true);
  });

  it("matches ORNs by the object they name (partition and app name ignored)", () => {
    expect(matches(`parentResourceOrn eq "orn:okta:idp:${ORG}:apps:oidc:${SALESFORCE}"`, entitlement)).toBe(
      true,
    );
    expect(
      matches(`parentResourceOrn eq "orn:oktapreview:idp:${ORG}:apps:salesforce:${SALESFORCE}"`, entitlement),
    ).toBe(true);
    expect(matches(`parentResourceOrn eq "orn:okta:idp:${ORG}:apps:salesforce:0oaOTHER"`, entitlement)).toBe(
      false,
    );
    expect(normalizeOrn(`orn:okta:directory:${ORG}:users:00u1`)).toBe(`directory:${ORG}:users:00u1`);
  });

  it("matches nested arrays when any element matches", () => {
    const spec = OKTA_FILTERS.grants;
    const m = (text: string) => evaluateFilter(compileFilter(text, spec), grant, spec);
    expect(m(`entitlements.values.id eq "entA2"`)).toBe(true);
    expect(m(`entitlements.values.id eq "entB1"`)).toBe(false);
    expect(m(`entitlements.id eq "espB"`)).toBe(true);
    expect(
      m(
        `target.externalId eq "${SALESFORCE}" AND (entitlements.values.id eq "x" OR entitlements.id eq "espB")`,
      ),
    ).toBe(true);
    expect(getPath(grant, "entitlements.values.id")).toEqual(["entA1", "entA2"]);
  });

  it("compares dates by instant for the bundles' lastUpdated", () => {
    const spec = OKTA_FILTERS.bundles;
    const bundle = { id: "enb2", lastUpdated: "2025-03-03T15:00:00Z", status: "ACTIVE" };
    const m = (text: string) => evaluateFilter(compileFilter(text, spec), bundle, spec);
    expect(m(`lastUpdated gt "2025-03-03T14:59:59Z"`)).toBe(true);
    expect(m(`lastUpdated gt "2025-03-03T15:00:00.000Z"`)).toBe(false);
    expect(m(`lastUpdated ge "2025-03-03T15:00:00Z"`)).toBe(true);
    expect(m(`lastUpdated lt "2025-03-03T16:00:00+01:00"`)).toBe(false);
    expect(m(`id gt "enb1" AND status eq "active"`)).toBe(true);
  });
});

describe("resolvePin", () => {
  const pin = (text: string) => resolvePin(parseFilter(text), APP_PIN);

  it("finds the one app named by externalId + type or by ORN", () => {
    expect(
      pin(`parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND name sw "x"`),
    ).toEqual({
      ok: true,
      id: SALESFORCE,
    });
    expect(pin(`parentResourceOrn eq "orn:okta:idp:${ORG}:apps:oidc:${SALESFORCE}"`)).toEqual({
      ok: true,
      id: SALESFORCE,
    });
    expect(
      pin(
        `parentResourceOrn eq "orn:okta:idp:${ORG}:apps:oidc:${SALESFORCE}" AND parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION"`,
      ),
    ).toEqual({ ok: true, id: SALESFORCE });
  });

  it("requires a resource filter", () => {
    expect(pin(`name sw "License"`)).toMatchObject({ ok: false, problem: "missing" });
    expect(pin(`parent.externalId eq "${SALESFORCE}"`)).toMatchObject({ ok: false, problem: "missing" });
    expect(pin(`parent.type eq "APPLICATION"`)).toMatchObject({ ok: false, problem: "missing" });
  });

  it("refuses two resources, or a resource inside an OR", () => {
    expect(
      pin(
        `parent.externalId eq "${SALESFORCE}" AND parent.externalId eq "0oaOTHER" AND parent.type eq "APPLICATION"`,
      ),
    ).toMatchObject({ ok: false, problem: "multiple" });
    expect(
      pin(
        `parent.type eq "APPLICATION" AND (parent.externalId eq "${SALESFORCE}" OR parent.externalId eq "0oaOTHER")`,
      ),
    ).toMatchObject({ ok: false, problem: "multiple" });
  });

  it("checks the type value and the ORN format", () => {
    expect(pin(`parent.externalId eq "${SALESFORCE}" AND parent.type eq "GROUP"`)).toMatchObject({
      ok: false,
      problem: "type",
    });
    expect(pin(`parentResourceOrn eq "not-an-orn"`)).toMatchObject({ ok: false, problem: "orn" });
  });

  it("reads only top-level conjuncts", () => {
    const node = parseFilter(`a.b eq "1" AND (c eq "2" AND d eq "3") AND (e eq "4" OR f eq "5")`);
    expect(topLevelEq(node, "c")).toEqual(["2"]);
    expect(topLevelEq(node, "e")).toEqual([]);
  });
});

describe("pinnedValues (the sandbox's index for OR-of-eq filters)", () => {
  it("collects the values an OR of eq pins, through an AND", async () => {
    const { pinnedValues } = await import("../../src/sandbox/kit/filter.js");
    const scim = (await import("scim2-parse-filter")).default;
    const node = scim.parse(
      'parent.externalId eq "0oa1" AND (entitlementId eq "a" OR entitlementId eq "b") AND name sw "x"',
    );
    expect(pinnedValues(node, "entitlementId")).toEqual(new Set(["a", "b"]));
    expect(pinnedValues(scim.parse('entitlementId eq "a" OR name sw "b"'), "entitlementId")).toBeUndefined();
    expect(pinnedValues(scim.parse('name sw "b"'), "entitlementId")).toBeUndefined();
  });
});
