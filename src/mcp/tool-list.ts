/**
 * The tools/list a client receives, made smaller without changing what any schema accepts: the SDK's
 * rendering repeats the draft URI in every schema, the title in the annotations and spells out defaults
 * (`additionalProperties: {}`, string `propertyNames`, `taskSupport: "forbidden"`). Every tool costs the
 * model context on every turn, so those bytes are removed once and the list is cached (it never changes
 * after registration).
 *
 * Rendering every tool's zod schema as JSON Schema is also the largest single cost of a cold start, so the
 * bundled bin carries the list rendered at build time (scripts/bundle.mjs) and serves those entries when
 * every registered tool has one; the tests check that the bin's list equals the live rendering.
 */
import { createHash } from "node:crypto";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  ListToolsRequestSchema,
  type ListToolsResult,
  type Tool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import { alreadyCleaned } from "./exit.js";
import { sdkRequestHandler, setRequestHandler } from "./register.js";

/**
 * Wraps the SDK's tools/list handler of `server` (call after every tool is registered). `prerendered`:
 * compacted entries by tool name, rendered from the same definitions with the same options. `decorate`
 * adapts the list to this client (it returns the list itself when there is nothing to add).
 * `definitionsLoaded` resolves once the operations' schemas can be read (tools/deferred.ts).
 */
export function compactToolList(
  server: McpServer,
  prerendered: Readonly<Record<string, Tool>> = {},
  decorate: (list: ListToolsResult) => ListToolsResult = (list) => list,
  definitionsLoaded: () => Promise<void> = async () => {},
): void {
  const original = sdkRequestHandler(server, "tools/list");
  if (!original) throw new Error("compactToolList: no tools/list handler (register the tools first)");
  let cached: Promise<ListToolsResult> | undefined;
  setRequestHandler(server, ListToolsRequestSchema, (request, extra) => {
    cached ??= fromPrerendered(server, prerendered);
    // A live rendering reads every tool's schemas: the bin's operations have them once loaded.
    cached ??= definitionsLoaded()
      .then(() => original(request, extra))
      .then(
        (result) => {
          const list = result as ListToolsResult;
          return { ...list, tools: list.tools.map(compactTool) };
        },
        (err: unknown) => {
          cached = undefined;
          throw err;
        },
      );
    return cached.then(decorate);
  });
}

function fromPrerendered(
  server: McpServer,
  prerendered: Readonly<Record<string, Tool>>,
): Promise<ListToolsResult> | undefined {
  const registered = (server as unknown as { _registeredTools: Record<string, { enabled: boolean }> })
    ._registeredTools;
  const names = Object.entries(registered)
    .filter(([, tool]) => tool.enabled)
    .map(([name]) => name);
  if (!names.every((name) => Object.hasOwn(prerendered, name))) return undefined;
  // The build rendered these entries through the exit already (scripts/bundle.mjs).
  return Promise.resolve(alreadyCleaned({ tools: names.map((name) => prerendered[name] as Tool) }));
}

export function compactTool(tool: Tool): Tool {
  const { execution, annotations, inputSchema, outputSchema, ...rest } = tool;
  const out: Tool = { ...rest, inputSchema: advertisedInput(inputSchema) };
  if (outputSchema) out.outputSchema = shallowOutput(outputSchema);
  const hints = annotations && advertisedHints(annotations, tool.title);
  if (hints && Object.keys(hints).length > 0) out.annotations = hints;
  // Absent taskSupport means "forbidden": say it only when it is something else.
  if (execution && execution.taskSupport !== "forbidden") out.execution = execution;
  return out;
}

/**
 * Constraints the server enforces with the full zod schema on every call (its error names the field and the
 * rule) and that the model needs no advance notice of: advertised schemas leave them out, so they accept a
 * superset of what the server does. Enums, consts, types and required fields stay.
 */
const ENFORCED_CONSTRAINTS = new Set([
  "pattern",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "format",
]);

/** The input schema the model sees: compacted, without the constraints the server enforces anyway. */
export function advertisedInput(schema: Tool["inputSchema"]): Tool["inputSchema"] {
  return withoutConstraints(compactSchema(schema)) as Tool["inputSchema"];
}

function withoutConstraints(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutConstraints);
  if (schema === null || typeof schema !== "object") return schema;
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (ENFORCED_CONSTRAINTS.has(key) && typeof value !== "object") continue;
    // Undeclared keys are refused by the server, which says which: the model never sends them anyway.
    if (key === "additionalProperties" && value === false) continue;
    // An enum or const says its type already.
    if (key === "type" && ("enum" in source || "const" in source)) continue;
    if (SCHEMA_MAPS.has(key) && value && typeof value === "object") {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, withoutConstraints(sub)]),
      );
    } else if (key === "enum" || key === "const" || key === "default" || key === "examples") {
      out[key] = value;
    } else {
      out[key] = withoutConstraints(value);
    }
  }
  return out;
}

/**
 * The output schema a client compiles a validator for: the top level as the server declares it (its fields,
 * which are required, whether others may appear), each field by its description and its one JSON type,
 * open below. The server still checks its results against the full zod schema; a deeper schema here only
 * costs every client a compile (a TypeScript SDK client compiles one Ajv validator per tool at listTools()).
 * So:
 * - a field that may be null or of several types is left untyped: a type union is the costliest check to
 *   compile and tells a client nothing it can rely on; an open object leaves out such a field unless it
 *   has a description (upstream objects are open and nearly all their fields nullable);
 * - the schema carries an `$id` made from its content, so a client whose validator caches by `$id` (the
 *   TypeScript SDK's Ajv does) compiles each shape once however many tools return it.
 */
export function shallowOutput(schema: NonNullable<Tool["outputSchema"]>): NonNullable<Tool["outputSchema"]> {
  const { properties, required, additionalProperties, description } = compactSchema(schema) as Record<
    string,
    unknown
  >;
  const out: NonNullable<Tool["outputSchema"]> = { type: "object" };
  if (description !== undefined) out.description = description;
  const closed = additionalProperties === false;
  if (properties && typeof properties === "object") {
    const fields = Object.entries(properties).map(([name, sub]) => [name, singleTypeOnly(sub)] as const);
    // A field with neither type nor description constrains nothing in an open object: it is left out.
    out.properties = Object.fromEntries(
      fields.filter(([, field]) => closed || Object.keys(field).length > 0),
    );
  }
  if (Array.isArray(required)) out.required = required;
  if (closed) out.additionalProperties = false;
  const id = `urn:entitlement-mcp:output:${createHash("sha256").update(JSON.stringify(out)).digest("hex").slice(0, 16)}`;
  return { $id: id, ...out };
}

/** A schema that accepts everything `schema` accepts: its description, and its type when it has only one. */
function singleTypeOnly(schema: unknown): Record<string, unknown> {
  if (schema === null || typeof schema !== "object") return {};
  const source = schema as Record<string, unknown>;
  const types = typesOf(source);
  const out: Record<string, unknown> = {};
  if (typeof source.description === "string") out.description = source.description;
  if (types?.length === 1) out.type = types[0];
  return out;
}

/** The JSON types a schema admits, or undefined when it may admit any. */
function typesOf(schema: Record<string, unknown>): string[] | undefined {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type as string[];
  const branches = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(branches)) return undefined;
  const types = new Set<string>();
  for (const branch of branches) {
    const of = branch && typeof branch === "object" ? typesOf(branch as Record<string, unknown>) : undefined;
    if (!of) return undefined;
    for (const type of of) types.add(type);
  }
  // An integer is a number: "number" alone admits both.
  if (types.has("number")) types.delete("integer");
  return [...types];
}

/**
 * The annotations the client needs: the hints that differ from the spec's defaults (readOnlyHint false,
 * destructiveHint true, idempotentHint false, openWorldHint true), and a title only when it differs from
 * the tool's. destructiveHint and idempotentHint mean something only when readOnlyHint is false, so a
 * read-only tool says readOnlyHint alone: the meaning is the same.
 */
export function advertisedHints(annotations: ToolAnnotations, toolTitle?: string): ToolAnnotations {
  const { title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint, ...other } = annotations;
  const out: ToolAnnotations = { ...other };
  if (title !== undefined && title !== toolTitle) out.title = title;
  if (readOnlyHint === true) out.readOnlyHint = true;
  else {
    if (destructiveHint === false) out.destructiveHint = false;
    if (idempotentHint === true) out.idempotentHint = true;
  }
  if (openWorldHint === false) out.openWorldHint = false;
  return out;
}

/** A copy of a JSON Schema without the keywords that restate a default. */
export function compactSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(compactSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$schema") continue;
    if (key === "additionalProperties" && isEmptyObject(value)) continue;
    if (key === "propertyNames" && isStringType(value)) continue;
    // Keys of these maps are names, and enum or const values are data: neither is a schema keyword.
    if (SCHEMA_MAPS.has(key) && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, compactSchema(sub)]));
    } else if (key === "enum" || key === "const" || key === "default" || key === "examples") {
      out[key] = value;
    } else {
      out[key] = compactSchema(value);
    }
  }
  return out;
}

const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions"]);

const isEmptyObject = (value: unknown) =>
  value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;

const isStringType = (value: unknown) =>
  value !== null &&
  typeof value === "object" &&
  Object.keys(value).length === 1 &&
  (value as { type?: unknown }).type === "string";
