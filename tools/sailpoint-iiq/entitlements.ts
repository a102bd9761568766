import { z } from "zod";
import { defineOperation, READ } from "../../src/core/operation.js";
import { co, defineQuery, eq, listSummary } from "../lists.js";
import {
  attributes,
  excludedAttributes,
  iiqFilter,
  iiqId,
  listOutput,
  nameContains,
  optBool,
  optStr,
  scimCount,
  sortBy,
  sortOrder,
  startIndex,
} from "../params.js";

const id = iiqId("Entitlement id.");

const ref = z.looseObject({ value: optStr, displayName: optStr });
const refs = z.union([z.array(ref), ref]).nullish();
const entitlementOut = z.looseObject({
  id: optStr,
  displayableName: optStr,
  displayName: optStr,
  type: optStr,
  attribute: optStr,
  value: optStr,
  application: refs,
  owner: refs,
  requestable: optBool,
});
type EntitlementOut = z.output<typeof entitlementOut>;

const first = (r: EntitlementOut["application"]) => (Array.isArray(r) ? r[0] : r);
const entitlementLine = (e: EntitlementOut) =>
  `- ${e.displayableName ?? e.displayName ?? e.value ?? "?"} (${e.id ?? "?"}) ${e.type ?? ""} in ${first(e.application)?.displayName ?? "?"}: ${e.attribute ?? "?"}=${e.value ?? "?"}`;

export const iiqEntitlementOperations = [
  defineOperation({
    name: "iiq_get_entitlement",
    title: "Get an IdentityIQ entitlement",
    description:
      "Gets one IdentityIQ entitlement (name, application, attribute and value, owner, descriptions).",
    provider: "sailpoint-iiq",
    route: "GET /Entitlements/{id}",
    input: z.strictObject({ id, attributes, excludedAttributes }),
    output: entitlementOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => `Entitlement ${entitlementLine(out).slice(2)}.`,
  }),

  defineQuery({
    name: "iiq_list_entitlements",
    title: "List IdentityIQ entitlements",
    description: "Lists IdentityIQ entitlements, optionally of one application or by name.",
    provider: "sailpoint-iiq",
    route: "GET /Entitlements",
    input: z.strictObject({
      application: z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("Only this application's (its display name)."),
      nameContains,
      type: z.string().min(1).max(64).optional().describe("Only this type, e.g. group."),
      filter: iiqFilter(
        "Attributes: displayableName, attribute, value, type, application.value, application.displayName, requestable.",
      ).optional(),
      startIndex,
      count: scimCount,
      sortBy,
      sortOrder,
      attributes,
      excludedAttributes,
    }),
    output: listOutput(entitlementOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    filterFields: {
      application: eq("application.displayName"),
      nameContains: co("displayableName"),
      type: eq("type"),
    },
    summarize: (out) => listSummary(out, "entitlements", entitlementLine, { cursor: "startIndex" }),
  }),
];
