import scim from "scim2-parse-filter";
import { describe, expect, it } from "vitest";
import {
  checkScimFilter,
  coClause,
  eqClause,
  MAX_FILTER_LENGTH,
  RFC_7644_FILTERS,
  scimAnd,
  scimString,
  swClause,
  withRawFilter,
} from "../../src/core/scim-filter.js";

describe("checkScimFilter accepts what Okta documents", () => {
  it.each([
    'parent.externalId eq "0oafxqCAJWWGELFTYASJ" AND parent.type eq "APPLICATION"',
    'parentResourceOrn eq "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:oidc:0oafxqCAJWWGELFTYASJ"',
    'parent.externalId eq "0oafxqCAJWWGELFTYASJ" AND parent.type eq "APPLICATION" AND name sw "License"',
    'parent.externalId eq "0oafxqCAJWWGELFTYASJ" AND parent.type eq "APPLICATION" AND (id eq "espfxqCAJWWGELFTYASJ" OR id eq "espfxqCAJWWGELFTYASI")',
    'lastUpdated gt "2022-05-24T14:15:22Z" OR (lastUpdated ge "2022-05-24T14:15:22Z" AND id gt "0bbfxqCAJWWGELFTYBBB")',
    'target.externalId eq "0oafxqCAJWWGELFTYASJ" AND target.type eq "APPLICATION" AND (entitlements.values.id eq "entfxqCAJWWFTFUUYBBB" OR entitlementBundleId eq "08ab2db568c7c300079fefd0")',
    'status eq "ACTIVE"',
    'name co "sales" and status Eq "ACTIVE"',
    "name pr",
    'not (name sw "x")',
    "count gt 5",
    'name eq "back\\\\slash"',
    'name eq "say \\"hi\\""',
  ])("%s", (filter) => {
    expect(checkScimFilter(filter)).toBeUndefined();
  });
});

describe("checkScimFilter rejects malformed filters with a reason", () => {
  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ['(name eq "x"', /unbalanced parentheses/],
    ['name eq "x")', /unbalanced parentheses/],
    ['name eq "x', /unterminated string/],
    ['name xx "y"', /unknown operator "xx"/],
    ['name ew "y"', /"ew".*not supported/],
    ['name eq "x" AND', /ends too early/],
    ['name eq "x" OR', /ends too early/],
    ['AND name eq "x"', /AND has no expression on its left/],
    ['name eq "x" AND OR id eq "y"', /OR has no expression/],
    ['name "x"', /followed by a string, not an operator/],
    ["name", /has no operator/],
    ["name eq", /without a value/],
    ["name eq x", /double-quoted/],
    ["name eq 'x'", /double quotes/],
    ['name eq "x" id eq "y"', /missing AND\/OR/],
    ["()", /empty parentheses/],
    ['emails[type eq "work"]', /value-path/],
    ['name eq "x"\nAND id eq "y"', /control character U\+000A/],
    ['name eq "a\u0000"', /control character U\+0000/],
    ['name eq "\\q"', /invalid escape/],
    ['name eq "x" && id eq "y"', /unexpected text "&&/],
    ['1 eq "x"', /not an attribute name/],
  ])("%j", (filter, reason) => {
    expect(checkScimFilter(filter)).toMatch(reason);
  });

  it("rejects over-long filters", () => {
    const long = `name eq "${"x".repeat(MAX_FILTER_LENGTH)}"`;
    expect(checkScimFilter(long)).toMatch(/at most 2000/);
  });
});

describe("checkScimFilter in RFC 7644's dialect (IdentityIQ's filters)", () => {
  it.each([
    'displayableName ew "Users"',
    'urn:ietf:params:scim:schemas:sailpoint:1.0:User:location eq "Raleigh"',
    'location eq "Raleigh" and name.givenName sw "j" and name.familyName sw "s"',
  ])("accepts %s", (filter) => {
    expect(checkScimFilter(filter, RFC_7644_FILTERS)).toBeUndefined();
  });

  it("names no provider in its refusals", () => {
    for (const filter of ['name xx "y"', '1 eq "x"', 'name eq "x']) {
      const reason = checkScimFilter(filter, RFC_7644_FILTERS);
      expect(reason).toBeDefined();
      expect(reason).not.toMatch(/Okta/);
    }
    expect(checkScimFilter('name xx "y"', RFC_7644_FILTERS)).toMatch(/use eq, ne, co, sw, ew/);
  });
});

describe("builders quote values so user text stays one string literal", () => {
  it("JSON-quotes, escaping quotes and backslashes", () => {
    expect(scimString('Sales "Ops"')).toBe('"Sales \\"Ops\\""');
    expect(scimString("a\\b")).toBe('"a\\\\b"');
    expect(eqClause("externalValue", "x")).toBe('externalValue eq "x"');
    expect(swClause("name", "Lic")).toBe('name sw "Lic"');
    expect(coClause("name", 'a"b')).toBe('name co "a\\"b"');
  });

  it.each([
    'x" OR id pr "',
    '" OR "1" eq "1',
    'x") OR (id pr',
    "x\\",
    'x\\" OR id pr \\"',
    "Robert'); DROP TABLE",
  ])("keeps the injection attempt %j inside one literal", (attempt) => {
    const filter = `parent.externalId eq "0oafxqCAJWWGELFTYASJ" AND ${coClause("name", attempt)}`;
    expect(checkScimFilter(filter)).toBeUndefined();
    const clause = coClause("name", attempt);
    if (!attempt.includes("\\")) {
      // the library mangles backslashes (see maskStrings), so compare its AST only without them
      expect(scim.parse(clause)).toEqual({ op: "co", attrPath: "name", compValue: attempt });
    }
    expect(JSON.parse(clause.slice("name co ".length))).toBe(attempt);
  });

  it("joins present clauses with AND", () => {
    expect(scimAnd([])).toBeUndefined();
    expect(scimAnd([undefined, ""])).toBeUndefined();
    expect(scimAnd(['a eq "1"', undefined, 'b eq "2"'])).toBe('a eq "1" AND b eq "2"');
  });

  it("parenthesises a raw filter ANDed with clauses, once", () => {
    expect(withRawFilter([], 'a eq "1" OR b eq "2"')).toBe('a eq "1" OR b eq "2"');
    expect(withRawFilter(['c eq "3"'], 'a eq "1" OR b eq "2"')).toBe('c eq "3" AND (a eq "1" OR b eq "2")');
    expect(withRawFilter(['c eq "3"'], '(a eq "1" OR b eq "2")')).toBe('c eq "3" AND (a eq "1" OR b eq "2")');
    expect(withRawFilter(['c eq "3"'], '(a eq "1") OR (b eq "2")')).toBe(
      'c eq "3" AND ((a eq "1") OR (b eq "2"))',
    );
    expect(withRawFilter(['c eq "3"'], '(a eq ")(")')).toBe('c eq "3" AND (a eq ")(")');
    expect(withRawFilter(['c eq "3"'], undefined)).toBe('c eq "3"');
    expect(withRawFilter([], undefined)).toBeUndefined();
  });
});
