/**
 * The rest of Okta's access surface through a real Client against the sandbox: a user's effective
 * entitlements and the grants behind them, a grant's expiry, and revoking a user's access (values,
 * bundles, a whole app), each read back from the sandbox; then the guard matrix for the two writes.
 */
import { describe, expect, it } from "vitest";
import { DANA, ORG, SALESFORCE } from "../../fixtures/okta.js";
import { type GuardCase, guardMatrix, sandboxSend } from "../../helpers/guard-matrix.js";
import {
  call,
  confirmed,
  expectRefusedLocally,
  sandboxGet,
  structured,
  text,
} from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

const SLACK = "0oaOYCoLhABLJCYAAMAT";
const DANA_ORN = `orn:okta:directory:${ORG}:users:${DANA}`;

interface Effective {
  items: { id: string; name: string; values: { id: string; name: string }[] }[];
}

const session = testServer();

async function effective(appId: string, userId = DANA): Promise<Effective["items"]> {
  const filter = encodeURIComponent(
    `parent.externalId eq "${appId}" AND parent.type eq "APPLICATION" AND targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`,
  );
  return (
    (await sandboxGet(session.sandbox, `/governance/api/v1/principal-entitlements?filter=${filter}`))
      .body as Effective & {
      data: Effective["items"];
    }
  ).data;
}

describe("a user's access", () => {
  it("lists Dana's effective Salesforce entitlements, as the sandbox evaluates them", async () => {
    const result = await call(session.client, "okta_list_principal_entitlements", {
      appId: SALESFORCE,
      principalId: DANA,
    });
    expect(result.isError, text(result)).toBeFalsy();
    const items = structured<Effective>(result).items;
    expect(items.map((i) => i.id).sort()).toEqual((await effective(SALESFORCE)).map((i) => i.id).sort());
    expect(items.length).toBeGreaterThan(0);
    expect(text(result)).toMatch(/^- .+ \(.+\): .+/m);
  });

  it("shows the base grant and the additional bundle grant behind it", async () => {
    const result = await call(session.client, "okta_get_principal_access", {
      appId: SALESFORCE,
      principalId: DANA,
    });
    expect(result.isError, text(result)).toBeFalsy();
    const access = structured<{ base?: { grantType: string }; additional?: { bundle?: { name: string } }[] }>(
      result,
    );
    expect(access.base?.grantType).toBe("POLICY");
    expect(access.additional?.map((g) => g.bundle?.name)).toContain("Salesforce Sales Rep");
    expect(text(result)).toMatch(/- base: POLICY/);
  });

  it("changes a grant's expiry after confirmation", async () => {
    const grants = structured<{ items: { id: string; grantType: string }[] }>(
      await call(session.client, "okta_list_grants", { appId: SALESFORCE, principalId: DANA }),
    ).items;
    const bundleGrant = grants.find((g) => g.grantType === "ENTITLEMENT-BUNDLE")!;
    const preview = await call(session.client, "okta_update_grant", {
      grantId: bundleGrant.id,
      id: bundleGrant.id,
      scheduleSettings: { expirationDate: "2031-06-30T17:00:00Z", timeZone: "UTC" },
    });
    expect(text(preview)).toMatch(/no expiry -> 2031-06-30T17:00:00Z/);
    expect(text(preview)).toMatch(/Dana Whitfield/);
    const done = await confirmed(session.client, "okta_update_grant", {
      grantId: bundleGrant.id,
      id: bundleGrant.id,
      scheduleSettings: { expirationDate: "2031-06-30T17:00:00Z", timeZone: "UTC" },
    });
    expect(done.isError, text(done)).toBeFalsy();
    const stored = (await sandboxGet(session.sandbox, `/governance/api/v1/grants/${bundleGrant.id}`))
      .body as {
      scheduleSettings: { expirationDate: string };
    };
    expect(stored.scheduleSettings.expirationDate).toBe("2031-06-30T17:00:00Z");
  });

  it("revokes one value; the effective entitlements no longer hold it", async () => {
    const before = await effective(SALESFORCE);
    const value = before.flatMap((e) => e.values)[0]!;
    const orn = `orn:okta:governance:${ORG}:entitlement-values:${value.id}`;
    const preview = await call(session.client, "okta_revoke_principal_access", {
      principalOrn: DANA_ORN,
      revokeOrns: [orn],
    });
    expect(text(preview)).toMatch(/Revoke from "Dana Whitfield"/);
    const done = await confirmed(session.client, "okta_revoke_principal_access", {
      principalOrn: DANA_ORN,
      revokeOrns: [orn],
    });
    expect(done.isError, text(done)).toBeFalsy();
    const after = await effective(SALESFORCE);
    expect(after.flatMap((e) => e.values).map((v) => v.id)).not.toContain(value.id);
  });

  it("revokes all access to an app with its ORN alone, naming what is lost first", async () => {
    expect((await effective(SLACK)).length).toBeGreaterThan(0);
    const appOrn = `orn:okta:idp:${ORG}:apps:slack:${SLACK}`;
    const preview = await call(session.client, "okta_revoke_principal_access", {
      principalOrn: DANA_ORN,
      revokeOrns: [appOrn],
    });
    expect(text(preview)).toMatch(/All access to .*Slack/);
    expect(text(preview)).toMatch(/loses /);
    const done = await confirmed(session.client, "okta_revoke_principal_access", {
      principalOrn: DANA_ORN,
      revokeOrns: [appOrn],
    });
    expect(done.isError, text(done)).toBeFalsy();
    expect(await effective(SLACK)).toEqual([]);
  });
});

describe("bad input changes nothing and names the field", () => {
  it.each([
    ["okta_list_principal_entitlements", { appId: SALESFORCE }, /principalId/],
    ["okta_get_principal_access", { principalId: DANA }, /principalId/],
    ["okta_revoke_principal_access", { principalOrn: "not an orn", revokeOrns: ["x"] }, /principalOrn/],
    [
      "okta_revoke_principal_access",
      {
        principalOrn: DANA_ORN,
        revokeOrns: Array.from(
          { length: 6 },
          (_, i) => `orn:okta:governance:${ORG}:entitlement-values:ent${i}`,
        ),
      },
      /revokeOrns/,
    ],
    [
      "okta_revoke_principal_access",
      {
        principalOrn: DANA_ORN,
        revokeOrns: [
          `orn:okta:idp:${ORG}:apps:slack:${SLACK}`,
          `orn:okta:governance:${ORG}:entitlement-values:entfxqCAJWWGELFTYAAA`,
        ],
      },
      /revokeOrns/,
    ],
    [
      "okta_update_grant",
      {
        grantId: "0ggb0oNGTSWTBKOLGLNR",
        id: "0ggb0oNGTSWTBKOLGLNX",
        scheduleSettings: { expirationDate: "2031-01-01T00:00:00Z" },
      },
      /id/,
    ],
    [
      "okta_update_grant",
      {
        grantId: "0ggb0oNGTSWTBKOLGLNR",
        id: "0ggb0oNGTSWTBKOLGLNR",
        scheduleSettings: { expirationDate: "soon" },
      },
      /expirationDate/,
    ],
  ])("%s %j", async (name, args, field) => {
    await expectRefusedLocally(session.client, session.sandbox, name, args as Record<string, unknown>, field);
  });

  it("translates an unknown grant into Okta's 404", async () => {
    const result = await call(session.client, "okta_update_grant", {
      grantId: "graDOESNOTEXIST00000",
      id: "graDOESNOTEXIST00000",
      scheduleSettings: { expirationDate: "2031-01-01T00:00:00Z" },
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/404.*E0000007|E0000007/s);
  });
});

const CASES: GuardCase[] = [
  {
    tool: "okta_update_grant",
    args: {
      grantId: "0ggb0oNGTSWTBKOLGLNR",
      id: "0ggb0oNGTSWTBKOLGLNR",
      scheduleSettings: { expirationDate: "2032-01-01T00:00:00Z" },
    },
    otherArgs: {
      grantId: "0ggb0oNGTSWTBKOLGLNR",
      id: "0ggb0oNGTSWTBKOLGLNR",
      scheduleSettings: { expirationDate: "2033-01-01T00:00:00Z" },
    },
    write: { method: "PATCH", path: "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR" },
    readBack: "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR",
    changeTarget: async (s) => {
      await sandboxSend(s, "PATCH", "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR", {
        id: "0ggb0oNGTSWTBKOLGLNR",
        scheduleSettings: { expirationDate: "2030-02-02T00:00:00Z" },
      });
    },
  },
  {
    tool: "okta_revoke_principal_access",
    args: { principalOrn: DANA_ORN, revokeOrns: [`orn:okta:idp:${ORG}:apps:slack:${SLACK}`] },
    otherArgs: { principalOrn: DANA_ORN, revokeOrns: [`orn:okta:idp:${ORG}:apps:salesforce:${SALESFORCE}`] },
    write: { method: "POST", path: "/governance/api/v2/revoke-principal-access" },
    readBack: async (s) => {
      const filter = encodeURIComponent(
        `parent.externalId eq "${SLACK}" AND parent.type eq "APPLICATION" AND targetPrincipal.externalId eq "${DANA}" AND targetPrincipal.type eq "OKTA_USER"`,
      );
      return (await sandboxGet(s, `/governance/api/v1/principal-entitlements?filter=${filter}`)).body;
    },
    changeTarget: async (s) => {
      // Another grant for Dana in Slack appears behind the server's back.
      await sandboxSend(s, "POST", "/governance/api/v1/grants", {
        grantType: "CUSTOM",
        target: { externalId: SLACK, type: "APPLICATION" },
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
        entitlements: [],
      });
    },
  },
];

guardMatrix(CASES);
