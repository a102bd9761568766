/**
 * List helpers every emulator shares. Paging itself differs per upstream (Okta's `after` cursors,
 * Atomicwork's page numbers and tokens, SCIM's startIndex) and lives with each provider.
 */

/** A copy of `items` ordered by a text key (locale-aware, as the upstreams sort names), stable for ties. */
export function sortByText<T>(items: readonly T[], key: (item: T) => string, descending: boolean): T[] {
  const sign = descending ? -1 : 1;
  return [...items].sort((a, b) => sign * key(a).localeCompare(key(b)));
}
