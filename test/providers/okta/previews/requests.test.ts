/**
 * The guard of okta_create_access_request as pure data (tools/okta/previews/requests.ts): how the server
 * decides between `request` (a person approves in Okta: no confirmation here) and `grant` (it confirms),
 * from the entry, its conditions and approval sequences, and Okta's risk settings; what the preview says;
 * and the separation-of-duties lines every preview that gives access shares (previews/sod.ts).
 */
import { describe, expect, it } from "vitest";
import { approverIn } from "../../../../tools/okta/previews/requests.js";
import { MAX_SOD_CHECKS, sodLines } from "../../../../tools/okta/previews/sod.js";
import { ORG, WORKDAY } from "../../../fixtures/okta.js";
import {
  conflictAnswer,
  ENTRIES,
  HANNAH,
  JUSTIFICATION_FIELD,
  NO_CONFLICT,
  PAYROLL_BUNDLE,
} from "../../../fixtures/okta-requests.js";
import { preview, readParams } from "../../../helpers/definitions.js";

const WORKDAY_ORN = `orn:okta:idp:${ORG}:apps:workday:${WORKDAY}`;
const COND = "rcoPAYROLLaaaaaaaaaa";
const OTHER = "rcoOTHERaaaaaaaaaaaa";
const OWNER_SEQ = "61eb0f06c462d20007f3e9f1";
const NOBODY_SEQ = "61eb0f06c462d20007f051ac";

const input = {
  requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.payroll },
  requestedFor: { externalId: HANNAH, type: "OKTA_USER" },
  requesterFieldValues: [{ id: JUSTIFICATION_FIELD, value: "Covering the payroll close" }],
};

const entry = {
  id: ENTRIES.payroll,
  name: "Workday Payroll Operations",
  parent: ENTRIES.workday,
  requestable: true,
  _links: {
    relatedEntity: { href: `https://acme.okta.com/governance/api/v1/entitlement-bundles/${PAYROLL_BUNDLE}` },
  },
};
const bundle = {
  id: PAYROLL_BUNDLE,
  name: "Workday Payroll Operations",
  orn: `orn:okta:governance:${ORG}:entitlement-bundles:${PAYROLL_BUNDLE}`,
  targetResourceOrn: WORKDAY_ORN,
  target: { externalId: WORKDAY, type: "APPLICATION" },
  lastUpdated: "2025-03-03T15:00:00Z",
  entitlements: [
    {
      id: "espSECURITYGROUPaaaa",
      name: "Security Group",
      values: [{ id: "entPAYROLLADMINaaaaa", name: "Payroll Admin", externalValue: "payroll_admin" }],
    },
  ],
};
const condition = (id: string, sequence: string | undefined, status = "ACTIVE") => ({
  id,
  name: `Condition ${id.slice(3, 8)}`,
  status,
  priority: 0,
  lastUpdated: "2025-02-03T10:00:00Z",
  accessScopeSettings: { type: "ENTITLEMENT_BUNDLES" },
  ...(sequence ? { approvalSequenceId: sequence } : {}),
});
const detail = (bundles: string[]) => ({
  accessScopeSettings: { type: "ENTITLEMENT_BUNDLES", entitlementBundles: bundles.map((id) => ({ id })) },
});
const sequences = {
  data: [
    { id: OWNER_SEQ, name: "Finance owner approval", description: "The app's owner approves" },
    { id: NOBODY_SEQ, name: "No approver sequence", description: "No approvers needed" },
  ],
};
const fields = {
  data: [
    { id: JUSTIFICATION_FIELD, type: "TEXT", label: "What is the business justification?", required: true },
  ],
  metadata: {
    riskAssessment: {
      requestSubmissionType: "ALLOWED_WITH_NO_OVERRIDES",
      riskRules: [{ name: "Create and approve payments", resourceName: "Workday" }],
    },
  },
};
const payments = conflictAnswer("Create and approve payments", WORKDAY_ORN, [
  [["Security Group", "Payroll Admin"]],
  [["Security Group", "Expense Approver"]],
]);
const base = {
  entry,
  user: { id: HANNAH, profile: { firstName: "Hannah", lastName: "Schmidt" } },
  fields,
  bundle,
  app: { id: WORKDAY, label: "Workday", orn: WORKDAY_ORN },
  conditions: { data: [condition(COND, OWNER_SEQ)] },
  conditionDetails: [detail([PAYROLL_BUNDLE])],
  sequences,
  sod: [payments],
};

describe("whether a person approves an access request in Okta", () => {
  it.each([
    ["No approver sequence", "No approvers needed", "none"],
    ["Auto-approve", "Granted at once", "none"],
    ["Manager approval", "The requester's manager approves", "human"],
    ["Resource owner approval", "The app's owner approves", "human"],
    ["Manager approval", "No review needed for contractors", "none"],
    ["Fast track", "Everyone gets it", "unclear"],
  ])("reads %s (%s) as %s", (name, description, kind) => {
    expect(approverIn({ name, description })).toBe(kind);
  });

  it("files a request whose every deciding condition names a human approver without asking, naming the conflict", () => {
    const p = preview("okta_create_access_request", input, base);
    expect(p.effects).toEqual([{ kind: "request", on: HANNAH }]);
    expect(p.required).toBe(false);
    expect(p.summary).toBe(
      `Request "Workday Payroll Operations" (${ENTRIES.payroll}) in app "Workday" (${WORKDAY}) for "Hannah Schmidt" (${HANNAH}).`,
    );
    expect(p.details).toEqual([
      `Gives the bundle "Workday Payroll Operations" (${PAYROLL_BUNDLE}):`,
      `Would gain "Security Group": "Payroll Admin" (entPAYROLLADMINaaaaa, externalValue "payroll_admin")`,
      'Field "What is the business justification?" (TEXT, required): "Covering the payroll close"',
      `Condition "Condition PAYRO" (${COND}) decides it with the approval sequence "Finance owner approval" ("The app's owner approves"), which names a human approver.`,
      "A person approves it in Okta before any access is given: it is filed without asking here.",
      "Okta's own assessment of this request: ALLOWED_WITH_NO_OVERRIDES.",
      'Separation of duties: conflicts with rule "Create and approve payments" in app "Workday": one of "Security Group": "Payroll Admin" together with one of "Security Group": "Expense Approver".',
    ]);
    expect(readParams("okta_create_access_request", "sod", input, base)).toEqual([
      { body: { principalOrn: `orn:okta:directory:${ORG}:users:${HANNAH}`, resourceOrn: bundle.orn } },
    ]);
  });

  it("reads the full form of only the active conditions whose scope is bundles", () => {
    const conditions = {
      data: [
        condition(COND, OWNER_SEQ),
        condition(OTHER, NOBODY_SEQ, "INACTIVE"),
        {
          ...condition("rcoDEFAULTaaaaaaaaaa", NOBODY_SEQ),
          accessScopeSettings: { type: "RESOURCE_DEFAULT" },
        },
      ],
    };
    expect(
      readParams("okta_create_access_request", "conditionDetails", input, { ...base, conditions }),
    ).toEqual([{ path: { resourceId: WORKDAY, requestConditionId: COND } }]);
    expect(readParams("okta_create_access_request", "conditions", input, base)).toEqual({
      path: { resourceId: WORKDAY },
    });
  });

  it.each([
    [
      "a deciding sequence names no approver",
      {
        conditions: { data: [condition(COND, OWNER_SEQ), condition(OTHER, NOBODY_SEQ)] },
        conditionDetails: [detail([PAYROLL_BUNDLE]), detail([PAYROLL_BUNDLE])],
      },
      "which names no approver.",
    ],
    [
      "the conditions could not be read",
      {
        conditions: {
          unavailable: "403 E0000006: You do not have permission to perform the requested action.",
        },
      },
      "could not be read (403 E0000006",
    ],
    [
      "no active condition covers the bundle",
      { conditionDetails: [detail(["enbSOMETHINGELSEaaaa"])] },
      "No active request condition",
    ],
    [
      "a condition is INVALID (no sequence)",
      { conditions: { data: [condition(COND, undefined)] } },
      "names no approval sequence",
    ],
    [
      "Okta's risk settings route a conflicting request elsewhere",
      {
        fields: {
          ...fields,
          metadata: { riskAssessment: { requestSubmissionType: "ALLOWED_WITH_OVERRIDES", riskRules: [] } },
        },
      },
      "through the app's risk settings",
    ],
    [
      "the entry's app is unknown",
      { entry: { ...entry, _links: {} }, bundle: undefined },
      "The entry's app could not be read",
    ],
  ])("asks a person when %s", (_label, change, line) => {
    const p = preview("okta_create_access_request", input, { ...base, ...change });
    expect(p.effects.map((e) => e.kind)).toContain("grant");
    expect(p.required).toBe(true);
    expect(
      p.details.some((d) => d.includes(line)),
      JSON.stringify(p.details),
    ).toBe(true);
  });

  it("says which fields are missing or unknown to Okta, and never drops the SoD check", () => {
    const p = preview(
      "okta_create_access_request",
      { ...input, requesterFieldValues: [{ id: "not-a-field", value: "x" }] },
      {
        ...base,
        sod: [{ unavailable: "403 E0000006: You do not have permission to perform the requested action." }],
      },
    );
    expect(p.details).toContain(
      'Field "What is the business justification?" (TEXT, required) is not given: Okta will refuse the request.',
    );
    expect(p.details).toContain("Field not-a-field is not one Okta asks for: Okta will refuse the request.");
    expect(p.details).toContain(
      "Separation of duties: the check was unavailable (403 E0000006: You do not have permission to perform the requested action.), so conflicts could not be checked.",
    );
  });
});

describe("the separation-of-duties lines", () => {
  const target = (user: string) => ({
    principalOrn: `orn:okta:directory:${ORG}:users:${user}`,
    resourceOrn: bundle.orn,
    who: `user ${user}`,
  });
  const name = () => 'app "Workday"';

  it("names each conflict once, and the user when several are assessed", () => {
    expect(sodLines([target(HANNAH)], [payments, payments], name)).toHaveLength(1);
    const lines = sodLines([target(HANNAH), target("00u2cEvMLRaxLopsKClQ")], [payments, NO_CONFLICT], name);
    expect(lines).toEqual([
      `Separation of duties (user ${HANNAH}): conflicts with rule "Create and approve payments" in app "Workday": one of "Security Group": "Payroll Admin" together with one of "Security Group": "Expense Approver".`,
    ]);
  });

  it("says the check was not made, or only partly, and says nothing when there is nothing to check", () => {
    expect(sodLines(undefined, undefined, name, "the user could not be read")).toEqual([
      "Separation of duties: not checked: the user could not be read. Check it with okta_assess_access_risk.",
    ]);
    expect(sodLines([], undefined, name)).toEqual([]);
    const many = Array.from({ length: MAX_SOD_CHECKS + 5 }, () => target(HANNAH));
    const lines = sodLines(
      many,
      Array.from({ length: MAX_SOD_CHECKS }, () => NO_CONFLICT),
      name,
    );
    expect(lines).toEqual([
      "Separation of duties: Okta's risk assessment found no conflict.",
      `Separation of duties: checked the first ${MAX_SOD_CHECKS} assessments of ${MAX_SOD_CHECKS + 5}.`,
    ]);
  });
});
