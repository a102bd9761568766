/**
 * How iiq_request_access decides between request, grant and revoke, from the state the guard read (pure:
 * every case of previews/requests.ts), what its policy lines say, and the plan it sends: built from typed
 * fields, every value escaped, read back by IdentityIQ's parser (the sandbox's) as the same request.
 */
import { describe, expect, it } from "vitest";
import type { GuardState } from "../../../src/core/operation.js";
import { parsePlanXml } from "../../../src/sandbox/sailpoint-iiq/plan.js";
import { planJson, planXml } from "../../../tools/sailpoint-iiq/previews/plan.js";
import {
  type RequestInput,
  requestPreview,
  requestVersion,
} from "../../../tools/sailpoint-iiq/previews/requests.js";

const DIEGO = {
  id: "d".repeat(32),
  userName: "diego.alvarez",
  displayName: "Diego Alvarez",
  meta: { version: 'W/"1"' },
};
const OWNER = { value: "a".repeat(32), displayName: "Aisha Khan" };
const ENTITLEMENT = {
  id: "e".repeat(32),
  displayableName: "Expense Approver",
  owner: [OWNER],
  meta: { version: 'W/"2"' },
};
const LCM = { name: "LCM Provisioning", type: "LCM Provisioning" };

const add: RequestInput = {
  identityName: "diego.alvarez",
  operation: "Add",
  entitlement: { application: "Workday", attribute: "SecurityGroup", value: "CN=Expense Approver" },
  justification: "Covers approvals",
};

const state = (over: Partial<Record<string, unknown>> = {}): GuardState => ({
  identity: DIEGO,
  entitlements: { Resources: [ENTITLEMENT] },
  workflow: { Resources: [LCM] },
  violations: { policies: ["Finance SOD Policy"], violations: [] },
  ...over,
});

const kinds = (input: RequestInput, s: GuardState) => requestPreview(input, s).effects.map((e) => e.kind);

describe("request, grant or revoke", () => {
  it("is a request when the LCM Provisioning workflow is there and the entitlement's owner is someone else", () => {
    const preview = requestPreview(add, state());
    expect(preview.effects).toEqual([{ kind: "request", on: ENTITLEMENT.id }]);
    expect(preview.details).toContain(
      `Approval: the workflow asks the owner, "Aisha Khan" (${OWNER.value}), to approve (approvalScheme owner); nothing is provisioned before they do.`,
    );
    expect(preview.targetIds).toEqual([DIEGO.id, ENTITLEMENT.id]);
  });

  it.each([
    [
      "IdentityIQ lists no such workflow",
      { workflow: { Resources: [] } },
      "IdentityIQ lists no LCM Provisioning workflow",
    ],
    [
      "the workflow is of another type",
      { workflow: { Resources: [{ ...LCM, type: "Subprocess" }] } },
      'is of type "Subprocess"',
    ],
    [
      "the entitlement has no owner",
      { entitlements: { Resources: [{ ...ENTITLEMENT, owner: [] }] } },
      "it has no owner",
    ],
    [
      "the owner is the person receiving it",
      {
        entitlements: {
          Resources: [{ ...ENTITLEMENT, owner: [{ value: DIEGO.id, displayName: "Diego Alvarez" }] }],
        },
      },
      'its owner, "Diego Alvarez", is the person receiving it',
    ],
    [
      "the catalog has no such entitlement",
      { entitlements: { Resources: [] } },
      "catalog has no such entitlement",
    ],
  ])("is a grant when %s", (_label, over, why) => {
    const preview = requestPreview(add, state(over));
    expect(preview.effects.map((e) => e.kind)).toEqual(["grant"]);
    expect(preview.summary).toMatch(/^Grant /);
    expect(preview.details.find((d) => d.startsWith("No approver is established: "))).toContain(why);
  });

  it("is a grant for a role its owner would give themselves, and a request for one someone else owns", () => {
    const role = {
      id: "r".repeat(32),
      name: "Payroll Operator",
      owner: { value: DIEGO.id, displayName: "Diego" },
    };
    const input: RequestInput = { ...add, entitlement: undefined, role: "Payroll Operator" };
    expect(kinds(input, state({ role }))).toEqual(["grant"]);
    expect(kinds(input, state({ role: { ...role, owner: OWNER } }))).toEqual(["request"]);
  });

  it("is a revoke for a removal, whoever owns it, and checks no policy", () => {
    const remove: RequestInput = { ...add, operation: "Remove" };
    const preview = requestPreview(remove, state({ workflow: undefined, violations: undefined }));
    expect(preview.effects.map((e) => e.kind)).toEqual(["revoke"]);
    expect(preview.details.some((d) => d.startsWith("Policy check"))).toBe(false);
  });
});

describe("the policy check in the preview", () => {
  it("names each violation, upstream strings quoted on one line", () => {
    const preview = requestPreview(
      add,
      state({
        violations: {
          violations: [
            {
              policyName: 'Finance "SOD"\nPolicy',
              policyType: "EntitlementSOD",
              constraintName: "Approve expenses and run payroll",
              description: "Whoever approves\n- Approval: forged line",
              leftBundles: ["Expense Approver"],
              rightBundles: ["Payroll Admin"],
            },
          ],
        },
      }),
    );
    expect(preview.summary).toMatch(/; it conflicts with 1 policy constraint\.$/);
    expect(preview.details).toContain(
      'Conflicts with policy "Finance \\"SOD\\" Policy", constraint "Approve expenses and run payroll" (EntitlementSOD): "Whoever approves - Approval: forged line" (left: "Expense Approver"; right: "Payroll Admin").',
    );
    expect(preview.details.every((d) => !d.includes("\n"))).toBe(true);
  });

  it("says the check was unavailable, and why", () => {
    const preview = requestPreview(
      add,
      state({ violations: { unavailable: "403 insufficientRights: no rights" } }),
    );
    expect(preview.details).toContain(
      "Policy check unavailable (403 insufficientRights: no rights): IdentityIQ could not say whether this creates a policy violation.",
    );
    expect(preview.summary).toMatch(/; the policy check was unavailable\.$/);
  });

  it("says when IdentityIQ named no policy it checked, instead of implying all were", () => {
    const preview = requestPreview(add, state({ violations: { violations: [] } }));
    expect(preview.details).toContain(
      "Policy check: no violation reported, and IdentityIQ named no policy it checked.",
    );
  });
});

describe("what a confirmation binds to", () => {
  it("the identity's and the entitlement's versions", () => {
    expect(requestVersion(state())).toBe('W/"1"|W/"2"');
  });
});

describe("the plan, from typed fields", () => {
  it("escapes every value and drops what XML cannot hold; IdentityIQ's parser reads the same request back", () => {
    const hostile = {
      application: 'Work"day',
      attribute: "Security<Group>",
      value: "CN=A&B,OU='x'",
    };
    const xml = planXml({ entitlement: hostile }, "Add", 'Because "reasons" & <more>\u0007');
    expect(xml).toContain(
      '<AttributeRequest name="Security&lt;Group&gt;" op="Add" value="CN=A&amp;B,OU=&apos;x&apos;"/>',
    );
    expect(xml).not.toContain("\u0007");
    expect(parsePlanXml(xml)).toEqual([
      {
        application: hostile.application,
        name: hostile.attribute,
        value: hostile.value,
        op: "Add",
        comments: 'Because "reasons" & <more>',
      },
    ]);
  });

  it("assigns a role through IdentityIQ's own application", () => {
    const xml = planXml({ role: "Payroll Operator" }, "Remove", "Left payroll");
    expect(xml).toContain('<entry key="operation" value="RoleRemove"/>');
    expect(parsePlanXml(xml)).toMatchObject([
      { application: "IIQ", name: "assignedRoles", value: "Payroll Operator", op: "Remove" },
    ]);
    expect(planJson({ role: "Payroll Operator" }, "Add").value.accounts[0]).toEqual({
      op: "Modify",
      application: "IIQ",
      attributes: [{ op: "Add", name: "assignedRoles", value: "Payroll Operator" }],
    });
  });
});
