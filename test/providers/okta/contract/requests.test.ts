/**
 * Okta's tools against the Okta Governance API 3.2.0 spec, generated from both: for every tool whose
 * route is in the spec, its fields, required-ness, enums and limits equal the spec's (every kept
 * difference is written down in ALLOWANCES with its reason), every example request of the spec is
 * accepted, and what the spec forbids (a required field left out, a value outside an enum, a limit
 * passed) is refused naming the field.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { AnyOperation } from "../../../../src/core/operation.js";
import { allOperations } from "../../../../tools/index.js";
import { DANA, PROFILE, SALESFORCE } from "../../../fixtures/okta.js";
import { type Allowances, flatten, requestMismatches, specInputs } from "../../../helpers/contract.js";
import { refusedExamples } from "../../../helpers/contract-cases.js";
import { loadSpec, type Spec, specsMissing } from "../../../helpers/spec.js";
import { ALLOWANCES, PATH_SAMPLES, SAMPLE_INPUTS } from "./tables.js";

type Json = Record<string, unknown>;
const missing = specsMissing();

describe.skipIf(missing !== undefined)(
  `Okta's tools against the Governance API spec${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    const spec = missing ? (undefined as unknown as Spec) : loadSpec("okta");
    const inSpec = () => allOperations.filter((op) => op.provider === "okta" && spec.find(op.route));
    const tools = allOperations.filter((op) => op.provider === "okta").map((op) => op.name);

    it("checks every Okta tool whose route is an operation of the spec", () => {
      expect(inSpec().length).toBeGreaterThanOrEqual(25);
      for (const name of Object.keys(ALLOWANCES)) expect(tools, name).toContain(name);
    });

    it.each(tools.map((name) => ({ name })))(
      "$name: fields, required-ness, enums and limits are the spec's, or the difference is written down",
      ({ name }) => {
        const op = operation(name);
        if (!spec.find(op.route)) return;
        expect(requestMismatches(spec, op, ALLOWANCES[name])).toEqual([]);
      },
    );

    it.each(tools.map((name) => ({ name })))("$name: every written allowance is still needed", ({ name }) => {
      const op = operation(name);
      const allow = ALLOWANCES[name];
      if (!allow || !spec.find(op.route)) return;
      const raw = requestMismatches(spec, op);
      for (const [kind, table] of Object.entries(allow) as [keyof Allowances, Record<string, string>][]) {
        for (const [field, reason] of Object.entries(table)) {
          expect(reason.length, `${name} ${kind}.${field} needs a reason`).toBeGreaterThan(20);
          expect(
            raw.some((m) => m.startsWith(`${field}: `)),
            `${name}: the allowance ${kind}.${field} explains no difference`,
          ).toBe(true);
        }
      }
    });

    it.each(tools.map((name) => ({ name })))(
      "$name: every example request of the spec is accepted",
      ({ name }) => {
        const op = operation(name);
        const examples = spec.find(op.route)?.requestBody?.examples ?? [];
        if (examples.length === 0) return;
        expect(refusedExamples(spec, op, PATH_SAMPLES[name] ?? {})).toEqual([]);
      },
    );

    it.each(tools.map((name) => ({ name })))(
      "$name: what the spec forbids is refused, naming the field",
      ({ name }) => {
        const op = operation(name);
        const operationOfSpec = spec.find(op.route);
        if (!operationOfSpec) return;
        const base = baseline(spec, op);
        expect(parse(op, base), `${name}: the baseline itself`).toEqual([]);
        const { properties, required } = specInputs(spec, operationOfSpec);
        const allow = ALLOWANCES[name] ?? {};
        const cases = forbidden(properties, required, base, allow);
        expect(cases.length, `${name}: no forbidden request generated`).toBeGreaterThan(0);
        for (const c of cases) {
          const issues = parse(op, c.input);
          expect(
            issues.some((path) => c.field === "*" || path === c.field || path.startsWith(`${c.field}.`)),
            `${name}: ${c.label} must be refused naming ${c.field}; issues: ${JSON.stringify(issues)}`,
          ).toBe(true);
        }
      },
    );

    describe("okta_update_entitlement: the operations the spec allows", () => {
      const op = operation("okta_update_entitlement");
      const items = (): Json => {
        const body = spec.find(op.route)?.requestBody?.schema as Json;
        return flatten(body.items as Json);
      };

      it("accepts every op of the spec on /name and /description, but REMOVE of the name", () => {
        const opSchema = (items().properties as Record<string, Json>).op as Json;
        const ops = opSchema.enum as string[];
        expect(ops.sort()).toEqual(["ADD", "REMOVE", "REPLACE"]);
        for (const path of ["/name", "/description"]) {
          for (const o of ops) {
            const operation = {
              op: o,
              path,
              refType: "ENTITLEMENT",
              ...(o === "REMOVE" ? {} : { value: "Text" }),
            };
            const issues = parse(op, { entitlementId: PROFILE, operations: [operation] });
            // The spec's entitlement requires a name in every representation: it cannot be removed.
            if (o === "REMOVE" && path === "/name") expect(issues).toEqual(["operations.0.op"]);
            else expect(issues, `${o} ${path}`).toEqual([]);
          }
        }
      });

      it("accepts a REPLACE of a value with {} (no field of the spec's value is required)", () => {
        const value = (items().properties as Record<string, Json>).value as Json;
        expect(value.required ?? []).toEqual([]);
        const issues = parse(op, {
          entitlementId: PROFILE,
          operations: [
            { op: "REPLACE", path: "/values/entaWRdlVAm6zmXVaJN9", value: {}, refType: "ENTITLEMENT-VALUE" },
          ],
        });
        expect(issues).toEqual([]);
      });

      it("refuses a lowercase op, as the spec's enum does", () => {
        const issues = parse(op, {
          entitlementId: PROFILE,
          operations: [{ op: "replace", path: "/name", value: "Profile", refType: "ENTITLEMENT" }],
        });
        expect(issues).toEqual(["operations.0.op"]);
      });
    });

    it("okta_create_grant offers exactly the grant types the spec's grant-creatable maps", () => {
      const op = operation("okta_create_grant");
      const body = flatten(spec.find(op.route)?.requestBody?.schema as Json);
      const grantType = (body.properties as Record<string, Json>).grantType as Json;
      const creatable = (grantType.enum as string[]).sort();
      expect(creatable).toEqual(["CUSTOM", "ENTITLEMENT-BUNDLE", "POLICY"]);
      const issues = parse(op, {
        grantType: "ENTITLEMENT",
        target: { externalId: SALESFORCE, type: "APPLICATION" },
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        entitlements: [{ id: PROFILE, values: [{ id: "entaWRdlVAm6zmXVaJN9" }] }],
      });
      expect(issues).toContain("grantType");
    });

    function operation(name: string): AnyOperation {
      const found = allOperations.find((o) => o.name === name);
      if (!found) throw new Error(`no operation ${name}`);
      return found;
    }
  },
);

/** The issue paths of parsing `input` (dotted, array indexes kept), or [] when it is accepted. */
function parse(op: AnyOperation, input: Json): string[] {
  const result: z.ZodSafeParseResult<unknown> = op.input.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}

/** A request the tool must accept: the spec's first example with the sample path ids, or a sample. */
function baseline(spec: Spec, op: AnyOperation): Json {
  const sample = SAMPLE_INPUTS[op.name];
  if (sample) return structuredClone(sample);
  const example = spec.find(op.route)?.requestBody?.examples[0]?.value;
  const paths = PATH_SAMPLES[op.name] ?? {};
  if (Array.isArray(example)) return { ...paths, operations: structuredClone(example) };
  return { ...paths, ...(structuredClone(example) as Json) };
}

interface Forbidden {
  label: string;
  /** The field the refusal must name (dotted; array items as `.0`), or "*" for any. */
  field: string;
  input: Json;
}

/**
 * Requests the spec forbids, made from the baseline: each required field left out, each enum field set
 * to a value outside its enum, each string one character over its maxLength and each integer one over
 * its maximum (top-level fields, and the fields of objects the baseline holds). Differences the tool
 * keeps on purpose (the allowances) are not expected to be refused.
 */
function forbidden(
  properties: Record<string, Json>,
  required: Set<string>,
  base: Json,
  allow: Allowances,
): Forbidden[] {
  const out: Forbidden[] = [];
  const visit = (props: Record<string, Json>, req: Set<string>, at: string[], schemaPath: string) => {
    for (const [name, raw] of Object.entries(props)) {
      const schema = flatten(raw);
      const field = [...at, name];
      const key = schemaPath ? `${schemaPath}.${name}` : name;
      const present = get(base, field) !== undefined;
      if (allow.absent?.[key]) continue;
      if (req.has(name) && present && !allow.required?.[key]) {
        out.push({ label: `${key} left out`, field: field.join("."), input: set(base, field, undefined) });
      }
      if (allow.narrower?.[key] || allow.extra?.[key]) continue;
      if (Array.isArray(schema.enum) && (present || req.has(name))) {
        out.push({
          label: `${key} outside its enum`,
          field: field.join("."),
          input: set(base, field, "NOT_IN_THE_SPEC"),
        });
      }
      const itemEnum = (schema.items as Json | undefined)?.enum;
      if (schema.type === "array" && Array.isArray(itemEnum) && present) {
        out.push({
          label: `${key} item outside its enum`,
          field: field.join("."),
          input: set(base, field, ["NOT_IN_THE_SPEC"]),
        });
      }
      if (schema.type === "string" && typeof schema.maxLength === "number" && present) {
        const long = "a".repeat(schema.maxLength + 1);
        out.push({ label: `${key} over maxLength`, field: field.join("."), input: set(base, field, long) });
      }
      if (schema.type === "integer" && typeof schema.maximum === "number") {
        out.push({
          label: `${key} over maximum`,
          field: field.join("."),
          input: set(base, field, schema.maximum + 1),
        });
      }
      const value = get(base, field);
      if (schema.properties && value && typeof value === "object" && !Array.isArray(value)) {
        visit(schema.properties as Record<string, Json>, new Set(schema.required ?? []), field, key);
      }
      const items = schema.items ? flatten(schema.items as Json) : undefined;
      if (items?.properties && Array.isArray(value) && value.length > 0) {
        visit(
          items.properties as Record<string, Json>,
          new Set(items.required ?? []),
          [...field, "0"],
          `${key}[]`,
        );
      }
    }
  };
  visit(properties, required, [], "");
  // A required filter the tool also takes as convenience fields: with neither, the call is refused.
  if (required.has("filter") && allow.required?.filter) {
    const bare = Object.fromEntries(
      Object.entries(base).filter(([k]) => k !== "filter" && !allow.extra?.[k]),
    );
    out.push({ label: "filter and the fields that make it left out", field: "*", input: bare });
  }
  return out;
}

function get(obj: unknown, path: string[]): unknown {
  let node = obj;
  for (const part of path) node = node && typeof node === "object" ? (node as Json)[part] : undefined;
  return node;
}

/** A copy of `obj` with `path` set to `value` (undefined deletes it). */
function set(obj: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(obj);
  let node: Json = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Json;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
