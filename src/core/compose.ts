/**
 * The vocabulary of composed reads: the catalogs (MCP resources) and the cross-provider search. Each
 * provider declares its own beside its definitions (tools/<provider>/catalog.ts); the MCP layer runs them,
 * through registered read operations only, so there is no second set of routes. Types and small pure
 * helpers; no I/O.
 */
import type { Provider } from "./operation.js";

/** Runs a registered read operation by name, validating `input` with its own schema. */
export type RunRead = (
  name: string,
  input: Record<string, unknown>,
  signal?: AbortSignal,
) => Promise<Record<string, unknown>>;

export interface ReadContext {
  run: RunRead;
}

export type Item = Record<string, unknown>;

/** The scheme of every catalog URI. */
export const CATALOG_SCHEME = "entitlements://";

export interface CatalogPage {
  items: unknown[];
  nextCursor?: string;
  total?: number;
}

/** One catalog: a URI template, how to read one page of it, how to enumerate and complete it. */
export interface CatalogDef {
  provider: Provider;
  name: string;
  title: string;
  description: string;
  /** Without the cursor: `entitlements://okta/apps/{appId}/entitlements`. */
  template: string;
  /** The read operations it needs (a catalog is offered only when all are registered). */
  uses: string[];
  read: (
    ctx: ReadContext,
    vars: Record<string, string>,
    cursor?: string,
    signal?: AbortSignal,
  ) => Promise<CatalogPage>;
  list?: (ctx: ReadContext) => Promise<{ vars: Record<string, string>; name: string }[]>;
  complete?: Record<string, (ctx: ReadContext, value: string) => Promise<string[]>>;
}

/** One hit of `search_entitlements`: where it is, and the tool and arguments to use next. */
export interface SearchHit {
  provider: string;
  kind: "entitlement" | "value" | "bundle";
  id: string;
  name: string;
  app?: { id: string; name?: string | undefined } | undefined;
  entitlement?: { id: string; name?: string } | undefined;
  /** `provider:kind:id`. */
  ref: string;
  next: { tool: string; arguments: Record<string, unknown> };
}

/** A provider's part of the cross-provider search. */
export interface ProviderSearch {
  provider: Provider;
  /** The name `search_entitlements` takes for it in `providers` (`okta`, `atomicwork`, `iiq`). */
  key: string;
  /** The read operations it needs (it is offered only when all are registered). */
  needs: readonly string[];
  search: (run: RunRead, q: string, limit: number, signal?: AbortSignal) => Promise<SearchHit[]>;
}

/** What a prompt argument completes to: a person, an app, or access (bundles and entitlements). */
export type CompletionKind = "person" | "app" | "access";

/** A read tool whose hits complete a prompt argument of `kind`. */
export interface CompletionSource {
  kind: CompletionKind;
  tool: string;
  input: (q: string, max: number) => Record<string, unknown>;
  label: (item: Item) => unknown;
}

/** The `items` of a list result. */
export function itemsOf(result: Record<string, unknown>): Item[] {
  const items = result.items;
  return Array.isArray(items) ? (items as Item[]) : [];
}

/** The `nextCursor` of a list result. */
export const cursorOf = (result: Record<string, unknown>) => result.nextCursor as string | undefined;

/** A value as text for a hit: "" for none. */
export const textOf = (value: unknown) => (value === undefined || value === null ? "" : String(value));

/** `fn` over `values`, at most `limit` at a time, results in order. */
export async function mapLimited<T, R>(
  values: T[],
  limit: number,
  fn: (value: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(values.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, values.length) }, async () => {
    while (next < values.length) {
      const index = next++;
      out[index] = await fn(values[index] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

/** A page of a catalog straight from a list result. */
export const pageOf = (result: Record<string, unknown>): CatalogPage => ({
  items: itemsOf(result),
  nextCursor: cursorOf(result),
  total: result.total as number | undefined,
});

/** A catalog that is one list tool read page by page, offered as one resource named `entry`. */
export function listCatalog(
  def: Omit<CatalogDef, "read" | "list" | "uses"> & {
    tool: string;
    input: (cursor: string | undefined) => Record<string, unknown>;
    entry: string;
  },
): CatalogDef {
  const { tool, input, entry, ...rest } = def;
  return {
    ...rest,
    uses: [tool],
    read: async (ctx, _vars, cursor, signal) => pageOf(await ctx.run(tool, input(cursor), signal)),
    list: async () => [{ vars: {}, name: entry }],
  };
}

/** A search hit of `search`'s provider, its `ref` (`key:kind:id`) made from the rest. */
export function searchHit(
  search: Pick<ProviderSearch, "provider" | "key">,
  hit: Omit<SearchHit, "provider" | "ref">,
): SearchHit {
  return { provider: search.provider, ref: `${search.key}:${hit.kind}:${hit.id}`, ...hit };
}
