/**
 * Contract cases generated from a spec operation: its example requests and parameter examples (which the
 * tool must accept), requests it forbids (which the tool must refuse naming the field), the smallest
 * requests it allows, and what an answer may carry (response schemas, undeclared fields).
 */
import type { z } from "zod";
import { type AnyOperation, parseRoute } from "../../src/core/operation.js";
import { enumOf, inputSchema, specInputs } from "./contract.js";
import type { Spec, SpecOperation } from "./spec.js";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Each example request of the spec that the tool's input refuses, with the fields and rules it names. */
export function refusedExamples(spec: Spec, op: AnyOperation, pathValues: Record<string, string>): string[] {
  const operation = spec.find(op.route);
  const out: string[] = [];
  for (const example of operation?.requestBody?.examples ?? []) {
    const body = example.value;
    const input = Array.isArray(body)
      ? { ...pathValues, operations: body }
      : { ...pathValues, ...(body as Json) };
    const parsed = op.input.safeParse(input);
    if (!parsed.success) {
      out.push(`${example.name}: ${issuesOf(parsed.error)}`);
    }
  }
  return out;
}

/**
 * The spec's schema for an answer of `status` to `route`, falling back to `default`, or undefined. With
 * `mediaType` (the answer's Content-Type), the schema the spec gives that type, when it gives one.
 */
export function responseSchema(
  spec: Spec,
  route: AnyOperation["route"],
  status: number,
  mediaType?: string,
): Json | undefined {
  const operation = spec.find(route);
  if (!operation) return undefined;
  const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in operation.responses);
  if (key === undefined) return undefined;
  const type = mediaType?.split(";")[0]?.trim().toLowerCase();
  return (type && operation.responseTypes[key]?.[type]) || operation.responses[key];
}

/**
 * Each example value the spec gives a parameter (query or path) the tool offers that its input refuses,
 * tried one parameter at a time on top of `pathValues` (the path's values, or a whole valid request for a
 * tool with required fields outside its path), with the fields and rules it names. Path parameters
 * are matched by position, as in `requestMismatches`.
 */
export function refusedParameterExamples(
  spec: Spec,
  op: AnyOperation,
  pathValues: Record<string, unknown>,
): string[] {
  const operation = spec.find(op.route);
  const out: string[] = [];
  for (const { parameter, field, value } of parameterExamples(spec, op)) {
    const parsed = op.input.safeParse({ ...pathValues, [field]: value });
    if (!parsed.success) out.push(`${parameter}=${JSON.stringify(value)}: ${issuesOf(parsed.error)}`);
  }
  return operation ? out : [`${op.route} is not an operation of the spec`];
}

/** The spec's parameter examples of the tool's operation, each with the tool field it goes to. */
export function parameterExamples(
  spec: Spec,
  op: AnyOperation,
): { parameter: string; field: string; value: unknown }[] {
  const operation = spec.find(op.route);
  if (!operation) return [];
  const fields = toolFieldNames(op, operation);
  const offered = offeredFields(op);
  return operation.parameters.flatMap((p) => {
    const field = fields.get(p.name);
    if (field === undefined || !offered.has(field)) return [];
    return p.examples.map((value) => ({ parameter: p.name, field, value }));
  });
}

/**
 * The tool's input fields. A spec field the tool does not offer is requestMismatches' business (with its
 * allowance); the generated requests leave it out.
 */
const offeredFields = (op: AnyOperation) => new Set(Object.keys((inputSchema(op).properties ?? {}) as Json));

/** Spec parameter name -> the tool's field: the same name, or for path parameters the one at its position. */
function toolFieldNames(op: AnyOperation, operation: SpecOperation): Map<string, string> {
  const pathParams = parseRoute(op.route).params;
  const specPath = operation.parameters.filter((p) => p.in === "path").map((p) => p.name);
  const out = new Map<string, string>();
  for (const p of operation.parameters) {
    if (p.in !== "path" && p.in !== "query") continue;
    const field = p.in === "path" ? pathParams[specPath.indexOf(p.name)] : p.name;
    if (field !== undefined) out.set(p.name, field);
  }
  return out;
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i: z.core.$ZodIssue) => `${i.path.join(".")}: ${i.message}`).join("; ");

/** One generated request: the field it is about, what it tests (a rule it breaks, or a value the spec accepts), and the input. */
export interface GeneratedRequest {
  field: string;
  why: string;
  input: Record<string, unknown>;
}

/**
 * Requests the spec forbids, generated from its inputs: each required field left out, each typed field
 * given a value of another type (a fraction for an integer, text for a number or boolean, a number for
 * text), each enum given a value outside it; with `unknownField`, a field the spec does not have. Each is
 * built on `valid` (a request the tool accepts), so it breaks one rule only.
 */
export function forbiddenRequests(
  spec: Spec,
  op: AnyOperation,
  valid: Record<string, unknown>,
  options: { unknownField?: string } = {},
): GeneratedRequest[] {
  const operation = spec.find(op.route);
  if (!operation) return [];
  const { properties, required } = specInputs(spec, operation);
  const fields = toolFieldNames(op, operation);
  const offered = offeredFields(op);
  const out: GeneratedRequest[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const field = fields.get(name) ?? name;
    if (!offered.has(field)) continue;
    if (required.has(name)) {
      const { [field]: _left, ...rest } = valid;
      out.push({ field, why: "required, left out", input: rest });
    }
    const wrong = wrongValue(schema);
    if (wrong) out.push({ field, why: wrong.why, input: { ...valid, [field]: wrong.value } });
  }
  if (options.unknownField) {
    const field = options.unknownField;
    out.push({ field, why: "not a field of the operation", input: { ...valid, [field]: "x" } });
  }
  return out;
}

/**
 * Requests the spec accepts, generated from its inputs, that a tool must accept too: each enum value, both
 * booleans, and for numbers the bounds the spec sets (or, where it sets none, 0 and 1000000: no cap the
 * spec does not have). Each is built on `valid`, changing one field.
 */
export function acceptedRequests(
  spec: Spec,
  op: AnyOperation,
  valid: Record<string, unknown>,
): GeneratedRequest[] {
  const operation = spec.find(op.route);
  if (!operation) return [];
  const { properties } = specInputs(spec, operation);
  const fields = toolFieldNames(op, operation);
  const offered = offeredFields(op);
  const out: GeneratedRequest[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const field = fields.get(name) ?? name;
    if (!offered.has(field)) continue;
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
    const values =
      enumOf(schema) ??
      (type === "boolean"
        ? [true, false]
        : type === "integer" || type === "number"
          ? [schema.minimum ?? 0, schema.maximum ?? 1_000_000]
          : []);
    for (const value of values) {
      out.push({
        field,
        why: `the spec accepts ${JSON.stringify(value)}`,
        input: { ...valid, [field]: value },
      });
    }
  }
  return out;
}

function wrongValue(schema: Json): { why: string; value: unknown } | undefined {
  const values = enumOf(schema);
  if (values) return { why: `not one of ${JSON.stringify(values)}`, value: "__not_in_the_enum__" };
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "integer":
      return { why: "an integer, given 1.5", value: 1.5 };
    case "number":
      return { why: "a number, given text", value: "ten" };
    case "boolean":
      return { why: "a boolean, given text", value: "yes" };
    case "string":
      return { why: "text, given a number", value: 42 };
    default:
      return undefined;
  }
}

/**
 * Where `data` carries a field its schema does not declare: the paths of keys outside an object schema's
 * `properties` (unless it allows more with `additionalProperties`), looking into declared properties and
 * array items. A spec's schemas are open by default; this finds what a sandbox invents or misplaces
 * (a flat key where the spec nests). Schemas built from `allOf`/`anyOf`/`oneOf` are not looked into.
 */
export function undeclaredFields(schema: Json | undefined, data: unknown, path = ""): string[] {
  if (!schema || ["allOf", "anyOf", "oneOf"].some((k) => k in schema)) return [];
  if (Array.isArray(data)) {
    return isObject(schema.items)
      ? data.flatMap((item, i) => undeclaredFields(schema.items as Json, item, `${path}/${i}`))
      : [];
  }
  if (!isObject(data) || !isObject(schema.properties)) return [];
  const declared = schema.properties as Record<string, Json>;
  const open = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
  return Object.entries(data).flatMap(([key, value]) => {
    const at = `${path}/${key}`;
    if (key in declared) return undeclaredFields(declared[key], value, at);
    return open ? [] : [at];
  });
}
