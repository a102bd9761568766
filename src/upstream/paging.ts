/**
 * One page of a list, whatever the upstream's paging style, as `{ items, nextCursor?, total? }`.
 * Pure: bodies and headers in, a page out (upstream-apis §1.5, §2.5, §3.5).
 */

import { asObject } from "../core/json.js";
import type { PagingStyle } from "../core/operation.js";
import { type Headers, headerValues } from "./read.js";

export interface Page {
  items: unknown[];
  nextCursor?: string;
  total?: number;
}

/** `<url>; rel="next", <url2>; rel="self"` (one or several header values) -> `{ next: url, self: url2 }`. */
export function parseLinkHeader(value: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  for (const v of values) {
    for (const match of v.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
      const rel = /rel="?([^";,]+)"?/.exec(match[2] ?? "")?.[1];
      if (rel && match[1] !== undefined) for (const r of rel.trim().split(/\s+/)) out[r] = match[1];
    }
  }
  return out;
}

function afterOf(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, "http://placeholder.invalid").searchParams.get("after") ?? undefined;
  } catch {
    return undefined;
  }
}

function oktaPage(body: unknown, headers: Headers): Page {
  const obj = asObject(body);
  const items = Array.isArray(body) ? body : Array.isArray(obj?.data) ? (obj.data as unknown[]) : [];
  const links = asObject(obj?._links);
  const nextHref =
    (asObject(links?.next)?.href as string | undefined) ??
    parseLinkHeader(headerValues(headers, "link")).next;
  const total = asObject(obj?.metadata)?.total;
  return {
    items,
    nextCursor: afterOf(nextHref),
    total: typeof total === "number" ? total : undefined,
  };
}

function scimPage(body: unknown): Page {
  const obj = asObject(body);
  const items = Array.isArray(obj?.Resources) ? (obj.Resources as unknown[]) : [];
  const total = Number(obj?.totalResults);
  const start = Number(obj?.startIndex ?? 1);
  const last = start + items.length - 1;
  const hasMore = Number.isFinite(total) && items.length > 0 && last < total;
  return {
    items,
    nextCursor: hasMore ? String(last + 1) : undefined,
    total: Number.isFinite(total) ? total : undefined,
  };
}

function pageNumberPage(body: unknown): Page {
  const obj = asObject(body);
  const list = Array.isArray(body)
    ? body
    : ((["items", "data", "results", "content"].map((k) => obj?.[k]).find(Array.isArray) as
        | unknown[]
        | undefined) ?? []);
  const total = typeof obj?.total === "number" ? obj.total : undefined;
  const token = obj?.next_page_token;
  if (typeof token === "string" && token) return { items: list, nextCursor: token, total };
  const page = Number(obj?.page);
  const perPage = Number(obj?.per_page);
  const more =
    total !== undefined && Number.isFinite(page) && Number.isFinite(perPage) && page * perPage < total;
  return { items: list, nextCursor: more ? String(page + 1) : undefined, total };
}

export function toPage(style: PagingStyle, body: unknown, headers: Headers): Page {
  switch (style) {
    case "okta-cursor":
      return oktaPage(body, headers);
    case "scim":
      return scimPage(body);
    case "page-number":
      return pageNumberPage(body);
  }
}
