/**
 * The SCIM filter subset of each emulated Okta endpoint (upstream-apis §1.6): parsed with
 * scim2-parse-filter (operators case-insensitive, `and`/`or`/`not`, parentheses), validated against
 * the endpoint's attribute/operator table, then evaluated against plain objects with dotted paths
 * (arrays on the way match if any element does). Also the "pins" every resource-scoped endpoint
 * needs: exactly one app (and, for principal endpoints, one user) named at the top level.
 */
import scim from "scim2-parse-filter";

export type FilterNode = scim.Filter;
export type FilterOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le" | "pr";

/**
 * How an attribute compares: `string` exact for eq (sw/co/ew case-insensitive), `enum`
 * case-insensitive, `orn` equal when the ORNs name the same object (partition and app name ignored),
 * `date` by instant.
 */
export type AttrKind = "string" | "enum" | "orn" | "date" | "boolean";

export interface AttrSpec {
  ops: readonly FilterOp[];
  kind?: AttrKind;
  /** The dotted path read from an item, when it differs from the attribute's name. */
  path?: string;
}

export type FilterSpec = Readonly<Record<string, AttrSpec>>;

export class FilterError extends Error {
  constructor(
    message: string,
    /** `syntax`: not a SCIM filter; `unsupported`: valid SCIM, but not for this endpoint. */
    readonly kind: "syntax" | "unsupported",
  ) {
    super(message);
    this.name = "FilterError";
  }
}

const EQ = ["eq"] as const;
const TEXT = ["sw", "co"] as const;

/** Per-endpoint attribute tables, straight from upstream-apis §1.6. */
export const OKTA_FILTERS = {
  entitlements: {
    "parent.externalId": { ops: EQ },
    "parent.type": { ops: EQ, kind: "enum" },
    parentResourceOrn: { ops: EQ, kind: "orn" },
    externalValue: { ops: EQ },
    id: { ops: EQ },
    name: { ops: TEXT },
  },
  entitlementValues: {
    name: { ops: TEXT },
    labelValueId: { ops: EQ, path: "labels.values.labelValueId" },
  },
  allEntitlementValues: {
    "parent.externalId": { ops: EQ },
    "parent.type": { ops: EQ, kind: "enum" },
    parentResourceOrn: { ops: EQ, kind: "orn" },
    externalValue: { ops: EQ },
    entitlementId: { ops: EQ },
    name: { ops: TEXT },
  },
  bundles: {
    id: { ops: ["gt"] },
    lastUpdated: { ops: ["gt", "ge", "le", "lt"], kind: "date" },
    targetResourceOrn: { ops: EQ, kind: "orn" },
    "target.externalId": { ops: EQ },
    "target.type": { ops: EQ, kind: "enum" },
    status: { ops: EQ, kind: "enum" },
    name: { ops: ["sw", "co", "eq"] },
  },
  grants: {
    targetResourceOrn: { ops: EQ, kind: "orn" },
    "target.externalId": { ops: EQ },
    "target.type": { ops: EQ, kind: "enum" },
    targetPrincipalOrn: { ops: EQ, kind: "orn" },
    "targetPrincipal.externalId": { ops: EQ },
    "targetPrincipal.type": { ops: EQ, kind: "enum" },
    entitlementBundleId: { ops: EQ },
    "entitlements.id": { ops: EQ },
    "entitlements.values.id": { ops: EQ },
    action: { ops: EQ, kind: "enum" },
  },
  principal: {
    "parent.externalId": { ops: EQ },
    "parent.type": { ops: EQ, kind: "enum" },
    "targetPrincipal.externalId": { ops: EQ },
    "targetPrincipal.type": { ops: EQ, kind: "enum" },
    parentResourceOrn: { ops: EQ, kind: "orn" },
    targetPrincipalOrn: { ops: EQ, kind: "orn" },
  },
  /** Management API `GET /api/v1/users?filter=` (a documented subset). */
  users: {
    id: { ops: EQ },
    status: { ops: EQ, kind: "enum" },
    "profile.login": { ops: EQ },
    "profile.email": { ops: EQ },
    "profile.firstName": { ops: EQ },
    "profile.lastName": { ops: EQ },
    lastUpdated: { ops: ["eq", "gt", "ge", "lt", "le"], kind: "date" },
  },
  /** Management API `GET /api/v1/users?search=`: the same attributes with more operators. */
  usersSearch: {
    id: { ops: ["eq", "sw"] },
    status: { ops: EQ, kind: "enum" },
    "profile.login": { ops: ["eq", "sw", "co"] },
    "profile.email": { ops: ["eq", "sw", "co"] },
    "profile.firstName": { ops: ["eq", "sw", "co"] },
    "profile.lastName": { ops: ["eq", "sw", "co"] },
    "profile.department": { ops: ["eq", "sw", "co"] },
    "profile.title": { ops: ["eq", "sw", "co"] },
    lastUpdated: { ops: ["eq", "gt", "ge", "lt", "le"], kind: "date" },
  },
} as const satisfies Record<string, FilterSpec>;

/** Parses a filter; throws FilterError("syntax") when it is not SCIM. */
export function parseFilter(text: string): FilterNode {
  if (text.trim() === "") throw new FilterError("The filter is empty", "syntax");
  try {
    return scim.parse(text);
  } catch (err) {
    throw new FilterError(err instanceof Error ? err.message : String(err), "syntax");
  }
}

/** Throws FilterError("unsupported") for any attribute, operator or value the endpoint does not accept. */
export function validateFilter(node: FilterNode, spec: FilterSpec): void {
  switch (node.op) {
    case "and":
    case "or":
      for (const child of node.filters) validateFilter(child, spec);
      return;
    case "not":
      throw new FilterError("The 'not' operator is not supported for this resource", "unsupported");
    case "[]":
      throw new FilterError(`Value-path filters are not supported: ${node.attrPath}[...]`, "unsupported");
    default: {
      const attr = Object.hasOwn(spec, node.attrPath) ? spec[node.attrPath] : undefined;
      if (!attr) throw new FilterError(`Unsupported filter attribute: ${node.attrPath}`, "unsupported");
      if (!attr.ops.includes(node.op)) {
        throw new FilterError(
          `Unsupported operator '${node.op}' for attribute ${node.attrPath}; supported: ${attr.ops.join(", ")}`,
          "unsupported",
        );
      }
      if (node.op === "pr") return;
      if (attr.kind === "boolean") {
        if (typeof node.compValue !== "boolean") {
          throw new FilterError(`The value for ${node.attrPath} must be true or false`, "unsupported");
        }
        return;
      }
      if (typeof node.compValue !== "string") {
        throw new FilterError(`The value for ${node.attrPath} must be a quoted string`, "unsupported");
      }
      if (attr.kind === "date" && Number.isNaN(Date.parse(node.compValue))) {
        throw new FilterError(`The value for ${node.attrPath} must be an ISO 8601 date-time`, "unsupported");
      }
    }
  }
}

/** parse + validate. */
export function compileFilter(text: string, spec: FilterSpec): FilterNode {
  const node = parseFilter(text);
  validateFilter(node, spec);
  return node;
}

/** True when the item satisfies the (validated) filter. */
export function evaluateFilter(node: FilterNode, item: unknown, spec: FilterSpec): boolean {
  switch (node.op) {
    case "and":
      return node.filters.every((f) => evaluateFilter(f, item, spec));
    case "or":
      return node.filters.some((f) => evaluateFilter(f, item, spec));
    case "not":
      return !evaluateFilter(node.filter, item, spec);
    case "[]":
      return false;
    case "pr": {
      const attr = spec[node.attrPath];
      return getPath(item, attr?.path ?? node.attrPath).some(
        (v) => v !== null && v !== undefined && v !== "",
      );
    }
    default: {
      const attr = spec[node.attrPath];
      const values = getPath(item, attr?.path ?? node.attrPath);
      const expected = node.compValue;
      return values.some((v) => compare(node.op, v, expected, attr?.kind ?? "string"));
    }
  }
}

/**
 * The values a filter pins `attr` to, when every match must have one of them: a leaf `attr eq v`, an OR
 * of such leaves, or an AND with such a child. Lets a handler visit only those objects (an index), with
 * the full filter still evaluated on each. Undefined when the filter does not pin `attr`.
 */
export function pinnedValues(node: FilterNode, attr: string): Set<string> | undefined {
  if (node.op === "eq" && "attrPath" in node && node.attrPath === attr)
    return new Set([String(node.compValue)]);
  if (node.op === "or") {
    const out = new Set<string>();
    for (const child of node.filters) {
      const pinned = pinnedValues(child, attr);
      if (!pinned) return undefined;
      for (const v of pinned) out.add(v);
    }
    return out;
  }
  if (node.op === "and") {
    for (const child of node.filters) {
      const pinned = pinnedValues(child, attr);
      if (pinned) return pinned;
    }
  }
  return undefined;
}

/** All leaf values at a dotted path; arrays met on the way are flattened (any element may match). */
export function getPath(item: unknown, path: string): unknown[] {
  let current: unknown[] = [item];
  for (const key of path.split(".")) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || value === undefined) continue;
      if (Array.isArray(value)) {
        for (const element of value) pushField(next, element, key);
      } else {
        pushField(next, value, key);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function pushField(into: unknown[], value: unknown, key: string): void {
  if (value !== null && typeof value === "object" && key in value) {
    into.push((value as Record<string, unknown>)[key]);
  }
}

function compare(op: string, actual: unknown, expected: unknown, kind: AttrKind): boolean {
  if (typeof actual !== "string" || typeof expected !== "string") {
    return op === "eq" ? actual === expected : op === "ne" ? actual !== expected : false;
  }
  if (kind === "orn") {
    const same = normalizeOrn(actual) === normalizeOrn(expected);
    return op === "ne" ? !same : op === "eq" ? same : false;
  }
  if (kind === "date") {
    const a = Date.parse(actual);
    const b = Date.parse(expected);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return ordered(op, a, b);
  }
  const a = kind === "enum" ? actual.toLowerCase() : actual;
  const b = kind === "enum" ? expected.toLowerCase() : expected;
  switch (op) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "sw":
      return actual.toLowerCase().startsWith(expected.toLowerCase());
    case "ew":
      return actual.toLowerCase().endsWith(expected.toLowerCase());
    case "co":
      return actual.toLowerCase().includes(expected.toLowerCase());
    default:
      return ordered(op, a, b);
  }
}

function ordered<T extends string | number>(op: string, a: T, b: T): boolean {
  switch (op) {
    case "gt":
      return a > b;
    case "ge":
      return a >= b;
    case "lt":
      return a < b;
    case "le":
      return a <= b;
    case "eq":
      return a === b;
    default:
      return false;
  }
}

/**
 * ORNs name the same object regardless of partition (`okta`/`oktapreview`) and, for apps, of the app
 * name segment (the docs' examples say `apps:oidc:` for a Salesforce app): compare what identifies it.
 */
export function normalizeOrn(orn: string): string {
  const parts = orn.split(":");
  if (parts[0] !== "orn" || parts.length < 6) return orn;
  if (parts[2] === "idp" && parts[4] === "apps" && parts.length === 7)
    return `idp:${parts[3]}:apps:${parts[6]}`;
  return parts.slice(2).join(":");
}

/** The top-level conjuncts: `a AND (b AND c)` -> [a, b, c]; anything else -> [node]. */
export function conjuncts(node: FilterNode): FilterNode[] {
  return node.op === "and" ? node.filters.flatMap((f) => conjuncts(f)) : [node];
}

/** The values `attr eq "…"` takes among the top-level conjuncts. */
export function topLevelEq(node: FilterNode, attr: string): string[] {
  const out: string[] = [];
  for (const c of conjuncts(node)) {
    if (c.op === "eq" && c.attrPath === attr && typeof c.compValue === "string") out.push(c.compValue);
  }
  return out;
}

/** Every comparison on `attr`, wherever it sits in the tree. */
export function comparisonsOf(node: FilterNode, attr: string): FilterNode[] {
  switch (node.op) {
    case "and":
    case "or":
      return node.filters.flatMap((f) => comparisonsOf(f, attr));
    case "not":
      return comparisonsOf(node.filter, attr);
    case "[]":
      return [];
    default:
      return node.attrPath === attr ? [node] : [];
  }
}

/** How a filter names one object of a kind: by ORN, or by externalId + type. */
export interface PinAttrs {
  orn: string;
  externalId: string;
  type: string;
  /** The only accepted value of the type attribute (case-insensitive), e.g. "APPLICATION". */
  typeValue: string;
  /** The object id an ORN names, or undefined when the ORN is not of this kind. */
  idFromOrn: (orn: string) => string | undefined;
}

export type PinResult =
  | { ok: true; id: string }
  | { ok: false; problem: "missing" | "multiple" | "type" | "orn"; detail: string };

/**
 * The single object a filter pins at its top level (the AND chain), e.g. the app of a grants list.
 * Pins inside an OR, or two different pins, are "multiple"; none is "missing".
 */
export function resolvePin(node: FilterNode, pin: PinAttrs): PinResult {
  const attrs = [pin.orn, pin.externalId, pin.type];
  const everywhere = attrs.reduce((n, a) => n + comparisonsOf(node, a).length, 0);
  const orns = topLevelEq(node, pin.orn);
  const externalIds = topLevelEq(node, pin.externalId);
  const types = topLevelEq(node, pin.type);
  if (everywhere > orns.length + externalIds.length + types.length) {
    return { ok: false, problem: "multiple", detail: `${pin.externalId} / ${pin.orn} may only be ANDed` };
  }
  const ids = new Set<string>();
  for (const orn of orns) {
    const id = pin.idFromOrn(orn);
    if (!id) return { ok: false, problem: "orn", detail: `Invalid ORN: ${orn}` };
    ids.add(id);
  }
  for (const id of externalIds) ids.add(id);
  if (types.some((t) => t.toUpperCase() !== pin.typeValue)) {
    return { ok: false, problem: "type", detail: `${pin.type} must be "${pin.typeValue}"` };
  }
  if (externalIds.length > 0 && types.length === 0) {
    return { ok: false, problem: "missing", detail: `${pin.externalId} needs ${pin.type}` };
  }
  if (ids.size === 0) return { ok: false, problem: "missing", detail: `no ${pin.externalId} or ${pin.orn}` };
  if (ids.size > 1) return { ok: false, problem: "multiple", detail: [...ids].join(", ") };
  return { ok: true, id: [...ids][0] as string };
}
