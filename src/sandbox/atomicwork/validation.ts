/**
 * Atomicwork's request checks: the first bad field ends the request with a 400 that names it.
 */
import type { SandboxRequest } from "../kit/http.js";
import { isObject, type Json } from "../kit/json.js";
import { invalid } from "./errors.js";

/** The body as JSON ({} when empty), or a 400. */
export function jsonBody(req: SandboxRequest): unknown {
  if (!req.body) return {};
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

/** A positive integer, also from its decimal string (query parameters). */
export function int(value: unknown, field: string, required: boolean): number | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalid(`${field} is required`);
    return undefined;
  }
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1)
    throw invalid(`${field} must be a positive integer`);
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

/** A query parameter, as the checks above take it (absent: undefined). */
export function param(req: SandboxRequest, name: string): string | undefined {
  return req.query.get(name) ?? undefined;
}

/** One page of `items` by `page` and `per_page` (default 25, at most `maxPerPage`). */
export function page(req: SandboxRequest, items: Json[], maxPerPage: number): Json {
  const pageNo = int(param(req, "page"), "page", false) ?? 1;
  const perPage = int(param(req, "per_page"), "per_page", false) ?? 25;
  if (perPage > maxPerPage) throw invalid(`per_page must be at most ${maxPerPage}`);
  const start = (pageNo - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page: pageNo,
    per_page: perPage,
    total: items.length,
  };
}
