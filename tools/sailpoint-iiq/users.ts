import { z } from "zod";
import { defineOperation, READ } from "../../src/core/operation.js";
import { co, defineQuery, listSummary, sw } from "../lists.js";
import {
  attributes,
  excludedAttributes,
  IIQ_ID,
  iiqFilter,
  iiqName,
  listOutput,
  optBool,
  optStr,
  scimCount,
  sortBy,
  sortOrder,
  startIndex,
} from "../params.js";

/** IdentityIQ's User extension (RFC 7643 §3.3: its attributes sit under the schema URN). */
export const IIQ_USER_EXTENSION = "urn:ietf:params:scim:schemas:sailpoint:1.0:User";

const ref = z.looseObject({ value: optStr, display: optStr, displayName: optStr, application: optStr });
const extension = z
  .looseObject({ entitlements: z.array(ref).nullish(), accounts: z.array(ref).nullish() })
  .nullish();
const userOut = z.looseObject({
  id: optStr,
  userName: optStr,
  displayName: optStr,
  active: optBool,
  [IIQ_USER_EXTENSION]: extension,
});
type UserOut = z.output<typeof userOut>;

const userLine = (u: UserOut) =>
  `${u.displayName ?? "?"} (${u.userName ?? "?"}, ${u.id ?? "?"})${u.active === false ? " inactive" : ""}`;

function userSummary(u: UserOut): string {
  const ext = u[IIQ_USER_EXTENSION];
  const held = (ext?.entitlements ?? []).map(
    (e) => `${e.display ?? e.value ?? "?"} on ${e.application ?? "?"}`,
  );
  const accounts = (ext?.accounts ?? []).map((a) => a.displayName ?? a.value ?? "?");
  return [
    `User ${userLine(u)}.`,
    ...(ext?.entitlements ? [`Holds ${held.length}: ${held.join("; ") || "nothing"}.`] : []),
    ...(ext?.accounts ? [`Accounts (${accounts.length}): ${accounts.join(", ") || "none"}.`] : []),
  ].join("\n");
}

export const iiqUserOperations = [
  defineOperation({
    name: "iiq_get_user",
    title: "Get an IdentityIQ user",
    description: `Gets one IdentityIQ identity by id, or by userName with lookupByName: name, status, and under ${IIQ_USER_EXTENSION} the entitlements and accounts it holds.`,
    provider: "sailpoint-iiq",
    route: "GET /Users/{id}",
    input: z
      .strictObject({
        id: iiqName("User id, or the userName with lookupByName."),
        lookupByName: z.boolean().optional().describe("true: id is the userName (e.g. dana.whitfield)."),
        attributes,
        excludedAttributes,
      })
      .superRefine((input, ctx) => {
        if (input.lookupByName !== true && !IIQ_ID.test(input.id)) {
          ctx.addIssue({
            code: "custom",
            path: ["id"],
            message:
              "must be an IdentityIQ id: 32 lowercase hex characters (to look a user up by userName, set lookupByName: true)",
          });
        }
      }),
    output: userOut,
    annotations: READ,
    guard: "none",
    summarize: userSummary,
  }),

  defineQuery({
    name: "iiq_search_users",
    title: "Search IdentityIQ users",
    description: `Finds IdentityIQ identities by user name or display name. What they hold: iiq_get_user.`,
    provider: "sailpoint-iiq",
    route: "GET /Users",
    input: z.strictObject({
      userNameStartsWith: z.string().min(1).max(255).optional(),
      nameContains: z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("Only display names containing this text."),
      filter: iiqFilter(
        "Attributes: userName, name.givenName, name.familyName, emails.value, displayName, active.",
      ).optional(),
      attributes,
      excludedAttributes,
      sortBy,
      sortOrder,
      startIndex,
      count: scimCount,
    }),
    output: listOutput(userOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    filterFields: { userNameStartsWith: sw("userName"), nameContains: co("displayName") },
    summarize: (out) => listSummary(out, "users", (u) => `- ${userLine(u)}`, { cursor: "startIndex" }),
  }),
];
