import { z } from "zod";
import { READ } from "../../src/core/operation.js";
import { co, defineQuery, listSummary, sw } from "../lists.js";
import { attributes, count, listOutput, optBool, optStr, scimFilter, startIndex } from "../params.js";

const userOut = z.looseObject({ id: optStr, userName: optStr, displayName: optStr, active: optBool });

export const iiqUserOperations = [
  defineQuery({
    name: "iiq_search_users",
    title: "Search IdentityIQ users",
    description:
      "Finds IdentityIQ identities by user name or display name. To see what they hold, request attributes=urn:ietf:params:scim:schemas:sailpoint:1.0:User:entitlements.",
    provider: "sailpoint-iiq",
    route: "GET /Users",
    input: z.object({
      userNameStartsWith: z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("Only user names starting with this."),
      nameContains: z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("Only display names containing this text."),
      filter: scimFilter(
        "SCIM filter, ANDed with the fields above: eq, co, sw on userName, name.givenName, name.familyName, emails.value, displayName.",
      ).optional(),
      attributes,
      startIndex,
      count,
    }),
    output: listOutput(userOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    filterFields: { userNameStartsWith: sw("userName"), nameContains: co("displayName") },
    summarize: (out) =>
      listSummary(
        out,
        "users",
        (u) =>
          `- ${u.displayName ?? "?"} (${u.userName ?? "?"}, ${u.id ?? "?"})${u.active === false ? " inactive" : ""}`,
        { cursor: "startIndex" },
      ),
  }),
];
