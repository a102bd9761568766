/**
 * The vendors' published API specifications, read for contract tests: where they are, their operations
 * (path, method, parameters, request body, responses, examples) with every `$ref` followed, and JSON Schema
 * validation of values against their schemas. The files are the vendors' and are never copied into the
 * project: they are read from ../shared/specs (or ENTITLEMENT_MCP_SPECS_DIR); where that folder is absent,
 * `specsMissing` says why, and the contract suites are reported as skipped with that reason.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import type { HttpMethod, Provider, Route } from "../../src/core/operation.js";
import { ROOT } from "./harness.js";

export const SPECS_DIR = process.env.ENTITLEMENT_MCP_SPECS_DIR ?? join(ROOT, "..", "shared", "specs");

/** Each provider's specification, and the prefix its paths carry before the tools' routes. */
export const SPEC_FILES: Record<Provider, { file: string; basePath: string }> = {
  okta: { file: "okta-governance-api-3.2.0.yaml", basePath: "" },
  atomicwork: { file: "atomicwork-iga-openapi-extract.yaml", basePath: "" },
  "sailpoint-iiq": { file: "sailpoint-iiq-scim-8.3.yaml", basePath: "" },
};

/** Why the specifications cannot be read here, or undefined when they can. */
export function specsMissing(): string | undefined {
  const missing = Object.values(SPEC_FILES).filter(({ file }) => !existsSync(join(SPECS_DIR, file)));
  if (missing.length === 0) return undefined;
  return `the vendors' specifications are not in ${SPECS_DIR} (set ENTITLEMENT_MCP_SPECS_DIR): ${missing.map((m) => m.file).join(", ")}`;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

export interface SpecParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Json;
  description?: string;
}

export interface SpecOperation {
  method: HttpMethod;
  /** The path as the tools' routes write it (the spec's base path removed). */
  path: string;
  operationId?: string;
  parameters: SpecParameter[];
  requestBody?: { required: boolean; schema: Json; examples: { name: string; value: unknown }[] };
  /** Status code (or "default") -> the JSON schema of its body, when it has one. */
  responses: Record<string, Json | undefined>;
}

const METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** `{anything}` -> `{}`: the tools and the vendors name path parameters differently at times. */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, "{}");

export class Spec {
  readonly doc: Json;
  readonly openapi: string;
  private readonly ajv: Ajv;
  private readonly validators = new Map<Json, ValidateFunction>();

  constructor(
    readonly provider: Provider,
    text: string,
    private readonly basePath = "",
  ) {
    this.doc = parse(text, { maxAliasCount: -1 }) as Json;
    this.openapi = String(this.doc.openapi ?? "");
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; 3.0 schemas are close to draft-07 once `nullable` is read.
    this.ajv = this.openapi.startsWith("3.1")
      ? new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
      : new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.ajv as unknown as Parameters<typeof addFormats.default>[0]);
  }

  /** The value a `$ref` points at (`#/components/schemas/x`). */
  ref(ref: string): unknown {
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are followed: ${ref}`);
    let node: unknown = this.doc;
    for (const part of ref.slice(2).split("/")) {
      const key = decodeURIComponent(part.replace(/~1/g, "/").replace(/~0/g, "~"));
      node = isObject(node) ? node[key] : undefined;
    }
    if (node === undefined) throw new Error(`$ref not found: ${ref}`);
    return node;
  }

  /** `value` with its own `$ref` followed (not its children's). */
  deref<T = Json>(value: unknown): T {
    let node = value;
    for (let i = 0; i < 20 && isObject(node) && typeof node.$ref === "string"; i += 1)
      node = this.ref(node.$ref);
    return node as T;
  }

  /** A schema with every `$ref` inlined (cycles cut at depth 12) and OpenAPI 3.0's `nullable` as JSON Schema. */
  schema(value: unknown, depth = 0): Json {
    if (depth > 12) return {};
    const node = this.deref(value);
    if (!isObject(node)) return {};
    const out: Json = {};
    for (const [key, child] of Object.entries(node)) {
      if (key === "example" || key === "examples" || key === "xml" || key === "discriminator") continue;
      if (key === "properties" && isObject(child)) {
        out.properties = Object.fromEntries(
          Object.entries(child).map(([name, sub]) => [name, this.schema(sub, depth + 1)]),
        );
      } else if (["items", "additionalProperties", "not"].includes(key) && isObject(child)) {
        out[key] = this.schema(child, depth + 1);
      } else if (["allOf", "anyOf", "oneOf"].includes(key) && Array.isArray(child)) {
        out[key] = child.map((sub) => this.schema(sub, depth + 1));
      } else {
        out[key] = child;
      }
    }
    if (out.nullable === true) {
      delete out.nullable;
      if (typeof out.type === "string") out.type = [out.type, "null"];
      else if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      else return { anyOf: [out, { type: "null" }] };
    }
    return out;
  }

  /** Every operation of the spec, in document order; read once, so schemas (and their validators) are reused. */
  operations(): SpecOperation[] {
    this.parsed ??= this.readOperations();
    return this.parsed;
  }

  private parsed: SpecOperation[] | undefined;

  private readOperations(): SpecOperation[] {
    const out: SpecOperation[] = [];
    const paths = isObject(this.doc.paths) ? this.doc.paths : {};
    for (const [rawPath, rawItem] of Object.entries(paths)) {
      const item = this.deref(rawItem);
      const shared = Array.isArray(item.parameters) ? item.parameters : [];
      const path =
        this.basePath && rawPath.startsWith(this.basePath) ? rawPath.slice(this.basePath.length) : rawPath;
      for (const method of METHODS) {
        const op = item[method.toLowerCase()];
        if (!isObject(op)) continue;
        const own = Array.isArray(op.parameters) ? op.parameters : [];
        const byKey = new Map<string, SpecParameter>();
        for (const raw of [...shared, ...own]) {
          const p = this.deref(raw);
          byKey.set(`${p.in}:${p.name}`, {
            name: String(p.name),
            in: p.in as SpecParameter["in"],
            required: p.required === true,
            schema: this.schema(p.schema),
            description: typeof p.description === "string" ? p.description : undefined,
          });
        }
        out.push({
          method,
          path,
          operationId: typeof op.operationId === "string" ? op.operationId : undefined,
          parameters: [...byKey.values()],
          requestBody: this.requestBody(op.requestBody),
          responses: this.responses(op.responses),
        });
      }
    }
    return out;
  }

  /** The operation a tool's route names, matching path parameters by position. */
  find(route: Route): SpecOperation | undefined {
    const space = route.indexOf(" ");
    const method = route.slice(0, space);
    const path = shape(route.slice(space + 1));
    return this.operations().find((op) => op.method === method && shape(op.path) === path);
  }

  /** Validates `data` against `schema` (as `schema()` returns it); the errors, or [] when it is valid. */
  validate(schema: Json, data: unknown): string[] {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(schema, validate);
    }
    if (validate(data)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}`);
  }

  private requestBody(raw: unknown): SpecOperation["requestBody"] {
    if (raw === undefined) return undefined;
    const body = this.deref(raw);
    const content = isObject(body.content) ? body.content : {};
    const json = this.deref(
      content["application/json"] ?? content["application/scim+json"] ?? Object.values(content)[0],
    );
    if (!isObject(json)) return undefined;
    const examples: { name: string; value: unknown }[] = [];
    if (json.example !== undefined) examples.push({ name: "example", value: json.example });
    if (isObject(json.examples)) {
      for (const [name, ex] of Object.entries(json.examples)) {
        const example = this.deref(ex);
        if (example.value !== undefined) examples.push({ name, value: example.value });
      }
    }
    return { required: body.required === true, schema: this.schema(json.schema), examples };
  }

  private responses(raw: unknown): SpecOperation["responses"] {
    const out: SpecOperation["responses"] = {};
    if (!isObject(raw)) return out;
    for (const [status, value] of Object.entries(raw)) {
      const response = this.deref(value);
      const content = isObject(response.content) ? response.content : undefined;
      const json = content
        ? this.deref(
            content["application/json"] ?? content["application/scim+json"] ?? Object.values(content)[0],
          )
        : undefined;
      out[status] = isObject(json) && json.schema !== undefined ? this.schema(json.schema) : undefined;
    }
    return out;
  }
}

const loaded = new Map<Provider, Spec>();

/** The provider's specification, parsed once per test process. */
export function loadSpec(provider: Provider): Spec {
  let spec = loaded.get(provider);
  if (!spec) {
    const { file, basePath } = SPEC_FILES[provider];
    spec = new Spec(provider, readFileSync(join(SPECS_DIR, file), "utf8"), basePath);
    loaded.set(provider, spec);
  }
  return spec;
}
