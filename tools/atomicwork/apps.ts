import { z } from "zod";
import { defineOperation, READ } from "../../src/core/operation.js";
import { listSummary } from "../lists.js";
import { listOutput, optNum, optStr, page, perPage } from "../params.js";

const appOut = z.looseObject({ id: optNum, name: optStr, provider: optStr });

export const atomicworkAppOperations = [
  defineOperation({
    name: "atomicwork_list_apps",
    title: "List Atomicwork apps",
    description:
      "Lists the identity apps Atomicwork governs (Okta, Azure AD, Google Workspace…), optionally by name.",
    provider: "atomicwork",
    route: "GET /api/v1/iga/apps",
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
      listSummary(out, "apps", (a) => `- ${a.name ?? "?"} (${a.id ?? "?"}) ${a.provider ?? ""}`, {
        cursor: "nextCursor",
      }),
  }),
];
