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
  _spec: Spec,
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
    const flat = flatten(body);
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

type FlatSchema = Json & { properties?: Json; required?: string[] };

/**
 * An object schema as one flat object, the shape vendors build bodies with: `allOf` parts merged with the
 * schema's own properties and required fields; `oneOf`/`anyOf` branches (a body with a discriminator)
 * as their union, a field required only when every branch requires it and an enum the union of the
 * branches' enums.
 */
export function flatten(schema: Json): FlatSchema {
  const branches = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (!Array.isArray(schema.allOf) && !Array.isArray(branches)) return schema;
  const out: Json & { properties: Json; required: string[] } = {
    type: "object",
    properties: {},
    required: [],
  };
  const merge = (flat: FlatSchema) => {
    for (const [name, sub] of Object.entries(flat.properties ?? {})) {
      out.properties[name] = unionOf(out.properties[name] as Json | undefined, sub as Json);
    }
  };
  for (const part of (schema.allOf as Json[] | undefined) ?? []) {
    const flat = flatten(part);
    merge(flat);
    out.required.push(...(flat.required ?? []));
  }
  if (Array.isArray(branches)) {
    const flats = branches.map(flatten);
    for (const flat of flats) merge(flat);
    const everywhere = flats.map((f) => new Set(f.required ?? []));
    const first = everywhere[0] ?? new Set<string>();
    out.required.push(...[...first].filter((name) => everywhere.every((set) => set.has(name))));
  }
  for (const [key, value] of Object.entries(schema)) {
    if (["allOf", "oneOf", "anyOf"].includes(key)) continue;
    if (key === "properties") merge({ properties: value as Json });
    else if (key === "required") out.required.push(...(value as string[]));
    else out[key] = value;
  }
  out.required = [...new Set(out.required)];
  return out;
}

/** One field's schema as two branches declare it: the first, with the enums of both. */
function unionOf(a: Json | undefined, b: Json): Json {
  if (!a) return b;
  const ea = enumOf(a);
  const eb = enumOf(b);
  if (!ea || !eb || !Array.isArray(a.enum)) return a;
  return { ...a, enum: [...new Set([...ea, ...eb])] };
}

const LIMITS = ["maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems"] as const;

/** The enum of a field's schema, looking through arrays (`items`) and nullable unions. */
export function enumOf(schema: Json | undefined): unknown[] | undefined {
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
 * missing or extra fields, required-ness, enums, and limits where the spec sets them, at the top level
 * and inside object fields and array items (named `scheduleSettings.expirationDate`, `entitlements[].values`);
 * `deep` also compares JSON types and merged oneOf/anyOf objects field by field.
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
    compareField(name, schema, mine, allow, out);
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

/**
 * The length a string's pattern fixes (`^[0-9A-Za-z]{20}$` is 20 characters, `^[0-9a-f]{8,32}$` 8 to 32):
 * an id pattern holds the spec's minLength and maxLength.
 */
function impliedLimit(schema: Json, limit: (typeof LIMITS)[number]): number | undefined {
  if (limit !== "minLength" && limit !== "maxLength") return undefined;
  const m =
    typeof schema.pattern === "string" ? /^\^\[[^\]]+\]\{(\d+)(?:,(\d+))?\}\$$/.exec(schema.pattern) : null;
  if (!m) return undefined;
  return Number(limit === "minLength" ? m[1] : (m[2] ?? m[1]));
}

/** True when every value of the tool's enum keeps the spec's string length limits. */
function enumWithin(values: unknown[] | undefined, theirs: Json): boolean {
  if (!values) return false;
  const min = typeof theirs.minLength === "number" ? theirs.minLength : 0;
  const max = typeof theirs.maxLength === "number" ? theirs.maxLength : Number.POSITIVE_INFINITY;
  return values.every((v) => typeof v === "string" && v.length >= min && v.length <= max);
}

/** The part of a tool's (possibly `anyOf`) schema that has `type`, for comparing like with like. */
function branchOf(schema: Json, type: unknown): Json | undefined {
  if (schema.type === type || type === undefined) return schema;
  const parts = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  return parts?.find((p) => p.type === type);
}

/** Enums and limits of one field, then its properties (objects) or its items (arrays), by path. */
function compareField(path: string, rawTheirs: Json, rawMine: Json, allow: Allowances, out: string[]): void {
  const theirs = flatten(rawTheirs);
  const mine = branchOf(rawMine, theirs.type) ?? rawMine;
  const theirEnum = enumOf(theirs);
  const myEnum = enumOf(mine);
  if (theirEnum && myEnum && !allow.narrower?.[path]) {
    const missing = theirEnum.filter((v) => !myEnum.includes(v));
    const extra = myEnum.filter((v) => !theirEnum.includes(v));
    if (missing.length || extra.length) {
      out.push(
        `${path}: enum differs (spec only: ${JSON.stringify(missing)}, tool only: ${JSON.stringify(extra)})`,
      );
    }
  }
  for (const limit of LIMITS) {
    if (theirs[limit] === undefined || allow.narrower?.[path]) continue;
    // JSON Schema reads minLength/maxLength on strings only: on an array the spec means its item count.
    const mineLimit =
      theirs.type === "array" && limit.endsWith("Length")
        ? mine[limit.replace("Length", "Items")]
        : (mine[limit] ?? impliedLimit(mine, limit));
    if (mineLimit !== theirs[limit] && !enumWithin(myEnum, theirs))
      out.push(`${path}: ${limit} ${String(theirs[limit])} in the spec, ${String(mineLimit)} in the tool`);
  }
  if (isObject(theirs.items) && isObject(mine.items)) {
    compareField(`${path}[]`, theirs.items, mine.items, allow, out);
    return;
  }
  const theirProps = isObject(theirs.properties) ? (theirs.properties as Record<string, Json>) : undefined;
  const myProps = isObject(mine.properties) ? (mine.properties as Record<string, Json>) : undefined;
  if (!theirProps || !myProps) return;
  const theirRequired = new Set(theirs.required ?? []);
  const myRequired = new Set((mine.required as string[] | undefined) ?? []);
  for (const [name, sub] of Object.entries(theirProps)) {
    if (sub.readOnly === true) continue;
    const at = `${path}.${name}`;
    const mineSub = myProps[name];
    if (!mineSub) {
      if (!allow.absent?.[at]) out.push(`${at}: in the spec, not offered by the tool`);
      continue;
    }
    if (theirRequired.has(name) !== myRequired.has(name) && !allow.required?.[at]) {
      out.push(
        `${at}: ${theirRequired.has(name) ? "required" : "optional"} in the spec, ${myRequired.has(name) ? "required" : "optional"} in the tool`,
      );
    }
    compareField(at, sub, mineSub, allow, out);
  }
  for (const name of Object.keys(myProps)) {
    const at = `${path}.${name}`;
    if (!theirProps[name] && !allow.extra?.[at]) out.push(`${at}: offered by the tool, not in the spec`);
  }
}
