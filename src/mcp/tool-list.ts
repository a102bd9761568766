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
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema, type ListToolsResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { sdkRequestHandler, setRequestHandler } from "./register.js";

/**
 * Wraps the SDK's tools/list handler of `server` (call after every tool is registered). `prerendered`:
 * compacted entries by tool name, rendered from the same definitions with the same options. `decorate`
 * adapts the list to this client (it returns the list itself when there is nothing to add).
 */
export function compactToolList(
  server: McpServer,
  prerendered: Readonly<Record<string, Tool>> = {},
  decorate: (list: ListToolsResult) => ListToolsResult = (list) => list,
): void {
  const original = sdkRequestHandler(server, "tools/list");
  if (!original) throw new Error("compactToolList: no tools/list handler (register the tools first)");
  let cached: Promise<ListToolsResult> | undefined;
  setRequestHandler(server, ListToolsRequestSchema, (request, extra) => {
    cached ??= fromPrerendered(server, prerendered);
    cached ??= original(request, extra).then(
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
  return Promise.resolve({ tools: names.map((name) => prerendered[name] as Tool) });
}

export function compactTool(tool: Tool): Tool {
  const { execution, annotations, inputSchema, outputSchema, ...rest } = tool;
  const out: Tool = { ...rest, inputSchema: compactSchema(inputSchema) as Tool["inputSchema"] };
  if (outputSchema) out.outputSchema = compactSchema(outputSchema) as Tool["outputSchema"];
  if (annotations) {
    const { title, ...hints } = annotations;
    out.annotations = title === undefined || title === tool.title ? hints : annotations;
  }
  // Absent taskSupport means "forbidden": say it only when it is something else.
  if (execution && execution.taskSupport !== "forbidden") out.execution = execution;
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
