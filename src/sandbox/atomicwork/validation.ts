/**
 * Atomicwork's request checks, by the types its specification gives: the first bad field ends the request
 * with a 400 that names it. JSON bodies are typed as the spec types them (an int64 is a number, never its
 * digits in a string); query parameters arrive as text and are read as the spec types them.
 */
import type { SandboxRequest } from "../kit/http.js";
import { isObject, type Json } from "../kit/json.js";
import { invalid } from "./errors.js";

/** The body as JSON, `absent` when none was sent (every request body of the spec is optional), or a 400. */
export function jsonBody(req: SandboxRequest, absent: unknown = {}): unknown {
  if (!req.body.trim()) return absent;
  try {
    return JSON.parse(req.body);
  } catch {
    throw invalid("The request body is not valid JSON");
  }
}

export function obj(value: unknown, field: string): Json {
  if (!isObject(value)) throw invalid(`${field} must be an object`);
  return value;
}

/** An int64 id of a JSON body: a positive integer, never a string of digits. */
export function int(value: unknown, field: string, required: boolean): number | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalid(`${field} is required`);
    return undefined;
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw invalid(`${field} must be an integer (int64)${typeof value === "string" ? ", not a string" : ""}`);
  }
  if (value < 1) throw invalid(`${field} must be a positive integer`);
  return value;
}

/** A list of int64 ids (a policy's entitlements, a condition's values). */
export function intList(value: unknown, field: string): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(`${field} must be an array of integers`);
  return value.map((v, i) => int(v, `${field}[${i}]`, true) as number);
}

/** An integer query parameter (int64 ids, page numbers): decimal digits. */
export function queryInt(req: SandboxRequest, name: string): number | undefined {
  const value = req.query.get(name);
  if (value === null) return undefined;
  const n = /^\d{1,18}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(`${name} must be a positive integer`);
  return n;
}

export function text(value: unknown, field: string, max: number, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalid(`${field} is required`);
    return undefined;
  }
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw invalid(`${field} must be a string of 1 to ${max} characters`);
  }
  return value;
}

export function oneOf(value: unknown, field: string, allowed: readonly string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !allowed.includes(value))
    throw invalid(`${field} must be one of ${allowed.join(", ")}`);
  return value;
}

export function bool(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalid(`${field} must be true or false`);
  return value;
}

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** An RFC 3339 date-time (`format: date-time`). */
export function dateTime(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
    throw invalid(`${field} must be a date-time like 2026-01-31T17:00:00Z`);
  return value;
}

/** A query parameter, as the checks above take it (absent: undefined). */
export function param(req: SandboxRequest, name: string): string | undefined {
  return req.query.get(name) ?? undefined;
}

/**
 * One page of `items` by `page` and `per_page` (default 25, at most `maxPerPage`): the spec's paging
 * fields, the items, and `total` so a page-number list knows where it ends.
 */
export function page(req: SandboxRequest, items: Json[], maxPerPage: number): Json {
  const pageNo = queryInt(req, "page") ?? 1;
  const perPage = queryInt(req, "per_page") ?? 25;
  if (perPage > maxPerPage) throw invalid(`per_page must be at most ${maxPerPage}`);
  const start = (pageNo - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page: pageNo,
    per_page: perPage,
    total: items.length,
  };
}
