/**
 * What the reads of every provider share: the query built from a definition's table of convenience fields
 * (one function for every list, instead of a request hook per tool), the clause builders those tables
 * name, and the header line of a list summary.
 */
import type { z } from "zod";
import { type FilterFields, type Operation, parseRoute, type QueryValue } from "../src/core/operation.js";
import { coClause, eqClause, swClause, withRawFilter } from "../src/core/scim-filter.js";

/** `attr eq "<value>"`, for a table of convenience fields. */
export const eq = (attr: string) => (value: string) => eqClause(attr, value);
/** `attr sw "<value>"` (starts with). */
export const sw = (attr: string) => (value: string) => swClause(attr, value);
/** `attr co "<value>"` (contains). */
export const co = (attr: string) => (value: string) => coClause(attr, value);

/**
 * An operation whose input goes to the query: the fields of its `filterFields` table become SCIM clauses,
 * ANDed in the table's order before the raw `filter`; `include` lists are joined the way Okta reads them;
 * every other field but the route params is sent as it is.
 */
export function defineQuery<I extends z.ZodObject, O extends z.ZodObject>(
  op: Operation<I, O> & { request?: never; filterFields?: FilterFields<z.output<I>> },
): Operation<I, O> {
  const { filterFields = {}, ...definition } = op;
  const { params } = parseRoute(op.route);
  return {
    ...definition,
    request: (input) => ({ query: scimQuery(filterFields, params, input as Record<string, unknown>) }),
  };
}

function scimQuery(
  fields: Record<string, ((value: never) => string) | undefined>,
  routeParams: readonly string[],
  input: Record<string, unknown>,
): Record<string, QueryValue> {
  const clauses = Object.entries(fields).map(([field, clause]) =>
    input[field] === undefined || clause === undefined ? undefined : clause(input[field] as never),
  );
  const query: Record<string, QueryValue> = {};
  const filter = withRawFilter(clauses, input.filter as string | undefined);
  if (filter !== undefined) query.filter = filter;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || key === "filter" || key in fields || routeParams.includes(key)) continue;
    const sent = key === "include" ? joinInclude(value as string[]) : (value as QueryValue);
    if (sent !== undefined) query[key] = sent;
  }
  return query;
}

/** `include` values joined the way Okta reads them (`include=full_entitlements,metadata`). */
function joinInclude(include: readonly string[]): string | undefined {
  return include.length === 0 ? undefined : [...new Set(include)].join(",");
}

/** Where a list summary says it looked, and how it names the next page's cursor. */
export interface PageWords {
  /** "in app 0oa…", "of entitlement esp…". */
  scope?: string | undefined;
  /** Where the cursor goes: the input (`after`, the default; `startIndex`) or `nextCursor`. */
  cursor?: string;
}

/** The page a list summary describes. */
interface Page<T> {
  items: T[];
  nextCursor?: string | undefined;
  total?: number | undefined;
}

/** The header line of every list summary: "12 entitlements of 31 in app 0oa…; more: after=espX". */
export function pageHeader(page: Page<unknown>, noun: string, words: PageWords = {}): string {
  const count = page.items.length;
  const of = page.total !== undefined && page.total !== count ? ` of ${page.total}` : "";
  const where = words.scope ? ` ${words.scope}` : "";
  const more = page.nextCursor ? `; more: ${words.cursor ?? "after"}=${page.nextCursor}` : "; no more pages";
  return `${count} ${count === 1 ? noun.replace(/s$/, "") : noun}${of}${where}${more}`;
}

/** A list summary: the header line, then one line per item. */
export function listSummary<T>(
  page: Page<T>,
  noun: string,
  line: (item: T) => string,
  words?: PageWords,
): string {
  return [pageHeader(page, noun, words), ...page.items.map(line)].join("\n");
}

/** "in app 0oa…" when the list is of one app. */
export function inApp(appId: string | undefined): string | undefined {
  return appId ? `in app ${appId}` : undefined;
}
