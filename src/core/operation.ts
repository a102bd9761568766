/**
 * The operation vocabulary: one upstream API operation is one declarative `Operation`.
 * No I/O here and nothing imported at runtime but zod, so definitions stay pure data that can be
 * listed, documented and snapshotted without credentials (DESIGN §3, style.md §6.3).
 */
import type { z } from "zod";

export type Provider = "okta" | "atomicwork" | "sailpoint-iiq";
/** How each provider is named to people and the model (error messages, search, resources). */
export const PROVIDER_NAMES: Record<Provider, string> = {
  okta: "Okta",
  atomicwork: "Atomicwork",
  "sailpoint-iiq": "IdentityIQ",
};
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** A route in the upstream docs' own notation: `"DELETE /governance/api/v1/entitlement-bundles/{entitlementBundleId}"`. */
export type Route = `${HttpMethod} /${string}`;

/**
 * How a list endpoint pages: Okta `after` cursors (from `_links.next` or `Link` headers), SCIM
 * `startIndex`/`count`, or Atomicwork page numbers / `next_page_token`.
 */
export type PagingStyle = "okta-cursor" | "scim" | "page-number";

/** All four MCP tool annotations, always set deliberately (never left to SDK defaults). */
export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/*
 * The annotation presets: every definition names one instead of spelling out the four hints, so a tool's
 * safety class reads as one word and the combinations stay few and reviewed.
 */
/** Changes nothing upstream; safe to repeat. */
export const READ: Annotations = Object.freeze({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
});
/** Adds something new and changes nothing that exists; repeating it adds again (a create). */
export const WRITE: Annotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
});
/** Can change or take away what exists; repeating it changes again (a PATCH of operations, a grant). */
export const DESTRUCTIVE: Annotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
});
/** Can change or take away what exists; repeating the same call changes nothing more (PUT, DELETE, revoke). */
export const DESTRUCTIVE_IDEMPOTENT: Annotations = Object.freeze({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: true,
});

/** Query values as the client serialises them: arrays are comma-joined (Okta's `include`, `orderBy`). */
export type QueryValue = string | number | boolean | string[] | undefined;

/** What the upstream client needs to send one request; `path` holds the raw (unencoded) route params. */
export interface RequestParts {
  path: Record<string, string>;
  query: Record<string, QueryValue>;
  body?: unknown;
}

/**
 * The convenience fields of a list, declared as a table: each field names the filter clause its value
 * becomes (`appId` -> `parent.externalId eq "0oa…" AND parent.type eq "APPLICATION"`). The clauses are
 * ANDed in the table's order, before the caller's raw `filter`.
 */
export type FilterFields<I> = { [K in keyof I]?: (value: NonNullable<I[K]>) => string };

/** What the guard's reads found so far, by read key: handed to later reads, the preview and the version. */
export type GuardState = Readonly<Record<string, unknown>>;

/** One read the guard makes while composing a preview. */
export interface GuardRead<I> {
  /** Where the result is stored in the state handed to `preview`. */
  key: string;
  /**
   * A read route of the same provider (it need not be a tool; the sandbox serves it). Usually a GET;
   * a search that reads through POST (Atomicwork's grants/list) sends `body`.
   */
  route: Route;
  /**
   * Route params (and optional query) for this read, from the input and the reads made so far.
   * Return an array to make several reads (the state then holds an array), or null to skip it.
   */
  params: (input: I, state: GuardState) => GuardReadParams | GuardReadParams[] | null;
  /**
   * When true, a 400 or 404 leaves `undefined` in the state instead of failing the call (a supporting
   * read; the preview falls back to ids), and the guard counts the effect as unknown: a person confirms.
   * Auth failures and 5xx still fail it.
   */
  optional?: boolean;
  /**
   * A check the upstream may not offer (a separation-of-duties assessment without the licence, a 403):
   * when it fails with a 4xx or 501, the state holds `{ unavailable: "<why>" }` instead (see
   * `unavailableCheck`) and the preview must say so; it never silently omits the check.
   */
  check?: boolean;
}

/** Why a `check` read could not be made, or undefined when its answer is in the state. */
export function unavailableCheck(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const why = (value as { unavailable?: unknown }).unavailable;
  return typeof why === "string" ? why : undefined;
}

export interface GuardReadParams {
  path?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

/**
 * What a write does to access, as a guard policy computes it from the current state (DESIGN §2.4 step 0).
 * The guard decides from these alone whether a person must confirm (`needsConfirmation`), never from the
 * operation's name:
 * - `grant` / `revoke`: someone gains or loses access (a grant, a revocation, a changed expiry).
 * - `remove`: something that gives access is deleted or dropped (an entitlement, a value, a bundle).
 * - `provisioning`: what a thing provisions changes (a value's or entitlement's externalValue, a bundle's
 *   values, its app or status).
 * - `rename`: the name a person sees for a thing changes (a rename can disguise what it provisions).
 * - `describe`: only descriptive text changes.
 * - `create`: a new thing nobody holds yet.
 * - `request`: a request filed into the upstream's own workflow, where a human approver the organisation
 *   named stands between it and the access (the approval is the human gate). A request that may be
 *   auto-approved, or that removes access, is a `grant` or `revoke` instead: the policy must know.
 * - `unknown`: the policy cannot tell (an operation it does not model, a state it could not read).
 */
export type EffectKind =
  | "grant"
  | "revoke"
  | "remove"
  | "provisioning"
  | "rename"
  | "describe"
  | "create"
  | "request"
  | "unknown";

/** Whether anyone holds the thing an effect touches, as far as the reads could tell. */
export type Held = "yes" | "no" | "unknown";

export interface Effect {
  kind: EffectKind;
  /** For `provisioning` and `rename`: whether the thing is held (a change to an unheld thing alters nobody's access). */
  held?: Held;
  /** The id of the thing it touches, for the audit log. */
  on?: string;
}

/**
 * A read sent after a write succeeded, for writes whose answer does not carry what they made or changed
 * (Atomicwork answers an entitlement create and a grant update with `{}`): `shape` turns the write's
 * answer and what the read found into the result. The write has happened, so a failed read never fails
 * the call: `shape` gets `undefined` and says plainly what could not be found.
 */
export interface FollowUp<I> {
  /** A read route of the same provider. */
  route: Route;
  /** The read, from the input and the write's answer; null when the answer already says enough. */
  params: (input: I, answer: unknown) => GuardReadParams | null;
  /** The structured result, from the write's answer and the read's body (undefined: not read). */
  shape: (input: I, answer: unknown, found: unknown) => unknown;
}

/** The concrete change a human is asked to confirm. */
export interface Preview {
  /** One sentence: "Delete entitlement "License" (esp…) of app Salesforce (0oa…)". */
  summary: string;
  /** Concrete consequences, one per line: who gains or loses what, which values are dropped. */
  details: string[];
  /** The access effects of the change: the guard decides from these whether a person must confirm. */
  effects: Effect[];
  /** Ids the change touches, for the audit log. */
  targetIds: string[];
  /**
   * For deletes: the name the person must type to confirm, when the client can elicit (the guard falls
   * back to the first target id when the name is empty or unwieldy once cleaned).
   */
  confirmName?: string;
}

/**
 * A guard policy: the reads that describe the current state, and a pure function that turns them into a
 * preview with the change's effects. Every write has one; reads have `"none"`.
 */
export interface GuardPolicy<I> {
  /**
   * The effects this operation can have, reviewed per tool and written beside its definition. A computed
   * effect outside this list is treated as `unknown` (fail closed).
   */
  effects: readonly EffectKind[];
  reads: GuardRead<I>[];
  preview: (input: I, state: GuardState) => Preview;
  /**
   * Versions of what the preview stated beyond its text (e.g. `lastUpdated` of the target); the guard
   * binds confirmations to this and to the preview itself. Defaults to `state[reads[0].key].lastUpdated`.
   */
  version?: (state: GuardState) => string | undefined;
}

/** Effects that change somebody's access whatever else is known. */
const ALWAYS_CONFIRM: ReadonlySet<EffectKind> = new Set(["grant", "revoke", "remove", "unknown"]);

/**
 * THE rule (DESIGN §2.4 step 0): a change needs a person's confirmation when it changes who holds
 * something, or what a held (or possibly held) thing provisions or is called. Only a change that alters
 * nobody's access passes: descriptive text, a new thing nobody holds, a rename or re-provisioning of
 * something nobody holds. `--confirm-creates` widens it to creates.
 */
export function needsConfirmation(effects: readonly Effect[], options: { confirmCreates: boolean }): boolean {
  return effects.some((e) => {
    if (ALWAYS_CONFIRM.has(e.kind)) return true;
    if (e.kind === "provisioning" || e.kind === "rename") return e.held !== "no";
    if (e.kind === "create") return options.confirmCreates;
    // A human approver decides upstream; `request` is never used where the upstream may approve by itself.
    return false;
  });
}

/** True when some effect this policy declares can need a person's confirmation under these options. */
export function mayNeedConfirmation(
  policy: Pick<GuardPolicy<never>, "effects">,
  options: { confirmCreates: boolean },
): boolean {
  return needsConfirmation(
    policy.effects.map((kind) => ({ kind, held: "unknown" as const })),
    options,
  );
}

export interface Operation<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  provider: Provider;
  route: Route;
  input: I;
  output: O;
  annotations: Annotations;
  /** `"none"` for reads; every write has a policy that computes its effects (DESIGN §2.4 step 0). */
  guard: "none" | GuardPolicy<z.output<I>>;
  /** Only on list routes. */
  paging?: PagingStyle;
  /**
   * Exceptions to the default mapping (path params from the route; the rest into the query for
   * GET/DELETE and into the JSON body otherwise). Used for convenience filter fields, for array bodies
   * (`operations`), or for fields that are sent in the query of a POST.
   */
  request?: (input: z.output<I>) => Partial<RequestParts>;
  /**
   * Turns the upstream body into `structuredContent` when it is not already in the output's shape
   * (lists are shaped by the paging style; single objects pass through).
   */
  shape?: (body: unknown, input: z.output<I>) => unknown;
  /** For a write whose answer does not say what it did: the read that finds out, and the result's shape. */
  followUp?: FollowUp<z.output<I>>;
  /** One short line for the model: a compact summary, not a JSON dump. Pure. */
  summarize: (output: z.output<O>, input: z.output<I>) => string;
}

/** Identity helper: exists so TypeScript infers the input type inside `guard`, `request` and `summarize`. */
export function defineOperation<I extends z.ZodObject, O extends z.ZodObject>(
  op: Operation<I, O>,
): Operation<I, O> {
  return op;
}

/** Operation with its generics erased, for lists that mix operations. */
// biome-ignore lint/suspicious/noExplicitAny: the erased form is only ever called through the registrar.
export type AnyOperation = Operation<any, any>;

/** `"GET /a/{b}"` -> `{ method: "GET", path: "/a/{b}", params: ["b"] }`. */
export interface ParsedRoute {
  method: HttpMethod;
  path: string;
  params: readonly string[];
}

// Routes are a fixed set and every call parses its own: parse each once.
const parsedRoutes = new Map<Route, ParsedRoute>();

export function parseRoute(route: Route): ParsedRoute {
  let parsed = parsedRoutes.get(route);
  if (!parsed) {
    const space = route.indexOf(" ");
    const path = route.slice(space + 1);
    parsed = Object.freeze({
      method: route.slice(0, space) as HttpMethod,
      path,
      params: Object.freeze([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string)),
    });
    parsedRoutes.set(route, parsed);
  }
  return parsed;
}

/** True when the operation can change upstream state (used by `--read-only`). */
export function isMutating(op: AnyOperation): boolean {
  return !op.annotations.readOnlyHint;
}
