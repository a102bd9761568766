/**
 * The Okta definitions as data: the operations in order, annotations consistent with the method, route
 * params as input keys, described inputs, and Okta's paging on every list.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseRoute } from "../../../src/core/operation.js";
import { SHARED_FIELDS } from "../../../src/mcp/instructions.js";
import { allOperations } from "../../../tools/index.js";
import { OKTA_TOOLS } from "../../fixtures/okta.js";

/** Field names that say what they hold. */
const SELF_EXPLAINING = new Set([
  "name",
  "description",
  "nameStartsWith",
  "nameContains",
  "status",
  "decision",
  "op",
  "sortBy",
  "sortOrder",
  "is_active",
  "userName",
  "userNameStartsWith",
  "granted_at",
  "granted_by",
]);

describe("the definitions as data", () => {
  it("has the Okta operations in order, with unique okta_ names", () => {
    const names = allOperations.filter((o) => o.provider === "okta").map((o) => o.name);
    expect(names).toEqual(OKTA_TOOLS);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^okta_[a-z_]+$/);
  });

  it("sets all four annotations as booleans, consistent with the method", () => {
    for (const o of allOperations.filter((op) => op.provider === "okta")) {
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof o.annotations[hint], `${o.name}.${hint}`).toBe("boolean");
      }
      const { method } = parseRoute(o.route);
      // The risk assessment is a POST that only reads.
      expect(o.annotations.readOnlyHint, o.name).toBe(
        method === "GET" || o.name === "okta_assess_access_risk",
      );
      expect(o.annotations.openWorldHint, o.name).toBe(true);
      if (o.annotations.readOnlyHint) expect(o.annotations.destructiveHint, o.name).toBe(false);
      if (o.annotations.destructiveHint) expect(o.guard, o.name).not.toBe("none");
      if (o.annotations.readOnlyHint) expect(o.guard, o.name).toBe("none");
    }
  });

  it("makes every route param an input key, and reads only GET routes (and the risk assessment, a check)", () => {
    for (const o of allOperations.filter((op) => op.provider === "okta")) {
      for (const param of parseRoute(o.route).params)
        expect(Object.keys(o.input.shape), o.name).toContain(param);
      if (o.guard !== "none") {
        for (const read of o.guard.reads) {
          const assessment = read.route === "POST /governance/api/v1/risk-rule-assessments" && read.check;
          expect(read.route.startsWith("GET /") || assessment, `${o.name} ${read.key}`).toBe(true);
        }
      }
    }
  });

  it("describes every input field, keeps descriptions short, and declares no confirmationToken", () => {
    for (const o of allOperations) {
      expect(o.description.length, o.name).toBeLessThan(300);
      expect(o.title.length, o.name).toBeLessThan(40);
      expect(Object.keys(o.input.shape), o.name).not.toContain("confirmationToken");
      const rendered = z.toJSONSchema(o.input, { io: "input" }) as {
        properties: Record<string, { description?: string }>;
      };
      expect(Object.keys(rendered.properties), o.name).toEqual(Object.keys(o.input.shape));
      for (const [key, field] of Object.entries(rendered.properties)) {
        // Ids and the shared fields are explained once, in the server's instructions.
        if (/Id$|_id$/.test(key) || SHARED_FIELDS.includes(key) || SELF_EXPLAINING.has(key)) continue;
        expect(field.description, `${o.name}.${key}`).toBeTruthy();
      }
    }
  });

  it("pages every list the Okta way", () => {
    for (const o of allOperations.filter((op) => op.provider === "okta")) {
      const isList = o.name.startsWith("okta_list_") || o.name.startsWith("okta_search_");
      expect(o.paging, o.name).toBe(isList ? "okta-cursor" : undefined);
    }
  });
});
