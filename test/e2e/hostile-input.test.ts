/**
 * Hostile input, generated: 10,000 invalid or adversarial argument sets across every tool (wrong types,
 * huge strings and arrays, control and invisible Unicode, path and filter injection), each derived from
 * the input schema a real Client receives. Every one must come back as a tool error naming the field,
 * reach no upstream, and leave the server answering.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { toolInputSchema } from "../../src/mcp/registrar.js";
import { allOperations } from "../../tools/index.js";
import { call, text } from "../helpers/harness.js";
import { testServer } from "../helpers/test-server.js";

const RUNS = 10_000;

interface PropertySchema {
  type?: string | string[];
  anyOf?: PropertySchema[];
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maximum?: number;
  minimum?: number;
  enum?: unknown[];
  maxItems?: number;
  items?: PropertySchema;
}

const session = testServer({ perFile: true });
let tools: Tool[];

beforeAll(async () => {
  // The rules to break are the server's own (the full zod rendering): the advertised schemas leave out
  // the constraints it enforces anyway.
  const full = new Map(
    allOperations.map((op) => [op.name, z.toJSONSchema(toolInputSchema(op, false), { io: "input" })]),
  );
  tools = (await session.client.listTools()).tools.map((tool) => ({
    ...tool,
    inputSchema: (full.get(tool.name) as Tool["inputSchema"] | undefined) ?? tool.inputSchema,
  }));
});

const INVISIBLE = ["\u200B", "\u202E", "\u2066", "\uFEFF", "\u0000", "\u0007", String.fromCodePoint(0xe0041)];
const INJECTIONS = [
  "../",
  "..",
  "/",
  "?x=1",
  "#frag",
  "%2e%2e%2f",
  "a/../../api/v1/users",
  "x\r\nHost: evil",
  " ",
];

/** A value of the wrong JSON type for this property. */
function wrongType(schema: PropertySchema): fc.Arbitrary<unknown> {
  const declared = schema.anyOf ? schema.anyOf.flatMap((s) => s.type ?? []) : (schema.type ?? "string");
  const types = new Set(Array.isArray(declared) ? declared : [declared]);
  const options: fc.Arbitrary<unknown>[] = [];
  if (!types.has("string")) options.push(fc.string({ maxLength: 20 }));
  if (!types.has("integer") && !types.has("number")) options.push(fc.integer());
  if (!types.has("boolean")) options.push(fc.boolean());
  if (!types.has("object")) options.push(fc.constant({ $where: "1" }));
  if (!types.has("array")) options.push(fc.constant(["a", "b"]));
  options.push(fc.constant(null));
  return fc.oneof(...options);
}

/** Values that break this property's own rules (length, pattern, range, enum, size). */
function ruleBreaking(schema: PropertySchema): fc.Arbitrary<unknown> | undefined {
  const options: fc.Arbitrary<unknown>[] = [];
  if (schema.type === "string" && schema.maxLength !== undefined) {
    options.push(fc.constant("x".repeat(schema.maxLength + 1 + Math.min(schema.maxLength, 100_000))));
  }
  if (schema.type === "string" && schema.pattern !== undefined) {
    const re = new RegExp(schema.pattern);
    options.push(
      fc
        .tuple(fc.constantFrom(...INJECTIONS, ...INVISIBLE), fc.stringMatching(re))
        .map(([bad, good]) => `${good.slice(0, 5)}${bad}${good.slice(5)}`)
        .filter((v) => !re.test(v)),
    );
  }
  if (schema.type === "integer" || schema.type === "number") {
    if (schema.maximum !== undefined)
      options.push(fc.integer({ min: schema.maximum + 1, max: schema.maximum + 1e6 }));
    if (schema.minimum !== undefined)
      options.push(fc.integer({ min: schema.minimum - 1e6, max: schema.minimum - 1 }));
    if (schema.type === "integer") options.push(fc.constant(1.5));
  }
  if (schema.enum?.every((v) => typeof v === "string")) {
    options.push(
      fc
        .string({ minLength: 1, maxLength: 12 })
        .map((s) => `${s}${INVISIBLE[0]}`)
        .filter((v) => !schema.enum?.includes(v)),
    );
  }
  if (schema.type === "array" && schema.maxItems !== undefined && schema.maxItems <= 5000) {
    options.push(fc.constant(Array.from({ length: schema.maxItems + 1 }, () => ({}))));
  }
  return options.length ? fc.oneof(...options) : undefined;
}

/** One hostile call: a tool, the field it attacks, and the arguments. */
function hostileCall(): fc.Arbitrary<{ tool: Tool; field: string; args: Record<string, unknown> }> {
  return fc
    .constantFrom(...tools.filter((t) => Object.keys(t.inputSchema.properties ?? {}).length > 0))
    .chain((tool) => {
      const properties = tool.inputSchema.properties as Record<string, PropertySchema>;
      return fc.constantFrom(...Object.keys(properties)).chain((field) => {
        const schema = properties[field] ?? {};
        const broken = schema.anyOf ? undefined : ruleBreaking(schema);
        const value = broken ? fc.oneof(wrongType(schema), broken) : wrongType(schema);
        return value.map((v) => ({ tool, field, args: { [field]: v } }));
      });
    });
}

describe("hostile input", () => {
  it(`${RUNS} invalid calls: each a tool error naming the field, none reaching the upstream`, {
    timeout: 300_000,
  }, async () => {
    const before = session.sandbox.requests.length;
    await fc.assert(
      fc.asyncProperty(hostileCall(), async ({ tool, field, args }) => {
        const result = await call(session.client, tool.name, args);
        expect(result.isError, `${tool.name} ${JSON.stringify(args).slice(0, 200)}`).toBe(true);
        expect(text(result)).toContain(field);
      }),
      { numRuns: RUNS },
    );
    expect(session.sandbox.requests.length).toBe(before);
    const { tools: again } = await session.client.listTools();
    expect(again).toHaveLength(tools.length);
  });

  it("refuses a huge argument object before it reaches a handler", async () => {
    const before = session.sandbox.requests.length;
    const huge = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
    const result = await call(session.client, "okta_search_users", { q: "Dana", ...huge }).catch(
      (err: Error) => ({
        isError: true,
        content: [{ type: "text" as const, text: err.message }],
      }),
    );
    expect(result.isError).toBe(true);
    expect(session.sandbox.requests.length).toBe(before);
  });
});
