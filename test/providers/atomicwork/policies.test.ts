/**
 * Atomicwork access policies end to end through a real Client against the sandbox: a policy that is not in
 * force (a draft nobody is under) is a harmless create and goes through unasked; one that is (PUBLISHED,
 * or marked active) can hand out or open access, so a person confirms, with a preview that names its
 * entitlements, what they provision and who holds them; and the guard matrix for it.
 */
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { type GuardCase, guardMatrix, sandboxSend } from "../../helpers/guard-matrix.js";
import { call, ok, structured, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";
import { AW_HEADERS } from "./spec-requests.js";

const BIRTHRIGHT = {
  name: "Sales birthright",
  type: "BIRTH_RIGHT",
  status: "PUBLISHED",
  app_id: 12345,
  entitlements: [501],
  condition: { type: "DEPARTMENT", values: [41] },
};

const policyWrites = (sandbox: Sandbox) =>
  sandbox.requests.filter((r) => r.method === "POST" && r.path === "/api/v1/iga/policies" && r.status < 300)
    .length;

describe("atomicwork_create_policy", () => {
  const session = testServer();

  it("creates a draft policy nobody is under without asking, and says its id is not known", async () => {
    const result = await call(session.client, "atomicwork_create_policy", {
      name: "Payroll requests",
      type: "SELF_SERVICE",
      status: "DRAFT",
      app_id: 12345,
      entitlements: [502],
      approvals: { type: "MULTI_STEP", steps: [{ type: "MANAGER", criteria: "EVERYONE" }] },
    });
    expect(ok(result)).toEqual({});
    expect(text(result)).toBe(
      `Created the SELF_SERVICE policy "Payroll requests" (DRAFT) in app 12345 for entitlements 502. Atomicwork answers a policy create with an empty body and its API has no way to read policies, so the new policy's id and key are not known here: find it in Atomicwork by its name.`,
    );
    expect(policyWrites(session.sandbox)).toBe(1);
    expect(await session.outcomes("atomicwork_create_policy")).toEqual([
      "not_required",
      "executing",
      "executed",
    ]);
  });

  it("asks before a create of a draft too when the operator widens the guard (--confirm-creates)", async () => {
    const wide = await session.connect({ server: { confirmCreates: true } });
    const result = await call(wide.client, "atomicwork_create_policy", {
      name: "Later",
      type: "SELF_SERVICE",
      status: "DRAFT",
      app_id: 12345,
    });
    expect(structured(result)).toMatchObject({ status: "confirmation_required" });
    expect(policyWrites(session.sandbox)).toBe(0);
    await wide.close();
  });

  it("asks before a published birthright policy, naming what it hands out and who holds it", async () => {
    const result = await call(session.client, "atomicwork_create_policy", BIRTHRIGHT);
    expect(structured(result)).toMatchObject({ status: "confirmation_required" });
    expect(structured<{ preview: { details: string[] } }>(result).preview.details).toEqual([
      `"Salesforce Sales Cloud admin" (501): it provisions "OKTA_GROUP_PROVISIONING" "Salesforce Sales Cloud admin" ("00gSalesCloudAdmins1") through "OKTA".`,
      `In force: people matching its condition ("DEPARTMENT" 41) receive these entitlements automatically, without a request.`,
      "Held now through 2 active grant(s): grant 7001, grant 7006.",
    ]);
    expect(text(result)).toMatch(/Nothing was changed\.$/);
    expect(policyWrites(session.sandbox)).toBe(0);
  });

  it("asks before a policy marked active, whatever its status", async () => {
    const result = await call(session.client, "atomicwork_create_policy", {
      name: "Self-service payroll",
      type: "SELF_SERVICE",
      status: "DRAFT",
      is_active: true,
      app_id: 12345,
      entitlements: [502],
    });
    expect(structured(result)).toMatchObject({ status: "confirmation_required" });
    expect(text(result)).toContain("no approvals given (requests may be granted without an approver)");
    expect(policyWrites(session.sandbox)).toBe(0);
  });

  it("refuses an entitlement id sent as a string, before any request", async () => {
    const before = session.sandbox.requests.length;
    const result = await call(session.client, "atomicwork_create_policy", {
      ...BIRTHRIGHT,
      entitlements: ["501"],
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/entitlements/);
    expect(session.sandbox.requests.length).toBe(before);
  });
});

const CASES: GuardCase[] = [
  {
    tool: "atomicwork_create_policy",
    args: BIRTHRIGHT,
    otherArgs: { ...BIRTHRIGHT, name: "Another birthright" },
    write: { method: "POST", path: "/api/v1/iga/policies" },
    readBack: async (s) => policyWrites(s),
    // Someone new comes to hold the entitlement the preview listed the holders of.
    changeTarget: async (s) => {
      await sandboxSend(s, "POST", "/api/v1/iga/grants", { user_id: 9003, entitlement_id: 501 }, AW_HEADERS);
    },
  },
];

guardMatrix(CASES);
