/**
 * Operation definitions as pure data, without network: an operation by name, its input parsed or refused
 * (with the issue paths), the upstream request the registrar would build from it, and its guard's reads
 * and preview for a given upstream state.
 */
import { expect } from "vitest";
import type { z } from "zod";
import {
  type AnyOperation,
  type GuardPolicy,
  needsConfirmation,
  parseRoute,
  type RequestParts,
} from "../../src/core/operation.js";
import { allOperations } from "../../tools/index.js";

export function op(name: string): AnyOperation {
  const found = allOperations.find((o) => o.name === name);
  if (!found) throw new Error(`no operation ${name}`);
  return found;
}

export function parsed(name: string, input: Record<string, unknown>): Record<string, unknown> {
  const result: z.ZodSafeParseResult<unknown> = op(name).input.safeParse(input);
  if (!result.success) throw new Error(`${name} refused: ${JSON.stringify(result.error.issues)}`);
  return result.data as Record<string, unknown>;
}

export function refused(name: string, input: Record<string, unknown>): z.core.$ZodIssue[] {
  const result: z.ZodSafeParseResult<unknown> = op(name).input.safeParse(input);
  expect(result.success, `${name} accepted ${JSON.stringify(input)}`).toBe(false);
  return result.success ? [] : result.error.issues;
}

/** The issue paths, dotted: "operations.0.value". */
export function issuePaths(name: string, input: Record<string, unknown>): string[] {
  return refused(name, input).map((i) => i.path.join("."));
}

/** Mirrors the registrar's default mapping (DESIGN §2.3) plus the operation's `request` hook. */
export function mapRequest(name: string, input: Record<string, unknown>): RequestParts {
  const operation = op(name);
  const data = parsed(name, input);
  const { method, params } = parseRoute(operation.route);
  const path: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (params.includes(key)) path[key] = String(value);
    else if (value !== undefined) rest[key] = value;
  }
  const defaults: RequestParts =
    method === "GET" || method === "DELETE"
      ? { path, query: rest as RequestParts["query"] }
      : { path, query: {}, body: rest };
  if (!operation.request) return defaults;
  const custom = operation.request(data);
  return {
    path: custom.path ?? defaults.path,
    query: custom.query ?? defaults.query,
    body: "body" in custom ? custom.body : defaults.body,
  };
}

export function policy(name: string): GuardPolicy<Record<string, unknown>> {
  const guard = op(name).guard;
  if (guard === "none") throw new Error(`${name} has no guard`);
  return guard as GuardPolicy<Record<string, unknown>>;
}

export function preview(name: string, input: Record<string, unknown>, state: Record<string, unknown>) {
  const p = policy(name).preview(parsed(name, input), state);
  // The guard's decision, from the effects alone (DESIGN §2.4 step 0).
  return { ...p, required: needsConfirmation(p.effects, { confirmCreates: false }) };
}

export function readParams(
  name: string,
  key: string,
  input: Record<string, unknown>,
  state: Record<string, unknown>,
) {
  const read = policy(name).reads.find((r) => r.key === key);
  if (!read) throw new Error(`${name} has no read ${key}`);
  return read.params(parsed(name, input), state);
}
