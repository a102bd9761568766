/**
 * Okta's access requests (Access Requests v2): a request for a catalog entry filed into Okta's own
 * workflow, for a person, with the requester's field values (the business justification); requests listed
 * and read with their approval and grant status; and messages added to one. Filing needs no confirmation
 * here only when a person approves it in Okta (see previews/requests.ts); otherwise it confirms like a grant.
 */
import { z } from "zod";
import { defineOperation, READ, WRITE } from "../../src/core/operation.js";
import { quote } from "../../src/core/sanitize.js";
import { defineQuery, eq, listSummary } from "../lists.js";
import { listOutput, oktaId, optStr, principalRef, scimFilter } from "../params.js";
import { riskAssessmentOut, riskAssessmentText } from "./entries.js";
import { appRead, bundleRead, userRead } from "./previews/reads.js";
import {
  createRequestPreview,
  createRequestVersion,
  entryApp,
  entryBundle,
  requestReads,
  requestSod,
} from "./previews/requests.js";
import { sodRead } from "./previews/sod.js";

const STATUSES = ["SUBMITTED", "REJECTED", "PENDING", "APPROVED", "DENIED", "CANCELED", "EXPIRED"] as const;
const FIELD_TYPES = ["TEXT", "SELECT", "MULTISELECT", "ISO_DATE", "DURATION", "OKTA_USER_ID"] as const;

/** A request id: `req` and 17 letters and digits. */
const requestIdOf = () =>
  z
    .string()
    .min(20)
    .max(20)
    .regex(/^req[0-9A-Za-z]{17}$/, "must be a request id: req and 17 letters and digits");
const requestId = requestIdOf();

const ref = z.looseObject({ externalId: optStr, type: optStr }).nullish();
const requestOut = z.looseObject({
  id: optStr,
  status: optStr,
  resolved: optStr,
  grantStatus: optStr,
  granted: optStr,
  created: optStr,
  lastUpdated: optStr,
  requestedBy: ref,
  requestedFor: ref,
  requested: z
    .looseObject({ entryId: optStr, resourceId: optStr, accessScopeId: optStr, accessScopeType: optStr })
    .nullish(),
  accessDuration: optStr,
  requesterFieldValues: z
    .array(z.looseObject({ id: optStr, label: optStr, value: optStr, values: z.array(z.string()).nullish() }))
    .nullish(),
  requestApproval: z
    .looseObject({
      status: optStr,
      decided: optStr,
      decisions: z
        .array(z.looseObject({ deciderId: optStr, deciderName: optStr, decision: optStr, decided: optStr }))
        .nullish(),
    })
    .nullish(),
  riskAssessment: riskAssessmentOut,
});
type RequestOut = z.output<typeof requestOut>;

const createInput = z.object({
  requested: z
    .object({
      type: z.enum(["CATALOG_ENTRY"]),
      entryId: oktaId("The catalog entry (cen…; okta_list_requestable_entries)."),
    })
    .describe("What is requested."),
  requestedFor: principalRef.describe("Who needs the access."),
  requestedBy: principalRef.optional().describe("Who asks, when not the API token's admin."),
  requesterFieldValues: z
    .array(
      z.object({
        id: z.string().min(1).max(255).describe("The field id (okta_get_request_fields)."),
        label: z.string().max(1000).optional(),
        type: z.enum(FIELD_TYPES).optional(),
        value: z
          .string()
          .min(1)
          .max(1000)
          .optional()
          .describe("The answer; a justification in the person's words."),
        values: z.array(z.string().min(1).max(280)).max(100).optional().describe("MULTISELECT answers."),
      }),
    )
    .max(100)
    .optional()
    .describe("Answers to the entry's request fields (okta_get_request_fields)."),
});
export type CreateRequestInput = z.output<typeof createInput>;

function requestLine(r: RequestOut): string {
  const what = r.requested;
  const parts = [
    `${what?.accessScopeType === "ENTITLEMENT_BUNDLE" ? "bundle" : "access"} ${what?.accessScopeId ?? "?"}`,
    `entry ${what?.entryId ?? "?"}`,
    `app ${what?.resourceId ?? "?"}`,
    `for ${r.requestedFor?.externalId ?? "?"}`,
  ];
  const grant = r.grantStatus ? `, grant ${r.grantStatus}${r.granted ? ` ${r.granted}` : ""}` : "";
  return `- ${r.id ?? "?"} ${r.status ?? "?"}${grant}: ${parts.join(", ")}; created ${r.created ?? "?"}`;
}

/** Who decided, and what the requester wrote: the lines of one request beyond its headline. */
function requestDetails(r: RequestOut): string[] {
  const lines: string[] = [];
  const decisions = r.requestApproval?.decisions ?? [];
  for (const d of decisions) {
    const who = d.deciderName ? `${quote(d.deciderName, 80)} (${d.deciderId ?? "?"})` : (d.deciderId ?? "?");
    lines.push(`- ${d.decision ?? "?"} by ${who} at ${d.decided ?? "?"}`);
  }
  if (r.status === "APPROVED" && decisions.length === 0)
    lines.push("- approved without an approver (its sequence names none)");
  if (r.status === "PENDING") lines.push("- waiting for its approver in Okta");
  for (const v of r.requesterFieldValues ?? []) {
    lines.push(
      `- ${v.label ? quote(v.label, 80) : v.id}: ${quote(v.value ?? (v.values ?? []).join(", "), 300)}`,
    );
  }
  if (r.accessDuration) lines.push(`- access lasts ${r.accessDuration}`);
  const risk = riskAssessmentText(r.riskAssessment);
  if (risk) lines.push(`- ${risk}`);
  return lines;
}

export const oktaRequestOperations = [
  defineQuery({
    name: "okta_list_access_requests",
    title: "List access requests",
    description:
      "Lists access requests, newest first: status, grant status, what they ask for; optionally by status or person.",
    provider: "okta",
    route: "GET /governance/api/v2/requests",
    input: z.object({
      status: z.enum(STATUSES).optional(),
      requestedFor: oktaId("Only requests for this person (00u…).").optional(),
      filter: scimFilter(
        "Attributes (eq): status, grantStatus, requestedFor, resourceId, resourceType, accessScopeId, accessScopeType; lastUpdated (gt).",
      ).optional(),
      after: requestIdOf().optional(),
      limit: z.int().min(1).max(200).optional().describe("Page size (default 20)."),
      orderBy: z
        .string()
        .max(30)
        .regex(
          /^(created|lastUpdated)( (asc|desc))?$/,
          'must be "created" or "lastUpdated", then asc or desc',
        )
        .optional()
        .describe('"created desc" or "lastUpdated asc".'),
    }),
    output: listOutput(requestOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: { status: eq("status"), requestedFor: eq("requestedFor") },
    summarize: (out) => listSummary(out, "access requests", requestLine),
  }),

  defineQuery({
    name: "okta_get_access_request",
    title: "Get an access request",
    description:
      "Gets one access request: status, who decided and when, whether access was granted, the requester's answers and the risk assessment.",
    provider: "okta",
    route: "GET /governance/api/v2/requests/{requestId}",
    input: z.object({ requestId }),
    output: requestOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => [`Request ${requestLine(out).slice(2)}`, ...requestDetails(out)].join("\n"),
  }),

  defineOperation({
    name: "okta_create_access_request",
    title: "Request access",
    description:
      "Files an access request for a catalog entry, for a person, with the answers to its request fields (okta_get_request_fields). Filed at once when an approver decides in Okta; otherwise asks here first.",
    provider: "okta",
    route: "POST /governance/api/v2/requests",
    input: createInput,
    output: requestOut,
    annotations: WRITE,
    // Effects: a request a person approves in Okta (request); one Okta may approve by itself, or whose
    // approval could not be established, gives access like a grant (grant).
    guard: {
      effects: ["request", "grant"],
      reads: [
        {
          key: "entry",
          route: "GET /governance/api/v2/catalogs/default/entries/{entryId}",
          params: (input: CreateRequestInput) => ({ path: { entryId: input.requested.entryId } }),
        },
        userRead((input: CreateRequestInput) => input.requestedFor.externalId),
        {
          key: "fields",
          route: "GET /governance/api/v2/catalogs/default/entries/{entryId}/users/{userId}/request-fields",
          check: true,
          params: (input) => ({
            path: { entryId: input.requested.entryId, userId: input.requestedFor.externalId },
          }),
        },
        bundleRead(entryBundle, { key: "bundle", optional: true }),
        appRead(entryApp),
        ...requestReads,
        sodRead(requestSod),
      ],
      preview: createRequestPreview,
      version: createRequestVersion,
    },
    summarize: (out) => {
      const risk = riskAssessmentText(out.riskAssessment);
      return [
        `Filed request ${out.id ?? "?"} (${out.status ?? "?"}) for ${out.requestedFor?.externalId ?? "?"}: entry ${out.requested?.entryId ?? "?"}. Okta decides it by its approval sequence; follow it with okta_get_access_request.`,
        ...(risk ? [risk] : []),
      ].join("\n");
    },
  }),

  defineOperation({
    name: "okta_add_request_message",
    title: "Add a message to an access request",
    description: "Adds a message to an access request, shown to the requester and approvers in Okta.",
    provider: "okta",
    route: "POST /governance/api/v2/requests/{requestId}/messages",
    input: z.object({
      requestId,
      message: z.string().min(1).max(5000).describe("The message (1-5000 characters)."),
    }),
    output: z.object({ requestId: z.string(), added: z.boolean() }),
    annotations: WRITE,
    // Effects: a new message on a request, which changes nobody's access (create).
    guard: {
      effects: ["create"],
      reads: [],
      preview: (input: { requestId: string }) => ({
        summary: `Add a message to request ${input.requestId}.`,
        details: [],
        effects: [{ kind: "create", on: input.requestId }],
        targetIds: [input.requestId],
      }),
    },
    shape: (_body, input) => ({ requestId: input.requestId, added: true }),
    summarize: (out) => `Added a message to request ${out.requestId}.`,
  }),
];
