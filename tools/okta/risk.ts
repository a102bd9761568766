/**
 * Okta's separation-of-duties risk: the risk rules (two lists of entitlement values nobody may hold
 * together), and the risk assessment of giving a person some access, a POST that only reads.
 */
import { z } from "zod";
import { asObject } from "../../src/core/json.js";
import { defineOperation, READ } from "../../src/core/operation.js";
import { quote } from "../../src/core/sanitize.js";
import { defineQuery, listSummary } from "../lists.js";
import { after, listOutput, optStr, orn, pageLimit, scimFilter } from "../params.js";
import { objects, str } from "./previews/describe.js";

const criteriaOut = z
  .looseObject({ and: z.array(z.looseObject({ operation: optStr, value: z.unknown() })).nullish() })
  .nullish();
const ruleOut = z.looseObject({
  id: optStr,
  name: optStr,
  description: optStr,
  status: optStr,
  resources: z.array(z.looseObject({ resourceOrn: optStr })).nullish(),
  conflictCriteria: criteriaOut,
});
const conflictOut = z.looseObject({
  ruleId: optStr,
  ruleName: optStr,
  resourceOrn: optStr,
  principalOrn: optStr,
  conflictCriteria: criteriaOut,
});

/** "one of "Security Group": "Payroll Admin" together with one of …": a rule's two lists. */
function criteria(c: z.output<typeof criteriaOut>): string {
  const lists = (c?.and ?? []).map((x) => {
    const values = objects((x.value as { value?: unknown } | undefined)?.value).flatMap((e) =>
      objects(e.values).map((v) => `${quote(str(e.name) ?? "?", 40)}: ${quote(str(v.name) ?? "?", 40)}`),
    );
    return `${x.operation === "CONTAINS_ALL" ? "all of" : "one of"} ${values.join(", ") || "?"}`;
  });
  return lists.join(" together with ");
}

export const oktaRiskOperations = [
  defineQuery({
    name: "okta_list_risk_rules",
    title: "List separation-of-duties rules",
    description:
      "Lists Okta's separation-of-duties risk rules: for each, the app and the two sets of entitlement values nobody may hold together.",
    provider: "okta",
    route: "GET /governance/api/v1/risk-rules",
    input: z.object({
      filter: scimFilter("Attributes: resourceOrn (eq: an app ORN), name (sw, co).").optional(),
      after,
      limit: pageLimit,
    }),
    output: listOutput(ruleOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    summarize: (out) =>
      listSummary(out, "risk rules", (r) => {
        const where = (r.resources ?? []).map((x) => x.resourceOrn ?? "?").join(", ");
        return `- ${quote(r.name ?? "?", 80)} (${r.id ?? "?"}) ${r.status ?? ""} in ${where || "?"}: ${criteria(r.conflictCriteria)}`;
      }),
  }),

  defineOperation({
    name: "okta_assess_access_risk",
    title: "Assess the risk of giving access",
    description:
      "Which separation-of-duties rules a person would break if given a bundle, value or app (resourceOrn); without one, which they break now.",
    provider: "okta",
    route: "POST /governance/api/v1/risk-rule-assessments",
    input: z.object({
      principalOrn: orn("The person: orn:okta:directory:{orgId}:users:{userId}."),
      resourceOrn: orn("The access: a bundle, entitlement value or app ORN.").optional(),
    }),
    output: listOutput(conflictOut),
    // A POST that only reads: it assesses, and changes nothing.
    annotations: READ,
    guard: "none",
    shape: (body) => ({ items: objects(asObject(body)?.data) }),
    summarize: (out, input) => {
      const head = out.items.length
        ? `${out.items.length === 1 ? "1 conflict" : `${out.items.length} conflicts`} for ${input.principalOrn}${input.resourceOrn ? ` if given ${input.resourceOrn}` : ""}:`
        : `No separation-of-duties conflict for ${input.principalOrn}${input.resourceOrn ? ` if given ${input.resourceOrn}` : ""}.`;
      const lines = out.items.map(
        (c) =>
          `- rule ${quote(c.ruleName ?? "?", 80)} (${c.ruleId ?? "?"}) in ${c.resourceOrn ?? "?"}: ${criteria(c.conflictCriteria)}`,
      );
      return [head, ...lines].join("\n");
    },
  }),
];
