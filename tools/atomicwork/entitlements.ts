import { z } from "zod";
import { defineOperation, READ, WRITE } from "../../src/core/operation.js";
import { listSummary } from "../lists.js";
import { atomicworkId, listOutput, optNum, optStr, page, perPage } from "../params.js";
import { pageHint, q, refText } from "./previews/describe.js";
import { createEntitlementPreview } from "./previews/entitlements.js";
import { createdEntitlement } from "./previews/found.js";

/** An entitlement, with the fields the spec's create body names; the spec promises none in answers. */
const entitlementOut = z.looseObject({
  id: optNum,
  name: optStr,
  app_id: optNum,
  type: optStr,
  status: optStr,
  description: optStr,
  provisioning_config: z.looseObject({ provider: optStr, type: optStr }).nullish(),
});

/** The create's result: Atomicwork answers `{}`, so the id is what listing the app by name found. */
const createdOut = z.looseObject({
  id: optNum.describe("The new entitlement's id, when it could be told."),
  name: optStr,
  app_id: optNum,
  status: optStr,
  located: z
    .enum(["answer", "listed", "several", "not_found"])
    .describe(
      "How the id was learnt: in the answer, by listing the app's entitlements by name, or not (several of that name, or none found).",
    ),
  candidates: z
    .array(z.number())
    .optional()
    .describe("When several entitlements of the app have the name: their ids, newest first."),
});

const providerEnum = z.enum([
  "OKTA",
  "AZURE_AD",
  "MS_INTUNE",
  "JUMPCLOUD",
  "GOOGLE_WORKSPACE",
  "TUEBORA",
  "MANUAL",
]);
/** Nested fields go undescribed: the config's description says what its value is (tools/list budget). */
const provisioningValue = z.object({
  label: z.string().optional(),
  value: z.string().optional(),
  icon: z
    .object({ name: z.string().optional(), type: z.string().optional(), url: z.string().nullish() })
    .optional(),
});
const config = (kind: "PROVISIONING" | "DEPROVISIONING") =>
  z
    .object({
      provider: providerEnum,
      type: z.enum([
        `OKTA_GROUP_${kind}`,
        `AZURE_GROUP_${kind}`,
        `INTUNE_GROUP_${kind}`,
        `JUMPCLOUD_GROUP_${kind}`,
        `GOOGLE_WORKSPACE_GROUP_${kind}`,
        `MANUAL_${kind}`,
      ]),
      value: provisioningValue,
    })
    .optional()
    .describe(
      kind === "PROVISIONING"
        ? "How a grant gives access: {provider, type, value: {value: group id, label}}."
        : "How a revocation takes it away.",
    );

const createInput = z.object({
  name: z.string().min(1).max(255),
  app_id: atomicworkId("The app it belongs to (atomicwork_list_apps)."),
  description: z.string().min(1).max(1000).optional(),
  status: z
    .enum(["UNPUBLISHED", "PUBLISHED"])
    .optional()
    .describe("PUBLISHED (Atomicwork's default: grantable at once) or UNPUBLISHED."),
  provisioning_config: config("PROVISIONING"),
  deprovisioning_config: config("DEPROVISIONING"),
});

export type CreateEntitlementInput = z.output<typeof createInput>;

/** Says the new id when it is known, and plainly why not when it is not. */
function createdSummary(out: z.output<typeof createdOut>, input: CreateEntitlementInput): string {
  const status = out.status ?? input.status ?? "PUBLISHED (Atomicwork's default)";
  const made = `Created the entitlement ${q(input.name)} in app ${input.app_id}, ${status}`;
  const lookup = `Atomicwork answers a create with an empty body, and listing app ${input.app_id}'s entitlements named ${q(input.name)}`;
  switch (out.located) {
    case "answer":
      return `${made}: id ${out.id}.`;
    case "listed":
      return `${made}: id ${out.id} (${lookup} found it).`;
    case "several":
      return `${made}. Its id is not certain: ${lookup} found ${out.candidates?.length ?? "several"} (ids ${(out.candidates ?? []).join(", ")}, newest first).`;
    default:
      return `${made}, but its id could not be found: ${lookup} found none. Look with atomicwork_list_entitlements (app_id ${input.app_id}, search_key ${q(input.name)}).`;
  }
}

export const atomicworkEntitlementOperations = [
  defineOperation({
    name: "atomicwork_list_entitlements",
    title: "List Atomicwork entitlements",
    description:
      "Lists Atomicwork IGA entitlements, optionally by name, app, type or status. Use the ids in atomicwork_create_grant.",
    provider: "atomicwork",
    route: "GET /api/v1/iga/entitlements",
    input: z.object({
      search_key: z.string().min(1).max(255).optional().describe("Part of the entitlement's name."),
      app_id: atomicworkId("Only this app's (atomicwork_list_apps).").optional(),
      type: z.enum(["GROUP", "ROLE"]).optional().describe("GROUP or ROLE."),
      status: z.enum(["DRAFT", "PUBLISHED"]).optional().describe("DRAFT or PUBLISHED."),
      page,
      per_page: perPage,
    }),
    output: listOutput(entitlementOut),
    annotations: READ,
    guard: "none",
    paging: "page-number",
    summarize: (out, input) =>
      listSummary(
        out,
        "entitlements",
        (e) =>
          `- ${refText(e, "entitlement")}${[e.type, e.status]
            .filter(Boolean)
            .map((w) => ` ${w}`)
            .join("")}${e.app_id ? `, app ${e.app_id}` : ""}`,
        { cursor: "nextCursor" },
      ) + pageHint(out, input),
  }),

  defineOperation({
    name: "atomicwork_create_entitlement",
    title: "Create an Atomicwork entitlement",
    description:
      "Creates an IGA entitlement in an app, with how a grant provisions it (e.g. an Okta group) and how a revocation deprovisions it.",
    provider: "atomicwork",
    route: "POST /api/v1/iga/entitlements",
    input: createInput,
    output: createdOut,
    annotations: WRITE,
    // Effects: a new entitlement nobody holds yet (create).
    guard: {
      effects: ["create"],
      reads: [],
      preview: createEntitlementPreview,
    },
    // Atomicwork answers 200 with `{}` (its spec and seed 000's example): the new id is looked up by name.
    followUp: {
      route: "GET /api/v1/iga/entitlements",
      params: (input, answer) =>
        answer && typeof answer === "object" && "id" in answer
          ? null
          : { query: { app_id: input.app_id, search_key: input.name, per_page: 100 } },
      shape: createdEntitlement,
    },
    summarize: createdSummary,
  }),
];
