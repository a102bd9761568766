import { z } from "zod";
import { DESTRUCTIVE_IDEMPOTENT, defineOperation, READ, WRITE } from "../../src/core/operation.js";
import { listSummary } from "../lists.js";
import { atomicworkId, listOutput, optNum, optStr, page, perPage, query } from "../params.js";
import { grantApp, grantLine, pageHint } from "./previews/describe.js";
import { updatedGrant } from "./previews/found.js";
import {
  createGrantPreview,
  createGrantVersion,
  grantVersion,
  revokeGrantPreview,
  updateGrantPreview,
} from "./previews/grants.js";
import { activeGrantsRead, catalogRead, grantRead, grantsByIdRoute } from "./previews/reads.js";

/** An integer, as the spec types the grant id of revoke and history (and of every grant it returns). */
const grantId = atomicworkId();

/** RFC 3339, as the spec's `format: date-time` (seconds included). */
const dateTime = (description: string) =>
  z
    .string()
    .regex(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
      "must be a date-time like 2026-01-31T17:00:00Z",
    )
    .optional()
    .describe(description);
const ref = z.looseObject({ id: optNum, name: optStr }).nullish();
/**
 * A grant as the spec's descriptions name its fields ("its id, resolved status, entitlement, app, and
 * provisioning details"; "user info, entitlement, app, policy, provisioning status, revocation status,
 * and timestamps"). The schema promises no field, so every one is optional.
 */
const grantOut = z.looseObject({
  id: optNum,
  status: optStr,
  type: optStr,
  user: ref,
  entitlement: ref,
  app: ref,
  policy: z.looseObject({ id: optNum, key: optStr, name: optStr }).nullish(),
  provider: optStr,
  provisioning_status: optStr,
  revocation_status: z.looseObject({ status: optStr, schedule_id: optStr }).nullish(),
  granted_at: optStr,
  expires_at: optStr,
  updated_at: optStr,
});
const historyOut = z.looseObject({ event_type: optStr, event_at: optStr, event_by: z.unknown().optional() });
export type GrantOut = z.output<typeof grantOut>;

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
    .describe("What to compare: status, user, app, entitlement (ids), entitlement_value, dates."),
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
      // Loose: `nested_filter`, which the spec types only as "Any type", goes to Atomicwork as given.
      z.looseObject({
        value: z.union([z.string().max(255), z.number()]).describe("A value to compare with."),
      }),
    )
    .max(100)
    .optional()
    .describe("[{value}]; none for IS_NULL."),
});

const createInput = z.object({
  user_id: atomicworkId("The user to grant to."),
  entitlement_id: atomicworkId("The entitlement (atomicwork_list_entitlements)."),
  policy_id: atomicworkId("The access policy it is granted under.").optional(),
  policy_key: z.string().min(1).max(255).optional().describe("Or the policy's key."),
  granted_by: atomicworkId("Who grants it (default: the API key's owner).").optional(),
  granted_at: dateTime("When (default now)."),
});

const updateInput = z.object({
  grant_id: grantId,
  status: z.enum(["GRANTED", "EXPIRED", "EXTENDED", "REVOKED"]).optional(),
  policy_id: atomicworkId("The policy it is held under.").optional(),
  policy_key: z.string().min(1).max(255).optional().describe("Or the policy's key."),
  granted_by: atomicworkId("Who granted it.").optional(),
  granted_at: dateTime("When it was granted."),
});

const revokeInput = z.object({
  grant_id: grantId,
  reason: z.string().min(1).max(1000).optional().describe("Why, for the record."),
  skip_deprovisioning: z
    .boolean()
    .optional()
    .describe("false: also remove the access in the identity provider."),
});

export type CreateGrantInput = z.output<typeof createInput>;
export type UpdateGrantInput = z.output<typeof updateInput>;
export type RevokeGrantInput = z.output<typeof revokeInput>;

export const atomicworkGrantOperations = [
  defineOperation({
    name: "atomicwork_search_grants",
    title: "Search Atomicwork grants",
    description:
      "Finds grants (who holds which entitlement) with filters, e.g. status ACTIVE and entitlement IN [ids]. Pass nextCursor as next_page_token.",
    provider: "atomicwork",
    route: "POST /api/v1/iga/grants/list",
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
      app_id: atomicworkId("Only this app's grants.").optional(),
      ids: z
        .string()
        .regex(/^\d{1,19}(,\d{1,19})*$/, "must be comma-separated grant ids")
        .max(2000)
        .optional()
        .describe("Only these grant ids, comma-separated."),
      policy_id: z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("Only grants under this policy (its UUID key)."),
      sort_order: z
        .enum([
          "CREATED_AT_ASC",
          "CREATED_AT_DESC",
          "UPDATED_AT_ASC",
          "UPDATED_AT_DESC",
          "NAME_ASC",
          "NAME_DESC",
          "PUBLISHED_DESC",
          "UNPUBLISHED_DESC",
          "EXPIRES_AT_ASC",
          "EXPIRES_AT_DESC",
          "GRANTED_AT_ASC",
          "GRANTED_AT_DESC",
        ])
        .optional()
        .describe("Sort order, e.g. GRANTED_AT_DESC (newest first)."),
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
    // The filters are the body; everything else goes in the query of this POST.
    request: ({ filters, ...rest }) => ({ query: query(rest), body: filters ?? [] }),
    summarize: (out, input) =>
      listSummary(out, "grants", (g) => `- ${grantLine(g)}`, { cursor: "nextCursor" }) + pageHint(out, input),
  }),

  defineOperation({
    name: "atomicwork_create_grant",
    title: "Grant an Atomicwork entitlement",
    description:
      "Gives a user an entitlement directly (no approval workflow); Atomicwork provisions it (e.g. adds the Okta group). Asks a person to confirm.",
    provider: "atomicwork",
    route: "POST /api/v1/iga/grants",
    input: createInput,
    output: grantOut,
    annotations: WRITE,
    // Effects: the user gains the entitlement, and Atomicwork provisions it (grant).
    guard: {
      effects: ["grant"],
      reads: [activeGrantsRead, catalogRead()],
      preview: createGrantPreview,
      version: createGrantVersion,
    },
    summarize: (out, input) => `Granted: ${grantLine(out, input)}.`,
  }),

  defineOperation({
    name: "atomicwork_update_grant",
    title: "Update an Atomicwork grant",
    description:
      "Changes a grant's status, policy or details; to revoke, prefer atomicwork_revoke_grant. Asks to confirm.",
    provider: "atomicwork",
    route: "PUT /api/v1/iga/grants/{grant_id}",
    input: updateInput,
    output: grantOut,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: REVOKED or EXPIRED takes the access (revoke), GRANTED or EXTENDED gives or prolongs it
    // (grant); a policy or grant date can change when it ends (unknown).
    guard: {
      effects: ["grant", "revoke", "unknown"],
      reads: [grantRead, catalogRead(grantApp)],
      preview: updateGrantPreview,
      version: grantVersion,
    },
    // Atomicwork answers an update with `{}`: the grant is read back to report what it is now.
    followUp: {
      route: grantsByIdRoute,
      params: (input) => ({ query: { ids: String(input.grant_id) }, body: [] }),
      shape: updatedGrant,
    },
    summarize: (out, input) =>
      out.id === undefined
        ? `Updated grant ${input.grant_id}. Atomicwork answers an update with an empty body and reading the grant back failed: check it with atomicwork_search_grants (ids ${input.grant_id}).`
        : `Updated: ${grantLine(out, input)}.`,
  }),

  defineOperation({
    name: "atomicwork_revoke_grant",
    title: "Revoke an Atomicwork grant",
    description:
      "Revokes a grant. skip_deprovisioning true (default) only marks it REVOKED; false also removes the access in the identity provider. Asks to confirm.",
    provider: "atomicwork",
    route: "POST /api/v1/iga/grants/{grant_id}/revoke",
    input: revokeInput,
    output: grantOut,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: the user loses the entitlement (revoke).
    guard: {
      effects: ["revoke"],
      reads: [grantRead, catalogRead(grantApp)],
      preview: revokeGrantPreview,
      version: grantVersion,
    },
    summarize: (out, input) =>
      `Revoked: ${grantLine(out, input)}${out.revocation_status?.status ? ` (deprovisioning ${out.revocation_status.status})` : ""}.`,
  }),

  defineOperation({
    name: "atomicwork_get_grant_history",
    title: "Atomicwork grant history",
    description: "Lists a grant's history: when it was granted, extended, revoked or expired, and by whom.",
    provider: "atomicwork",
    route: "GET /api/v1/iga/grants/{grant_id}/history",
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
    summarize: (out, input) =>
      `History of grant ${input.grant_id}: ${listSummary(out, "events", (e) => `- ${[e.event_at, e.event_type].filter(Boolean).join(" ") || "an event without time or type"}`, { cursor: "nextCursor" })}${pageHint(out, input)}`,
  }),
];
