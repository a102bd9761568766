/**
 * The readers for what an upstream sends, shared by the client, the rate limiter, paging and the
 * providers' profiles: one header reader, the object guard of core, one non-empty-text reader.
 */

/** Response headers as undici gives them: lower-case names, a list when a header repeats. */
export type Headers = Record<string, string | string[] | undefined>;

/** Every value of a header, its name matched without regard to case. */
export function headerValues(headers: Headers, name: string): string | string[] | undefined {
  if (name in headers) return headers[name];
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** The first value of a header. */
export function header(headers: Headers, name: string): string | undefined {
  const value = headerValues(headers, name);
  return Array.isArray(value) ? value[0] : value;
}

/** The value when it is a non-empty string. */
export function nonEmptyText(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
