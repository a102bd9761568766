/**
 * SCIM filter helpers (RFC 7644 §3.4.2.2) for the providers whose lists take one (Okta, upstream-apis §1.6;
 * IdentityIQ): a syntax check that runs before any request is sent, in the dialect of the provider that will
 * read the filter, and builders that quote values so user text can never change a filter's structure.
 * Pure: no I/O.
 */
import type { Compare, Filter, LogExp, NotFilter } from "scim2-parse-filter";
import scim from "scim2-parse-filter";

/** Longest filter accepted; no provider documents a limit, but a URL of several kilobytes is a mistake. */
export const MAX_FILTER_LENGTH = 2000;

/** What a provider's filters may contain, and the name its refusals give. */
export interface FilterDialect {
  /** Who reads the filter, as a refusal names it ("Okta"). */
  name: string;
  /** The operators its grammar knows; each endpoint supports a subset. */
  operators: readonly string[];
  /** Attribute paths may be qualified by their schema URN (RFC 7644 §3.10). */
  urnAttributes?: boolean;
}

/** Every operator of RFC 7644 §3.4.2.2, attribute paths URN-qualified or not. */
export const RFC_7644_FILTERS: FilterDialect = {
  name: "SCIM (RFC 7644)",
  operators: ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"],
  urnAttributes: true,
};

/** Okta's filter grammar (upstream-apis §1.6): RFC 7644's operators but `ew`, plain attribute paths. */
export const OKTA_FILTERS: FilterDialect = {
  name: "Okta",
  operators: ["eq", "ne", "gt", "ge", "lt", "le", "sw", "co", "pr"],
};

const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** `urn:…:` before an attribute path: the schema it belongs to. */
const URN_PREFIX = /^urn:[A-Za-z0-9][A-Za-z0-9-]*(:[A-Za-z0-9._-]+)+:(?=[A-Za-z_])/;

/**
 * Checks the syntax of a SCIM filter in a provider's dialect (Okta's unless told). Returns undefined when it
 * parses, otherwise a short reason a person can act on ("unbalanced parentheses: 1 '(' is never closed").
 */
export function checkScimFilter(filter: string, dialect: FilterDialect = OKTA_FILTERS): string | undefined {
  if (filter.trim() === "") return "the filter is empty";
  if (filter.length > MAX_FILTER_LENGTH) {
    return `the filter is ${filter.length} characters long; at most ${MAX_FILTER_LENGTH} are allowed`;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  const control = /[\u0000-\u001f\u007f]/.exec(filter);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase();
    return `control character U+${code} at position ${control.index} (use spaces between terms)`;
  }
  const masked = maskStrings(filter);
  if (typeof masked !== "string") return masked.reason;
  const bracket = /[[\]]/.exec(masked);
  if (bracket) return "value-path filters with [ ] are not supported; use attribute.subAttribute instead";
  let ast: Filter;
  try {
    ast = scim.parse(masked);
  } catch (err) {
    return parserReason(err instanceof Error ? err.message : String(err), dialect);
  }
  return checkOperators(ast, dialect);
}

/**
 * Replaces every string literal by `""` after checking it is a valid JSON string, and checks that
 * parentheses balance outside strings. The parser then sees no user text inside quotes (its own escape
 * handling mangles backslashes, so a valid `"a\\"` would otherwise be refused).
 */
function maskStrings(filter: string): string | { reason: string } {
  let out = "";
  let depth = 0;
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < filter.length && filter[j] !== '"') j += filter[j] === "\\" ? 2 : 1;
      if (j >= filter.length) return { reason: `unterminated string starting at position ${i}` };
      const literal = filter.slice(i, j + 1);
      try {
        JSON.parse(literal);
      } catch {
        return { reason: `invalid escape sequence in the string at position ${i}` };
      }
      out += '""';
      i = j + 1;
      continue;
    }
    if (ch === "(") depth += 1;
    if (ch === ")") {
      depth -= 1;
      if (depth < 0) return { reason: `unbalanced parentheses: ')' at position ${i} has no matching '('` };
    }
    out += ch;
    i += 1;
  }
  if (depth > 0) return { reason: `unbalanced parentheses: ${depth} '(' never closed` };
  return out;
}

/** Turns scim2-parse-filter's messages into reasons a person can act on. */
function parserReason(message: string, dialect: FilterDialect): string {
  if (/^Unexpected token\s+\(EOT\)/.test(message)) {
    return "the filter ends too early: a trailing AND/OR/NOT, or a missing expression";
  }
  const operator = /^Unexpected token (\S+) (\S*) as valFilter operator/.exec(message);
  if (operator) {
    const [, attr = "", op = ""] = operator;
    if (/^(and|or)$/i.test(attr)) return `${attr.toUpperCase()} has no expression on its left`;
    if (op === "") return `attribute ${attr} has no operator`;
    if (op.startsWith('"')) return `attribute ${attr} is followed by a string, not an operator`;
    return `unknown operator "${op}" after ${attr} (use ${dialect.operators.join(", ")})`;
  }
  const value = /^\[(.*)\((\w+)\)\] is not json/.exec(message);
  if (value) {
    if (value[2] === "EOT") return "the filter ends without a value after its last operator";
    return `value ${value[1]} must be a "double-quoted" string, a number, true, false or null`;
  }
  const leftover = /^unexpected EOT .*\[([^\]]*)\]/.exec(message);
  if (leftover) return `unexpected "${leftover[1]}" after a complete expression (missing AND/OR?)`;
  const start = /^Unexpected token (\S*) \((\w+)\)/.exec(message);
  if (start) {
    if (start[1] === ")") return "empty parentheses";
    return `expected an attribute name, found ${start[1] || start[2]}`;
  }
  const text = /^unexpected token (.*)$/s.exec(message);
  if (text) {
    const snippet = (text[1] ?? "").split('"')[0]?.slice(0, 20) ?? "";
    return `unexpected text "${snippet}" (strings need double quotes; logic uses AND, OR, NOT)`;
  }
  return `invalid SCIM filter (${message.slice(0, 100)})`;
}

function checkOperators(filter: Filter, dialect: FilterDialect): string | undefined {
  switch (filter.op) {
    case "and":
    case "or":
      for (const f of (filter as LogExp).filters) {
        const reason = checkOperators(f, dialect);
        if (reason) return reason;
      }
      return undefined;
    case "not":
      return checkOperators((filter as NotFilter).filter, dialect);
    case "[]":
      return "value-path filters with [ ] are not supported";
    default: {
      const attr = (filter as Compare).attrPath;
      const path = dialect.urnAttributes ? attr.replace(URN_PREFIX, "") : attr;
      if (!ATTRIBUTE.test(path)) return `"${attr}" is not an attribute name (like name or parent.externalId)`;
      if (dialect.operators.includes(filter.op)) return undefined;
      return `operator "${filter.op}" (after ${attr}) is not supported by ${dialect.name} (use ${dialect.operators.join(", ")})`;
    }
  }
}

/** A SCIM string literal: JSON quoting, so `"` and `\` inside the value are escaped. */
export function scimString(value: string): string {
  return JSON.stringify(value);
}

/** `attr eq "value"`, the value quoted. */
export function eqClause(attr: string, value: string): string {
  return `${attr} eq ${scimString(value)}`;
}

/** `attr sw "value"` (starts with), the value quoted. */
export function swClause(attr: string, value: string): string {
  return `${attr} sw ${scimString(value)}`;
}

/** `attr co "value"` (contains), the value quoted. */
export function coClause(attr: string, value: string): string {
  return `${attr} co ${scimString(value)}`;
}

/** The clauses that are set, joined with AND; undefined when none is. */
export function scimAnd(clauses: (string | undefined)[]): string | undefined {
  const present = clauses.filter((c): c is string => c !== undefined && c !== "");
  return present.length === 0 ? undefined : present.join(" AND ");
}

/**
 * Combines convenience clauses with a caller's raw filter: the raw filter is parenthesised so its
 * ORs cannot swallow the clauses, and comes last (Okta wants the resource filter first).
 */
export function withRawFilter(clauses: (string | undefined)[], raw: string | undefined): string | undefined {
  const built = scimAnd(clauses);
  if (raw === undefined || raw.trim() === "") return built;
  if (built === undefined) return raw;
  return `${built} AND ${isGrouped(raw) ? raw.trim() : `(${raw})`}`;
}

/** True when the whole filter is one parenthesised group, like `(a eq "x" OR b eq "y")`. */
function isGrouped(filter: string): boolean {
  const text = filter.trim();
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '"') {
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    } else if (ch === "(") depth += 1;
    else if (ch === ")") {
      depth -= 1;
      if (depth === 0 && i < text.length - 1) return false;
    }
  }
  return depth === 0;
}
