/** An ISO 8601 instant without milliseconds (`2026-01-05T09:00:00Z`), as Okta and Atomicwork write them. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
