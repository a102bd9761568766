import { z } from "zod";
import { READ } from "../../src/core/operation.js";
import { co, defineQuery, listSummary } from "../lists.js";
import { count, listOutput, nameContains, optStr, scimFilter, startIndex } from "../params.js";

const applicationOut = z.looseObject({ id: optStr, name: optStr, type: optStr });

export const iiqApplicationOperations = [
  defineQuery({
    name: "iiq_list_applications",
    title: "List IdentityIQ applications",
    description: "Lists the applications IdentityIQ manages (id, name, type), optionally by name.",
    provider: "sailpoint-iiq",
    route: "GET /Applications",
    input: z.object({
      nameContains,
      filter: scimFilter("SCIM filter, ANDed with nameContains: eq, co, sw on name.").optional(),
      startIndex,
      count,
    }),
    output: listOutput(applicationOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    filterFields: { nameContains: co("name") },
    summarize: (out) =>
      listSummary(out, "applications", (a) => `- ${a.name ?? "?"} (${a.id ?? "?"}) ${a.type ?? ""}`, {
        cursor: "startIndex",
      }),
  }),
];
