import { z } from "zod";
import { defineOperation, type Effect, type GuardRead, type Preview } from "../../src/core/operation.js";
import { quote } from "../../src/core/sanitize.js";
import { pageHeader } from "../lists.js";
import { isoDateTime, listOutput, optStr, query } from "../params.js";

const READ = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;
const ROUTE = "/api/v1/iga";

/** Atomicwork ids are int64; real ones stay far below 10^12, and a bound keeps the schema honest. */
const MAX_ID = 999_999_999_999;
const int64 = (description: string) => z.int().min(1).max(MAX_ID).describe(description);
const page = z
  .int()
  .min(1)
  .max(100_000)
  .optional()
  .describe("Page number from 1; nextCursor gives the next.");
const perPage = z.int().min(1).max(100).optional().describe("Page size, 1-100 (default 25).");
/** The path carries it as a string: digits only, so nothing but an id can reach the URL. */
const grantId = z
  .union([z.int().min(1).max(MAX_ID), z.string().regex(/^[1-9]\d{0,11}$/, "must be a numeric grant id")])
  .describe("Grant id (atomicwork_search_grants).");

const dateTime = (description: string) => isoDateTime.optional().describe(description);
const optNum = z.union([z.number(), z.string()]).nullish();
const ref = z.looseObject({ id: optNum, name: optStr }).nullish();
const entitlementOut = z.looseObject({
  id: optNum,
  name: optStr,
  app_id: optNum,
  type: optStr,
  status: optStr,
  description: optStr,
});
const appOut = z.looseObject({ id: optNum, name: optStr, provider: optStr });
const grantOut = z.looseObject({
  id: optNum,
  status: optStr,
  user: ref,
  entitlement: ref,
  app: ref,
  expires_at: optStr,
  updated_at: optStr,
  revocation_status: z.looseObject({ status: optStr }).nullish(),
});
const historyOut = z.looseObject({ event_type: optStr, event_at: optStr, event_by: z.unknown().optional() });
type GrantOut = z.output<typeof grantOut>;

const providerEnum = z.enum([
  "OKTA",
  "AZURE_AD",
  "MS_INTUNE",
  "JUMPCLOUD",
  "GOOGLE_WORKSPACE",
  "TUEBORA",
  "MANUAL",
]);
const provisioningValue = z
  .object({
    label: z.string().max(255).optional().describe("Group name (Okta/Azure) or workspace name (manual)."),
    value: z.string().min(1).max(255).describe("Group id (Okta/Azure) or workspace id (manual)."),
    icon: z
      .object({
        name: z.string().max(255).optional(),
        type: z.string().max(64).optional(),
        url: z.string().max(2000).nullish(),
      })
      .optional()
      .describe("Icon shown for the group."),
  })
  .describe("The group or workspace provisioned.");
const config = (kind: "PROVISIONING" | "DEPROVISIONING") =>
  z
    .object({
      provider: providerEnum,
      type: z
        .enum([
          `OKTA_GROUP_${kind}`,
          `AZURE_GROUP_${kind}`,
          `INTUNE_GROUP_${kind}`,
          `JUMPCLOUD_GROUP_${kind}`,
          `GOOGLE_WORKSPACE_GROUP_${kind}`,
          `MANUAL_${kind}`,
        ])
        .describe("How access is given or taken."),
      value: provisioningValue,
    })
    .optional()
    .describe(kind === "PROVISIONING" ? "How a grant gives access." : "How a revocation takes access away.");

const filterSchema = z.object({
  attribute: z
    .enum([
      "status",
      "user",
      "app",
      "entitlement",
      "entitlement_value",
      "granted_at",
      "expires_at",
      "last_login_at",
    ])
    .describe(
      "status (ACTIVE, INACTIVE, REVOKED buckets), user, app, entitlement (ids), entitlement_value, dates.",
    ),
  operator: z
    .enum([
      "EQUALS",
      "NOT_EQUALS",
      "CONTAINS",
      "NOT_CONTAINS",
      "IN",
      "NOT_IN",
      "GREATER_THAN",
      "LESS_THAN",
      "GREATER_THAN_EQUALS",
      "LESS_THAN_EQUALS",
      "IS_BETWEEN",
      "IS_NULL",
      "IS_NOT_NULL",
      "STARTS_WITH",
      "ENDS_WITH",
      "TEXT_CONTAINS",
      "TEXT_DOES_NOT_CONTAINS",
      "IS_ANY_OF",
      "IS_NOT_ANY_OF",
      "IS_EXACTLY",
      "IS_ON_OR_BEFORE",
      "IS_ON_OR_AFTER",
      "IS_WITHIN",
    ])
    .describe("The comparison; IS_BETWEEN takes exactly two values."),
  values: z
    .array(
      z.object({ value: z.union([z.string().max(255), z.number()]).describe("A value to compare with.") }),
    )
    .max(100)
    .describe("Values: [{value}]."),
});

const grantLine = (g: GrantOut) =>
  `- grant ${g.id ?? "?"} ${g.status ?? "?"}: ${g.user?.name ?? g.user?.id ?? "?"} has ${g.entitlement?.name ?? g.entitlement?.id ?? "?"} in ${g.app?.name ?? g.app?.id ?? "?"}${g.expires_at ? `, expires ${g.expires_at}` : ""}`;

const items = (body: unknown): Record<string, unknown>[] => {
  const list = Array.isArray(body) ? body : (body as { items?: unknown[] } | undefined)?.items;
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
};

/** A read of one grant through the search (Atomicwork has no GET of a single grant). */
const grantRead = <I extends { grant_id: number | string }>(): GuardRead<I> => ({
  key: "grant",
  route: `POST ${ROUTE}/grants/list`,
  params: (i) => ({ query: { ids: String(i.grant_id) }, body: [] }),
});
const grantOf = (state: Readonly<Record<string, unknown>>) => items(state.grant)[0] as GrantOut | undefined;

/** Upstream names in previews: quoted, on one line, bounded. */
const q = (value: unknown) => quote(value === undefined || value === null ? "?" : String(value), 80);

/** Atomicwork has no GET of one entitlement: the guard reads catalog pages (of one app when known). */
const CATALOG_PAGES = 3;
const catalogRead = <I>(
  appOf: (input: I, state: Readonly<Record<string, unknown>>) => unknown,
): GuardRead<I> => ({
  key: "catalog",
  route: `GET ${ROUTE}/entitlements`,
  optional: true,
  params: (input, state) => {
    const app = appOf(input, state);
    return Array.from({ length: CATALOG_PAGES }, (_, n) => ({
      query: {
        per_page: 100,
        page: n + 1,
        ...(app === undefined || app === null ? {} : { app_id: String(app) }),
      },
    }));
  },
});
const catalogEntry = (state: Readonly<Record<string, unknown>>, id: unknown) =>
  (Array.isArray(state.catalog) ? state.catalog : [state.catalog])
    .flatMap((page) => items(page))
    .find((e) => id !== undefined && id !== null && String(e.id) === String(id));

/** What an entitlement provisions, from its provisioning_config: the group a grant adds the user to. */
function provisioning(entitlement: Record<string, unknown> | undefined): string {
  if (!entitlement) return "what it provisions could not be read";
  const config = entitlement.provisioning_config as
    | { provider?: unknown; type?: unknown; value?: { label?: unknown; value?: unknown } }
    | null
    | undefined;
  if (!config) return "it provisions nothing automatically (no provisioning_config)";
  const label = config.value?.label;
  const group = config.value?.value;
  return `provisions ${q(config.type)} ${label ? `${q(label)} ` : ""}(${q(group)}) through ${q(config.provider)}`;
}

const who = (g: GrantOut | undefined, fallback: string) =>
  `${g?.user?.name ? q(g.user.name) : `user ${fallback}`} has ${q(g?.entitlement?.name)} (${g?.entitlement?.id ?? "?"}) in ${q(g?.app?.name)}`;

export const atomicworkOperations = [
  defineOperation({
    name: "atomicwork_list_apps",
    title: "List Atomicwork apps",
    description:
      "Lists the identity apps Atomicwork governs (Okta, Azure AD, Google Workspace…), optionally by name.",
    provider: "atomicwork",
    route: `GET ${ROUTE}/apps`,
    input: z.object({
      search_key: z.string().min(1).max(255).optional().describe("Part of the app's name."),
      page,
      per_page: perPage,
    }),
    output: listOutput(appOut),
    annotations: READ,
    guard: "none",
    paging: "page-number",
    summarize: (out) =>
      [
        pageHeader(out, "apps", undefined, "nextCursor"),
        ...out.items.map((a) => `- ${a.name ?? "?"} (${a.id ?? "?"}) ${a.provider ?? ""}`),
      ].join("\n"),
  }),

  defineOperation({
    name: "atomicwork_list_entitlements",
    title: "List Atomicwork entitlements",
    description:
      "Lists Atomicwork IGA entitlements, optionally by name, app, type or status. Use the ids in atomicwork_create_grant.",
    provider: "atomicwork",
    route: `GET ${ROUTE}/entitlements`,
    input: z.object({
      search_key: z.string().min(1).max(255).optional().describe("Part of the entitlement's name."),
      app_id: int64("Only this app's (atomicwork_list_apps).").optional(),
      type: z.enum(["GROUP", "ROLE"]).optional().describe("GROUP or ROLE."),
      status: z.enum(["DRAFT", "PUBLISHED"]).optional().describe("DRAFT or PUBLISHED."),
      page,
      per_page: perPage,
    }),
    output: listOutput(entitlementOut),
    annotations: READ,
    guard: "none",
    paging: "page-number",
    summarize: (out) =>
      [
        pageHeader(out, "entitlements", undefined, "nextCursor"),
        ...out.items.map(
          (e) =>
            `- ${e.name ?? "?"} (${e.id ?? "?"}) ${e.type ?? ""} ${e.status ?? ""}, app ${e.app_id ?? "?"}`,
        ),
      ].join("\n"),
  }),

  defineOperation({
    name: "atomicwork_create_entitlement",
    title: "Create an Atomicwork entitlement",
    description:
      "Creates an IGA entitlement in an app, with how a grant provisions it (e.g. an Okta group) and how a revocation deprovisions it.",
    provider: "atomicwork",
    route: `POST ${ROUTE}/entitlements`,
    input: z.object({
      name: z.string().min(1).max(255).describe("Name of the entitlement."),
      app_id: int64("The app it belongs to (atomicwork_list_apps)."),
      description: z.string().min(1).max(1000).optional().describe("Description."),
      status: z.enum(["UNPUBLISHED", "PUBLISHED"]).optional().describe("UNPUBLISHED (default) or PUBLISHED."),
      provisioning_config: config("PROVISIONING"),
      deprovisioning_config: config("DEPROVISIONING"),
    }),
    output: entitlementOut,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    // Effects: a new entitlement nobody holds yet (create).
    guard: {
      effects: ["create"],
      reads: [],
      preview: (input) => ({
        summary: `Create the Atomicwork entitlement ${q(input.name)} in app ${input.app_id}; it ${provisioning(input)}.`,
        details: [],
        effects: [{ kind: "create" }],
        targetIds: [String(input.app_id)],
      }),
    },
    summarize: (out) =>
      `Created entitlement '${out.name ?? "?"}' (${out.id ?? "?"}) in app ${out.app_id ?? "?"}, ${out.status ?? "?"}.`,
  }),

  defineOperation({
    name: "atomicwork_search_grants",
    title: "Search Atomicwork grants",
    description:
      "Finds grants (who holds which entitlement) with filters, e.g. status ACTIVE and entitlement IN [ids]. Only reads. Pass nextCursor as next_page_token.",
    provider: "atomicwork",
    route: `POST ${ROUTE}/grants/list`,
    input: z.object({
      filters: z
        .array(filterSchema)
        .max(20)
        .optional()
        .describe("Filters, all of which must match (default none)."),
      search_key: z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("Text in the user's or the entitlement's name."),
      app_id: int64("Only this app's grants.").optional(),
      ids: z
        .string()
        .regex(/^\d{1,19}(,\d{1,19})*$/, "must be comma-separated grant ids")
        .max(2000)
        .optional()
        .describe("Only these grant ids, comma-separated."),
      sort_order: z
        .enum([
          "CREATED_AT_ASC",
          "CREATED_AT_DESC",
          "UPDATED_AT_ASC",
          "UPDATED_AT_DESC",
          "NAME_ASC",
          "NAME_DESC",
          "GRANTED_AT_ASC",
          "GRANTED_AT_DESC",
          "EXPIRES_AT_ASC",
          "EXPIRES_AT_DESC",
        ])
        .optional()
        .describe("Sort order."),
      page,
      per_page: perPage,
      next_page_token: z
        .string()
        .max(512)
        .regex(/^[\w-]+$/, "must be a token exactly as nextCursor returned it")
        .optional()
        .describe("The nextCursor of the previous page; takes priority over page."),
    }),
    output: listOutput(grantOut),
    annotations: READ,
    guard: "none",
    paging: "page-number",
    request: (input) => ({
      query: query({
        search_key: input.search_key,
        app_id: input.app_id,
        ids: input.ids,
        sort_order: input.sort_order,
        page: input.page,
        per_page: input.per_page,
        next_page_token: input.next_page_token,
      }),
      body: input.filters ?? [],
    }),
    summarize: (out) =>
      [pageHeader(out, "grants", undefined, "nextCursor"), ...out.items.map(grantLine)].join("\n"),
  }),

  defineOperation({
    name: "atomicwork_create_grant",
    title: "Grant an Atomicwork entitlement",
    description:
      "Gives a user an entitlement directly (no approval workflow); Atomicwork provisions it (e.g. adds the Okta group). Asks a person to confirm.",
    provider: "atomicwork",
    route: `POST ${ROUTE}/grants`,
    input: z.object({
      user_id: int64("The user to grant to."),
      entitlement_id: int64("The entitlement (atomicwork_list_entitlements)."),
      policy_id: int64("The access policy it is granted under.").optional(),
      policy_key: z.string().min(1).max(255).optional().describe("Or the policy's key."),
      granted_by: int64("Who grants it (default: the API key's owner).").optional(),
      granted_at: dateTime("When (default now)."),
    }),
    output: grantOut,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    // Effects: the user gains the entitlement, and Atomicwork provisions it (grant).
    guard: {
      effects: ["grant"],
      reads: [
        {
          key: "existing",
          route: `POST ${ROUTE}/grants/list`,
          params: (i) => ({
            query: { per_page: 100 },
            body: [
              { attribute: "user", operator: "EQUALS", values: [{ value: i.user_id }] },
              { attribute: "status", operator: "EQUALS", values: [{ value: "ACTIVE" }] },
            ],
          }),
        },
        catalogRead(() => undefined),
      ],
      preview: (input, state): Preview => {
        const existing = items(state.existing) as GrantOut[];
        const entitlement = catalogEntry(state, input.entitlement_id);
        const user = existing[0]?.user?.name ? q(existing[0].user.name) : `user ${input.user_id}`;
        const name = entitlement
          ? `${q(entitlement.name)} (${input.entitlement_id})`
          : `entitlement ${input.entitlement_id}`;
        const already = existing.filter((g) => Number(g.entitlement?.id) === input.entitlement_id);
        return {
          summary: `Grant ${user} the Atomicwork entitlement ${name}${entitlement ? ` in app ${String(entitlement.app_id)}` : ""}.`,
          details: [
            `It ${provisioning(entitlement)}.`,
            already.length > 0
              ? `The user already holds it through ${already.map((g) => `grant ${g.id}`).join(", ")}.`
              : "The user does not hold it yet; Atomicwork provisions it directly, without an approval workflow.",
            `The user's other active grants: ${existing.length}.`,
          ],
          effects: [{ kind: "grant", on: String(input.user_id) }],
          targetIds: [String(input.user_id), String(input.entitlement_id)],
        };
      },
      version: (state) =>
        (items(state.existing) as GrantOut[])
          .map((g) => `${g.id}@${g.updated_at}`)
          .sort()
          .join(","),
    },
    summarize: (out) => `Granted: ${grantLine(out).slice(2)}.`,
  }),

  defineOperation({
    name: "atomicwork_update_grant",
    title: "Update an Atomicwork grant",
    description:
      "Changes a grant's status (GRANTED, EXTENDED, EXPIRED, REVOKED), policy or grant details. To revoke, prefer atomicwork_revoke_grant. Asks a person to confirm.",
    provider: "atomicwork",
    route: `PUT ${ROUTE}/grants/{grant_id}`,
    input: z.object({
      grant_id: grantId,
      status: z.enum(["GRANTED", "EXPIRED", "EXTENDED", "REVOKED"]).optional().describe("The new status."),
      policy_id: int64("The policy it is held under.").optional(),
      policy_key: z.string().min(1).max(255).optional().describe("Or the policy's key."),
      granted_by: int64("Who granted it.").optional(),
      granted_at: dateTime("When it was granted."),
    }),
    output: grantOut,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: REVOKED or EXPIRED takes the access (revoke), GRANTED or EXTENDED gives or prolongs it
    // (grant); a policy or grant date can change when it ends (unknown).
    guard: {
      effects: ["grant", "revoke", "unknown"],
      reads: [grantRead(), catalogRead((_i, state) => grantOf(state)?.app?.id)],
      preview: (input, state): Preview => {
        const g = grantOf(state);
        const changes = [
          input.status && `status ${q(g?.status)} -> ${input.status}`,
          input.policy_id && `policy -> ${input.policy_id}`,
          input.policy_key && `policy -> ${q(input.policy_key)}`,
          input.granted_by && `granted_by -> ${input.granted_by}`,
          input.granted_at && `granted_at -> ${input.granted_at}`,
        ].filter(Boolean) as string[];
        const effects: Effect[] = [];
        const on = String(input.grant_id);
        if (!g) effects.push({ kind: "unknown", on });
        if (input.status && input.status !== g?.status) {
          effects.push({
            kind: input.status === "REVOKED" || input.status === "EXPIRED" ? "revoke" : "grant",
            on,
          });
        }
        if (input.policy_id || input.policy_key || input.granted_by || input.granted_at) {
          effects.push({ kind: "unknown", on });
        }
        return {
          summary: `Update grant ${input.grant_id}: ${who(g, "?")}.`,
          details: [
            ...(changes.length ? changes : ["no field changes"]),
            `The entitlement ${provisioning(catalogEntry(state, g?.entitlement?.id))}.`,
            ...(input.status === "REVOKED" || input.status === "EXPIRED"
              ? ["The user loses this access."]
              : []),
          ],
          effects,
          targetIds: [String(input.grant_id)],
        };
      },
      version: (state) => grantOf(state)?.updated_at ?? undefined,
    },
    request: (input) => {
      const { grant_id, ...body } = input;
      return { path: { grant_id: String(grant_id) }, query: {}, body };
    },
    summarize: (out) => `Updated: ${grantLine(out).slice(2)}.`,
  }),

  defineOperation({
    name: "atomicwork_revoke_grant",
    title: "Revoke an Atomicwork grant",
    description:
      "Revokes a grant. skip_deprovisioning true (the default) only marks it REVOKED; false also removes the access in the identity provider (or opens a manual request). Asks a person to confirm.",
    provider: "atomicwork",
    route: `POST ${ROUTE}/grants/{grant_id}/revoke`,
    input: z.object({
      grant_id: grantId,
      reason: z.string().min(1).max(1000).optional().describe("Why, for the record."),
      skip_deprovisioning: z
        .boolean()
        .optional()
        .describe(
          "true (default): mark REVOKED only; false: also remove the access in the identity provider.",
        ),
    }),
    output: grantOut,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: the user loses the entitlement (revoke).
    guard: {
      effects: ["revoke"],
      reads: [grantRead(), catalogRead((_i, state) => grantOf(state)?.app?.id)],
      preview: (input, state): Preview => {
        const g = grantOf(state);
        return {
          summary: `Revoke grant ${input.grant_id}: ${who(g, "?")}.`,
          details: [
            `The entitlement ${provisioning(catalogEntry(state, g?.entitlement?.id))}.`,
            input.skip_deprovisioning === false
              ? "Atomicwork also removes the access in the identity provider (or opens a manual request)."
              : "Marked REVOKED only: nothing is removed in the identity provider (skip_deprovisioning defaults to true).",
            ...(g?.status && g.status !== "GRANTED" && g.status !== "EXTENDED"
              ? [`The grant is already ${q(g.status)}.`]
              : []),
            ...(input.reason ? [`Reason: ${q(input.reason)}`] : []),
          ],
          effects: [{ kind: "revoke", on: String(input.grant_id) }],
          targetIds: [String(input.grant_id)],
        };
      },
      version: (state) => grantOf(state)?.updated_at ?? undefined,
    },
    request: (input) => {
      const { grant_id, ...body } = input;
      return { path: { grant_id: String(grant_id) }, query: {}, body };
    },
    summarize: (out) =>
      `Revoked: ${grantLine(out).slice(2)}${out.revocation_status?.status ? ` (deprovisioning ${out.revocation_status.status})` : ""}.`,
  }),

  defineOperation({
    name: "atomicwork_get_grant_history",
    title: "Atomicwork grant history",
    description: "Lists a grant's history: when it was granted, extended, revoked or expired, and by whom.",
    provider: "atomicwork",
    route: `GET ${ROUTE}/grants/{grant_id}/history`,
    input: z.object({
      grant_id: grantId,
      page,
      per_page: perPage,
      sort_order: z
        .enum(["CREATED_AT_ASC", "CREATED_AT_DESC", "UPDATED_AT_ASC", "UPDATED_AT_DESC"])
        .optional()
        .describe("Newest first by default."),
    }),
    output: listOutput(historyOut),
    annotations: READ,
    guard: "none",
    paging: "page-number",
    request: (input) => ({
      path: { grant_id: String(input.grant_id) },
      query: query({ page: input.page, per_page: input.per_page, sort_order: input.sort_order }),
    }),
    summarize: (out, input) =>
      [
        `History of grant ${input.grant_id}: ${pageHeader(out, "events", undefined, "nextCursor")}`,
        ...out.items.map((e) => `- ${e.event_at ?? "?"} ${e.event_type ?? "?"}`),
      ].join("\n"),
  }),
];
