/**
 * A user's entitlement history through a real Client against the sandbox: Dana's periods in Salesforce
 * (the current one is what she holds now), a new period when her access changes, a date range, paging
 * with its cursor and count, and bad input refused before any request.
 */
import { describe, expect, it } from "vitest";
import { DANA, PRIYA, SALES_CLOUD_ADMIN, SALESFORCE } from "../../fixtures/okta.js";
import { sandboxSend } from "../../helpers/guard-matrix.js";
import { call, expectRefusedLocally, ok, sandboxGet, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

interface Period {
  startDate: string;
  endDate?: string;
  lifecycle: string;
  entitlements: { id: string; name: string; values: { id: string; name: string }[] }[];
}
interface History {
  resource: { externalId: string };
  principal: { externalId: string };
  entitlementHistory: Period[];
  nextCursor?: string;
  total?: number;
}

const session = testServer();
const TOOL = "okta_get_principal_entitlements_history";

/** What the sandbox says the user holds now, entitlement by entitlement. */
async function heldNow(userId: string): Promise<[string, string[]][]> {
  const filter = encodeURIComponent(
    `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`,
  );
  const body = (
    await sandboxGet(session.sandbox, `/governance/api/v1/principal-entitlements?filter=${filter}`)
  ).body as { data: Period["entitlements"] };
  return body.data.map((e) => [e.id, e.values.map((v) => v.id).sort()]);
}
const held = (p: Period | undefined) =>
  (p?.entitlements ?? []).map((e) => [e.id, e.values.map((v) => v.id).sort()]);

describe("a user's entitlement history", () => {
  it("shows Dana's periods in Salesforce, newest first, the current one what she holds now", async () => {
    const result = await call(session.client, TOOL, { appId: SALESFORCE, principalId: DANA });
    const history = ok<History>(result);
    expect(history.resource.externalId).toBe(SALESFORCE);
    expect(history.principal.externalId).toBe(DANA);
    const [current, before] = history.entitlementHistory;
    expect(current?.lifecycle).toBe("ACTIVE");
    expect(current?.endDate).toBeUndefined();
    expect(held(current)).toEqual(await heldNow(DANA));
    expect(before?.lifecycle).toBe("INACTIVE");
    expect(before?.endDate).toBe(current?.startDate);
    // The bundle she was given later added the Sales Rep role to what the policy gave.
    expect(current?.entitlements.map((e) => e.name)).toContain("Role");
    expect(before?.entitlements.map((e) => e.name)).not.toContain("Role");
    expect(text(result)).toMatch(
      new RegExp(
        `^2 periods of user ${DANA} in app ${SALESFORCE}; no more pages\\n- since ${current?.startDate} \\(ACTIVE\\): .*Role: Sales Representative`,
      ),
    );
  });

  it("starts a new period when her access changes, and closes the one before", async () => {
    const before = ok<History>(await call(session.client, TOOL, { appId: SALESFORCE, principalId: DANA }));
    await sandboxSend(session.sandbox, "POST", "/governance/api/v1/grants", {
      grantType: "ENTITLEMENT-BUNDLE",
      entitlementBundleId: SALES_CLOUD_ADMIN,
      targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
    });
    const after = ok<History>(await call(session.client, TOOL, { appId: SALESFORCE, principalId: DANA }));
    expect(after.entitlementHistory).toHaveLength(before.entitlementHistory.length + 1);
    const [now, previous] = after.entitlementHistory;
    expect(held(now)).toEqual(await heldNow(DANA));
    expect(held(previous)).toEqual(held(before.entitlementHistory[0]));
    expect(previous?.endDate).toBe(now?.startDate);
  });

  it("keeps to a date range", async () => {
    const all = ok<History>(
      await call(session.client, TOOL, { appId: SALESFORCE, principalId: DANA }),
    ).entitlementHistory;
    const current = all[0] as Period;
    const recent = ok<History>(
      await call(session.client, TOOL, {
        appId: SALESFORCE,
        principalId: DANA,
        startDate: current.startDate,
      }),
    );
    expect(recent.entitlementHistory.map((p) => p.startDate)).toEqual([current.startDate]);
    const early = ok<History>(
      await call(session.client, TOOL, {
        appId: SALESFORCE,
        principalId: DANA,
        endDate: "2020-01-01T00:00:00Z",
      }),
    );
    expect(early.entitlementHistory).toEqual([]);
  });

  it("pages with the cursor it returns, and counts the periods when asked", async () => {
    const first = await call(session.client, TOOL, {
      appId: SALESFORCE,
      principalId: DANA,
      limit: 1,
      include: ["counts"],
    });
    const page = ok<History>(first);
    expect(page.entitlementHistory).toHaveLength(1);
    expect(page.total).toBe(2);
    expect(page.nextCursor).toBe(page.entitlementHistory[0]?.startDate);
    expect(text(first)).toMatch(/^1 period of 2 of user .*; more: after=/);
    const second = ok<History>(
      await call(session.client, TOOL, {
        appId: SALESFORCE,
        principalId: DANA,
        limit: 1,
        after: page.nextCursor,
      }),
    );
    expect(second.entitlementHistory[0]?.lifecycle).toBe("INACTIVE");
    expect(second.nextCursor).toBeUndefined();
  });

  it("answers for a raw filter by ORNs, as the spec's second set of properties", async () => {
    const filter = `resourceOrn eq "orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:${SALESFORCE}" AND principalOrn eq "orn:okta:directory:00o11edPwGqbUrsDm0g4:users:${PRIYA}"`;
    const history = ok<History>(await call(session.client, TOOL, { filter }));
    expect(history.entitlementHistory).toHaveLength(1);
    expect(held(history.entitlementHistory[0])).toEqual(await heldNow(PRIYA));
  });

  it.each([
    [{ appId: SALESFORCE }, /principalId/],
    [{ appId: SALESFORCE, principalId: DANA, limit: 101 }, /limit/],
    [{ appId: SALESFORCE, principalId: DANA, startDate: "last week" }, /startDate/],
    [{ appId: SALESFORCE, principalId: DANA, include: ["everything"] }, /include/],
  ])("refuses %j before any request", async (args, field) => {
    await expectRefusedLocally(session.client, session.sandbox, TOOL, args, field);
  });
});
