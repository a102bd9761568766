/**
 * Separation of duties in the previews that give access, through a real MCP Client against the sandbox:
 * a new bundle grant, a replaced custom grant and a bundle that comes to give more to its holders each
 * name the rule they would break; when Okta's risk assessment answers 403 (no licence or scope, injected
 * here), the preview says the check was unavailable and why; a DENY, which gives nothing, asks for none.
 */
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { PERMISSION_SET, PRIYA_GRANT, SALES_CLOUD_ADMIN, SALESFORCE, WORKDAY } from "../../fixtures/okta.js";
import { HANNAH, PAYROLL_BUNDLE } from "../../fixtures/okta-requests.js";
import { call, sandboxGet, structured, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

type Json = Record<string, unknown>;
const ASSESS = "POST /governance/api/v1/risk-rule-assessments";

const session = testServer();

async function read(sandbox: Sandbox, path: string): Promise<Json> {
  return (await sandboxGet(sandbox, path)).body as Json;
}

/** A reference as a PUT body takes it: `{id, values}` or `{id}`. */
const reference = (e: Json) => {
  const values = ((e.values as Json[] | undefined) ?? []).map((v) => ({ id: v.id }));
  return values.length ? { id: e.id, values } : { id: e.id };
};

/** The id of a value of Salesforce's Permission Set entitlement, by name. */
async function permissionSet(
  sandbox: Sandbox,
  name: string,
): Promise<{ entitlementId: string; valueId: string }> {
  const all = await read(
    sandbox,
    `/governance/api/v1/entitlements/values?filter=${encodeURIComponent(`parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND name sw "${name}"`)}`,
  );
  const value = (all.data as Json[])[0] as Json;
  return { entitlementId: String(value.entitlementId), valueId: String(value.id) };
}

const payrollGrant = {
  grantType: "ENTITLEMENT-BUNDLE",
  entitlementBundleId: PAYROLL_BUNDLE,
  targetPrincipal: { externalId: HANNAH, type: "OKTA_USER" },
};
const PAYMENTS_LINE =
  '- Separation of duties: conflicts with rule "Create and approve payments" in app "Workday": one of "Security Group": "Payroll Admin" together with one of "Security Group": "Expense Approver".';

describe("separation of duties in the previews that give access", () => {
  it("okta_create_grant names the rule a new bundle grant breaks", async () => {
    const asked = await call(session.client, "okta_create_grant", payrollGrant);
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toContain(PAYMENTS_LINE);
    expect(text(asked)).toContain(`in app "Workday" (${WORKDAY})`);
  });

  it("okta_replace_grant names the rule a value gained breaks", async () => {
    const { sandbox } = session;
    const g = await read(sandbox, `/governance/api/v1/grants/${PRIYA_GRANT}`);
    const exportData = await permissionSet(sandbox, "Data Export");
    expect(exportData.entitlementId).toBe(PERMISSION_SET);
    const keys = [
      "grantType",
      "action",
      "actor",
      "status",
      "targetResourceOrn",
      "target",
      "targetPrincipalOrn",
      "targetPrincipal",
    ];
    const args = {
      grantId: PRIYA_GRANT,
      id: PRIYA_GRANT,
      ...Object.fromEntries(keys.map((k) => [k, g[k]])),
      entitlements: [
        ...((g.entitlements as Json[]) ?? []).map(reference),
        { id: exportData.entitlementId, values: [{ id: exportData.valueId }] },
      ],
    };
    const asked = await call(session.client, "okta_replace_grant", args);
    expect(text(asked)).toContain(
      '- Separation of duties: conflicts with rule "Administer and export customer data" in app "Salesforce": one of "Profile": "System Administrator" together with one of "Permission Set": "Data Export", "Permission Set": "Export Reports".',
    );
  });

  it("okta_replace_bundle names, per holder, the rule the values it comes to give break", async () => {
    const { sandbox } = session;
    const b = await read(sandbox, `/governance/api/v1/entitlement-bundles/${SALES_CLOUD_ADMIN}`);
    const exportData = await permissionSet(sandbox, "Data Export");
    const entitlements = (b.entitlements as Json[])
      .map(reference)
      .map((e) =>
        e.id === exportData.entitlementId
          ? { id: e.id, values: [...((e as { values?: Json[] }).values ?? []), { id: exportData.valueId }] }
          : e,
      );
    const args = {
      entitlementBundleId: SALES_CLOUD_ADMIN,
      id: SALES_CLOUD_ADMIN,
      name: b.name,
      description: b.description,
      status: b.status,
      targetResourceOrn: b.targetResourceOrn,
      target: b.target,
      entitlements,
    };
    const asked = await call(session.client, "okta_replace_bundle", args);
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    // Olivia holds the bundle; the added Data Export meets the rule's second list.
    expect(text(asked)).toContain(
      '- Separation of duties: conflicts with rule "Administer and export customer data" in app "Salesforce": one of "Profile": "System Administrator" together with one of "Permission Set": "Data Export", "Permission Set": "Export Reports".',
    );
    const checked = session.sandbox.requests.filter(
      (r) => r.method === "POST" && r.path.endsWith("/risk-rule-assessments"),
    );
    expect(checked).toHaveLength(1);
  });

  it("says the check was unavailable when Okta answers 403, and never leaves it out", async () => {
    session.sandbox.inject({ route: ASSESS, status: 403, times: Number.POSITIVE_INFINITY });
    const asked = await call(session.client, "okta_create_grant", payrollGrant);
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toContain(
      "- Separation of duties: the check was unavailable (403 E0000006: You do not have permission to perform the requested action.), so conflicts could not be checked.",
    );
    expect(text(asked)).not.toContain("found no conflict");
    // A request with a human approver is still filed: the approver sees Okta's own assessment.
    const filed = await call(session.client, "okta_create_access_request", {
      requested: { type: "CATALOG_ENTRY", entryId: "cen3qpimoKc7wCPyx8g6" },
      requestedFor: { type: "OKTA_USER", externalId: HANNAH },
    });
    expect(filed.isError, text(filed)).toBeFalsy();
  });

  it("asks no assessment of a DENY, which gives nothing", async () => {
    const asked = await call(session.client, "okta_create_grant", { ...payrollGrant, action: "DENY" });
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).not.toContain("Separation of duties");
    expect(session.sandbox.requests.some((r) => r.path.endsWith("/risk-rule-assessments"))).toBe(false);
  });
});
