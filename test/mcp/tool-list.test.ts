/**
 * The compacted tools/list: only keywords that restate a default are removed, so every schema accepts
 * exactly what the SDK's rendering accepted (checked with a JSON Schema validator on the real tools).
 */
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compactSchema, compactTool } from "../../src/mcp/tool-list.js";
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

  it("keeps a distinct annotations title and drops a repeated one and the default taskSupport", () => {
    const base = { name: "t", title: "T", inputSchema: { type: "object" as const } };
    const hints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
    expect(
      compactTool({
        ...base,
        annotations: { title: "T", ...hints },
        execution: { taskSupport: "forbidden" },
      }),
    ).toEqual({ ...base, annotations: hints });
    expect(compactTool({ ...base, annotations: { title: "Other", ...hints } }).annotations?.title).toBe(
      "Other",
    );
    expect(compactTool({ ...base, execution: { taskSupport: "optional" } }).execution).toEqual({
      taskSupport: "optional",
    });
  });

  it("accepts and rejects exactly what the full rendering does, for every tool's input", () => {
    const ajv = new Ajv({ strict: false, allErrors: false });
    for (const op of allOperations) {
      const full = z.toJSONSchema(op.input, { io: "input", target: "draft-7" }) as Record<string, unknown>;
      const compact = compactSchema(full) as Record<string, unknown>;
      expect(JSON.stringify(compact).length, op.name).toBeLessThan(JSON.stringify(full).length);
      const { $schema: _, ...fullBody } = full;
      const validFull = ajv.compile(fullBody);
      const validCompact = ajv.compile(compact);
      // Arbitrary objects over the tool's own keys, so the samples reach its property schemas.
      const keys = Object.keys(op.input.shape);
      const sample = fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
      fc.assert(
        fc.property(sample, (value) => validFull(value) === validCompact(value)),
        { numRuns: 150, seed: 7 },
      );
    }
  });
});
