/**
 * Atomicwork IGA end to end through a real Client against the sandbox: every tool called and its effect
 * read back from the sandbox directly; seed 000's example verbatim; bad input and upstream errors; and
 * the guard matrix for the three writes that change who has access.
 */
import { describe, expect, it } from "vitest";
import type { Hit } from "../../../src/mcp/search.js";
import { SANDBOX_CREDENTIALS, type Sandbox } from "../../../src/sandbox/index.js";
import { SEED_000 } from "../../fixtures/atomicwork.js";
import { type GuardCase, guardMatrix, sandboxSend } from "../../helpers/guard-matrix.js";
import { call, confirmed, expectRefusedLocally, ok, structured, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

const AW_HEADERS = {
  "X-Api-Key": SANDBOX_CREDENTIALS.atomicwork.apiKey,
  "X-Workspace-Id": SANDBOX_CREDENTIALS.atomicwork.workspaceId,
};

interface Grant {
  id: number;
  status: string;
  user: { id: number; name: string };
  entitlement: { id: number; name: string };
  revocation_status?: { status: string; schedule_id: string | null };
}

async function grantsIn(sandbox: Sandbox, query: string, filters: unknown[] = []): Promise<Grant[]> {
  const body = (await sandboxSend(
    sandbox,
    "POST",
    `/api/v1/iga/grants/list?${query}`,
    filters,
    AW_HEADERS,
  )) as {
    items: Grant[];
  };
  return body.items;
}

const session = testServer();

describe("Atomicwork", () => {
  it("lists apps and entitlements, by name, app, type and status", async () => {
    const apps = ok<{ items: { id: number; name: string }[] }>(
      await call(session.client, "atomicwork_list_apps", { search_key: "ok" }),
    );
    expect(apps.items.map((a) => a.id)).toEqual([12345]);
    const roles = ok<{ items: { name: string; type: string }[] }>(
      await call(session.client, "atomicwork_list_entitlements", {
        app_id: 12345,
        type: "ROLE",
        status: "PUBLISHED",
      }),
    );
    expect(roles.items.map((e) => e.name)).toEqual(["Expense Approver"]);
    const page = ok<{ items: unknown[]; nextCursor?: string; total: number }>(
      await call(session.client, "atomicwork_list_entitlements", { per_page: 2 }),
    );
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBe("2");
    expect(page.total).toBe(6);
  });

  it("creates seed 000's entitlement as is, and reports the id it finds by name (the answer is {})", async () => {
    const result = await call(session.client, "atomicwork_create_entitlement", SEED_000);
    const created = ok<{ id: number; name: string; status: string; located: string }>(result);
    expect(created).toMatchObject({ name: "Finance Team Access", status: "UNPUBLISHED", located: "listed" });
    expect(text(result)).toBe(
      `Created the entitlement "Finance Team Access" in app 12345, UNPUBLISHED: id ${created.id} (Atomicwork answers a create with an empty body, and listing app 12345's entitlements named "Finance Team Access" found it).`,
    );
    const write = session.sandbox.requests.find(
      (r) => r.method === "POST" && r.path === "/api/v1/iga/entitlements",
    );
    expect(write?.status).toBe(200);
    const listed = (await (
      await fetch(`${session.sandbox.url}/api/v1/iga/entitlements?search_key=Finance%20Team`, {
        headers: AW_HEADERS,
      })
    ).json()) as { items: { id: number; provisioning_config: { value: { value: string } } }[] };
    expect(listed.items.map((e) => e.id)).toContain(created.id);
    expect(listed.items[0]?.provisioning_config.value.value).toBe("00g1a2b3c4d5e6f7g8h9");
  });

  it("searches grants with filters, as a read", async () => {
    const { tools } = await session.client.listTools();
    expect(tools.find((t) => t.name === "atomicwork_search_grants")?.annotations?.readOnlyHint).toBe(true);
    const active = ok<{ items: Grant[] }>(
      await call(session.client, "atomicwork_search_grants", {
        filters: [
          { attribute: "entitlement", operator: "IN", values: [{ value: 501 }] },
          { attribute: "status", operator: "EQUALS", values: [{ value: "ACTIVE" }] },
        ],
      }),
    );
    expect(active.items.map((g) => g.user.name).sort()).toEqual(["Dana Whitfield", "Olivia Brooks"]);
  });

  it("grants, updates and revokes after confirmation, and the history shows it", async () => {
    const granted = ok<Grant>(
      await confirmed(session.client, "atomicwork_create_grant", { user_id: 9003, entitlement_id: 503 }),
    );
    expect(granted).toMatchObject({ status: "GRANTED", user: { id: 9003 }, entitlement: { id: 503 } });
    expect((await grantsIn(session.sandbox, `ids=${granted.id}`))[0]?.status).toBe("GRANTED");

    // Atomicwork answers an update with {}: the tool reads the grant back and reports it.
    const updated = await confirmed(session.client, "atomicwork_update_grant", {
      grant_id: granted.id,
      status: "EXTENDED",
    });
    expect(ok<Grant>(updated)).toMatchObject({ id: granted.id, status: "EXTENDED", user: { id: 9003 } });
    expect(text(updated)).toBe(
      `Updated: grant ${granted.id} EXTENDED: Marcus Bell (9003) has Expense Approver (503) in Okta (12345).`,
    );
    expect((await grantsIn(session.sandbox, `ids=${granted.id}`))[0]?.status).toBe("EXTENDED");

    const revoked = ok<Grant>(
      await confirmed(session.client, "atomicwork_revoke_grant", {
        grant_id: granted.id,
        reason: "left the team",
        skip_deprovisioning: false,
      }),
    );
    expect(revoked.revocation_status?.status).toBe("IN_PROGRESS");
    const stored = (await grantsIn(session.sandbox, `ids=${granted.id}`))[0];
    expect(stored?.status).toBe("REVOKED");

    const history = ok<{ items: { event_type: string }[] }>(
      await call(session.client, "atomicwork_get_grant_history", {
        grant_id: granted.id,
        sort_order: "CREATED_AT_ASC",
      }),
    );
    expect(history.items.map((e) => e.event_type)).toEqual(["GRANTED", "EXTENDED", "REVOKED"]);
  });

  it("translates upstream errors: unknown grant, already revoked", async () => {
    const missing = await call(session.client, "atomicwork_get_grant_history", { grant_id: 999999 });
    expect(text(missing)).toMatch(/Atomicwork answered 404 NOT_FOUND: Grant 999999 not found/);
    const again = await confirmed(session.client, "atomicwork_revoke_grant", { grant_id: 7004 });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/400 INVALID_REQUEST: Grant 7004 is already revoked/);
  });

  it.each([
    ["atomicwork_get_grant_history", { grant_id: "../7001" }, /grant_id/],
    ["atomicwork_get_grant_history", { grant_id: "7001?x=1" }, /grant_id/],
    ["atomicwork_list_entitlements", { per_page: 101 }, /per_page/],
    ["atomicwork_list_entitlements", { type: "LICENSE" }, /type/],
    [
      "atomicwork_create_entitlement",
      { ...SEED_000, provisioning_config: { ...SEED_000.provisioning_config, provider: "LDAP" } },
      /provider/,
    ],
    ["atomicwork_create_entitlement", { app_id: 12345 }, /name/],
    [
      "atomicwork_search_grants",
      { filters: [{ attribute: "user", operator: "LIKE", values: [] }] },
      /operator/,
    ],
    ["atomicwork_create_grant", { user_id: -1, entitlement_id: 501 }, /user_id/],
    ["atomicwork_create_grant", { user_id: "9003", entitlement_id: 501 }, /user_id/],
    ["atomicwork_revoke_grant", { grant_id: "7001" }, /grant_id/],
    [
      "atomicwork_create_grant",
      { user_id: 9003, entitlement_id: 501, granted_at: "2026-01-05T10:00Z" },
      /granted_at/,
    ],
  ])("refuses %s %j before any request", async (name, args, field) => {
    await expectRefusedLocally(session.client, session.sandbox, name, args as Record<string, unknown>, field);
  });

  it("serves each app's entitlements as a catalog resource", async () => {
    const { resources } = await session.client.listResources();
    expect(resources.map((r) => r.uri)).toContain("entitlements://atomicwork/apps/12345/entitlements");
    const read = await session.client.readResource({
      uri: "entitlements://atomicwork/apps/12345/entitlements",
    });
    const body = JSON.parse((read.contents[0] as { text: string }).text) as {
      items: { name: string }[];
      total: number;
    };
    expect(body.items.map((e) => e.name)).toContain("Expense Approver");
    expect(body.total).toBe(4);
    const completion = await session.client.complete({
      ref: { type: "ref/resource", uri: "entitlements://atomicwork/apps/{app_id}/entitlements" },
      argument: { name: "app_id", value: "azure" },
    });
    expect(completion.completion.values).toEqual(["12346"]);
  });

  it("search_entitlements finds the same access in Okta and Atomicwork", async () => {
    const hits = structured<{ items: Hit[] }>(
      await call(session.client, "search_entitlements", { q: "Sales Cloud admin" }),
    ).items;
    const providers = new Set(
      hits.filter((h) => h.name === "Salesforce Sales Cloud admin").map((h) => h.provider),
    );
    expect(providers).toEqual(new Set(["okta", "atomicwork", "sailpoint-iiq"]));
    const aw = hits.find((h) => h.provider === "atomicwork");
    expect(aw?.next).toEqual({ tool: "atomicwork_create_grant", arguments: { entitlement_id: 501 } });
  });
});

const CASES: GuardCase[] = [
  {
    tool: "atomicwork_create_grant",
    args: { user_id: 9003, entitlement_id: 503 },
    otherArgs: { user_id: 9003, entitlement_id: 504 },
    write: { method: "POST", path: "/api/v1/iga/grants" },
    readBack: (s) => grantsIn(s, "per_page=100"),
    changeTarget: async (s) => {
      await sandboxSend(s, "POST", "/api/v1/iga/grants", { user_id: 9003, entitlement_id: 502 }, AW_HEADERS);
    },
  },
  {
    tool: "atomicwork_update_grant",
    args: { grant_id: 7001, status: "EXTENDED" },
    otherArgs: { grant_id: 7001, status: "EXPIRED" },
    write: { method: "PUT", path: "/api/v1/iga/grants/7001" },
    readBack: (s) => grantsIn(s, "ids=7001"),
    changeTarget: async (s) => {
      await sandboxSend(s, "PUT", "/api/v1/iga/grants/7001", { granted_by: 9001 }, AW_HEADERS);
    },
  },
  {
    tool: "atomicwork_revoke_grant",
    args: { grant_id: 7003, reason: "role change" },
    otherArgs: { grant_id: 7003, reason: "another reason" },
    write: { method: "POST", path: "/api/v1/iga/grants/7003/revoke" },
    readBack: (s) => grantsIn(s, "ids=7003"),
    changeTarget: async (s) => {
      await sandboxSend(s, "PUT", "/api/v1/iga/grants/7003", { status: "EXTENDED" }, AW_HEADERS);
    },
  },
];

guardMatrix(CASES);
