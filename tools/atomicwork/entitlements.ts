import { z } from "zod";
import { defineOperation, READ, WRITE } from "../../src/core/operation.js";
import { listSummary } from "../lists.js";
import { atomicworkId, listOutput, optNum, optStr, page, perPage } from "../params.js";
import { createEntitlementPreview } from "./previews/entitlements.js";

const entitlementOut = z.looseObject({
  id: optNum,
  name: optStr,
  app_id: optNum,
  type: optStr,
  status: optStr,
  description: optStr,
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

const createInput = z.object({
  name: z.string().min(1).max(255).describe("Name of the entitlement."),
  app_id: atomicworkId("The app it belongs to (atomicwork_list_apps)."),
  description: z.string().min(1).max(1000).optional().describe("Description."),
  status: z.enum(["UNPUBLISHED", "PUBLISHED"]).optional().describe("UNPUBLISHED (default) or PUBLISHED."),
  provisioning_config: config("PROVISIONING"),
  deprovisioning_config: config("DEPROVISIONING"),
});

export type CreateEntitlementInput = z.output<typeof createInput>;

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
    summarize: (out) =>
      listSummary(
        out,
        "entitlements",
        (e) =>
          `- ${e.name ?? "?"} (${e.id ?? "?"}) ${e.type ?? ""} ${e.status ?? ""}, app ${e.app_id ?? "?"}`,
        { cursor: "nextCursor" },
      ),
  }),

  defineOperation({
    name: "atomicwork_create_entitlement",
    title: "Create an Atomicwork entitlement",
    description:
      "Creates an IGA entitlement in an app, with how a grant provisions it (e.g. an Okta group) and how a revocation deprovisions it.",
    provider: "atomicwork",
    route: "POST /api/v1/iga/entitlements",
    input: createInput,
    output: entitlementOut,
    annotations: WRITE,
    // Effects: a new entitlement nobody holds yet (create).
    guard: {
      effects: ["create"],
      reads: [],
      preview: createEntitlementPreview,
    },
    summarize: (out) =>
      `Created entitlement '${out.name ?? "?"}' (${out.id ?? "?"}) in app ${out.app_id ?? "?"}, ${out.status ?? "?"}.`,
  }),
];
