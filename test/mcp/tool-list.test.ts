/**
 * The compacted tools/list: keywords that restate a default are removed, and the advertised input schemas
 * leave out constraints the server enforces with the full zod schema, so they accept a superset of what the
 * server does (checked with a JSON Schema validator on the real tools), and the server's refusal names the
 * field and the rule.
 */

import { getParseErrorMessage } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compactSchema, compactTool, shallowOutput } from "../../src/mcp/tool-list.js";
import { allOperations } from "../../tools/index.js";

describe("compactSchema", () => {
  it("drops the draft URI, empty additionalProperties and string propertyNames, nothing else", () => {
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: {
        $schema: { type: "string", description: "a field that happens to be called $schema" },
        meta: { type: "object", propertyNames: { type: "string" }, additionalProperties: {} },
        closed: {
          type: "object",
          additionalProperties: false,
          propertyNames: { type: "string", maxLength: 3 },
        },
        kind: { enum: [{ $schema: "data, not a keyword" }] },
      },
      required: ["$schema"],
    };
    expect(compactSchema(schema)).toEqual({
      type: "object",
      properties: {
        $schema: { type: "string", description: "a field that happens to be called $schema" },
        meta: { type: "object" },
        closed: {
          type: "object",
          additionalProperties: false,
          propertyNames: { type: "string", maxLength: 3 },
        },
        kind: { enum: [{ $schema: "data, not a keyword" }] },
      },
      required: ["$schema"],
    });
  });

  it("keeps a distinct annotations title, sends only non-default hints and drops the default taskSupport", () => {
    const base = { name: "t", title: "T", inputSchema: { type: "object" as const } };
    const read = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
    expect(
      compactTool({ ...base, annotations: { title: "T", ...read }, execution: { taskSupport: "forbidden" } }),
    ).toEqual({ ...base, annotations: { readOnlyHint: true } });
    const create = {
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    };
    expect(compactTool({ ...base, annotations: create }).annotations).toEqual({ destructiveHint: false });
    const destructive = {
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    };
    expect(compactTool({ ...base, annotations: destructive })).not.toHaveProperty("annotations");
    expect(compactTool({ ...base, annotations: { title: "Other", ...read } }).annotations?.title).toBe(
      "Other",
    );
    expect(compactTool({ ...base, execution: { taskSupport: "optional" } }).execution).toEqual({
      taskSupport: "optional",
    });
  });

  it("advertises a superset of what the server accepts; what it refuses gets an error naming field and rule", () => {
    const ajv = new Ajv({ strict: false, allErrors: false });
    const neverAccepted: string[] = [];
    for (const op of allOperations) {
      const full = z.toJSONSchema(op.input, { io: "input", target: "draft-7" }) as Tool["inputSchema"];
      const advertised = compactTool({ name: op.name, inputSchema: full }).inputSchema;
      expect(JSON.stringify(advertised).length, op.name).toBeLessThan(JSON.stringify(full).length);
      const validAdvertised = ajv.compile(advertised);
      // Inputs the server accepts (drawn from the full schema) and arbitrary objects over the tool's keys.
      const keys = Object.keys(op.input.shape);
      const sample = fc.oneof(
        arbitraryFor(full),
        fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
      );
      let accepted = 0;
      fc.assert(
        fc.property(sample, (value) => {
          const parsed = op.input.safeParse(value);
          if (parsed.success) {
            accepted += 1;
            return validAdvertised(value) === true;
          }
          // The server's refusal, as the SDK words it: every issue names its field and the rule.
          const message = getParseErrorMessage(parsed.error);
          return parsed.error.issues.every(
            (issue: z.core.$ZodIssue) =>
              issue.path.length > 0 && issue.message.length > 0 && message.includes(issue.message),
          );
        }),
        { numRuns: 150, seed: 7 },
      );
      if (accepted === 0) neverAccepted.push(op.name);
    }
    // Cross-field refinements (a body id equal to the path id, appId or filter) are rarely drawn at random.
    expect(neverAccepted.length, neverAccepted.join(", ")).toBeLessThanOrEqual(allOperations.length / 5);
  });
});

describe("shallowOutput", () => {
  const render = (schema: z.ZodType) =>
    z.toJSONSchema(schema, { io: "output", target: "draft-7" }) as NonNullable<Tool["outputSchema"]>;
  const entitlement = z.looseObject({
    id: z.string(),
    name: z.string().nullable().describe("as the app calls it"),
    values: z.array(z.looseObject({ id: z.string() })),
  });

  it("keeps the top level: fields, required, descriptions and single types; unions and everything below go", () => {
    const withParent = entitlement.extend({ parent: z.string().nullish() });
    expect(shallowOutput(render(withParent))).toEqual({
      $id: expect.stringMatching(/^urn:entitlement-mcp:output:[0-9a-f]{16}$/),
      type: "object",
      properties: {
        id: { type: "string" },
        name: { description: "as the app calls it" },
        values: { type: "array" },
      },
      required: ["id", "name", "values"],
    });
    // A closed object keeps every field, typed or not: leaving one out would refuse it.
    const closed = shallowOutput(render(z.strictObject({ next: z.string().nullish() })));
    expect(closed.properties).toEqual({ next: {} });
  });

  it("names equal shapes with one $id, so a client that caches by $id compiles each shape once", () => {
    const same = shallowOutput(render(entitlement.extend({})));
    expect(same.$id).toBe(shallowOutput(render(entitlement)).$id);
    const other = shallowOutput(render(entitlement.extend({ status: z.string() })));
    expect(other.$id).not.toBe(same.$id);
  });

  it("accepts whatever a tool's full output schema accepts", () => {
    const ajv = new Ajv({ strict: false });
    let accepted = 0;
    for (const op of allOperations) {
      const full = render(op.output);
      const shallow = shallowOutput(full);
      const validate = ajv.getSchema(String(shallow.$id)) ?? ajv.compile(shallow);
      fc.assert(
        fc.property(arbitraryFor(full), (value) => {
          if (!op.output.safeParse(value).success) return true;
          accepted += 1;
          return validate(value) === true;
        }),
        { numRuns: 30, seed: 7 },
      );
    }
    // Most drawn values are results the full schema accepts: the check is not vacuous.
    expect(accepted).toBeGreaterThan(allOperations.length * 15);
  });
});

/** Values drawn from a JSON Schema (the subset zod renders): mostly what the schema accepts. */
function arbitraryFor(schema: unknown): fc.Arbitrary<unknown> {
  const s = (schema ?? {}) as Record<string, unknown>;
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as unknown[]).map(arbitraryFor));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "string": {
      const min = (s.minLength as number | undefined) ?? 0;
      const max = Math.min((s.maxLength as number | undefined) ?? 40, min + 40);
      if (typeof s.pattern === "string") {
        return fc
          .stringMatching(new RegExp(s.pattern, "u"))
          .filter((x) => x.length >= min && x.length <= ((s.maxLength as number | undefined) ?? Infinity));
      }
      return fc.string({ minLength: min, maxLength: max });
    }
    case "integer":
    case "number":
      return fc.integer({
        min: Math.max((s.minimum as number | undefined) ?? -1000, -1e9),
        max: Math.min((s.maximum as number | undefined) ?? 1000, 1e9),
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const min = (s.minItems as number | undefined) ?? 0;
      return fc.array(arbitraryFor(s.items), { minLength: min, maxLength: Math.max(min, 3) });
    }
    case "object": {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = (s.required ?? []) as string[];
      const model = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, arbitraryFor(v)]));
      return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
