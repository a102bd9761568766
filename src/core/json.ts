/**
 * Reading JSON of unknown shape (upstream bodies, guard reads): the one object guard, so every reader
 * agrees on what counts as an object (not null, not an array).
 */

/** A JSON object: any keys, values not yet checked. */
export type JsonObject = Record<string, unknown>;

/** True when the value is a plain object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The value as a plain object, or undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}
