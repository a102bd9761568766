/**
 * Contract checks of a tool against its operation in the vendor's spec, generated from both rather than
 * listed by hand: which fields exist and which are required, enums, limits, the spec's example requests,
 * and the sandbox's answers against the spec's response schemas. Every difference a provider keeps is
 * passed in with its written reason (`Allowances`), so an unexplained one fails.
 */
import { z } from "zod";
import { type AnyOperation, parseRoute } from "../../src/core/operation.js";
import type { Spec, SpecOperation } from "./spec.js";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Differences a tool keeps from its operation, each with the reason written down. */
export interface Allowances {
  /** Tool fields the spec does not have (convenience fields turned into a filter, …) -> why. */
  extra?: Record<string, string>;
  /** Spec fields the tool does not offer -> why. */
  absent?: Record<string, string>;
  /** Fields the tool requires though the spec does not, or the reverse -> why. */
  required?: Record<string, string>;
  /** Fields whose enum the tool narrows or whose limits differ -> why. */
  narrower?: Record<string, string>;
  /** Fields whose JSON type differs (deep comparison only) -> why. */
  type?: Record<string, string>;
  /** Spec fields the tool names otherwise (an array body is `operations` by default) -> its name and why. */
  renamed?: Record<string, { as: string; why: string }>;
}

/** How far `requestMismatches` looks. */
export interface CompareOptions {
  /**
   * Also inside fields (object properties as `a.b`, array items as `a[]`, `oneOf`/`anyOf` variants of an
   * object merged), the JSON type of every field, and enums the tool adds where the spec has a plain type.
   * Nested fields are named by the tool's path. Opt-in per provider, with its allowances written.
   */
  deep?: boolean;
}

/** The tool's input as a client receives it (JSON Schema of the zod input). */
export function inputSchema(op: AnyOperation): Json {
  return z.toJSONSchema(op.input, { io: "input", unrepresentable: "any" }) as Json;
}

/**
 * The spec's inputs of an operation as one flat object, as the tools take them (DESIGN §2.3): path and
 * query parameters and the body's properties are top-level fields; an array body is the field `operations`.
 */
export function specInputs(
  spec: Spec,
  operation: SpecOperation,
): { properties: Record<string, Json>; required: Set<string> } {
  const properties: Record<string, Json> = {};
  const required = new Set<string>();
  for (const p of operation.parameters) {
    if (p.in !== "path" && p.in !== "query") continue;
    properties[p.name] = p.schema;
    if (p.required || p.in === "path") required.add(p.name);
  }
  const body = operation.requestBody?.schema;
  if (body) {
    const flat = flatten(spec, body);
    if (flat.type === "array") {
      properties.operations = flat;
      if (operation.requestBody?.required) required.add("operations");
    } else {
      for (const [name, schema] of Object.entries(flat.properties ?? {})) {
        if ((schema as Json).readOnly === true) continue;
        properties[name] = schema as Json;
      }
      for (const name of flat.required ?? []) if (properties[name]) required.add(name);
    }
  }
  return { properties, required };
}

/** An object schema with its `allOf` parts merged (the shape vendors build bodies with). */
function flatten(spec: Spec, schema: Json): Json & { properties?: Json; required?: string[] } {
  if (!Array.isArray(schema.allOf)) return schema;
  const out: Json & { properties: Json; required: string[] } = {
    type: "object",
    properties: {},
    required: [],
  };
  for (const part of schema.allOf as Json[]) {
    const flat = flatten(spec, part);
    Object.assign(out.properties, flat.properties ?? {});
    out.required.push(...((flat.required as string[] | undefined) ?? []));
  }
  for (const [key, value] of Object.entries(schema)) if (key !== "allOf") out[key] = value;
  return out;
}

const LIMITS = ["maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems"] as const;

/** The enum of a field's schema, looking through arrays (`items`) and nullable unions. */
function enumOf(schema: Json | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum.filter((v) => v !== null);
  if (isObject(schema.items)) return enumOf(schema.items);
  for (const key of ["anyOf", "oneOf"]) {
    const parts = schema[key];
    if (Array.isArray(parts)) {
      const found = parts.map((p) => enumOf(p as Json)).find((e) => e !== undefined);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Every difference between the tool's input and the spec's inputs that `allow` does not explain:
 * missing or extra fields, required-ness, enums, and limits where the spec sets them (and, `deep`, types
 * and nested fields).
 */
export function requestMismatches(
  spec: Spec,
  op: AnyOperation,
  allow: Allowances = {},
  options: CompareOptions = {},
): string[] {
  const operation = spec.find(op.route);
  if (!operation) return [`${op.route} is not an operation of the spec`];
  const tool = inputSchema(op);
  const toolProps = (tool.properties ?? {}) as Record<string, Json>;
  const toolRequired = new Set((tool.required as string[] | undefined) ?? []);
  const { properties, required } = specInputs(spec, operation);
  const out: string[] = [];
  const pathParams = parseRoute(op.route).params;
  const specPathNames = operation.parameters.filter((p) => p.in === "path").map((p) => p.name);
  const renamedTo = new Set(Object.values(allow.renamed ?? {}).map((r) => r.as));

  for (const [name, schema] of Object.entries(properties)) {
    // Path parameters are matched by position: the tools may name them as their docs do.
    const toolName = specPathNames.includes(name)
      ? pathParams[specPathNames.indexOf(name)]
      : (allow.renamed?.[name]?.as ?? name);
    if (toolName === undefined) continue;
    const mine = toolProps[toolName];
    if (!mine) {
      if (!allow.absent?.[name]) out.push(`${name}: in the spec, not offered by the tool`);
      continue;
    }
    if (required.has(name) !== toolRequired.has(toolName) && !allow.required?.[name]) {
      out.push(
        `${name}: ${required.has(name) ? "required" : "optional"} in the spec, ${toolRequired.has(toolName) ? "required" : "optional"} in the tool`,
      );
    }
    if (options.deep) {
      compareDeep(name, toolName, schema, mine, allow, out);
      continue;
    }
    const theirs = enumOf(schema);
    const ours = enumOf(mine);
    if (theirs && ours && !allow.narrower?.[name]) compareEnums(name, theirs, ours, out);
    compareLimits(name, schema, mine, allow, out);
  }
  const known = new Set([...Object.keys(properties), ...pathParams, ...renamedTo]);
  for (const name of Object.keys(toolProps)) {
    if (!known.has(name) && !allow.extra?.[name]) out.push(`${name}: offered by the tool, not in the spec`);
  }
  return out;
}

function compareEnums(name: string, theirs: unknown[], ours: unknown[], out: string[]): void {
  const missing = theirs.filter((v) => !ours.includes(v));
  const extra = ours.filter((v) => !theirs.includes(v));
  if (missing.length || extra.length) {
    out.push(
      `${name}: enum differs (spec only: ${JSON.stringify(missing)}, tool only: ${JSON.stringify(extra)})`,
    );
  }
}

function compareLimits(name: string, theirs: Json, mine: Json, allow: Allowances, out: string[]): void {
  for (const limit of LIMITS) {
    if (theirs[limit] === undefined || allow.narrower?.[name]) continue;
    if (mine[limit] !== theirs[limit])
      out.push(`${name}: ${limit} ${String(theirs[limit])} in the spec, ${String(mine[limit])} in the tool`);
  }
}

/** A field's schema seen through nullable unions and object variants. */
export interface FieldShape {
  types: Set<string>;
  enum?: unknown[];
  properties?: Record<string, Json>;
  required: Set<string>;
  items?: Json;
  limits: Json;
}

/** Types, enum, properties (required: what every object variant requires), items and limits of a field. */
export function fieldShape(schema: Json): FieldShape {
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const own: FieldShape = {
    types: new Set(types.map(String)),
    enum: Array.isArray(schema.enum) ? schema.enum.filter((v) => v !== null) : undefined,
    properties: isObject(schema.properties) ? (schema.properties as Record<string, Json>) : undefined,
    required: new Set((schema.required as string[] | undefined) ?? []),
    items: isObject(schema.items) ? schema.items : undefined,
    limits: Object.fromEntries(LIMITS.filter((l) => schema[l] !== undefined).map((l) => [l, schema[l]])),
  };
  const variants = [schema.anyOf, schema.oneOf].flatMap((v) => (Array.isArray(v) ? (v as Json[]) : []));
  const parts = variants.map(fieldShape).filter((p) => !(p.types.size === 1 && p.types.has("null")));
  if (variants.length > parts.length) own.types.add("null");
  for (const part of parts) {
    for (const t of part.types) own.types.add(t);
    if (part.enum) own.enum = [...(own.enum ?? []), ...part.enum];
    if (part.properties) own.properties = { ...own.properties, ...part.properties };
    own.items ??= part.items;
    Object.assign(own.limits, part.limits);
  }
  // A field is required in a union of objects only when every variant requires it.
  const objects = parts.filter((p) => p.properties);
  if (objects.length > 0 && !own.required.size) {
    own.required = new Set(
      [...(objects[0]?.required ?? [])].filter((n) => objects.every((p) => p.required.has(n))),
    );
  }
  return own;
}

const typesText = (types: Set<string>) =>
  [...types]
    .filter((t) => t !== "null")
    .sort()
    .join("|");

/** Types, enums, limits, and what lies inside objects and arrays, under the spec's `name` (`toolName` nested). */
function compareDeep(
  name: string,
  toolName: string,
  theirs: Json,
  mine: Json,
  allow: Allowances,
  out: string[],
): void {
  const spec = fieldShape(theirs);
  const tool = fieldShape(mine);
  const specTypes = typesText(spec.types);
  if (specTypes && specTypes !== typesText(tool.types) && !allow.type?.[name]) {
    out.push(`${name}: type ${specTypes} in the spec, ${typesText(tool.types) || "any"} in the tool`);
  }
  if (!allow.narrower?.[name]) {
    if (spec.enum && tool.enum) compareEnums(name, spec.enum, tool.enum, out);
    else if (tool.enum && specTypes)
      out.push(`${name}: the tool narrows the spec's ${specTypes} to the enum ${JSON.stringify(tool.enum)}`);
  }
  compareLimits(name, spec.limits, tool.limits, allow, out);
  if (spec.items && tool.items)
    compareDeep(`${toolName}[]`, `${toolName}[]`, spec.items, tool.items, allow, out);
  if (!spec.properties || !tool.properties) return;
  for (const [key, schema] of Object.entries(spec.properties)) {
    const path = `${toolName}.${key}`;
    const child = tool.properties[key];
    if (!child) {
      if (!allow.absent?.[path]) out.push(`${path}: in the spec, not offered by the tool`);
      continue;
    }
    if (spec.required.has(key) !== tool.required.has(key) && !allow.required?.[path]) {
      out.push(
        `${path}: ${spec.required.has(key) ? "required" : "optional"} in the spec, ${tool.required.has(key) ? "required" : "optional"} in the tool`,
      );
    }
    compareDeep(path, path, schema, child, allow, out);
  }
  for (const key of Object.keys(tool.properties)) {
    const path = `${toolName}.${key}`;
    if (!(key in spec.properties) && !allow.extra?.[path])
      out.push(`${path}: offered by the tool, not in the spec`);
  }
}

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
 * tried one parameter at a time on top of `pathValues`, with the fields and rules it names. Path parameters
 * are matched by position, as in `requestMismatches`.
 */
export function refusedParameterExamples(
  spec: Spec,
  op: AnyOperation,
  pathValues: Record<string, string>,
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
