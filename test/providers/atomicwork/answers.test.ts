/**
 * What the Atomicwork tools say when Atomicwork's answers carry nothing: its spec promises no field in any
 * answer ("Empty response body"), and a create answers `{}`. The create-entitlement tool finds the new id by
 * listing the app's entitlements by name, or says plainly that it could not; no summary prints a
 * placeholder for what it does not know. Also the grants listing options the spec has (PUBLISHED_DESC,
 * policy_id), end to end.
 */
import { describe, expect, it } from "vitest";
import type { AnyOperation } from "../../../src/core/operation.js";
import { allOperations } from "../../../tools/index.js";
import { SEED_000 } from "../../fixtures/atomicwork.js";
import { call, confirmed, ok, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

const tool = (name: string) => allOperations.find((op) => op.name === name) as AnyOperation;

/** A call's input for each Atomicwork tool, as its schema parses it. */
const INPUTS: Record<string, Record<string, unknown>> = {
  atomicwork_list_apps: {},
  atomicwork_list_entitlements: { app_id: 12345 },
  atomicwork_create_entitlement: SEED_000,
  atomicwork_create_policy: { name: "P", type: "SELF_SERVICE", status: "DRAFT", app_id: 12345 },
  atomicwork_search_grants: {},
  atomicwork_create_grant: { user_id: 9003, entitlement_id: 503 },
  atomicwork_update_grant: { grant_id: 7001, status: "EXTENDED" },
  atomicwork_revoke_grant: { grant_id: 7001 },
  atomicwork_get_grant_history: { grant_id: 7001 },
};

describe("summaries of answers that carry nothing", () => {
  const atomicwork = allOperations.filter((op) => op.provider === "atomicwork");

  it.each(atomicwork.map((op) => [op.name, op] as const))("%s says what it knows, never '?'", (name, op) => {
    const input = op.input.parse(INPUTS[name]);
    const empty = op.paging
      ? { items: [] }
      : op.name === "atomicwork_create_entitlement"
        ? { located: "not_found" }
        : {};
    const summary = op.summarize(op.output.parse(empty), input);
    expect(summary).not.toMatch(/\?/);
    expect(summary.length).toBeGreaterThan(10);
  });

  it("names the call's own ids when the grant answer has none", () => {
    const op = tool("atomicwork_create_grant");
    expect(op.summarize({}, { user_id: 9003, entitlement_id: 503 })).toBe(
      "Granted: a grant (Atomicwork's answer carried no id): user 9003 has entitlement 503.",
    );
  });
});

describe("the created entitlement's id", () => {
  const session = testServer();

  it("is uncertain when the app already has an entitlement of that name, and says which ids", async () => {
    const first = ok<{ id: number }>(await call(session.client, "atomicwork_create_entitlement", SEED_000));
    const second = await call(session.client, "atomicwork_create_entitlement", SEED_000);
    expect(ok(second)).toMatchObject({ located: "several", candidates: [first.id + 1, first.id] });
    expect(ok(second)).not.toHaveProperty("id");
    expect(text(second)).toBe(
      `Created the entitlement "Finance Team Access" in app 12345, UNPUBLISHED. Its id is not certain: Atomicwork answers a create with an empty body, and listing app 12345's entitlements named "Finance Team Access" found 2 (ids ${first.id + 1}, ${first.id}, newest first).`,
    );
  });

  it("is reported as not found when the lookup fails, and the write still counts as done", async () => {
    session.sandbox.inject({ route: "GET /api/v1/iga/entitlements", status: 400 });
    const result = await call(session.client, "atomicwork_create_entitlement", {
      name: "Payroll viewers",
      app_id: 12346,
    });
    expect(ok(result)).toMatchObject({ located: "not_found", name: "Payroll viewers", app_id: 12346 });
    expect(text(result)).toBe(
      `Created the entitlement "Payroll viewers" in app 12346, PUBLISHED (Atomicwork's default), but its id could not be found: Atomicwork answers a create with an empty body, and listing app 12346's entitlements named "Payroll viewers" found none. Look with atomicwork_list_entitlements (app_id 12346, search_key "Payroll viewers").`,
    );
    const outcomes = await session.outcomes("atomicwork_create_entitlement");
    expect(outcomes).toEqual(["not_required", "executing", "executed"]);
    // It exists: listed now that the lookup works again, PUBLISHED as the spec's default says.
    const listed = ok<{ items: { name: string; status: string }[] }>(
      await call(session.client, "atomicwork_list_entitlements", {
        app_id: 12346,
        search_key: "Payroll viewers",
      }),
    );
    expect(listed.items).toEqual([expect.objectContaining({ name: "Payroll viewers", status: "PUBLISHED" })]);
  });

  it("takes a provisioning value without a group id, as the spec requires nothing there", async () => {
    const result = await call(session.client, "atomicwork_create_entitlement", {
      name: "Manual laptop request",
      app_id: 12348,
      provisioning_config: { provider: "MANUAL", type: "MANUAL_PROVISIONING", value: { label: "IT desk" } },
    });
    expect(ok(result)).toMatchObject({ located: "listed", status: "PUBLISHED" });
  });
});

describe("grant listing options of the spec", () => {
  const session = testServer();

  it("sorts PUBLISHED_DESC and UNPUBLISHED_DESC, and filters by a policy's key", async () => {
    const ids = async (args: Record<string, unknown>) =>
      ok<{ items: { id: number; entitlement: { id: number } }[] }>(
        await call(session.client, "atomicwork_search_grants", args),
      ).items;
    // The one grant of a draft entitlement (506) comes last, then first.
    const granted = ok<{ id: number }>(
      await confirmed(session.client, "atomicwork_create_grant", { user_id: 9002, entitlement_id: 506 }),
    );
    const published = await ids({ sort_order: "PUBLISHED_DESC", per_page: 100 });
    expect(published.at(-1)?.id).toBe(granted.id);
    const unpublished = await ids({ sort_order: "UNPUBLISHED_DESC", per_page: 100 });
    expect(unpublished[0]?.id).toBe(granted.id);

    const underPolicy = await ids({ policy_id: "5f0c9a3e-8b7d-4c21-9e6a-1d2b3c4d5e6f" });
    expect(underPolicy.map((g) => g.id).sort()).toEqual([7001, 7006]);
  });
});
