/**
 * Requests for Atomicwork's contract tests, generated from its spec: the requests it forbids (each field in
 * turn given a value of another type, one outside its enum, or left out when required) and the smallest it
 * allows; and a way to send a tool's input to the sandbox over HTTP exactly as the server maps it.
 */
import { type AnyOperation, parseRoute } from "../../../src/core/operation.js";
import { buildRequest } from "../../../src/mcp/execute.js";
import { SANDBOX_CREDENTIALS, type Sandbox } from "../../../src/sandbox/index.js";
import { type Allowances, fieldShape, specInputs } from "../../helpers/contract.js";
import type { Spec } from "../../helpers/spec.js";

type Json = Record<string, unknown>;
type Path = (string | number)[];

export const AW_HEADERS = {
  "X-Api-Key": SANDBOX_CREDENTIALS.atomicwork.apiKey,
  "X-Workspace-Id": SANDBOX_CREDENTIALS.atomicwork.workspaceId,
};

/** A request the spec forbids: one field broken by `rule`. */
export interface Forbidden {
  /** The field as errors name it: `provisioning_config.value`, `filters[0].operator`. */
  field: string;
  path: Path;
  rule: "required" | "integer" | "boolean" | "enum" | "date-time" | "object" | "array";
  /** Where the field travels. */
  where: "path" | "query" | "body";
  /** The tool does not describe the field (an `absent` allowance) and passes it to the upstream as given. */
  passedThrough: boolean;
  input: Json;
}

export const fieldName = (path: Path) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

/** The allowance key of a nested field: its tool path with array positions as `[]`. */
const allowanceKey = (path: Path) => fieldName(path).replace(/\[\d+\]/g, "[]");

function valueAt(input: unknown, path: Path): unknown {
  let node = input;
  for (const key of path) node = (node as Record<string | number, unknown> | undefined)?.[key];
  return node;
}

const DELETE = Symbol("delete");

/** A copy of `input` with the value at `path` replaced (or deleted). */
function withValue(input: Json, path: Path, value: unknown): Json {
  const copy = structuredClone(input);
  const parent = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === DELETE) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** Where each of the spec's inputs travels: path, query or body. */
function locations(spec: Spec, op: AnyOperation): Map<string, string> {
  const operation = spec.find(op.route);
  return new Map((operation?.parameters ?? []).map((p) => [p.name, p.in]));
}

/** The tool's name of a spec input (path parameters by position, renamed fields by their allowance). */
function toolNameOf(spec: Spec, op: AnyOperation, name: string, allow: Allowances): string {
  const operation = spec.find(op.route);
  const pathNames = (operation?.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
  const at = pathNames.indexOf(name);
  return at >= 0 ? (parseRoute(op.route).params[at] ?? name) : (allow.renamed?.[name]?.as ?? name);
}

/**
 * Every request the spec forbids that one change to `base` (a valid input) makes: a required field left
 * out, an integer sent as a string (as text that is no number, in a URL), a boolean as a string, a value
 * outside an enum, a date-time in another format, an object or array as text; inside objects and the
 * first item of arrays present in `base`. Fields with a written allowance on that point are skipped;
 * fields the tool passes through undescribed (`absent`) are marked, for the upstream to refuse.
 */
export function forbiddenRequests(spec: Spec, op: AnyOperation, base: Json, allow: Allowances): Forbidden[] {
  const operation = spec.find(op.route);
  if (!operation) return [];
  const { properties, required } = specInputs(spec, operation);
  const where = locations(spec, op);
  const out: Forbidden[] = [];
  let through = false;
  const add = (path: Path, rule: Forbidden["rule"], value: unknown) => {
    const top = where.get(String(path[0]));
    const at = top === "path" || top === "query" ? top : "body";
    const input = withValue(base, path, value);
    out.push({ field: fieldName(path), path, rule, where: at, passedThrough: through, input });
  };

  const visit = (path: Path, key: string, schema: Json, isRequired: boolean, inUrl: boolean) => {
    const outer = through;
    through ||= Boolean(allow.absent?.[key]);
    try {
      visitField(path, key, schema, isRequired, inUrl);
    } finally {
      through = outer;
    }
  };
  const visitField = (path: Path, key: string, schema: Json, isRequired: boolean, inUrl: boolean) => {
    const present = valueAt(base, path) !== undefined;
    if (isRequired && present && !allow.required?.[key]) add(path, "required", DELETE);
    if (allow.type?.[key] || allow.narrower?.[key]) return;
    const shape = fieldShape(schema);
    const types = [...shape.types].filter((t) => t !== "null");
    if (types.length !== 1) return;
    const value = valueAt(base, path);
    switch (types[0]) {
      case "integer":
        return add(path, "integer", inUrl ? "twelve" : "12");
      case "boolean":
        return add(path, "boolean", "true");
      case "string":
        if (shape.enum) add(path, "enum", "NOT_IN_THE_SPEC");
        else if (schema.format === "date-time") add(path, "date-time", "31/01/2026 17:00");
        return;
      case "object":
        add(path, "object", "text");
        if (value && typeof value === "object" && shape.properties) {
          for (const [child, sub] of Object.entries(shape.properties)) {
            const at = [...path, child];
            visit(at, allowanceKey(at), sub, shape.required.has(child), false);
          }
        }
        return;
      case "array":
        add(path, "array", "text");
        if (Array.isArray(value) && value.length > 0 && shape.items) {
          const at = [...path, 0];
          visit(at, allowanceKey(at), shape.items, false, false);
        }
        return;
    }
  };
  for (const [name, schema] of Object.entries(properties)) {
    const toolName = toolNameOf(spec, op, name, allow);
    const inUrl = where.get(name) === "path" || where.get(name) === "query";
    visit([toolName], name, schema, required.has(name), inUrl);
  }
  return out;
}

/**
 * `base` cut down to what the spec requires (and what the tool requires by a written allowance):
 * nested objects always; top-level fields too unless `keepTopLevel` (then the nested cuts are what is
 * tried, e.g. `provisioning_config.value` as `{}`).
 */
export function minimalRequest(
  spec: Spec,
  op: AnyOperation,
  base: Json,
  allow: Allowances,
  keepTopLevel: boolean,
): Json {
  const operation = spec.find(op.route);
  if (!operation) return base;
  const { properties, required } = specInputs(spec, operation);
  const cut = (value: unknown, schema: Json, path: Path): unknown => {
    const shape = fieldShape(schema);
    if (Array.isArray(value) && shape.items) {
      const items = shape.items;
      return value.map((item, i) => cut(item, items, [...path, i]));
    }
    if (!value || typeof value !== "object" || !shape.properties) return value;
    const out: Json = {};
    for (const [key, child] of Object.entries(value as Json)) {
      const at = [...path, key];
      const sub = shape.properties[key];
      if (!sub || !(shape.required.has(key) || allow.required?.[allowanceKey(at)])) continue;
      out[key] = cut(child, sub, at);
    }
    return out;
  };
  const out: Json = {};
  for (const [name, schema] of Object.entries(properties)) {
    const toolName = toolNameOf(spec, op, name, allow);
    if (base[toolName] === undefined) continue;
    if (!keepTopLevel && !required.has(name) && !allow.required?.[name]) continue;
    out[toolName] = cut(base[toolName], schema, [toolName]);
  }
  return out;
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Sends a tool's input to the sandbox as the server maps it (path, query, JSON body), over real HTTP. */
export async function send(
  sandbox: Sandbox,
  op: AnyOperation,
  input: Json,
  headers: Record<string, string> = AW_HEADERS,
): Promise<Answer> {
  const parts = buildRequest(op, input);
  const { method, path } = parseRoute(op.route);
  const url = new URL(
    sandbox.url + path.replace(/\{([^}]+)\}/g, (_, key: string) => encodeURIComponent(parts.path[key] ?? "")),
  );
  for (const [key, value] of Object.entries(parts.query)) {
    if (value !== undefined)
      url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return sendRaw(url.toString(), method, parts.body, headers);
}

/** One request to the sandbox; `body` undefined sends none. */
export async function sendRaw(
  url: string,
  method: string,
  body: unknown,
  headers: Record<string, string> = AW_HEADERS,
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: {
      Accept: "application/json",
      ...headers,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
