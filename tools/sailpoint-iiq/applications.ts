import { z } from "zod";
import { defineOperation, READ } from "../../src/core/operation.js";
import { co, defineQuery, listSummary } from "../lists.js";
import {
  attributes,
  excludedAttributes,
  iiqFilter,
  iiqName,
  listOutput,
  nameContains,
  optStr,
  scimCount,
  sortBy,
  sortOrder,
  startIndex,
} from "../params.js";

const owner = z.looseObject({ value: optStr, displayName: optStr }).nullish();
const applicationOut = z.looseObject({ id: optStr, name: optStr, type: optStr, owner });
type ApplicationOut = z.output<typeof applicationOut>;

const applicationLine = (a: ApplicationOut) =>
  `${a.name ?? "?"} (${a.id ?? "?"}) ${a.type ?? ""}${a.owner?.displayName ? `, owned by ${a.owner.displayName}` : ""}`;

export const iiqApplicationOperations = [
  defineOperation({
    name: "iiq_get_application",
    title: "Get an IdentityIQ application",
    description: "Gets one IdentityIQ application by id or by name: type, owner, descriptions.",
    provider: "sailpoint-iiq",
    route: "GET /Applications/{id}",
    input: z.strictObject({
      id: iiqName("Application id or name."),
      attributes,
      excludedAttributes,
    }),
    output: applicationOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => `Application ${applicationLine(out)}.`,
  }),

  defineQuery({
    name: "iiq_list_applications",
    title: "List IdentityIQ applications",
    description:
      "Lists the applications IdentityIQ manages (id, name, type), optionally by name. IdentityIQ answers one a page unless count says more.",
    provider: "sailpoint-iiq",
    route: "GET /Applications",
    input: z.strictObject({
      nameContains,
      filter: iiqFilter("Attributes: name (eq, co, sw).").optional(),
      attributes,
      excludedAttributes,
      sortBy,
      sortOrder,
      startIndex,
      count: scimCount,
    }),
    output: listOutput(applicationOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    filterFields: { nameContains: co("name") },
    summarize: (out) =>
      listSummary(out, "applications", (a) => `- ${applicationLine(a)}`, { cursor: "startIndex" }),
  }),
];
