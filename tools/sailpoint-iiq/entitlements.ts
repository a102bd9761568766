import { z } from "zod";
import { defineOperation } from "../../src/core/operation.js";
import { pageHeader } from "../lists.js";
import {
  coClause,
  eqClause,
  listOutput,
  optBool,
  optStr,
  query,
  scimFilter,
  swClause,
  withRawFilter,
} from "../params.js";

const READ = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;

const id = z
  .string()
  .regex(/^[0-9a-f]{32}$/, "must be an IdentityIQ id: 32 lowercase hex characters")
  .describe("Entitlement id (32 hex; iiq_list_entitlements).");
const attributeList = (what: string) =>
  z
    .string()
    .max(1000)
    .regex(/^[A-Za-z0-9_.:$-]+(,[A-Za-z0-9_.:$-]+)*$/, "must be comma-separated attribute names")
    .optional()
    .describe(what);
const attributes = attributeList("Only these attributes (comma-separated); beats excludedAttributes.");
const excludedAttributes = attributeList(
  "Leave these attributes out (comma-separated); id, schemas, meta stay.",
);
const startIndex = z
  .int()
  .min(1)
  .max(999_999)
  .optional()
  .describe("1-based index of the first result; nextCursor gives the next.");
const count = z.int().min(1).max(1000).optional().describe("Page size, 1-1000 (IdentityIQ's default 1000).");
const sortBy = z
  .string()
  .max(200)
  .regex(/^[A-Za-z][A-Za-z0-9_.:]*$/, "must be an attribute name")
  .optional()
  .describe("Attribute to sort by, e.g. displayableName.");
const sortOrder = z
  .enum(["ascending", "descending"])
  .optional()
  .describe("ascending (default) or descending.");

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
const applicationOut = z.looseObject({ id: optStr, name: optStr, type: optStr });
const userOut = z.looseObject({ id: optStr, userName: optStr, displayName: optStr, active: optBool });

const first = (r: EntitlementOut["application"]) => (Array.isArray(r) ? r[0] : r);
const entitlementLine = (e: EntitlementOut) =>
  `- ${e.displayableName ?? e.displayName ?? e.value ?? "?"} (${e.id ?? "?"}) ${e.type ?? ""} in ${first(e.application)?.displayName ?? "?"}: ${e.attribute ?? "?"}=${e.value ?? "?"}`;

export const iiqOperations = [
  defineOperation({
    name: "iiq_get_entitlement",
    title: "Get an IdentityIQ entitlement",
    description:
      "Gets one IdentityIQ entitlement (name, application, attribute and value, owner, descriptions). attributes or excludedAttributes trim the answer.",
    provider: "sailpoint-iiq",
    route: "GET /Entitlements/{id}",
    input: z.object({ id, attributes, excludedAttributes }),
    output: entitlementOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => `Entitlement ${entitlementLine(out).slice(2)}.`,
  }),

  defineOperation({
    name: "iiq_list_entitlements",
    title: "List IdentityIQ entitlements",
    description:
      "Lists IdentityIQ entitlements, optionally of one application or by name. Pages with startIndex and count; nextCursor is the next startIndex.",
    provider: "sailpoint-iiq",
    route: "GET /Entitlements",
    input: z.object({
      application: z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("Only this application's (its display name)."),
      nameContains: z.string().min(1).max(255).optional().describe("Name contains."),
      type: z.string().min(1).max(64).optional().describe("Only this type, e.g. group."),
      filter: scimFilter(
        "SCIM filter, ANDed with the fields above: eq, co, sw on displayableName, attribute, value, type, application.value, application.displayName; requestable eq true|false.",
      ).optional(),
      startIndex,
      count,
      sortBy,
      sortOrder,
      attributes,
      excludedAttributes,
    }),
    output: listOutput(entitlementOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    request: (input) => ({
      query: query({
        filter: withRawFilter(
          [
            input.application === undefined
              ? undefined
              : eqClause("application.displayName", input.application),
            input.nameContains === undefined ? undefined : coClause("displayableName", input.nameContains),
            input.type === undefined ? undefined : eqClause("type", input.type),
          ],
          input.filter,
        ),
        startIndex: input.startIndex,
        count: input.count,
        sortBy: input.sortBy,
        sortOrder: input.sortOrder,
        attributes: input.attributes,
        excludedAttributes: input.excludedAttributes,
      }),
    }),
    summarize: (out) =>
      [pageHeader(out, "entitlements", undefined, "startIndex"), ...out.items.map(entitlementLine)].join(
        "\n",
      ),
  }),

  defineOperation({
    name: "iiq_list_applications",
    title: "List IdentityIQ applications",
    description: "Lists the applications IdentityIQ manages (id, name, type), optionally by name.",
    provider: "sailpoint-iiq",
    route: "GET /Applications",
    input: z.object({
      nameContains: z.string().min(1).max(255).optional().describe("Name contains."),
      filter: scimFilter("SCIM filter, ANDed with nameContains: eq, co, sw on name.").optional(),
      startIndex,
      count,
    }),
    output: listOutput(applicationOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    request: (input) => ({
      query: query({
        filter: withRawFilter(
          [input.nameContains === undefined ? undefined : coClause("name", input.nameContains)],
          input.filter,
        ),
        startIndex: input.startIndex,
        count: input.count,
      }),
    }),
    summarize: (out) =>
      [
        pageHeader(out, "applications", undefined, "startIndex"),
        ...out.items.map((a) => `- ${a.name ?? "?"} (${a.id ?? "?"}) ${a.type ?? ""}`),
      ].join("\n"),
  }),

  defineOperation({
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
    request: (input) => ({
      query: query({
        filter: withRawFilter(
          [
            input.userNameStartsWith === undefined
              ? undefined
              : swClause("userName", input.userNameStartsWith),
            input.nameContains === undefined ? undefined : coClause("displayName", input.nameContains),
          ],
          input.filter,
        ),
        attributes: input.attributes,
        startIndex: input.startIndex,
        count: input.count,
      }),
    }),
    summarize: (out) =>
      [
        pageHeader(out, "users", undefined, "startIndex"),
        ...out.items.map(
          (u) =>
            `- ${u.displayName ?? "?"} (${u.userName ?? "?"}, ${u.id ?? "?"})${u.active === false ? " inactive" : ""}`,
        ),
      ].join("\n"),
  }),
];
