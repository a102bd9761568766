/**
 * The guard decides by effect (DESIGN §2.4 step 0), tried as an attacker would. Every write tool of the
 * one list of operations is enumerated (a new tool fails here until its access-changing calls are listed),
 * and for each, calls that alter somebody's access (who holds what, what a held thing provisions or is
 * called) are made against the sandbox's demo org through a real Client: none may execute without a
 * person's confirmation, and every attempt leaves exactly one audit line. Calls that alter nobody's
 * access go through, audited ahead.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type AnyOperation, isMutating, parseRoute } from "../../src/core/operation.js";
import { isConfirmable } from "../../src/mcp/registrar.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { allOperations } from "../../tools/index.js";
import {
  DANA,
  GRACE,
  ORG,
  PRIYA,
  PRIYA_GRANT,
  PROFILE,
  SALES_REP_BUNDLE,
  SALESFORCE,
  SALESFORCE_ORN,
  WIKI,
} from "../fixtures/okta.js";
import { OKTA_CAMPAIGN_CHANGES } from "../fixtures/okta-certifications.js";
import { ENTRIES, REQUESTS, requestOf } from "../fixtures/okta-requests.js";
import { IIQ_REQUESTS_THAT_CHANGE_ACCESS } from "../fixtures/sailpoint-iiq.js";
import { call, type InProcessSession, sandboxGet, structured, text } from "../helpers/harness.js";
import { testServer } from "../helpers/test-server.js";

const STANDARD_USER = "entaWRdlVAm6zmXVaJN9"; // held: Olivia's custom grant and the app's policy
const SYSTEM_ADMIN = "entQPA57jlZjJ1HUHsHy"; // held: Priya's custom grant
const MARKETING_USER = "entynswj2OYV6zb4dJSa"; // held by nobody
const UNHELD_BUNDLE = "0bbfxqCAJWWGELFTYAAA";
const OLIVIA_BUNDLE_GRANT = "grapbZroPPVYmrHTt4nQ";

type Json = Record<string, unknown>;
type Args = Record<string, unknown>;
interface Change {
  label: string;
  args: Args | ((sandbox: Sandbox) => Promise<Args> | Args);
}

async function read(sandbox: Sandbox, path: string): Promise<Json> {
  const { status, body } = await sandboxGet(sandbox, path);
  if (status !== 200) throw new Error(`${path} -> ${status}`);
  return body as Json;
}

/** The Profile entitlement as a complete PUT body, with `edit` applied to its values. */
async function profileReplace(sandbox: Sandbox, edit: (values: Json[]) => Json[], extra: Json = {}) {
  const e = await read(sandbox, `/governance/api/v1/entitlements/${PROFILE}`);
  const values = (e.values as Json[]).map((v) => ({
    id: v.id,
    name: v.name,
    externalValue: v.externalValue,
    ...(v.description ? { description: v.description } : {}),
  }));
  return {
    entitlementId: PROFILE,
    id: PROFILE,
    name: e.name,
    externalValue: e.externalValue,
    ...(e.description ? { description: e.description } : {}),
    parent: e.parent,
    parentResourceOrn: e.parentResourceOrn,
    multiValue: e.multiValue,
    dataType: e.dataType,
    ...(e.required !== undefined ? { required: e.required } : {}),
    values: edit(values),
    ...extra,
  };
}

/** An entitlement as a bundle or grant references it: `{id, values}`, or `{id}` for the whole of it. */
function reference(e: Json): Json {
  const values = ((e.values as Json[] | undefined) ?? []).map((v) => ({ id: v.id }));
  return values.length > 0 ? { id: e.id, values } : { id: e.id };
}

/** A bundle as a complete PUT body, with `extra` applied. */
async function bundleReplace(sandbox: Sandbox, id: string, extra: (b: Json) => Json) {
  const b = await read(sandbox, `/governance/api/v1/entitlement-bundles/${id}`);
  const body: Json = {
    entitlementBundleId: id,
    id,
    name: b.name,
    ...(b.description ? { description: b.description } : {}),
    status: b.status,
    targetResourceOrn: b.targetResourceOrn,
    target: b.target,
    entitlements: (b.entitlements as Json[]).map(reference),
  };
  return { ...body, ...extra(body) };
}

async function grantReplace(sandbox: Sandbox, id: string, entitlements: (current: Json[]) => Json[]) {
  const g = await read(sandbox, `/governance/api/v1/grants/${id}`);
  const current = ((g.entitlements as Json[] | undefined) ?? []).map(reference);
  const keys = [
    "grantType",
    "action",
    "actor",
    "status",
    "targetResourceOrn",
    "target",
    "targetPrincipalOrn",
  ];
  return {
    grantId: id,
    id,
    ...Object.fromEntries(keys.map((k) => [k, g[k]])),
    targetPrincipal: g.targetPrincipal,
    entitlements: entitlements(current),
  };
}

const swap = (values: Json[], a: string, b: string) => {
  const va = values.find((v) => v.id === a);
  const vb = values.find((v) => v.id === b);
  return values.map((v) =>
    v.id === a
      ? { ...v, externalValue: vb?.externalValue }
      : v.id === b
        ? { ...v, externalValue: va?.externalValue }
        : v,
  );
};

const orgOf = async (sandbox: Sandbox) =>
  String((await read(sandbox, `/governance/api/v1/grants/${PRIYA_GRANT}`)).targetPrincipalOrn).split(":")[3];

/**
 * For every write tool: calls that change somebody's access. An empty list says the tool can only
 * create things nobody holds (the structure test holds it to declaring exactly that).
 */
const ACCESS_CHANGES: Record<string, Change[]> = {
  okta_create_entitlement: [],
  okta_create_bundle: [],
  atomicwork_create_entitlement: [],
  okta_update_entitlement: [
    {
      label: "re-provisions a held value (Standard User comes to provision system_administrator)",
      args: {
        entitlementId: PROFILE,
        operations: [
          {
            op: "REPLACE",
            path: `/values/${STANDARD_USER}`,
            value: { externalValue: "system_administrator" },
            refType: "ENTITLEMENT-VALUE",
          },
        ],
      },
    },
    {
      label: "renames a held value",
      args: {
        entitlementId: PROFILE,
        operations: [
          {
            op: "REPLACE",
            path: `/values/${SYSTEM_ADMIN}`,
            value: { name: "Read Only" },
            refType: "ENTITLEMENT-VALUE",
          },
        ],
      },
    },
    {
      label: "removes a value nobody holds",
      args: {
        entitlementId: PROFILE,
        operations: [{ op: "REMOVE", path: `/values/${MARKETING_USER}`, refType: "ENTITLEMENT-VALUE" }],
      },
    },
    {
      label: "renames the held entitlement",
      args: {
        entitlementId: PROFILE,
        operations: [{ op: "REPLACE", path: "/name", value: "Badge colour", refType: "ENTITLEMENT" }],
      },
    },
    {
      label: "changes a value the guard could not read (another entitlement's)",
      args: {
        entitlementId: PROFILE,
        operations: [
          {
            op: "REPLACE",
            path: "/values/entfxqCAJWWGELFTYAAA",
            value: { externalValue: "admin" },
            refType: "ENTITLEMENT-VALUE",
          },
        ],
      },
    },
  ],
  okta_replace_entitlement: [
    {
      label: "swaps the externalValues of two held values without dropping one",
      args: (sandbox) => profileReplace(sandbox, (v) => swap(v, STANDARD_USER, SYSTEM_ADMIN)),
    },
    {
      label: "re-provisions one held value",
      args: (sandbox) =>
        profileReplace(sandbox, (values) =>
          values.map((v) => (v.id === STANDARD_USER ? { ...v, externalValue: "modify_all_data" } : v)),
        ),
    },
    {
      label: "renames a held value to look like another",
      args: (sandbox) =>
        profileReplace(sandbox, (values) =>
          values.map((v) => (v.id === SYSTEM_ADMIN ? { ...v, name: "Standard User (limited)" } : v)),
        ),
    },
    {
      label: "changes what the whole entitlement provisions",
      args: (sandbox) => profileReplace(sandbox, (v) => v, { externalValue: "permission_set" }),
    },
    {
      label: "drops a value nobody holds",
      args: (sandbox) => profileReplace(sandbox, (values) => values.filter((v) => v.id !== MARKETING_USER)),
    },
    {
      label: "turns the held entitlement multi-valued",
      args: (sandbox) => profileReplace(sandbox, (v) => v, { multiValue: true, dataType: "array" }),
    },
  ],
  okta_delete_entitlement: [{ label: "deletes a held entitlement", args: { entitlementId: PROFILE } }],
  okta_replace_bundle: [
    {
      label: "adds System Administrator to a held bundle",
      args: (sandbox) =>
        bundleReplace(sandbox, SALES_REP_BUNDLE, (b) => ({
          entitlements: [...(b.entitlements as Json[]), { id: PROFILE, values: [{ id: SYSTEM_ADMIN }] }],
        })),
    },
    {
      label: "empties a held bundle",
      args: (sandbox) => bundleReplace(sandbox, SALES_REP_BUNDLE, () => ({ entitlements: [] })),
    },
    {
      label: "leaves a held bundle's entitlements out",
      args: (sandbox) => bundleReplace(sandbox, SALES_REP_BUNDLE, () => ({ entitlements: undefined })),
    },
    {
      label: "renames a held bundle",
      args: (sandbox) => bundleReplace(sandbox, SALES_REP_BUNDLE, () => ({ name: "Salesforce read only" })),
    },
    {
      label: "marks a bundle nobody holds DELETED",
      args: (sandbox) => bundleReplace(sandbox, UNHELD_BUNDLE, () => ({ status: "DELETED" })),
    },
  ],
  okta_delete_bundle: [
    { label: "deletes a held bundle", args: { entitlementBundleId: SALES_REP_BUNDLE } },
    { label: "deletes a bundle nobody holds", args: { entitlementBundleId: UNHELD_BUNDLE } },
  ],
  okta_create_grant: [
    {
      label: "grants a bundle",
      args: {
        grantType: "ENTITLEMENT-BUNDLE",
        entitlementBundleId: SALES_REP_BUNDLE,
        targetPrincipal: { externalId: GRACE, type: "OKTA_USER" },
      },
    },
    {
      label: "grants System Administrator",
      args: {
        grantType: "CUSTOM",
        target: { externalId: SALESFORCE, type: "APPLICATION" },
        entitlements: [{ id: PROFILE, values: [{ id: SYSTEM_ADMIN }] }],
        targetPrincipal: { externalId: GRACE, type: "OKTA_USER" },
      },
    },
    {
      label: "revokes all of a user's access with a CUSTOM DENY",
      args: {
        grantType: "CUSTOM",
        action: "DENY",
        target: { externalId: SALESFORCE, type: "APPLICATION" },
        targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
      },
    },
    {
      label: "replaces a user's grants with the app's policy",
      args: {
        grantType: "POLICY",
        target: { externalId: SALESFORCE, type: "APPLICATION" },
        targetPrincipal: { externalId: PRIYA, type: "OKTA_USER" },
      },
    },
  ],
  okta_replace_grant: [
    {
      label: "adds a value to a user's grant",
      args: (sandbox) =>
        grantReplace(sandbox, PRIYA_GRANT, (current) => [
          ...current,
          { id: PROFILE, values: [{ id: MARKETING_USER }] },
        ]),
    },
    {
      label: "takes a value from a user's grant",
      args: (sandbox) =>
        grantReplace(sandbox, PRIYA_GRANT, (current) =>
          // An entitlement left without values goes (a reference without values would name all of them).
          current.flatMap((e) => {
            const values = ((e.values as Json[] | undefined) ?? []).filter((v) => v.id !== SYSTEM_ADMIN);
            return values.length > 0 ? [{ ...e, values }] : e.values ? [] : [e];
          }),
        ),
    },
  ],
  okta_update_grant: [
    {
      label: "ends a grant sooner",
      args: {
        grantId: OLIVIA_BUNDLE_GRANT,
        id: OLIVIA_BUNDLE_GRANT,
        scheduleSettings: { expirationDate: "2027-01-01T00:00:00Z" },
      },
    },
    {
      label: "keeps a grant longer",
      args: {
        grantId: OLIVIA_BUNDLE_GRANT,
        id: OLIVIA_BUNDLE_GRANT,
        scheduleSettings: { expirationDate: "2040-01-01T00:00:00Z" },
      },
    },
    {
      label: "gives a grant without an end one",
      args: {
        grantId: PRIYA_GRANT,
        id: PRIYA_GRANT,
        scheduleSettings: { expirationDate: "2030-01-01T00:00:00Z" },
      },
    },
  ],
  okta_revoke_principal_access: [
    {
      label: "revokes a value",
      args: async (sandbox) => ({
        principalOrn: `orn:okta:directory:${await orgOf(sandbox)}:users:${PRIYA}`,
        revokeOrns: [
          String(
            (await read(sandbox, `/governance/api/v1/entitlements/${PROFILE}/values/${SYSTEM_ADMIN}`)).orn,
          ),
        ],
      }),
    },
    {
      label: "revokes everything in an app",
      args: async (sandbox) => ({
        principalOrn: `orn:okta:directory:${await orgOf(sandbox)}:users:${DANA}`,
        revokeOrns: [
          String((await read(sandbox, `/governance/api/v1/grants/${PRIYA_GRANT}`)).targetResourceOrn),
        ],
      }),
    },
  ],
  okta_update_entitlement_settings: [
    {
      label: "opts an app whose entitlements people hold out of entitlement management",
      args: { resourceOrn: SALESFORCE_ORN, status: "OPTED_OUT" },
    },
    {
      label: "opts an app in to entitlement management",
      args: { resourceOrn: `orn:okta:idp:${ORG}:apps:bookmark:${WIKI}`, status: "OPTED_IN" },
    },
  ],
  ...OKTA_CAMPAIGN_CHANGES,
  okta_create_access_request: [
    {
      label: "files a request Okta approves at once (no approver)",
      args: requestOf(ENTRIES.platform, GRACE),
    },
    { label: "files a request no request condition covers", args: requestOf(ENTRIES.githubAdmin, DANA) },
  ],
  okta_add_request_message: [],
  atomicwork_create_grant: [{ label: "grants an entitlement", args: { user_id: 9007, entitlement_id: 501 } }],
  atomicwork_update_grant: [
    { label: "revokes through the status", args: { grant_id: 7001, status: "REVOKED" } },
    { label: "re-grants a revoked grant", args: { grant_id: 7004, status: "GRANTED" } },
    { label: "moves a grant to another policy", args: { grant_id: 7002, policy_id: 3001 } },
  ],
  atomicwork_create_policy: [
    {
      label: "publishes a birthright policy that hands out an entitlement",
      args: {
        name: "Sales birthright",
        type: "BIRTH_RIGHT",
        status: "PUBLISHED",
        app_id: 12345,
        entitlements: [501],
        condition: { type: "DEPARTMENT", values: [41] },
      },
    },
    {
      label: "creates an active self-service policy without approvals",
      args: {
        name: "Self-service payroll",
        type: "SELF_SERVICE",
        status: "DRAFT",
        is_active: true,
        app_id: 12345,
        entitlements: [502],
      },
    },
  ],
  atomicwork_revoke_grant: [
    { label: "revokes a grant", args: { grant_id: 7001 } },
    { label: "revokes and deprovisions a grant", args: { grant_id: 7003, skip_deprovisioning: false } },
  ],
  // Each asks first: no approver stands in front of it, or it takes access away.
  iiq_request_access: IIQ_REQUESTS_THAT_CHANGE_ACCESS,
};

/** Changes that alter nobody's access: they go through without asking, audited ahead. */
const HARMLESS: { tool: string; label: string; args: Change["args"] }[] = [
  {
    tool: "okta_create_access_request",
    label: "files a request its owner approves in Okta",
    args: requestOf(ENTRIES.salesCloudAdmin, GRACE),
  },
  {
    tool: "okta_add_request_message",
    label: "adds a message to a request",
    args: { requestId: REQUESTS.pending, message: "Noted." },
  },
  {
    tool: "okta_update_entitlement",
    label: "adds a value and rewrites the description",
    args: {
      entitlementId: PROFILE,
      operations: [
        {
          op: "ADD",
          path: "/values/-",
          value: { name: "Guest", externalValue: "guest" },
          refType: "ENTITLEMENT-VALUE",
        },
        { op: "REPLACE", path: "/description", value: "Salesforce profiles", refType: "ENTITLEMENT" },
      ],
    },
  },
  {
    tool: "okta_update_entitlement",
    label: "renames a value nobody holds",
    args: {
      entitlementId: PROFILE,
      operations: [
        {
          op: "REPLACE",
          path: `/values/${MARKETING_USER}`,
          value: { name: "Marketing" },
          refType: "ENTITLEMENT-VALUE",
        },
      ],
    },
  },
  {
    tool: "okta_replace_bundle",
    label: "describes a held bundle anew",
    args: (sandbox) =>
      bundleReplace(sandbox, SALES_REP_BUNDLE, () => ({ description: "For account executives" })),
  },
  {
    tool: "okta_create_bundle",
    label: "creates a bundle nobody holds",
    args: {
      name: "Salesforce read only",
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      entitlements: [{ id: PROFILE, values: [{ id: "ent3tDMDLEGyHMlDYDn3" }] }],
    },
  },
];

const WRITES = allOperations.filter(isMutating);

const argsOf = (args: Change["args"], sandbox: Sandbox) =>
  typeof args === "function" ? args(sandbox) : args;

/** Successful requests to the write route of `op` (reads of the guard have other routes or methods). */
function writesOf(sandbox: Sandbox, op: AnyOperation): number {
  const { method, path } = parseRoute(op.route);
  const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return sandbox.requests.filter((r) => r.method === method && pattern.test(r.path) && r.status < 300).length;
}

it("lists the access-changing calls of every write tool (a new write tool fails here until it is added)", () => {
  expect(Object.keys(ACCESS_CHANGES).sort()).toEqual(WRITES.map((op) => op.name).sort());
  for (const op of WRITES) {
    // An empty list is only right for a tool whose every effect is a create nobody holds.
    expect((ACCESS_CHANGES[op.name] ?? []).length === 0, op.name).toBe(!isConfirmable(op, false));
  }
});

describe.each(
  WRITES.filter((op) => (ACCESS_CHANGES[op.name] ?? []).length > 0).map((op) => ({ op, name: op.name })),
)("$name", ({ op }) => {
  const session = testServer({ perFile: true, client: false });
  let plain: InProcessSession;
  let declining: InProcessSession;

  beforeAll(async () => {
    plain = await session.connect();
    declining = await session.connect({ elicit: { action: "decline" } });
  });

  it.each(ACCESS_CHANGES[op.name] ?? [])("never executes unconfirmed when it $label", async (change) => {
    const args = await argsOf(change.args, session.sandbox);
    const lines = async () => (await session.readAudit()).filter((l) => l.tool === op.name);
    const before = (await lines()).length;

    const asked = await call(plain.client, op.name, args);
    expect(structured(asked), text(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toMatch(/Nothing was changed\.$/);
    let audit = await lines();
    expect(audit.slice(before).map((l) => l.outcome)).toEqual(["confirmation_required"]);

    const declined = await call(declining.client, op.name, args);
    expect(structured(declined), text(declined)).toMatchObject({ status: "declined" });
    audit = await lines();
    expect(audit.slice(before).map((l) => l.outcome)).toEqual(["confirmation_required", "declined"]);

    expect(writesOf(session.sandbox, op)).toBe(0);
  });
});

describe("changes that alter nobody's access", () => {
  const session = testServer({ perFile: true });

  it.each(HARMLESS)("$tool goes through when it $label, audited ahead", async ({ tool, args }) => {
    const op = allOperations.find((o) => o.name === tool) as AnyOperation;
    const before = writesOf(session.sandbox, op);
    const result = await call(session.client, tool, await argsOf(args, session.sandbox));
    expect(result.isError, text(result)).toBeFalsy();
    expect(writesOf(session.sandbox, op)).toBe(before + 1);
    const lines = (await session.readAudit()).filter((l) => l.tool === tool).slice(-3);
    expect(lines.map((l) => l.outcome)).toEqual(["not_required", "executing", "executed"]);
  });

  it("asks before a create when the operator widens the guard (--confirm-creates)", async () => {
    const wide = await session.connect({ server: { confirmCreates: true } });
    const before = writesOf(
      session.sandbox,
      allOperations.find((o) => o.name === "okta_create_bundle") as AnyOperation,
    );
    const result = await call(wide.client, "okta_create_bundle", {
      name: "Another bundle",
      target: { externalId: SALESFORCE, type: "APPLICATION" },
      entitlements: [{ id: PROFILE, values: [{ id: MARKETING_USER }] }],
    });
    expect(structured(result)).toMatchObject({ status: "confirmation_required" });
    expect(
      writesOf(session.sandbox, allOperations.find((o) => o.name === "okta_create_bundle") as AnyOperation),
    ).toBe(before);
    await wide.close();
  });
});

describe("the escalation the review found", () => {
  const session = testServer();

  it("asks before Standard User comes to provision system_administrator, and shows it", async () => {
    const { client, sandbox } = session;
    const result = await call(
      client,
      "okta_update_entitlement",
      ACCESS_CHANGES.okta_update_entitlement?.[0]?.args as Args,
    );
    expect(text(result)).toContain(
      `Changes what "Standard User" (${STANDARD_USER}, externalValue "standard_user") provisions to externalValue "system_administrator": held by`,
    );
    const value = await read(sandbox, `/governance/api/v1/entitlements/${PROFILE}/values/${STANDARD_USER}`);
    expect(value.externalValue).toBe("standard_user");
    // With the token the person saw, it goes through; the audit names the effect.
    const token = String(structured(result).confirmationToken);
    const done = await call(client, "okta_update_entitlement", {
      ...(ACCESS_CHANGES.okta_update_entitlement?.[0]?.args as Args),
      confirmationToken: token,
    });
    expect(done.isError, text(done)).toBeFalsy();
    const lines = await session.readAudit();
    expect(lines.map((l) => l.outcome)).toEqual([
      "confirmation_required",
      "confirmed_by_token",
      "executing",
      "executed",
    ]);
    expect((lines[0] as { effects?: string[] }).effects).toEqual(["provisioning(held)"]);
  });
});
