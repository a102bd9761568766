/**
 * Shared zod fragments for operation inputs and outputs, by provider (ids, references, paging), and the
 * few pure helpers definitions use to build requests. Nothing here does I/O.
 */
import { z } from "zod";
import {
  checkScimFilter,
  eqClause,
  type FilterDialect,
  MAX_FILTER_LENGTH,
  RFC_7644_FILTERS,
} from "../src/core/scim-filter.js";

// ---- Every provider ----

/** The structured result of every list: one page and the cursor for the next. */
export function listOutput<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().optional().describe("pass as `after` to get the next page"),
    total: z.number().int().optional(),
  });
}

/** A string field of an upstream object: absent, null or a string (never reject a real response). */
export const optStr = z.string().nullish();
/** A boolean field of an upstream object. */
export const optBool = z.boolean().nullish();
/** A number field of an upstream object that some answers send as a string. */
export const optNum = z.union([z.number(), z.string()]).nullish();

/** The result of a DELETE (204, no body). */
export const deletedOutput = z.object({
  deleted: z.boolean(),
  id: z.string(),
});

/**
 * A raw SCIM filter, syntax-checked by the schema itself (in the dialect of the provider that reads it, Okta's
 * unless told) so a malformed one never leaves the server.
 */
export function scimFilter(description: string, dialect?: FilterDialect) {
  return z
    .string()
    .max(MAX_FILTER_LENGTH)
    .superRefine((value, ctx) => {
      const reason = checkScimFilter(value, dialect);
      if (reason) ctx.addIssue({ code: "custom", message: `not a valid SCIM filter: ${reason}` });
    })
    .describe(description);
}

/** An ISO 8601 date-time with its zone, like 2026-01-31T17:00:00Z: the one date-time schema inputs use. */
export const isoDateTime = z
  .string()
  .regex(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/,
    "must be an ISO 8601 date-time like 2026-01-31T17:00:00Z",
  );

/** The name fields of SCIM lists (the table of each list says which attribute they filter). */
export const nameStartsWith = z.string().min(1).max(255).optional();
export const nameContains = z.string().min(1).max(255).optional();

/** Query parameters without the unset ones. */
export function query<T extends Record<string, string | number | boolean | string[] | undefined>>(
  params: T,
): Record<string, string | number | boolean | string[]> {
  const out: Record<string, string | number | boolean | string[]> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = value;
  return out;
}

/*
 * PUT inputs declare only the fields Okta reads. The read-only fields of a GET result (created, _links, …)
 * that an assistant passes back are stripped by the schema (zod objects drop undeclared keys), so they are
 * accepted without costing every tools/list a dozen described properties.
 */

/** The refinement of PUT inputs: the body `id` names the same object as the path id. */
export function sameId<K extends string>(pathKey: K) {
  return (input: { id: string } & Record<K, string>, ctx: z.RefinementCtx) => {
    if (input.id !== input[pathKey]) {
      ctx.addIssue({
        code: "custom",
        path: ["id"],
        message: `id (${input.id}) must equal ${pathKey} (${input[pathKey]}): the body and the path name the same object`,
      });
    }
  };
}

// ---- Okta ----

/** Okta ids are 20 base62 characters (upstream-apis §1.3); nothing else may reach a URL path. */
export const OKTA_ID = /^[0-9A-Za-z]{20}$/;
/** `orn:{partition}:{service}:{orgId}:{objectType}:{objectId…}`, no whitespace. */
export const ORN = /^orn:[a-z-]+:[a-z-]+:[0-9A-Za-z]+:[a-z-]+:\S+$/;

/**
 * An Okta id (20 letters and digits). A field whose name says what it names (userId, appId…) needs no
 * description: the server's instructions list the id prefixes once.
 */
export function oktaId(description?: string) {
  const id = z.string().regex(OKTA_ID, "must be an Okta id: 20 letters and digits");
  return description === undefined ? id : id.describe(description);
}

/** An Okta Resource Name. */
export function orn(description: string) {
  return z
    .string()
    .max(512)
    .regex(ORN, "must be an ORN like orn:okta:idp:00o…:apps:salesforce:0oa…")
    .describe(description);
}

/** `{ externalId: "0oa…", type: "APPLICATION" }`. */
export const appRef = z
  .object({
    externalId: oktaId(),
    type: z.literal("APPLICATION"),
  })
  .describe("The app.");

/** `{ externalId: "00u…", type: "OKTA_USER" }`. */
export const principalRef = z
  .object({
    externalId: oktaId(),
    type: z.literal("OKTA_USER"),
  })
  .describe("The user.");

/**
 * Entitlement references as bundles and grants carry them: `[{ id: esp…, values?: [{ id: ent… }] }]`.
 * `values`, when given, names 1-1000 values (the spec's minLength 1 on the array); left out, the reference
 * names the entitlement alone.
 */
export const entitlementRefs = z
  .array(
    z.object({
      id: oktaId(),
      values: z
        .array(z.object({ id: oktaId() }))
        .min(1)
        .max(1000)
        .optional(),
    }),
  )
  .max(1000);

/*
 * The paging and attribute fields below carry no description: the server's instructions explain them once
 * for every tool (src/mcp/instructions.ts, SHARED_FIELDS).
 */

/** `limit`: bounded as Okta bounds it; the default is Okta's (it differs by list), not applied here. */
export const pageLimit = z.int().min(1).max(200).optional();

export const after = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[^\s"]+$/, "must be a cursor exactly as nextCursor returned it")
  .optional();

/** A sort such as `name asc`; `several` allows a comma-separated list. */
export function orderBy(description: string, several = false) {
  const one = "[A-Za-z][A-Za-z0-9_.]*( (asc|desc))?";
  const pattern = several ? new RegExp(`^${one}(,${one})*$`) : new RegExp(`^${one}$`);
  return z
    .string()
    .max(200)
    .regex(
      pattern,
      `must be a field and a direction, like "name asc"${several ? ' or "lastUpdated asc,id asc"' : ""}`,
    )
    .optional()
    .describe(description);
}

/** `<prefix>.externalId eq "<appId>" AND <prefix>.type eq "APPLICATION"`: the resource clause. */
export function appClause(prefix: "parent" | "target") {
  return (appId: string): string =>
    `${eqClause(`${prefix}.externalId`, appId)} AND ${eqClause(`${prefix}.type`, "APPLICATION")}`;
}

/** `targetPrincipal.externalId eq "<userId>" AND targetPrincipal.type eq "OKTA_USER"`. */
export function principalClause(userId: string): string {
  return `${eqClause("targetPrincipal.externalId", userId)} AND ${eqClause("targetPrincipal.type", "OKTA_USER")}`;
}

// ---- Atomicwork ----

/** Atomicwork ids are int64; real ones stay far below 10^12, and a bound keeps the schema honest. */
export const ATOMICWORK_MAX_ID = 999_999_999_999;

/** An Atomicwork id (a positive integer). */
export function atomicworkId(description?: string) {
  const id = z.int().min(1).max(ATOMICWORK_MAX_ID);
  return description === undefined ? id : id.describe(description);
}

/** Atomicwork's page number; the next one comes back as nextCursor. */
export const page = z.int().min(1).max(100_000).optional();

/** Atomicwork's page size. */
export const perPage = z.int().min(1).max(100).optional();

// ---- SailPoint IdentityIQ (SCIM) ----

/** An IdentityIQ id: 32 lowercase hex characters. */
export const IIQ_ID = /^[0-9a-f]{32}$/;

/** An IdentityIQ id (32 hex). */
export function iiqId(description: string) {
  return z
    .string()
    .regex(IIQ_ID, "must be an IdentityIQ id: 32 lowercase hex characters")
    .describe(description);
}

/** A name IdentityIQ looks up in a URL path: printable, no path or query characters. */
export function iiqName(description: string) {
  return z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\?#%\p{Cc}]+$/u, "must be a name without / \\ ? # % or control characters")
    .refine((name) => name !== "." && name !== "..", "must not be . or ..")
    .describe(description);
}

/** A raw SCIM filter as IdentityIQ reads it (RFC 7644's grammar; each resource supports a subset). */
export function iiqFilter(description: string) {
  return scimFilter(description, RFC_7644_FILTERS);
}

/**
 * SCIM attribute names, comma-separated; a space after a comma is fine (the spec's examples write one), and
 * inside a URN-qualified name (an application's name in an account schema). Nothing that could end the
 * query value (&, =, #, ?).
 */
const attributeList = z
  .string()
  .max(1000)
  .regex(/^[\w.:$-]+(?:[ ,]+[\w.:$-]+)*$/, "must be comma-separated attribute names")
  .optional();
/** Only these attributes (and id, schemas, meta). */
export const attributes = attributeList;
/** Attributes to leave out; `attributes` wins over it. */
export const excludedAttributes = attributeList;

/**
 * SCIM paging (RFC 7644 §3.4.2.4) sets no cap: the bound only keeps the schema finite (a bare int renders
 * ±2^53), far above any real catalog.
 */
const SCIM_MAX = 999_999_999;

/** The 1-based index of the first result; 0 is read as 1, as SCIM reads anything below 1. */
export const startIndex = z.int().min(0).max(SCIM_MAX).optional();

/** SCIM page size, uncapped as SCIM is: 0 asks for the total only; IdentityIQ's default as its spec says. */
export const scimCount = z.int().min(0).max(SCIM_MAX).optional();

/** SCIM sorting (RFC 7644 §3.4.2.3). */
export const sortBy = z
  .string()
  .max(200)
  .regex(/^[A-Za-z][A-Za-z0-9_.:$-]*$/, "must be an attribute name")
  .optional();
export const sortOrder = z.enum(["ascending", "descending"]).optional();
