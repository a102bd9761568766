/**
 * Okta's access request catalog (Access Requests v2): the entries of the default catalog (an app's entry is
 * the parent of its bundles' entries), the entries one person may request, one entry, and the fields a
 * request for an entry asks of that person, with Okta's risk assessment of it.
 */
import { z } from "zod";
import { READ } from "../../src/core/operation.js";
import { quote } from "../../src/core/sanitize.js";
import { defineQuery, eq, listSummary } from "../lists.js";
import { listOutput, oktaId, optBool, optStr, pageLimit, scimFilter } from "../params.js";
import { named } from "./previews/describe.js";

const entryId = oktaId("Catalog entry id.");
const userId = oktaId();

const entryOut = z.looseObject({
  id: optStr,
  name: optStr,
  description: optStr,
  label: optStr,
  parent: optStr,
  requestable: optBool,
  _links: z.looseObject({ relatedEntity: z.looseObject({ href: optStr }).nullish() }).nullish(),
});
type EntryOut = z.output<typeof entryOut>;

/** The list inputs both catalogs share: which level (or a raw filter), a name match, paging. */
const levelFields = {
  topLevel: z.literal(true).optional().describe("true: the top-level entries (one per app)."),
  parentId: oktaId("The children of this entry.").optional(),
  filter: scimFilter('Instead of the fields: not(parent pr) (top level) or parent eq "cen…".').optional(),
  match: z.string().min(3).max(50).optional().describe("Names or descriptions like this."),
  after: oktaId().optional(),
  limit: pageLimit,
};

/** Exactly one of topLevel, parentId and filter: Okta lists one level of the catalog at a time. */
function oneLevel(i: { topLevel?: true; parentId?: string; filter?: string }, ctx: z.RefinementCtx): void {
  const given = [i.topLevel, i.parentId, i.filter].filter((x) => x !== undefined).length;
  if (given !== 1) {
    ctx.addIssue({
      code: "custom",
      path: ["topLevel"],
      message:
        "give exactly one of topLevel (the apps), parentId (an entry's bundles) or filter: Okta lists one level of the catalog",
    });
  }
}

const levelClauses = {
  topLevel: () => "not(parent pr)",
  parentId: eq("parent"),
};

function entryLine(e: EntryOut): string {
  const kind = e.parent ? `child of ${e.parent}` : (e.label ?? "top level");
  return `- ${named(e.name, e.id ?? "?")} ${e.requestable ? "requestable" : "not requestable"}, ${kind}`;
}

const fieldOut = z.looseObject({
  id: optStr,
  type: optStr,
  label: optStr,
  required: optBool,
  readOnly: optBool,
  value: optStr,
  maximumValue: optStr,
  choices: z.array(z.string()).nullish(),
});
export const riskAssessmentOut = z
  .looseObject({
    requestSubmissionType: optStr,
    riskRules: z.array(z.looseObject({ name: optStr, resourceName: optStr })).nullish(),
  })
  .nullish();

/** "Okta's risk assessment (…): rules "A" (Workday), "B"." or undefined when it found nothing. */
export function riskAssessmentText(risk: z.output<typeof riskAssessmentOut>): string | undefined {
  if (!risk) return undefined;
  const rules = (risk.riskRules ?? []).map(
    (r) => `${quote(r.name ?? "?", 80)}${r.resourceName ? ` (${quote(r.resourceName, 60)})` : ""}`,
  );
  const type = risk.requestSubmissionType ?? "?";
  const shown = /^[A-Z_]{1,40}$/.test(type) ? type : quote(type, 40);
  return `Okta's risk assessment (${shown}): conflicts with ${rules.length === 1 ? "rule" : "rules"} ${rules.join(", ") || "(none named)"}.`;
}

export const oktaEntryOperations = [
  defineQuery({
    name: "okta_list_catalog_entries",
    title: "List access request catalog entries",
    description:
      "Lists the access request catalog one level at a time: topLevel gives one entry per app, parentId its children (requestable bundles).",
    provider: "okta",
    route: "GET /governance/api/v2/catalogs/default/entries",
    input: z.object(levelFields).superRefine(oneLevel),
    output: listOutput(entryOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: levelClauses,
    summarize: (out) => listSummary(out, "catalog entries", entryLine),
  }),

  defineQuery({
    name: "okta_get_catalog_entry",
    title: "Get a catalog entry",
    description: "Gets one access request catalog entry: its name, parent, whether it is requestable.",
    provider: "okta",
    route: "GET /governance/api/v2/catalogs/default/entries/{entryId}",
    input: z.object({ entryId }),
    output: entryOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => `Catalog entry ${entryLine(out).slice(2)}.`,
  }),

  defineQuery({
    name: "okta_list_requestable_entries",
    title: "List what a person may request",
    description:
      "Lists the catalog entries one person may request, one level at a time (topLevel: apps; parentId: an app's bundles). Start of an access request.",
    provider: "okta",
    route: "GET /governance/api/v2/catalogs/default/user/{userId}/entries",
    input: z.object({ userId, ...levelFields }).superRefine(oneLevel),
    output: listOutput(entryOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: levelClauses,
    summarize: (out, input) =>
      listSummary(out, "entries", entryLine, { scope: `requestable by ${input.userId}` }),
  }),

  defineQuery({
    name: "okta_get_request_fields",
    title: "Get the fields of an access request",
    description:
      "What a request for a catalog entry asks of this person (e.g. a justification, for okta_create_access_request's requesterFieldValues), and the separation-of-duties rules it would conflict with.",
    provider: "okta",
    route: "GET /governance/api/v2/catalogs/default/entries/{entryId}/users/{userId}/request-fields",
    input: z.object({ entryId, userId }),
    output: z.object({
      data: z.array(fieldOut).nullish(),
      metadata: z.looseObject({ riskAssessment: riskAssessmentOut }).nullish(),
    }),
    annotations: READ,
    guard: "none",
    summarize: (out, input) => {
      const fields = (out.data ?? []).map((f) => {
        const flags = [f.type ?? "?", f.required === false ? "optional" : "required"];
        if (f.readOnly) flags.push(`read-only: ${f.value ?? "?"}`);
        if (f.maximumValue) flags.push(`at most ${f.maximumValue}`);
        if (f.choices?.length) flags.push(`choices: ${f.choices.map((c) => quote(c, 40)).join(", ")}`);
        return `- ${f.label ? quote(f.label, 100) : "(no label)"} id ${f.id ?? "?"} (${flags.join(", ")})`;
      });
      const risk =
        riskAssessmentText(out.metadata?.riskAssessment) ??
        "Okta's risk assessment names no separation-of-duties conflict.";
      const head = fields.length
        ? `A request for entry ${input.entryId} by ${input.userId} asks for ${fields.length === 1 ? "1 field" : `${fields.length} fields`}:`
        : `A request for entry ${input.entryId} by ${input.userId} asks for no field.`;
      return [head, ...fields, risk].join("\n");
    },
  }),
];
