/**
 * Request bodies checked the way Okta checks them: every field at once, one cause per field (location,
 * reason, domain), then a single 400 naming them all. Also the two shapes several routes share: an
 * entitlement value, and entitlement references validated against one app.
 */
import type { SandboxRequest } from "../kit/http.js";
import { isObject, type Json } from "../kit/json.js";
import type { EntitlementRef } from "./data.js";
import { type Cause, E } from "./errors.js";
import type { AppRec, OktaStore } from "./store.js";

const isString = (value: unknown): value is string => typeof value === "string";
const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";

/** "/values/0/name" -> "values[0].name" for messages. */
export function human(pointer: string): string {
  return pointer
    .slice(1)
    .split("/")
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join("");
}

/** The body as JSON, or 400 E0000003. */
export function json(req: SandboxRequest): unknown {
  if (req.body.trim() === "") throw E.malformed();
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    throw E.malformed();
  }
}

/** The body as a JSON object, or a 400 naming `what` (e.g. "Entitlement"). */
export function bodyObject(req: SandboxRequest, what: string): Json {
  const body = json(req);
  if (!isObject(body)) {
    throw E.validation(what, [
      {
        errorSummary: "The request body must be a JSON object",
        reason: "INVALID_DATA_TYPE",
        location: "/",
        locationType: "body",
      },
    ]);
  }
  return body;
}

/** Collects body validation causes, Okta style (one cause per field). */
export class Causes {
  readonly list: Cause[] = [];
  constructor(private readonly domain: string) {}

  add(location: string, errorSummary: string, reason: string): void {
    this.list.push({ errorSummary, reason, location, locationType: "body", domain: this.domain });
  }

  /**
   * The field at `at/key` when present and of the right kind. A missing field is a cause only when
   * required; a present one of the wrong kind always is ("<field> <mustBe>").
   */
  private field<T>(
    obj: Json,
    key: string,
    at: string,
    required: boolean,
    is: (value: unknown) => value is T,
    mustBe: string,
    reason = "INVALID_DATA_TYPE",
  ): { value: T; loc: string } | undefined {
    const value = obj[key];
    const loc = `${at}/${key}`;
    if (value === undefined || value === null) {
      if (required) this.add(loc, `${human(loc)} is required`, "REQUIRED_PROPERTY_MISSING");
      return undefined;
    }
    if (!is(value)) {
      this.add(loc, `${human(loc)} ${mustBe}`, reason);
      return undefined;
    }
    return { value, loc };
  }

  string(
    obj: Json,
    key: string,
    at: string,
    opts: { required?: boolean; min?: number; max?: number },
  ): string | undefined {
    const f = this.field(obj, key, at, opts.required === true, isString, "must be a string");
    if (!f) return undefined;
    const min = opts.min ?? 1;
    const max = opts.max ?? 255;
    if (f.value.length < min || f.value.length > max) {
      this.add(f.loc, `${human(f.loc)} must be ${min} to ${max} characters long`, "STRING_LENGTH_INVALID");
      return undefined;
    }
    return f.value;
  }

  boolean(obj: Json, key: string, at: string, required: boolean): boolean | undefined {
    return this.field(obj, key, at, required, isBoolean, "must be true or false")?.value;
  }

  oneOf<T extends string>(
    obj: Json,
    key: string,
    at: string,
    allowed: readonly T[],
    required: boolean,
  ): T | undefined {
    const isAllowed = (value: unknown): value is T =>
      typeof value === "string" && (allowed as readonly string[]).includes(value);
    return this.field(
      obj,
      key,
      at,
      required,
      isAllowed,
      `must be one of ${allowed.join(", ")}`,
      "INVALID_ENUM_VALUE",
    )?.value;
  }

  object(obj: Json, key: string, at: string, required: boolean): Json | undefined {
    return this.field(obj, key, at, required, isObject, "must be an object")?.value;
  }

  array(
    obj: Json,
    key: string,
    at: string,
    opts: { required: boolean; max?: number },
  ): unknown[] | undefined {
    const f = this.field(obj, key, at, opts.required, Array.isArray, "must be an array");
    if (!f) return undefined;
    if (opts.max !== undefined && f.value.length > opts.max) {
      this.add(f.loc, `${human(f.loc)} may hold at most ${opts.max} items`, "ARRAY_SIZE_INVALID");
      return undefined;
    }
    return f.value;
  }

  /** The `id` of a PUT or PATCH body, which must be the object's own (`noun` names it in the message). */
  ownId(body: Json, id: string, noun: string): void {
    const given = this.string(body, "id", "", { required: true, max: 255 });
    if (given !== undefined && given !== id) {
      this.add("/id", `id ${given} does not match the ${noun} ${id}`, "INVALID_VALUE");
    }
  }

  /**
   * The externalId of a top-level reference `{externalId, type}` (a parent, target or targetPrincipal),
   * checked field by field; `type` must be `type`.
   */
  externalId(
    body: Json,
    key: string,
    type: "APPLICATION" | "OKTA_USER",
    required: boolean,
  ): string | undefined {
    const ref = this.object(body, key, "", required);
    if (!ref) return undefined;
    const id = this.string(ref, "externalId", `/${key}`, { required: true, max: 20 });
    this.oneOf(ref, "type", `/${key}`, [type], true);
    return id;
  }

  get ok(): boolean {
    return this.list.length === 0;
  }
}

export interface ValueFields {
  name?: string;
  externalValue?: string;
  description?: string | null;
  id?: string;
}

/** Validates one value body (`{name, externalValue, description?}`, plus `id` when allowed). */
export function valueFields(raw: unknown, at: string, c: Causes, partial: boolean): ValueFields | undefined {
  if (!isObject(raw)) {
    c.add(at, `${human(at)} must be an object`, "INVALID_DATA_TYPE");
    return undefined;
  }
  const name = c.string(raw, "name", at, { required: !partial, max: 255 });
  const externalValue = c.string(raw, "externalValue", at, { required: !partial, max: 2000 });
  const description = c.string(raw, "description", at, { max: 1024 });
  const id = raw.id === undefined || raw.id === null ? undefined : String(raw.id);
  return { name, externalValue, description: raw.description === null ? null : description, id };
}

/**
 * Validates `[{id, values?:[{id}]}]` against one app: every entitlement of that app, every value of
 * that entitlement, at most one value of a single-valued entitlement. Duplicates are merged; a reference
 * without values (the entitlement as a whole) is kept with an empty list.
 */
export function entitlementRefs(
  store: OktaStore,
  raw: unknown[],
  app: AppRec,
  at: string,
  c: Causes,
): EntitlementRef[] {
  const merged = new Map<string, Set<string>>();
  raw.forEach((item, i) => {
    const loc = `${at}/${i}`;
    if (!isObject(item)) {
      c.add(loc, `${human(loc)} must be an object`, "INVALID_DATA_TYPE");
      return;
    }
    const id = c.string(item, "id", loc, { required: true, max: 255 });
    if (id === undefined) return;
    const e = store.entitlements.get(id);
    if (!e || e.appId !== app.id) {
      c.add(`${loc}/id`, `Entitlement ${id} not found in resource ${app.id}`, "IDENTIFIER_NOT_FOUND");
      return;
    }
    const values = c.array(item, "values", loc, { required: false, max: 1000 }) ?? [];
    // The spec's entitlement-values-creatable holds at least one value (minLength 1); leave `values` out
    // to name the entitlement as a whole.
    if (Array.isArray(item.values) && item.values.length === 0) {
      c.add(`${loc}/values`, `${human(`${loc}/values`)} must hold 1 to 1000 values`, "ARRAY_SIZE_INVALID");
    }
    const set = merged.get(id) ?? new Set<string>();
    values.forEach((v, j) => {
      const vloc = `${loc}/values/${j}`;
      if (!isObject(v)) {
        c.add(vloc, `${human(vloc)} must be an object`, "INVALID_DATA_TYPE");
        return;
      }
      const vid = c.string(v, "id", vloc, { required: true, max: 255 });
      if (vid === undefined) return;
      if (!e.valueIds.includes(vid)) {
        c.add(
          `${vloc}/id`,
          `Entitlement value ${vid} not found in entitlement ${id}`,
          "IDENTIFIER_NOT_FOUND",
        );
        return;
      }
      set.add(vid);
    });
    if (!e.multiValue && set.size > 1) {
      c.add(
        `${loc}/values`,
        `Entitlement ${e.name} (${id}) is single-valued: at most one value`,
        "INVALID_VALUE",
      );
    }
    merged.set(id, set);
  });
  return [...merged].map(([id, values]) => ({ id, values: [...values].map((v) => ({ id: v })) }));
}
