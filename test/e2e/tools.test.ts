/**
 * End to end: the built bin, spawned as users run it, driven over stdio by the SDK's real Client, against
 * the sandbox over real HTTP. Every tool is called; what it changed is read back from the sandbox directly.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { beforeAll, describe, expect, it } from "vitest";
import { allOperations } from "../../tools/index.js";
import {
  DANA,
  LICENSE_ENTITLEMENT,
  PRIYA_GRANT,
  READ_ONLY_FIELDS,
  SALESFORCE,
  SEED_CREATE_BUNDLE,
  SEED_CREATE_ENTITLEMENT,
  SEED_CREATE_GRANT,
  SEED_REPLACE_GRANT,
  without,
} from "../fixtures/okta.js";
import { call, confirmed, expectRefusedLocally, ok, sandboxGet, text } from "../helpers/harness.js";
import { testServer } from "../helpers/test-server.js";

interface List<T = Record<string, unknown>> {
  items: T[];
  nextCursor?: string;
  total?: number;
}

describe.each(["stdio", "http"] as const)("over %s", (transport) => {
  // The same test bodies run on each transport: the spawned bin over stdio, or over Streamable HTTP.
  const session = testServer({ perFile: true, client: false });
  let client: Client;
  let stderr: () => string;

  beforeAll(async () => {
    ({ client, stderr } = await session.spawn(transport));
  });

  async function walk(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ pages: number; items: List["items"] }> {
    const items: List["items"] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = ok<List>(await call(client, name, { ...args, ...(after ? { after } : {}) }));
      items.push(...page.items);
      after = page.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(100);
    } while (after);
    return { pages, items };
  }

  describe("against the sandbox", () => {
    it("announces nothing on stdout but the protocol and starts against the configured org", async () => {
      const { tools } = await client.listTools();
      // Only Okta is configured here: its tools plus search_entitlements.
      expect(tools).toHaveLength(allOperations.filter((op) => op.provider === "okta").length + 1);
      expect(stderr()).not.toMatch(/sandbox/i);
    });

    it("resolves people and apps named in chat", async () => {
      const users = ok<List<{ id: string; profile: { firstName: string } }>>(
        await call(client, "okta_search_users", { q: "Dana" }),
      );
      expect(users.items.map((u) => u.id)).toContain(DANA);
      const apps = ok<List<{ id: string; label: string }>>(
        await call(client, "okta_search_apps", { q: "Sales" }),
      );
      expect(apps.items.map((a) => a.id)).toContain(SALESFORCE);
      expect(text(await call(client, "okta_search_apps", { q: "Sales" }))).toMatch(/Salesforce/);
    });

    it("pages through a Salesforce entitlement list, every item once", async () => {
      const first = ok<List>(await call(client, "okta_list_entitlements", { appId: SALESFORCE, limit: 2 }));
      expect(first.items).toHaveLength(2);
      expect(first.nextCursor).toBeTruthy();
      const { pages, items } = await walk("okta_list_entitlements", { appId: SALESFORCE, limit: 2 });
      expect(pages).toBeGreaterThanOrEqual(3);
      const ids = items.map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(first.total);
      const all = await sandboxGet(
        session.sandbox,
        `/governance/api/v1/entitlements?limit=200&filter=${encodeURIComponent(`parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION"`)}`,
      );
      expect(ids.sort()).toEqual(
        ((all.body as { data: { id: string }[] }).data.map((e) => e.id) ?? []).sort(),
      );
    });

    it("pages through the 28 values of the Permission Set entitlement", async () => {
      const { pages, items } = await walk("okta_list_entitlement_values", {
        entitlementId: "espLMCaoO5Ig3qYD3Nei",
        limit: 10,
      });
      expect(pages).toBe(3);
      const ids = items.map((i) => i.id);
      expect(ids).toHaveLength(28);
      expect(new Set(ids).size).toBe(28);
    });

    it("filters with AND, OR and parentheses, raw or built from convenience fields", async () => {
      const filter = `parent.externalId eq "${SALESFORCE}" AND parent.type eq "APPLICATION" AND (id eq "esp2lr1lavoGDYw5U8g6" OR id eq "0obfxqCAJWWGELFTYASJ")`;
      const raw = ok<List<{ id: string }>>(await call(client, "okta_list_entitlements", { filter }));
      expect(raw.items.map((i) => i.id).sort()).toEqual(["0obfxqCAJWWGELFTYASJ", "esp2lr1lavoGDYw5U8g6"]);
      const sw = ok<List<{ name: string }>>(
        await call(client, "okta_list_entitlements", { appId: SALESFORCE, nameStartsWith: "License" }),
      );
      expect(sw.items.length).toBeGreaterThan(0);
      for (const item of sw.items) expect(item.name.startsWith("License")).toBe(true);
    });

    it("reads an entitlement, its values, one value, and all values of an app", async () => {
      const ent = ok<{ id: string; values: { id: string }[] }>(
        await call(client, "okta_get_entitlement", { entitlementId: "esp2lr1lavoGDYw5U8g6" }),
      );
      expect(ent.values.map((v) => v.id)).toEqual(
        expect.arrayContaining(["ent148gF8aZoRfFsh0g4", "entotuwr1z1efm5RA1d6"]),
      );
      const values = ok<List<{ id: string }>>(
        await call(client, "okta_list_entitlement_values", { entitlementId: "esp2lr1lavoGDYw5U8g6" }),
      );
      expect(values.items.map((v) => v.id)).toEqual(expect.arrayContaining(["ent148gF8aZoRfFsh0g4"]));
      const value = ok<{ id: string; entitlementId: string; orn: string }>(
        await call(client, "okta_get_entitlement_value", {
          entitlementId: "esp81PLbVQGWaklZb0g2",
          valueId: "entfxqCAJWWFTFUUYBBB",
        }),
      );
      expect(value).toMatchObject({ id: "entfxqCAJWWFTFUUYBBB", entitlementId: "esp81PLbVQGWaklZb0g2" });
      expect(value.orn).toBe(
        "orn:okta:governance:00o11edPwGqbUrsDm0g4:entitlement-values:entfxqCAJWWFTFUUYBBB",
      );
      const { items } = await walk("okta_list_all_entitlement_values", { appId: SALESFORCE, limit: 50 });
      expect(items.map((v) => v.id)).toEqual(
        expect.arrayContaining(["entfxqCAJWWGELFTYAAA", "entfxqCAJWWFTFUUYBBB"]),
      );
    });

    it("creates, replaces, updates and deletes an entitlement (seed 001's examples)", async () => {
      const created = ok<{ id: string; values: { id: string; name: string }[] }>(
        await call(client, "okta_create_entitlement", SEED_CREATE_ENTITLEMENT),
      );
      expect(created.id).toMatch(/^esp[0-9A-Za-z]{17}$/);
      const stored = await sandboxGet(session.sandbox, `/governance/api/v1/entitlements/${created.id}`);
      expect(stored.status).toBe(200);
      expect((stored.body as { values: { name: string }[] }).values.map((v) => v.name).sort()).toEqual([
        "value1",
        "value2",
      ]);

      // a replace that keeps every value goes through without confirmation (seed 001's PUT example)
      const [v1, v2] = created.values;
      ok(
        await call(client, "okta_replace_entitlement", {
          entitlementId: created.id,
          id: created.id,
          name: "License Entitlement",
          externalValue: "license_entitlement",
          description: "Entitlement description",
          parentResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:${SALESFORCE}`,
          parent: { externalId: SALESFORCE, type: "APPLICATION" },
          multiValue: true,
          dataType: "string",
          values: [
            { id: v1?.id, name: "value1", description: "description for value1", externalValue: "value_1" },
            {
              id: v2?.id,
              name: "value2",
              description: "new value for entitlement",
              externalValue: "value_2",
            },
          ],
        }),
      );
      const replaced = (await sandboxGet(session.sandbox, `/governance/api/v1/entitlements/${created.id}`))
        .body as {
        description: string;
        values: { description: string }[];
      };
      expect(replaced.description).toBe("Entitlement description");
      expect(replaced.values.map((v) => v.description)).toContain("new value for entitlement");

      // an update that removes a value needs confirmation
      const updated = await confirmed(client, "okta_update_entitlement", {
        entitlementId: created.id,
        operations: [{ op: "REMOVE", path: `/values/${v1?.id}`, refType: "ENTITLEMENT-VALUE" }],
      });
      ok(updated);
      const after = (await sandboxGet(session.sandbox, `/governance/api/v1/entitlements/${created.id}`))
        .body as {
        values: { id: string }[];
      };
      expect(after.values.map((v) => v.id)).toEqual([v2?.id]);

      ok(await confirmed(client, "okta_delete_entitlement", { entitlementId: created.id }));
      expect(
        (await sandboxGet(session.sandbox, `/governance/api/v1/entitlements/${created.id}`)).status,
      ).toBe(404);
    });

    it("creates, reads, lists, replaces and deletes a bundle (seed 002's examples)", async () => {
      const created = ok<{ id: string; status: string }>(
        await call(client, "okta_create_bundle", SEED_CREATE_BUNDLE),
      );
      expect(created.status).toBe("ACTIVE");
      const got = ok<{ name: string }>(
        await call(client, "okta_get_bundle", { entitlementBundleId: created.id }),
      );
      expect(got.name).toBe("Salesforce admin bundle");
      const listed = ok<List<{ id: string }>>(
        await call(client, "okta_list_bundles", { appId: SALESFORCE, nameStartsWith: "Salesforce" }),
      );
      expect(listed.items.map((b) => b.id)).toContain(created.id);

      // a new description for a bundle nobody holds changes nobody's access: no confirmation
      ok(
        await call(client, "okta_replace_bundle", {
          entitlementBundleId: created.id,
          id: created.id,
          name: "Salesforce admin bundle",
          description: "Now with a new description",
          status: "ACTIVE",
          targetResourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:salesforce:${SALESFORCE}`,
          target: { externalId: SALESFORCE, type: "APPLICATION" },
          entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
        }),
      );
      const replaced = await sandboxGet(
        session.sandbox,
        `/governance/api/v1/entitlement-bundles/${created.id}`,
      );
      expect((replaced.body as { description: string }).description).toBe("Now with a new description");

      ok(await confirmed(client, "okta_delete_bundle", { entitlementBundleId: created.id }));
      const deleted = await sandboxGet(
        session.sandbox,
        `/governance/api/v1/entitlement-bundles/${created.id}`,
      );
      expect((deleted.body as { status: string }).status).toBe("DELETED");

      // deleting it again: the upstream 409 comes back as a tool error with Okta's code and summary
      const again = await confirmed(client, "okta_delete_bundle", { entitlementBundleId: created.id });
      expect(again.isError).toBe(true);
      expect(text(again)).toMatch(/409/);
      expect(text(again)).toMatch(/E0000169/);
    });

    it("grants Dana a bundle, reads the grant, lists it, and replaces a custom grant (seed 004)", async () => {
      const granted = ok<{ id: string; grantType: string; targetPrincipal: { externalId: string } }>(
        await confirmed(client, "okta_create_grant", SEED_CREATE_GRANT),
      );
      expect(granted).toMatchObject({
        grantType: "ENTITLEMENT-BUNDLE",
        targetPrincipal: { externalId: DANA },
      });
      const stored = await sandboxGet(session.sandbox, `/governance/api/v1/grants/${granted.id}`);
      expect((stored.body as { status: string; entitlementBundleId: string }).entitlementBundleId).toBe(
        "enbfxqCAJWWGELFTYCCC",
      );
      const got = ok<{ id: string }>(await call(client, "okta_get_grant", { grantId: granted.id }));
      expect(got.id).toBe(granted.id);
      const listed = ok<List<{ id: string }>>(
        await call(client, "okta_list_grants", { appId: SALESFORCE, principalId: DANA }),
      );
      expect(listed.items.map((g) => g.id)).toContain(granted.id);

      ok(
        await confirmed(client, "okta_replace_grant", {
          grantId: PRIYA_GRANT,
          ...without(SEED_REPLACE_GRANT, READ_ONLY_FIELDS),
          entitlements: [{ id: LICENSE_ENTITLEMENT, values: [{ id: "ent148gF8aZoRfFsh0g4" }] }],
        }),
      );
      const replaced = (await sandboxGet(session.sandbox, "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR"))
        .body as {
        entitlements: { id: string; values: { id: string }[] }[];
      };
      expect(replaced.entitlements).toEqual([
        expect.objectContaining({
          id: "esp2lr1lavoGDYw5U8g6",
          values: [expect.objectContaining({ id: "ent148gF8aZoRfFsh0g4" })],
        }),
      ]);
    });

    it("wrote every guarded outcome to the audit log", async () => {
      const lines = await session.readAudit();
      const outcomes = new Set(lines.map((l) => `${l.tool}:${l.outcome}`));
      for (const tool of [
        "okta_update_entitlement",
        "okta_delete_entitlement",
        "okta_delete_bundle",
        "okta_create_grant",
        "okta_replace_grant",
      ]) {
        expect(outcomes, tool).toContain(`${tool}:confirmation_required`);
        expect(outcomes, tool).toContain(`${tool}:confirmed_by_token`);
      }
      expect(outcomes).toContain("okta_replace_bundle:not_required");
      expect(outcomes).toContain("okta_delete_bundle:failed");
      expect(outcomes).toContain("okta_create_entitlement:not_required");
      expect(outcomes).toContain("okta_create_entitlement:executed");
      // Written ahead: every executed or failed write has its executing line just before it.
      lines.forEach((line, n) => {
        if (line.outcome === "executed" || line.outcome === "failed") {
          expect(lines.slice(0, n).findLast((l) => l.tool === line.tool)?.outcome, line.tool).toBe(
            "executing",
          );
        }
      });
      const failed = lines.find((l) => l.tool === "okta_delete_bundle" && l.outcome === "failed");
      expect(failed?.upstreamStatus).toBe(409);
      expect(failed?.requestId).toBeTruthy();
      for (const line of lines) expect(JSON.stringify(line)).not.toContain("sandbox-okta-token");
    });
  });

  describe("upstream errors come back as tool errors with Okta's code and summary", () => {
    it("404 for an unknown id", async () => {
      const result = await call(client, "okta_get_entitlement", { entitlementId: "espDOESNOTEXIST00000" });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/404/);
      expect(text(result)).toMatch(/E0000007/);
    });

    it("400 with causes for a bundle that names an unknown entitlement", async () => {
      const result = await call(client, "okta_create_bundle", {
        name: "Broken bundle",
        target: { externalId: SALESFORCE, type: "APPLICATION" },
        entitlements: [{ id: "espNOSUCHENTITLEMENT" }],
      });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/400/);
      expect(text(result)).toMatch(/E0000001/);
      expect(text(result)).toMatch(/espNOSUCHENTITLEMENT/);
    });

    it("404 for an app that is not opted in to entitlement management", async () => {
      const apps = ok<List<{ id: string; label: string }>>(
        await call(client, "okta_search_apps", { q: "Company Wiki" }),
      );
      const wiki = apps.items[0];
      expect(wiki).toBeDefined();
      const result = await call(client, "okta_create_entitlement", {
        name: "Role",
        externalValue: "role",
        parent: { externalId: wiki?.id, type: "APPLICATION" },
        multiValue: false,
        dataType: "string",
        values: [],
      });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/E0000007/);
    });

    it("401 when the token is wrong, without printing the token", async () => {
      const other = await session.spawn(transport, {
        env: { OKTA_API_TOKEN: "00wrongTokenValue1234567890" },
      });
      try {
        const result = await call(other.client, "okta_list_bundles", {});
        expect(result.isError).toBe(true);
        expect(text(result)).toMatch(/401/);
        expect(text(result)).toMatch(/E0000004/);
        expect(text(result)).not.toContain("00wrongTokenValue1234567890");
        expect(other.stderr()).not.toContain("00wrongTokenValue1234567890");
      } finally {
        await other.close();
      }
    });
  });

  describe("bad input changes nothing and names the field", () => {
    const refused = (name: string, args: Record<string, unknown>, field: RegExp) =>
      expectRefusedLocally(client, session.sandbox, name, args, field);

    it.each([
      ["okta_get_entitlement", {}, /entitlementId/],
      ["okta_get_entitlement", { entitlementId: 42 }, /entitlementId/],
      ["okta_get_entitlement", { entitlementId: "../../api/v1/users" }, /entitlementId/],
      ["okta_get_entitlement", { entitlementId: "esp2lr1lavoGDYw5/8g6" }, /entitlementId/],
      ["okta_get_entitlement", { entitlementId: "esp2lr1lavoGDYw5?8g6" }, /entitlementId/],
      ["okta_get_entitlement", { entitlementId: "esp2lr1lavoGDYw5%2F86" }, /entitlementId/],
      ["okta_get_entitlement_value", { entitlementId: "esp2lr1lavoGDYw5U8g6", valueId: ".." }, /valueId/],
      ["okta_delete_bundle", { entitlementBundleId: "enbfxqCAJWWGELFTY/.." }, /entitlementBundleId/],
      ["okta_list_entitlements", { appId: SALESFORCE, limit: 0 }, /limit/],
      ["okta_list_entitlements", { appId: SALESFORCE, limit: 201 }, /limit/],
      ["okta_list_entitlements", { appId: SALESFORCE, limit: "ten" }, /limit/],
      ["okta_list_entitlements", {}, /filter|appId/],
      ["okta_list_entitlements", { filter: 'parent.externalId eq "0oa' }, /filter/],
      ["okta_list_entitlements", { filter: '(name sw "a"' }, /filter/],
      ["okta_list_entitlements", { filter: 'name sw "a" AND' }, /filter/],
      ["okta_list_grants", { filter: 'target.externalId eq "x" OR OR' }, /filter/],
      ["okta_create_entitlement", { name: "x" }, /externalValue|parent|multiValue|dataType/],
      [
        "okta_create_entitlement",
        {
          name: "",
          externalValue: "x",
          parent: { externalId: SALESFORCE, type: "APPLICATION" },
          multiValue: false,
          dataType: "string",
          values: [],
        },
        /name/,
      ],
      [
        "okta_create_grant",
        { grantType: "ENTITLEMENT-BUNDLE", targetPrincipal: { externalId: DANA, type: "OKTA_USER" } },
        /entitlementBundleId/,
      ],
      ["okta_update_entitlement", { entitlementId: "esp2lr1lavoGDYw5U8g6", operations: [] }, /operations/],
    ])("%s %j", async (name, args, field) => {
      await refused(name, args as Record<string, unknown>, field);
    });

    it("refuses a PUT whose body id differs from the path id", async () => {
      await refused(
        "okta_replace_grant",
        {
          grantId: PRIYA_GRANT,
          ...without(SEED_REPLACE_GRANT, [...READ_ONLY_FIELDS, "entitlements"]),
          id: "0ggb0oNGTSWTBKOLGLNX",
        },
        /id/,
      );
    });

    it("keeps the server alive after all of that", async () => {
      ok(await call(client, "okta_get_bundle", { entitlementBundleId: "enbfxqCAJWWGELFTYCCC" }));
    });
  });
});
