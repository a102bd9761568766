import { z } from "zod";
import { READ } from "../../src/core/operation.js";
import { defineQuery, eq, listSummary } from "../lists.js";
import {
  attributes,
  excludedAttributes,
  iiqFilter,
  iiqId,
  listOutput,
  optBool,
  optStr,
  scimCount,
  sortBy,
  sortOrder,
  startIndex,
} from "../params.js";

const ref = z.looseObject({ value: optStr, displayName: optStr, userName: optStr }).nullish();
const accountOut = z.looseObject({
  id: optStr,
  displayName: optStr,
  nativeIdentity: optStr,
  identity: ref,
  application: ref,
  active: optBool,
  locked: optBool,
  hasEntitlements: optBool,
});
type AccountOut = z.output<typeof accountOut>;

const accountLine = (a: AccountOut) =>
  `- ${a.displayName ?? a.nativeIdentity ?? "?"} on ${a.application?.displayName ?? "?"} (${a.id ?? "?"}) of ${a.identity?.displayName ?? a.identity?.userName ?? "?"}${a.active === false ? ", disabled" : ""}${a.locked ? ", locked" : ""}`;

export const iiqAccountOperations = [
  defineQuery({
    name: "iiq_list_accounts",
    title: "List IdentityIQ accounts",
    description:
      "Lists IdentityIQ accounts (a user's account on one application), e.g. one user's by userId or userName.",
    provider: "sailpoint-iiq",
    route: "GET /Accounts",
    input: z.strictObject({
      userId: iiqId("Only this user's (user id, 32 hex).").optional(),
      userName: z.string().min(1).max(255).optional(),
      application: z.string().min(1).max(255).optional().describe("Only on this application (its name)."),
      filter: iiqFilter(
        "Attributes: identity.*, application.*, displayName, nativeIdentity, active, locked.",
      ).optional(),
      attributes,
      excludedAttributes,
      sortBy,
      sortOrder,
      startIndex,
      count: scimCount,
    }),
    output: listOutput(accountOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    filterFields: {
      userId: eq("identity.value"),
      userName: eq("identity.userName"),
      application: eq("application.displayName"),
    },
    summarize: (out) => listSummary(out, "accounts", accountLine, { cursor: "startIndex" }),
  }),
];
