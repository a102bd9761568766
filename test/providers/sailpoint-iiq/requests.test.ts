/**
 * IdentityIQ access requests end to end through a real Client against the sandbox over loopback HTTP: a
 * person asks for access, the assistant finds the entitlement, checks policy violations (the conflict shown),
 * files the request with the justification (no confirmation: the entitlement's owner approves in IdentityIQ),
 * the sandbox's approver approves, the entitlement is on the identity and its account, and the status says
 * so; a rejection; an addition no approver stands in front of, and a removal, ask a person first; the policy
 * check unavailable is said, never left out; bad input and upstream errors for each new tool.
 */
import { describe, expect, it } from "vitest";
import {
  asRequested,
  DANA,
  DIEGO,
  EXPENSE_APPROVER,
  IIQ_DEMO_LAUNCHES,
  SELF_SERVICE,
  VPN_USERS,
} from "../../fixtures/sailpoint-iiq.js";
import { call, confirmed, expectRefusedLocally, ok, structured, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";
import { decide, holdings, launches } from "./sandbox.js";

type Json = Record<string, unknown>;
const LAUNCHED = "urn:ietf:params:scim:schemas:sailpoint:1.0:LaunchedWorkflow";
const JUSTIFICATION = 'Covers expense approvals while Hannah is on leave <"& back in May>';

const session = testServer();

const expenseRequest = {
  identityName: DIEGO.userName,
  operation: "Add",
  entitlement: asRequested(EXPENSE_APPROVER),
  justification: JUSTIFICATION,
};

describe("an IdentityIQ access request, from the catalog to the access", () => {
  it("finds the entitlement, shows the conflict, files the request with the justification, and after the owner approves the access is there and the status says so", async () => {
    const { client, sandbox } = session;
    // Find the entitlement and read what a request names.
    const found = ok<{ items: Json[] }>(
      await call(client, "iiq_list_entitlements", { nameContains: "Expense Approver" }),
    );
    const id = String(found.items[0]?.id);
    expect(id).toBe(EXPENSE_APPROVER.id);
    const entitlement = ok(await call(client, "iiq_get_entitlement", { id }));
    const named = {
      application: String((entitlement.application as Json[])[0]?.displayName),
      attribute: String(entitlement.attribute),
      value: String(entitlement.value),
    };
    expect(named).toEqual(asRequested(EXPENSE_APPROVER));

    // The policy check: Diego runs payroll, so approving expenses conflicts.
    const check = await call(client, "iiq_check_policy_violations", {
      identity: DIEGO.userName,
      plan: {
        value: {
          accounts: [
            {
              application: named.application,
              attributes: [{ op: "Add", name: named.attribute, value: named.value }],
            },
          ],
        },
      },
    });
    expect(text(check)).toContain(
      "1 new policy violation for diego.alvarez:\n- Finance SOD Policy / Approve expenses and run payroll (EntitlementSOD)",
    );
    expect(text(check)).toContain("(Expense Approver vs Payroll Admin)");
    expect(await holdings(sandbox, DIEGO.userName)).not.toContain("Expense Approver");

    // Filed: the owner (Aisha Khan) approves in IdentityIQ, so no confirmation is asked here.
    const filed = await call(client, "iiq_request_access", { ...expenseRequest, entitlement: named });
    const launch = ok(filed);
    expect(text(filed)).toMatch(
      /^Filed IdentityIQ access request 0000000003 to add Workday SecurityGroup "CN=Expense Approver,OU=Workday,DC=acme,DC=example" for diego\.alvarez \(launched workflow [0-9a-f]{32}\): pending approval by "aisha\.khan"\./,
    );
    const input = (launch[LAUNCHED] as { input: Json[] }).input;
    const plan = String(input.find((e) => e.key === "plan")?.value);
    expect(plan).toContain(
      '<entry key="comments" value="Covers expense approvals while Hannah is on leave &lt;&quot;&amp; back in May&gt;"/>',
    );
    expect(plan).toContain(
      '<AttributeRequest name="SecurityGroup" op="Add" value="CN=Expense Approver,OU=Workday,DC=acme,DC=example"/>',
    );
    expect(input.find((e) => e.key === "approvalScheme")?.value).toBe("owner");
    // Filed without asking here, the preview still reaches the person, its policy conflict included.
    expect(text(filed)).toMatch(
      /Filed without confirmation here: an approver decides in IdentityIQ\. Tell the user what the preview found:\nRequest "Expense Approver"/,
    );
    expect(text(filed)).toMatch(
      /\n- Conflicts with policy "Finance SOD Policy", constraint "Approve expenses and run payroll"/,
    );
    // The preview the guard made names the conflict; the audit keeps it with the effect.
    const audit = (await session.readAudit()).filter((l) => l.tool === "iiq_request_access");
    expect(audit.map((l) => l.outcome)).toEqual(["not_required", "executing", "executed"]);
    expect(audit[0]?.detail).toBe(
      `Request "Expense Approver" ("Workday" SecurityGroup) for "Diego Alvarez" (diego.alvarez) through IdentityIQ's LCM Provisioning workflow; it conflicts with 1 policy constraint.`,
    );
    expect((audit[0] as { effects?: string[] }).effects).toEqual(["request"]);

    // Pending: nothing is provisioned yet.
    const pending = await call(client, "iiq_get_request_status", { id: String(launch.id) });
    expect(text(pending)).toContain('pending approval by "aisha.khan"');
    expect(text(pending)).toContain("- approval by aisha.khan: Pending");
    expect(await holdings(sandbox, DIEGO.userName)).not.toContain("Expense Approver");

    // The owner approves in IdentityIQ (the sandbox's control surface).
    const approved = await decide(sandbox, String(launch.id), "approve", "Until May");
    expect(approved.status).toBe(200);
    expect(approved.body.completionStatus).toBe("Success");

    // The entitlement is on the identity and on its Workday account.
    expect(await holdings(sandbox, DIEGO.userName)).toContain("Expense Approver");
    const accounts = ok<{ items: Json[] }>(
      await call(client, "iiq_list_accounts", { userName: DIEGO.userName, application: "Workday" }),
    );
    const workday = accounts.items[0] as Json;
    const schema = Object.keys(workday).find((k) => k.endsWith(":Workday:account")) as string;
    expect((workday[schema] as Json).SecurityGroup).toContain(EXPENSE_APPROVER.value);

    // The status reports it, with the justification the approver saw.
    const done = await call(client, "iiq_get_request_status", { id: String(launch.id) });
    expect(text(done)).toMatch(
      /^IdentityIQ request 0000000003 for diego\.alvarez \(Update Identity diego\.alvarez AccessRequest, [0-9a-f]{32}\): approved by "Aisha Khan" and provisioned\.\nLaunched .*, completed .* \(Success\)\.\n- approval by aisha\.khan: Finished \(Aisha Khan\)/,
    );
    const approvalSet = (structured(done).attributes as Json[]).find((a) => a.key === "approvalSet");
    expect(String(approvalSet?.value)).toContain("Covers expense approvals while Hannah is on leave");

    // IdentityIQ's policy scan recorded the violation the check foresaw.
    const violations = await call(client, "iiq_list_policy_violations", { userId: DIEGO.id });
    expect(text(violations)).toMatch(
      /^1 policy violation; no more pages\n- Finance SOD Policy \/ Approve expenses and run payroll: Diego Alvarez, Open/,
    );
  });

  it("a rejected request provisions nothing, and the status says who rejected it", async () => {
    const { client, sandbox } = session;
    const filed = ok(
      await call(client, "iiq_request_access", {
        identityName: DIEGO.userName,
        operation: "Add",
        role: "Finance Approver",
        justification: "Approves the team's expenses",
      }),
    );
    const rejected = await decide(sandbox, String(filed.id), "reject", "Conflicts with payroll");
    expect(rejected.body.completionStatus).toBe("Warning");
    const status = await call(client, "iiq_get_request_status", { id: String(filed.id) });
    expect(text(status)).toContain('rejected by "Aisha Khan": nothing was provisioned');
    expect(text(status)).toContain("- message: Rejected by Aisha Khan: nothing was provisioned.");
    expect(await holdings(sandbox, DIEGO.userName)).not.toContain("Finance Approver");
    // Decided once: the approver cannot decide again.
    expect((await decide(sandbox, String(filed.id), "approve")).status).toBe(409);
  });

  it("asks first when no approver stands in front of the access (an entitlement without an owner), then provisions at once", async () => {
    const { client, sandbox } = session;
    const args = {
      identityName: DIEGO.userName,
      operation: "Add",
      entitlement: asRequested(SELF_SERVICE),
      justification: "Needs his payslips",
    };
    const asked = await call(client, "iiq_request_access", args);
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toContain(
      `Confirmation required. Grant "Employee Self-Service" ("Workday" SecurityGroup) for "Diego Alvarez" (diego.alvarez) through IdentityIQ's LCM Provisioning workflow.
- Justification: "Needs his payslips".
- No approver is established: it has no owner, so IdentityIQ's owner approval falls to its fallback approver (usually the account this server signs in with, which approves at once). A person confirms here instead.
- Policy check: no new violation (policies checked: "Finance SOD Policy", "Sales SOD Policy", "IT SOD Policy", "Business Role SOD Policy").`,
    );
    expect(launches(sandbox)).toBe(0);
    const done = await confirmed(client, "iiq_request_access", args);
    expect(text(done)).toContain("completed without an approval: provisioned");
    expect(await holdings(sandbox, DIEGO.userName)).toContain("Employee Self-Service");
  });

  it("asks first when the person would approve their own access (the role's owner)", async () => {
    const asked = await call(session.client, "iiq_request_access", {
      identityName: "aisha.khan",
      operation: "Add",
      role: "Payroll Operator",
      justification: "Runs payroll this month",
    });
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toContain(
      `- No approver is established: its owner, "Aisha Khan", is the person receiving it. A person confirms here instead.`,
    );
    expect(launches(session.sandbox)).toBe(0);
  });

  it("a removal asks first, names who loses what, and once confirmed the entitlement leaves the identity and its account", async () => {
    const { client, sandbox } = session;
    const args = {
      identityName: DANA.userName,
      operation: "Remove",
      entitlement: asRequested(VPN_USERS),
      justification: "Moved to an office role",
    };
    const asked = await call(client, "iiq_request_access", args);
    expect(text(asked)).toContain(
      `Confirmation required. Remove "VPN Users" ("AD" memberOf) from "Dana Whitfield" (dana.whitfield) through IdentityIQ's LCM Provisioning workflow.
- Justification: "Moved to an office role".
- "Dana Whitfield" (dana.whitfield) holds it now and loses it.
- A removal takes access away: a person confirms it here.`,
    );
    // A removal creates no violation: no policy check is made for it.
    expect(sandbox.requests.some((r) => r.path.endsWith("/CheckedPolicyViolations"))).toBe(false);
    const done = await confirmed(client, "iiq_request_access", args);
    expect(text(done)).toContain("completed without an approval: provisioned");
    expect(await holdings(sandbox, DANA.userName)).not.toContain("VPN Users");
    const ad = ok<{ items: Json[] }>(
      await call(client, "iiq_list_accounts", { userName: DANA.userName, application: "AD" }),
    );
    const schema = Object.keys(ad.items[0] as Json).find((k) => k.endsWith(":AD:account")) as string;
    expect(((ad.items[0] as Json)[schema] as Json).memberOf).not.toContain(VPN_USERS.value);
  });
});

describe("the policy check, when IdentityIQ cannot make it", () => {
  it("says so in the preview, with IdentityIQ's answer, and never leaves it out", async () => {
    const { client, sandbox } = session;
    sandbox.inject({ route: "POST /CheckedPolicyViolations", status: 403 });
    const asked = await call(client, "iiq_request_access", {
      identityName: DIEGO.userName,
      operation: "Add",
      entitlement: asRequested(SELF_SERVICE),
      justification: "Needs his payslips",
    });
    expect(text(asked)).toContain(
      "- Policy check unavailable (403: Injected failure 403): IdentityIQ could not say whether this creates a policy violation.",
    );
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
  });

  it("says so in what a request filed without confirmation records", async () => {
    const { client, sandbox } = session;
    sandbox.inject({ route: "POST /CheckedPolicyViolations", status: 501 });
    ok(await call(client, "iiq_request_access", expenseRequest));
    const [first] = (await session.readAudit()).filter((l) => l.tool === "iiq_request_access");
    expect(first?.detail).toMatch(/; the policy check was unavailable\.$/);
  });
});

describe("the demo's requests", () => {
  it("lists Marcus Bell's request waiting for Priya Raman, and Hannah Schmidt's approved one", async () => {
    const pending = await call(session.client, "iiq_get_request_status", { id: IIQ_DEMO_LAUNCHES.pending });
    expect(text(pending)).toMatch(
      /^IdentityIQ request 0000000002 for marcus\.bell .*: pending approval by "priya\.raman"\./,
    );
    const approved = await call(session.client, "iiq_get_request_status", { id: IIQ_DEMO_LAUNCHES.approved });
    expect(text(approved)).toContain('approved by "Priya Raman" and provisioned');
  });
});

describe("bad input never reaches IdentityIQ, and the error names the field", () => {
  const valid = expenseRequest;
  it.each([
    [
      "iiq_request_access",
      { ...valid, role: "Payroll Operator" },
      /an entitlement or a role, not both at entitlement/,
    ],
    [
      "iiq_request_access",
      { ...valid, entitlement: undefined },
      /give an entitlement \(\{application, attribute, value\}\) or a role at entitlement/,
    ],
    ["iiq_request_access", { ...valid, justification: undefined }, /justification/],
    ["iiq_request_access", { ...valid, operation: "Grant" }, /operation/],
    ["iiq_request_access", { ...valid, identityName: "../Users" }, /identityName/],
    ["iiq_request_access", { ...valid, entitlement: { application: "Workday", value: "x" } }, /attribute/],
    ["iiq_request_access", { ...valid, plan: "<ProvisioningPlan/>" }, /plan/],
    ["iiq_get_request_status", { id: "0000000003" }, /id/],
    ["iiq_check_policy_violations", { identity: DIEGO.userName }, /plan/],
    [
      "iiq_check_policy_violations",
      { identity: DIEGO.userName, plan: { value: { accounts: [] } } },
      /accounts/,
    ],
    [
      "iiq_check_policy_violations",
      { identity: DIEGO.userName, plan: {}, authnPassword: "x" },
      /authnPassword/,
    ],
    ["iiq_list_policy_violations", { status: "Closed" }, /status/],
    ["iiq_list_policy_violations", { userId: "diego.alvarez" }, /userId/],
  ])("%s %j", async (tool, args, field) => {
    await expectRefusedLocally(session.client, session.sandbox, tool, args as Json, field);
  });
});

describe("IdentityIQ's errors, translated, with nothing changed", () => {
  it("iiq_request_access: an identity IdentityIQ does not know fails the preview's read; nothing is launched", async () => {
    const result = await call(session.client, "iiq_request_access", {
      ...expenseRequest,
      identityName: "nobody.here",
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/IdentityIQ answered 404.*Resource not found: nobody\.here/s);
    expect(launches(session.sandbox)).toBe(0);
  });

  it("iiq_request_access: a role IdentityIQ does not know fails the same way", async () => {
    const result = await call(session.client, "iiq_request_access", {
      identityName: DIEGO.userName,
      operation: "Add",
      role: "Chief Everything Officer",
      justification: "Why not",
    });
    expect(text(result)).toMatch(/IdentityIQ answered 404.*Chief Everything Officer/s);
    expect(launches(session.sandbox)).toBe(0);
  });

  it("iiq_request_access: an entitlement the catalog lacks is a grant, and IdentityIQ refuses the launch", async () => {
    const args = {
      ...expenseRequest,
      entitlement: { application: "Workday", attribute: "SecurityGroup", value: "CN=Nothing,OU=Workday" },
    };
    const asked = await call(session.client, "iiq_request_access", args);
    expect(text(asked)).toContain("No approver is established: IdentityIQ's catalog has no such entitlement");
    const done = await confirmed(session.client, "iiq_request_access", args);
    expect(done.isError).toBe(true);
    expect(text(done)).toMatch(
      /IdentityIQ answered 400 invalidValue.*No entitlement SecurityGroup="CN=Nothing,OU=Workday"/s,
    );
    expect((await session.readAudit()).at(-1)?.outcome).toBe("failed");
  });

  it("iiq_request_access: IdentityIQ failing the launch is reported and audited as failed", async () => {
    session.sandbox.inject({ route: "POST /LaunchedWorkflows", status: 500 });
    const result = await call(session.client, "iiq_request_access", expenseRequest);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/IdentityIQ answered 500/);
    expect((await session.readAudit()).at(-1)?.outcome).toBe("failed");
  });

  it("iiq_get_request_status: an unknown id is IdentityIQ's 404", async () => {
    const result = await call(session.client, "iiq_get_request_status", { id: "0".repeat(32) });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/IdentityIQ answered 404.*Resource not found/s);
  });

  it("iiq_check_policy_violations: an identity or an entitlement IdentityIQ does not know is its 400", async () => {
    const plan = {
      value: {
        accounts: [{ application: "Workday", attributes: [{ name: "SecurityGroup", value: "CN=Nothing" }] }],
      },
    };
    const unknownIdentity = await call(session.client, "iiq_check_policy_violations", {
      identity: "nobody.here",
      plan,
    });
    expect(text(unknownIdentity)).toMatch(
      /IdentityIQ answered 400 invalidValue.*No identity named "nobody\.here"/s,
    );
    const unknownEntitlement = await call(session.client, "iiq_check_policy_violations", {
      identity: DIEGO.userName,
      plan,
    });
    expect(text(unknownEntitlement)).toMatch(/No entitlement SecurityGroup="CN=Nothing"/);
  });

  it("iiq_list_policy_violations: a filter on an attribute IdentityIQ does not search is its 400", async () => {
    const result = await call(session.client, "iiq_list_policy_violations", {
      filter: 'description co "payroll"',
    });
    expect(text(result)).toMatch(/IdentityIQ answered 400 invalidFilter.*description/s);
  });
});

describe("the sandbox's control surface", () => {
  it("is the sandbox's, not a tool, and answers 404 for an id it does not know", async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name).filter((n) => /approve|reject/.test(n))).toEqual([]);
    expect((await decide(session.sandbox, "0".repeat(32), "approve")).status).toBe(404);
  });
});
