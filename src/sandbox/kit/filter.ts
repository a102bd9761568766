/**
 * The SCIM filter subset the emulators accept (upstream-apis §1.6, §3): parsed with scim2-parse-filter
 * (operators case-insensitive, `and`/`or`/`not`, parentheses), validated against an endpoint's
 * attribute/operator table, then evaluated against plain objects with dotted paths (arrays on the way
 * match if any element does). Also the tree queries handlers use to find what a filter pins.
 * Each provider keeps its own tables; no provider knowledge lives here.
 */
import scim from "scim2-parse-filter";

export type FilterNode = scim.Filter;
export type FilterOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le" | "pr";

/**
 * How an attribute compares: `string` exact for eq (sw/co/ew case-insensitive), `enum`
 * case-insensitive, `date` by instant, `boolean` against true/false.
 */
export type AttrKind = "string" | "enum" | "date" | "boolean";

export interface AttrSpec {
  ops: readonly FilterOp[];
  kind?: AttrKind;
  /** The dotted path read from an item, when it differs from the attribute's name. */
  path?: string;
  /**
   * What a value identifies, for attributes whose equal values can be written differently (Okta's ORNs):
   * eq/ne compare these; no other operator matches.
   */
  identity?: (value: string) => string;
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

export interface CompileOptions {
  /**
   * Attribute names match the table whatever their case (RFC 7644 §3.4.2.2: "Attribute names and attribute
   * operators used in filters are case insensitive"); the compiled tree carries the table's spelling.
   */
  caseInsensitiveNames?: boolean;
}

/** parse + validate. */
export function compileFilter(text: string, spec: FilterSpec, options: CompileOptions = {}): FilterNode {
  const node = parseFilter(text);
  if (options.caseInsensitiveNames) spellAsTable(node, spec);
  validateFilter(node, spec);
  return node;
}

/** Rewrites each attribute name to the table's spelling of it, compared without case. */
function spellAsTable(node: FilterNode, spec: FilterSpec): void {
  switch (node.op) {
    case "and":
    case "or":
      for (const child of node.filters) spellAsTable(child, spec);
      return;
    case "not":
      spellAsTable(node.filter, spec);
      return;
    default: {
      const lower = node.attrPath.toLowerCase();
      const known = Object.keys(spec).find((name) => name.toLowerCase() === lower);
      if (known) node.attrPath = known;
    }
  }
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
      return values.some((v) => compare(node.op, v, expected, attr));
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

function compare(op: string, actual: unknown, expected: unknown, attr: AttrSpec | undefined): boolean {
  if (typeof actual !== "string" || typeof expected !== "string") {
    return op === "eq" ? actual === expected : op === "ne" ? actual !== expected : false;
  }
  if (attr?.identity) {
    const same = attr.identity(actual) === attr.identity(expected);
    return op === "ne" ? !same : op === "eq" ? same : false;
  }
  const kind = attr?.kind ?? "string";
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

/** Every value `attr eq "…"` takes anywhere in a filter, in the order they are written. */
export function eqValues(node: FilterNode, attr: string): string[] {
  return comparisonsOf(node, attr).flatMap((c) =>
    c.op === "eq" && typeof c.compValue === "string" ? [c.compValue] : [],
  );
}
