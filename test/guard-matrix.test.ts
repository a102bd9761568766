/**
 * The guard matrix (DESIGN §2.4): every guarded tool x every way a confirmation can go, through a real
 * Client against the sandbox over real HTTP. The upstream write must happen exactly in the two confirmed
 * cases (a correct token, an elicitation that accepts), and every outcome must reach the audit log.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RecordedRequest, SANDBOX_CREDENTIALS, type Sandbox } from "../src/sandbox/index.js";
import {
  call,
  type ElicitAnswer,
  type ElicitParams,
  inProcessClient,
  readAudit,
  sandboxGet,
  structured,
  tempDir,
  text,
  withSandbox,
} from "./helpers/harness.js";

const SALESFORCE = "0oafxqCAJWWGELFTYASJ";
const DANA = "00ufxqCAJWWGELFTYCCC";

interface GuardCase {
  tool: string;
  args: Record<string, unknown>;
  /** The same tool with other arguments (a token minted for `args` must not work for these). */
  otherArgs: Record<string, unknown>;
  /** The upstream write this call makes. */
  write: { method: string; path: string };
  /** What the sandbox holds that the write would change. */
  readBack: string;
  /** Changes the target behind the server's back, so a preview goes stale. */
  changeTarget: (sandbox: Sandbox) => Promise<void>;
}

async function sandboxSend(sandbox: Sandbox, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      Authorization: `SSWS ${SANDBOX_CREDENTIALS.okta.apiToken}`,
      Accept: "application/json",
      "Content-Type": "application/json",
    },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

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
      values: (e.values ?? []).map((v) => ({ id: v.id })),
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
    // seed 004's example request, verbatim
    args: {
      grantType: "ENTITLEMENT-BUNDLE",
      entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
      actor: "ACCESS_REQUEST",
      targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
    },
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
    // seed 004's PUT example, verbatim, with its path id
    args: {
      grantId: "0ggb0oNGTSWTBKOLGLNR",
      id: "0ggb0oNGTSWTBKOLGLNR",
      created: "2022-05-24T14:15:22Z",
      createdBy: "00ub0oNGTSWTBKOLGLNR",
      lastUpdated: "2022-05-24T14:15:22Z",
      lastUpdatedBy: "00ub0oNGTSWTBKOLGLNR",
      grantType: "CUSTOM",
      action: "ALLOW",
      actor: "API",
      targetResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:${SALESFORCE}`,
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      targetPrincipalOrn: "orn:okta:directory:00o11edPwGqbUrsDm0g4:users:00ub0oNGTSWTBKOLGLNR",
      targetPrincipal: { externalId: "00ub0oNGTSWTBKOLGLNR", type: "OKTA_USER" },
      entitlements: [
        { id: "0obfxqCAJWWGELFTYASJ", values: [] },
        { id: "0obfxqCAJWWGELFTYASJ", values: [] },
      ],
      status: "ACTIVE",
    },
    otherArgs: {
      grantId: "0ggb0oNGTSWTBKOLGLNR",
      id: "0ggb0oNGTSWTBKOLGLNR",
      grantType: "CUSTOM",
      action: "ALLOW",
      actor: "ADMIN",
      targetResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:${SALESFORCE}`,
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      targetPrincipalOrn: "orn:okta:directory:00o11edPwGqbUrsDm0g4:users:00ub0oNGTSWTBKOLGLNR",
      targetPrincipal: { externalId: "00ub0oNGTSWTBKOLGLNR", type: "OKTA_USER" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
      status: "ACTIVE",
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
    // seed 002's PUT example, verbatim, with its path id
    args: {
      entitlementBundleId: "0bbfxqCAJWWGELFTYAAA",
      id: "0bbfxqCAJWWGELFTYAAA",
      name: "Github admin bundle",
      description: "Github bundle for administrative access",
      created: "2022-05-24T14:15:22Z",
      createdBy: "00ub0oNGTSWTBKOLGLNR",
      lastUpdated: "2022-05-24T14:15:22Z",
      lastUpdatedBy: "00ub0oNGTSWTBKOLGLNR",
      status: "ACTIVE",
      targetResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:github:${SALESFORCE}`,
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
    },
    otherArgs: {
      entitlementBundleId: "0bbfxqCAJWWGELFTYAAA",
      id: "0bbfxqCAJWWGELFTYAAA",
      name: "Github admin bundle",
      description: "Another description",
      status: "ACTIVE",
      targetResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:github:${SALESFORCE}`,
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ", values: [] }],
    },
    write: { method: "PUT", path: "/governance/api/v1/entitlement-bundles/0bbfxqCAJWWGELFTYAAA" },
    readBack: "/governance/api/v1/entitlement-bundles/0bbfxqCAJWWGELFTYAAA",
    changeTarget: (sandbox) => touchBundle(sandbox, "0bbfxqCAJWWGELFTYAAA"),
  },
  {
    tool: "okta_replace_entitlement",
    // seed 001's PUT example minus its second value: the replace would drop value2
    args: {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
      id: "esp2lr1lavoGDYw5U8g6",
      name: "License Entitlement",
      externalValue: "license_entitlement",
      description: "Entitlement description",
      parentResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:${SALESFORCE}`,
      parent: { externalId: SALESFORCE, type: "APPLICATION" },
      multiValue: true,
      dataType: "string",
      values: [
        {
          id: "ent148gF8aZoRfFsh0g4",
          name: "value1",
          description: "description for value1",
          externalValue: "value_1",
        },
      ],
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

/** Accepts, typing the requested name when the form asks for one. */
const ACCEPT: ElicitAnswer = (params: ElicitParams) => {
  const nameField = params.requestedSchema.properties.name?.description;
  const name = nameField?.match(/Type "(.*)" exactly/)?.[1];
  const content: Record<string, string | boolean> = { confirm: true };
  if (name !== undefined) content.name = name;
  return { action: "accept", content };
};

/** Accepts the form (typing the name when asked) but leaves "confirm" unticked. */
const REFUSE_TICK = (params: ElicitParams) => {
  const answer = (ACCEPT as (p: ElicitParams) => { action: "accept"; content: Record<string, unknown> })(
    params,
  );
  return {
    action: "accept" as const,
    content: { ...answer.content, confirm: false } as Record<string, string | boolean>,
  };
};

let sandbox: Sandbox;
let dir: { path: string; cleanup: () => Promise<void> };
let now: number;
const clock = () => now;

beforeEach(async () => {
  sandbox = await withSandbox();
  dir = await tempDir();
  now = Date.now();
});

afterEach(async () => {
  await sandbox.close();
  await dir.cleanup();
});

const auditPath = () => join(dir.path, "audit.jsonl");
const writesOf = (c: GuardCase) =>
  sandbox.requests.filter(
    (r: RecordedRequest) => r.method === c.write.method && r.path === c.write.path && r.status < 300,
  ).length;

async function outcomes(tool: string): Promise<string[]> {
  return (await readAudit(auditPath())).filter((l) => l.tool === tool).map((l) => l.outcome);
}

describe.each(CASES)("$tool", (c) => {
  async function session(elicit?: ElicitAnswer, elicitationTimeoutMs?: number) {
    return inProcessClient(sandbox, { auditLog: auditPath(), now: clock, elicit, elicitationTimeoutMs });
  }

  async function preview(client: Awaited<ReturnType<typeof session>>["client"]) {
    const before = await sandboxGet(sandbox, c.readBack);
    const result = await call(client, c.tool, c.args);
    expect(result.isError, text(result)).toBe(true);
    const body = structured<{ status: string; confirmationToken: string; preview: { summary: string } }>(
      result,
    );
    expect(body.status).toBe("confirmation_required");
    expect(text(result)).toMatch(/Nothing was changed\.$/);
    expect(body.preview.summary.length).toBeGreaterThan(10);
    expect(await sandboxGet(sandbox, c.readBack)).toEqual(before);
    return body.confirmationToken;
  }

  it("without confirmation returns a preview and a token, and changes nothing", async () => {
    const s = await session();
    await preview(s.client);
    expect(writesOf(c)).toBe(0);
    await s.close();
    expect(await outcomes(c.tool)).toEqual(["confirmation_required"]);
  });

  it("with the correct token executes exactly once", async () => {
    const s = await session();
    const token = await preview(s.client);
    const result = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
    expect(result.isError, text(result)).toBeFalsy();
    expect(writesOf(c)).toBe(1);
    await s.close();
    expect(await outcomes(c.tool)).toEqual(["confirmation_required", "confirmed_by_token", "executed"]);
  });

  it.each([
    ["a forged token", (token: string) => `${token.slice(0, -4)}AAAA`],
    ["a token of another shape", () => "yes-the-user-agreed"],
  ])("refuses %s", async (_label, forge) => {
    const s = await session();
    const token = await preview(s.client);
    const result = await call(s.client, c.tool, { ...c.args, confirmationToken: forge(token) });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(
      /^Refused: the confirmationToken is not one this server issued.*Nothing was changed\.$/s,
    );
    expect(writesOf(c)).toBe(0);
    await s.close();
    expect(await outcomes(c.tool)).toEqual(["confirmation_required", "rejected_token"]);
  });

  it("refuses an expired token (fake clock)", async () => {
    const s = await session();
    const token = await preview(s.client);
    now += 5 * 60_000 + 1;
    const result = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
    expect(text(result)).toMatch(/expired.*Nothing was changed\.$/s);
    expect(writesOf(c)).toBe(0);
    await s.close();
    expect(await outcomes(c.tool)).toEqual(["confirmation_required", "rejected_token"]);
  });

  it("refuses a reused token", async () => {
    const s = await session();
    const token = await preview(s.client);
    expect((await call(s.client, c.tool, { ...c.args, confirmationToken: token })).isError).toBeFalsy();
    const again = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/already used.*Nothing was changed\.$/s);
    expect(writesOf(c)).toBe(1);
    await s.close();
    expect(await outcomes(c.tool)).toEqual([
      "confirmation_required",
      "confirmed_by_token",
      "executed",
      "rejected_token",
    ]);
  });

  it("refuses a token minted for different arguments", async () => {
    const s = await session();
    const token = await preview(s.client);
    const result = await call(s.client, c.tool, { ...c.otherArgs, confirmationToken: token });
    expect(text(result)).toMatch(/different arguments.*Nothing was changed\.$/s);
    expect(writesOf(c)).toBe(0);
    await s.close();
    expect(await outcomes(c.tool)).toEqual(["confirmation_required", "rejected_token"]);
  });

  it("refuses when the target changed after the preview", async () => {
    const s = await session();
    const token = await preview(s.client);
    await c.changeTarget(sandbox);
    const writesBefore = writesOf(c); // changeTarget itself may write to the same route
    const result = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
    expect(structured(result)).toMatchObject({ status: "stale_target" });
    expect(text(result)).toMatch(/changed since the preview.*Nothing was changed\.$/s);
    expect(writesOf(c)).toBe(writesBefore);
    await s.close();
    expect(await outcomes(c.tool)).toEqual(["confirmation_required", "stale_target"]);
  });

  it("executes once when the person accepts the elicitation", async () => {
    const s = await session(ACCEPT);
    const result = await call(s.client, c.tool, c.args);
    expect(result.isError, text(result)).toBeFalsy();
    expect(s.elicitations).toHaveLength(1);
    expect(writesOf(c)).toBe(1);
    await s.close();
    expect(await outcomes(c.tool)).toEqual(["confirmed_by_elicitation", "executed"]);
  });

  it.each([
    ["declines", { action: "decline" } as const, "declined"],
    ["cancels", { action: "cancel" } as const, "cancelled"],
    ["accepts without ticking confirm", (params: ElicitParams) => REFUSE_TICK(params), "declined"],
  ])("changes nothing when the person %s", async (_label, answer, outcome) => {
    const s = await session(answer);
    const before = await sandboxGet(sandbox, c.readBack);
    const result = await call(s.client, c.tool, c.args);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Cancelled: .*Nothing was changed\.$/s);
    expect(writesOf(c)).toBe(0);
    expect(await sandboxGet(sandbox, c.readBack)).toEqual(before);
    await s.close();
    expect(await outcomes(c.tool)).toEqual([outcome]);
  });

  it("falls back to a token, never to executing, when the person never answers", async () => {
    const s = await session("never", 300);
    const result = await call(s.client, c.tool, c.args);
    expect(structured(result)).toMatchObject({ status: "confirmation_required" });
    expect(writesOf(c)).toBe(0);
    await s.close();
    expect(await outcomes(c.tool)).toEqual(["timed_out", "confirmation_required"]);
  });
});

describe("a change the person is asked to confirm", () => {
  it("names the value a replace would drop, and a delete asks for the name", async () => {
    const s = await inProcessClient(sandbox, { auditLog: auditPath() });
    const replace = CASES.find((c) => c.tool === "okta_replace_entitlement")!;
    const result = await call(s.client, replace.tool, replace.args);
    expect(text(result)).toMatch(/value2/);
    expect(text(result)).toMatch(/entotuwr1z1efm5RA1d6/);
    await s.close();

    const answers: ElicitParams[] = [];
    const e = await inProcessClient(sandbox, {
      auditLog: auditPath(),
      elicit: (params) => {
        answers.push(params);
        return { action: "accept", content: { confirm: true, name: "not the name" } };
      },
    });
    const del = await call(e.client, "okta_delete_entitlement", { entitlementId: "esp2lr1lavoGDYw5U8g6" });
    expect(text(del)).toMatch(/^Cancelled/);
    expect(answers[0]?.requestedSchema.required).toEqual(["confirm", "name"]);
    expect(answers[0]?.message).toMatch(/License Entitlement/);
    expect((await sandboxGet(sandbox, "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6")).status).toBe(
      200,
    );
    await e.close();
  });

  it("lets a replace that drops nothing through without asking, and audits it", async () => {
    const s = await inProcessClient(sandbox, { auditLog: auditPath() });
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
    const { body } = await sandboxGet(sandbox, "/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6");
    expect((body as { values: { name: string }[] }).values.map((v) => v.name)).toContain("value3");
    await s.close();
    expect(await outcomes("okta_update_entitlement")).toEqual(["not_required", "executed"]);
  });
});
