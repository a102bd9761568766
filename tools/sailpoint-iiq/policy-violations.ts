import { z } from "zod";
import { defineOperation, READ } from "../../src/core/operation.js";
import { defineQuery, eq, listSummary } from "../lists.js";
import {
  attributes,
  excludedAttributes,
  iiqFilter,
  iiqId,
  listOutput,
  optStr,
  scimCount,
  sortBy,
  sortOrder,
  startIndex,
} from "../params.js";

/*
 * The plan's nested fields carry no descriptions: the plan's own says what it holds (tools/list is sent to
 * the model on every turn).
 */
const plan = z
  .object({
    value: z.object({
      accounts: z
        .array(
          z.object({
            op: z.string().min(1).max(64).optional(),
            instance: z.string().min(1).max(255).optional(),
            application: z.string().min(1).max(255),
            attributes: z
              .array(
                z.object({
                  op: z.enum(["Add", "Remove"]).optional(),
                  name: z.string().min(1).max(255),
                  value: z.string().min(1).max(2000),
                }),
              )
              .min(1)
              .max(100),
          }),
        )
        .min(1)
        .max(100),
    }),
    type: z.string().min(1).max(100).optional(),
  })
  .describe(
    'What to simulate: {value: {accounts: [{application, attributes: [{op: "Add", name, value}]}]}}: an entitlement\'s application, attribute and value; a role is application "IIQ", name "assignedRoles".',
  );

const ref = z.looseObject({ value: optStr, displayName: optStr }).nullish();
const strings = z.array(z.unknown()).nullish();
const checkedOut = z.looseObject({
  identity: z.unknown().optional(),
  policies: strings,
  violations: z
    .array(
      z.looseObject({
        policyName: optStr,
        policyType: optStr,
        constraintName: optStr,
        description: optStr,
        entitlements: strings,
        leftBundles: strings,
        rightBundles: strings,
      }),
    )
    .nullish(),
});
type CheckedOut = z.output<typeof checkedOut>;

const names = (list: unknown) =>
  Array.isArray(list) ? list.filter((v) => typeof v === "string").join(", ") || "?" : "?";

function checkedSummary(out: CheckedOut, input: { identity: string }): string {
  const violations = out.violations ?? [];
  const checked = `Policies checked: ${names(out.policies)}.`;
  if (violations.length === 0) return `No new policy violation for ${input.identity}. ${checked}`;
  return [
    `${violations.length} new policy violation${violations.length === 1 ? "" : "s"} for ${input.identity}:`,
    ...violations.map(
      (v) =>
        `- ${v.policyName ?? "?"} / ${v.constraintName ?? "?"}${v.policyType ? ` (${v.policyType})` : ""}: ${v.description ?? ""} (${names(v.leftBundles)} vs ${names(v.rightBundles)})`,
    ),
    checked,
  ].join("\n");
}

const violationOut = z.looseObject({
  id: optStr,
  policyName: optStr,
  constraintName: optStr,
  description: optStr,
  status: optStr,
  identity: ref,
  owner: ref,
});
type ViolationOut = z.output<typeof violationOut>;

const violationLine = (v: ViolationOut) =>
  `- ${v.policyName ?? "?"} / ${v.constraintName ?? "?"}: ${v.identity?.displayName ?? v.identity?.value ?? "?"}, ${v.status ?? "?"} (${v.id ?? "?"})`;

export const iiqPolicyViolationOperations = [
  defineOperation({
    name: "iiq_check_policy_violations",
    title: "Check IdentityIQ policy violations",
    description:
      "Simulates giving an identity access and lists the policy (SoD) violations it would create, without changing anything.",
    provider: "sailpoint-iiq",
    route: "POST /CheckedPolicyViolations",
    input: z.strictObject({
      identity: z.string().min(1).max(255).describe("The identity's userName, e.g. diego.alvarez."),
      plan,
      policies: z
        .array(z.string().min(1).max(255))
        .max(50)
        .optional()
        .describe("Policy names to check (default: IdentityIQ's)."),
      attributes,
      excludedAttributes,
    }),
    output: checkedOut,
    // A POST that only reads: the simulation provisions nothing.
    annotations: READ,
    guard: "none",
    request: (input) => ({
      query: {
        ...(input.attributes ? { attributes: input.attributes } : {}),
        ...(input.excludedAttributes ? { excludedAttributes: input.excludedAttributes } : {}),
      },
      body: {
        identity: input.identity,
        plan: input.plan,
        ...(input.policies ? { policies: input.policies } : {}),
      },
    }),
    summarize: checkedSummary,
  }),

  defineQuery({
    name: "iiq_list_policy_violations",
    title: "List IdentityIQ policy violations",
    description:
      "Lists IdentityIQ's recorded policy violations (policy, constraint, identity, status), e.g. one identity's by userId.",
    provider: "sailpoint-iiq",
    route: "GET /PolicyViolations",
    input: z.strictObject({
      userId: iiqId("Only this identity's (user id, 32 hex).").optional(),
      policyName: z.string().min(1).max(255).optional().describe("Only this policy's."),
      status: z.enum(["Open", "Mitigated", "Remediated", "Delegated"]).optional(),
      filter: iiqFilter("Attributes: policyName, constraintName, status, identity.*, owner.*.").optional(),
      attributes,
      excludedAttributes,
      sortBy,
      sortOrder,
      startIndex,
      count: scimCount,
    }),
    output: listOutput(violationOut),
    annotations: READ,
    guard: "none",
    paging: "scim",
    filterFields: { userId: eq("identity.value"), policyName: eq("policyName"), status: eq("status") },
    summarize: (out) => listSummary(out, "policy violations", violationLine, { cursor: "startIndex" }),
  }),
];
