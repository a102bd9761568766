/**
 * The guard matrix for Okta's guarded tools (test/helpers/guard-matrix.ts runs it), and the contents of
 * the previews a person is asked to confirm.
 */
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import {
  DANA,
  GITHUB_ADMIN_BUNDLE,
  LICENSE_ENTITLEMENT,
  PRIYA_GRANT,
  READ_ONLY_FIELDS,
  SALESFORCE,
  SEED_CREATE_GRANT,
  SEED_REPLACE_BUNDLE,
  SEED_REPLACE_ENTITLEMENT,
  SEED_REPLACE_GRANT,
  without,
} from "../../fixtures/okta.js";
import { type GuardCase, guardMatrix, sandboxSend } from "../../helpers/guard-matrix.js";
import { call, type ElicitParams, sandboxGet, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

async function touchBundle(sandbox: Sandbox, id: string): Promise<void> {
  const { body } = await sandboxGet(sandbox, `/governance/api/v1/entitlement-bundles/${id}`);
  const bundle = body as Record<string, unknown> & {
    entitlements: { id: string; values?: { id: string }[] }[];
  };
  await sandboxSend(sandbox, "PUT", `/governance/api/v1/entitlement-bundles/${id}`, {
    ...bundle,
    description: `changed at ${Date.now()}`,
    entitlements: bundle.entitlements.map((e) => ({
      id: e.id,
      ...(e.values?.length ? { values: e.values.map((v) => ({ id: v.id })) } : {}),
    })),
  });
}

const touchEntitlement = (id: string) => async (sandbox: Sandbox) => {
  await sandboxSend(sandbox, "PATCH", `/governance/api/v1/entitlements/${id}`, [
    { op: "REPLACE", path: "/description", value: `changed at ${Date.now()}`, refType: "ENTITLEMENT" },
  ]);
};

const CASES: GuardCase[] = [
  {
    tool: "okta_delete_entitlement",
    args: { entitlementId: "esp2lr1lavoGDYw5U8g6" },
    otherArgs: { entitlementId: "esp5zFLCIUV7Vibro0g2" },
    write: { method: "DELETE", path: "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6" },
    readBack: "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6",
    changeTarget: touchEntitlement("esp2lr1lavoGDYw5U8g6"),
  },
  {
    tool: "okta_delete_bundle",
    args: { entitlementBundleId: "enbfxqCAJWWGELFTYCCC" },
    otherArgs: { entitlementBundleId: "0bbfxqCAJWWGELFTYAAA" },
    write: { method: "DELETE", path: "/governance/api/v1/entitlement-bundles/enbfxqCAJWWGELFTYCCC" },
    readBack: "/governance/api/v1/entitlement-bundles/enbfxqCAJWWGELFTYCCC",
    changeTarget: (sandbox) => touchBundle(sandbox, "enbfxqCAJWWGELFTYCCC"),
  },
  {
    tool: "okta_create_grant",
    args: SEED_CREATE_GRANT,
    otherArgs: {
      grantType: "ENTITLEMENT-BUNDLE",
      entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
      actor: "ACCESS_REQUEST",
      targetPrincipal: { externalId: "00ub0oNGTSWTBKOLGLNR", type: "OKTA_USER" },
    },
    write: { method: "POST", path: "/governance/api/v1/grants" },
    readBack: `/governance/api/v1/grants?filter=${encodeURIComponent(
      `target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION" AND targetPrincipal.externalId eq "${DANA}" AND targetPrincipal.type eq "OKTA_USER"`,
    )}`,
    changeTarget: (sandbox) => touchBundle(sandbox, "enbfxqCAJWWGELFTYCCC"),
  },
  {
    tool: "okta_replace_grant",
    args: { grantId: PRIYA_GRANT, ...SEED_REPLACE_GRANT },
    otherArgs: {
      grantId: PRIYA_GRANT,
      ...without(SEED_REPLACE_GRANT, READ_ONLY_FIELDS),
      // another actor, and one entitlement where the seed names the same one twice
      actor: "ADMIN",
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
    },
    write: { method: "PUT", path: "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR" },
    readBack: "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR",
    changeTarget: async (sandbox) => {
      await sandboxSend(sandbox, "PATCH", "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR", {
        id: "0ggb0oNGTSWTBKOLGLNR",
        scheduleSettings: { expirationDate: "2031-01-01T00:00:00Z", timeZone: "UTC" },
      });
    },
  },
  {
    tool: "okta_replace_bundle",
    args: { entitlementBundleId: GITHUB_ADMIN_BUNDLE, ...SEED_REPLACE_BUNDLE },
    otherArgs: {
      entitlementBundleId: "0bbfxqCAJWWGELFTYAAA",
      id: "0bbfxqCAJWWGELFTYAAA",
      name: "Github admin bundle",
      description: "Another description",
      status: "ACTIVE",
      targetResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:github:${SALESFORCE}`,
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
    },
    write: { method: "PUT", path: "/governance/api/v1/entitlement-bundles/0bbfxqCAJWWGELFTYAAA" },
    readBack: "/governance/api/v1/entitlement-bundles/0bbfxqCAJWWGELFTYAAA",
    changeTarget: (sandbox) => touchBundle(sandbox, "0bbfxqCAJWWGELFTYAAA"),
    // Somebody holds the bundle, so changing what it gives changes their access.
    setup: async (sandbox) => {
      await sandboxSend(sandbox, "POST", "/governance/api/v1/grants", {
        grantType: "ENTITLEMENT-BUNDLE",
        entitlementBundleId: "0bbfxqCAJWWGELFTYAAA",
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
      });
    },
  },
  {
    tool: "okta_replace_entitlement",
    // seed 001's PUT example minus its second value: the replace would drop value2
    args: {
      entitlementId: LICENSE_ENTITLEMENT,
      ...SEED_REPLACE_ENTITLEMENT,
      values: SEED_REPLACE_ENTITLEMENT.values.slice(0, 1),
    },
    otherArgs: {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
      id: "esp2lr1lavoGDYw5U8g6",
      name: "License Entitlement",
      externalValue: "license_entitlement",
      parentResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:${SALESFORCE}`,
      parent: { externalId: SALESFORCE, type: "APPLICATION" },
      multiValue: true,
      dataType: "string",
      values: [],
    },
    write: { method: "PUT", path: "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6" },
    readBack: "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6",
    changeTarget: touchEntitlement("esp2lr1lavoGDYw5U8g6"),
  },
  {
    tool: "okta_update_entitlement",
    args: {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
      operations: [{ op: "REMOVE", path: "/values/entotuwr1z1efm5RA1d6", refType: "ENTITLEMENT-VALUE" }],
    },
    otherArgs: {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
      operations: [{ op: "REMOVE", path: "/values/ent148gF8aZoRfFsh0g4", refType: "ENTITLEMENT-VALUE" }],
    },
    write: { method: "PATCH", path: "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6" },
    readBack: "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6",
    changeTarget: touchEntitlement("esp2lr1lavoGDYw5U8g6"),
  },
];

guardMatrix(CASES);

describe("a change the person is asked to confirm", () => {
  const session = testServer({ client: false });

  it("names the value a replace would drop, and a delete asks for the name", async () => {
    const s = await session.connect();
    const replace = CASES.find((c) => c.tool === "okta_replace_entitlement")!;
    const result = await call(s.client, replace.tool, replace.args);
    expect(text(result)).toMatch(/value2/);
    expect(text(result)).toMatch(/entotuwr1z1efm5RA1d6/);
    await s.close();

    const answers: ElicitParams[] = [];
    const e = await session.connect({
      elicit: (params) => {
        answers.push(params);
        return { action: "accept", content: { confirm: true, name: "not the name" } };
      },
    });
    const del = await call(e.client, "okta_delete_entitlement", { entitlementId: "esp2lr1lavoGDYw5U8g6" });
    expect(text(del)).toMatch(
      /^Not confirmed: the confirmation dialog answered with a name that does not match/,
    );
    expect(answers[0]?.requestedSchema.required).toEqual(["confirm", "name"]);
    expect(answers[0]?.message).toMatch(/License Entitlement/);
    expect(
      (await sandboxGet(session.sandbox, "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6")).status,
    ).toBe(200);
    await e.close();
  });

  it("lets a replace that drops nothing through without asking, and audits it", async () => {
    const s = await session.connect();
    const result = await call(s.client, "okta_update_entitlement", {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
      operations: [
        {
          op: "ADD",
          path: "/values/-",
          value: { name: "value3", externalValue: "value_3" },
          refType: "ENTITLEMENT-VALUE",
        },
      ],
    });
    expect(result.isError, text(result)).toBeFalsy();
    const { body } = await sandboxGet(
      session.sandbox,
      "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6",
    );
    expect((body as { values: { name: string }[] }).values.map((v) => v.name)).toContain("value3");
    await s.close();
    expect(await session.outcomes("okta_update_entitlement")).toEqual([
      "not_required",
      "executing",
      "executed",
    ]);
  });
});
