/**
 * Exact to Atomicwork's published API (the capture in ../shared/specs), generated from the spec rather than
 * listed by hand: every operation under /api/v1/iga/ is a tool; each tool's fields, required-ness, enums,
 * types and nested fields equal the spec's (every kept difference written below with its reason); every
 * example request of the spec (in its descriptions; seed 000's copy of the create page) is accepted; the
 * spec's smallest requests are accepted by the tool and the sandbox; and every request the spec forbids is
 * refused by the tool and by the sandbox, naming the field. Responses: responses.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnyOperation } from "../../../src/core/operation.js";
import { type Sandbox, startSandbox } from "../../../src/sandbox/index.js";
import { allOperations } from "../../../tools/index.js";
import { SEED_000 } from "../../fixtures/atomicwork.js";
import { type Allowances, requestMismatches } from "../../helpers/contract.js";
import { refusedExamples } from "../../helpers/contract-cases.js";
import { loadSpec, specsMissing } from "../../helpers/spec.js";
import { forbiddenRequests, minimalRequest, send } from "./spec-requests.js";

const missing = specsMissing();
const TOOLS = allOperations.filter((op) => op.provider === "atomicwork");
const tool = (name: string) => TOOLS.find((op) => op.name === name) as AnyOperation;

/** The differences the tools keep from the spec, each with its reason. */
const ALLOWANCES: Readonly<Record<string, Allowances>> = {
  atomicwork_search_grants: {
    renamed: {
      operations: {
        as: "filters",
        why: "the body is a bare array of filters; the tool names it for what it holds",
      },
    },
    required: {
      "filters[].attribute":
        "the description defines a filter as an attribute, an operator and values; without an attribute it compares nothing",
      "filters[].operator": "likewise: a filter without an operator is no comparison",
      "filters[].values[].value":
        'an item of values is the value it carries ("One or more { "value": <scalar> } objects"); nested_filter, its only other field, is not offered',
    },
    narrower: {
      "filters[].attribute":
        "the schema types it as any string; the description lists the supported attributes (status, user, app, entitlement, entitlement_value, granted_at, expires_at, last_login_at), which the tool offers as an enum",
    },
    type: {
      "filters[].values[].value":
        'the schema types it as an object with no properties (the generator\'s rendering of an untyped value); the description ("One or more { "value": <scalar> } objects") and its example pass strings and numbers, which the tool takes',
    },
    absent: {
      "filters[].values[].nested_filter":
        'typed "Any type" and described nowhere in the spec: the tool does not describe it, and passes it to Atomicwork as given',
    },
  },
  atomicwork_create_policy: {
    absent: {
      "approvals.steps[].approvers_data[].cardinality":
        'the spec: "Populated server-side on approval-policy GET responses; null on writes"; passed to Atomicwork as given, never described',
      "lifecycle.allowed_access_durations[].notification_settings":
        "expiry notifications, described in tools/list only at the cost of its per-tool budget; passed to Atomicwork as given, which checks them",
      "lifecycle.global_notification_settings":
        "likewise: expiry notifications, passed to Atomicwork as given and checked there",
    },
  },
  atomicwork_update_grant: {
    type: {
      grant_id:
        "the spec types this path id as a string, yet revoke and history type the same grant id as int64 and every grant carries a numeric id; the tool takes the integer, sent as its digits",
    },
  },
};

/** Valid inputs that set every field the spec has (nested objects included), against the demo data. */
const BASE: Readonly<Record<string, Record<string, unknown>>> = {
  atomicwork_list_apps: { search_key: "Okta", page: 1, per_page: 25 },
  atomicwork_list_entitlements: {
    search_key: "Sales",
    app_id: 12345,
    type: "GROUP",
    status: "PUBLISHED",
    page: 1,
    per_page: 25,
  },
  atomicwork_create_entitlement: SEED_000,
  atomicwork_create_policy: {
    name: "Engineering birthright",
    description: "Everyone in engineering gets GitHub.",
    type: "BIRTH_RIGHT",
    status: "DRAFT",
    app_id: 12345,
    entitlements: [504],
    condition: { type: "DEPARTMENT", values: [41] },
    approvals: {
      type: "MULTI_STEP",
      steps: [
        {
          type: "APPROVERS",
          criteria: "FIRST_DECISION",
          approvers_data: [{ type: "EXACT", value: "9002", label: "Priya Raman", cardinality: "SINGLE" }],
          policy_id: 3001,
        },
      ],
    },
    lifecycle: {
      type: "TIME_BOUND",
      allowed_access_durations: [
        {
          duration: { id: "30_DAYS", value: 30, unit: "DAYS" },
          notification_settings: {
            enable_expiry_notifications: true,
            notification_timings: [{ id: "3_DAYS", value: 3, unit: "DAYS" }],
          },
        },
      ],
      global_notification_settings: {
        enable_expiry_notifications: true,
        notification_timings: [{ id: "1_DAYS", value: 1, unit: "DAYS" }],
      },
      allow_user_to_extend: false,
    },
    is_active: false,
    is_business_justification_required: true,
  },
  atomicwork_search_grants: {
    filters: [{ attribute: "status", operator: "IS_ANY_OF", values: [{ value: "ACTIVE" }] }],
    search_key: "Dana",
    sort_order: "GRANTED_AT_DESC",
    policy_id: "5f0c9a3e-8b7d-4c21-9e6a-1d2b3c4d5e6f",
    app_id: 12345,
    page: 1,
    per_page: 25,
    ids: "7001,7006",
  },
  atomicwork_create_grant: {
    user_id: 9003,
    entitlement_id: 503,
    policy_id: 3001,
    granted_by: 9002,
    granted_at: "2026-01-05T10:00:00Z",
  },
  atomicwork_update_grant: {
    grant_id: 7002,
    status: "EXTENDED",
    policy_id: 3001,
    granted_by: 9002,
    granted_at: "2026-01-05T10:00:00Z",
  },
  atomicwork_revoke_grant: { grant_id: 7003, reason: "left the team", skip_deprovisioning: false },
  atomicwork_get_grant_history: { grant_id: 7001, page: 1, per_page: 25, sort_order: "CREATED_AT_ASC" },
};

/** The example requests of the spec: the JSON blocks of its operations' descriptions, as tool inputs. */
function descriptionExamples(): { tool: string; input: Record<string, unknown> }[] {
  const spec = loadSpec("atomicwork");
  const paths = spec.doc.paths as Record<string, Record<string, { description?: string }>>;
  return TOOLS.flatMap((op) => {
    const [method, path] = op.route.split(" ") as [string, string];
    const description = paths[path]?.[method.toLowerCase()]?.description ?? "";
    return [...description.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => {
      const body = JSON.parse(m[1] as string) as unknown;
      const field = ALLOWANCES[op.name]?.renamed?.operations?.as ?? "operations";
      return {
        tool: op.name,
        input: Array.isArray(body) ? { [field]: body } : (body as Record<string, unknown>),
      };
    });
  });
}

describe.skipIf(missing !== undefined)(
  `Atomicwork against its published API${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it("offers every operation of the spec as a tool, one each", () => {
      const spec = loadSpec("atomicwork");
      const routes = spec.operations().map((o) => `${o.method} ${o.path}`);
      const served = TOOLS.map((op) => {
        const found = spec.find(op.route);
        return found ? `${found.method} ${found.path}` : `${op.route} (not in the spec)`;
      });
      expect(served.sort()).toEqual(routes.sort());
      expect(routes).toHaveLength(9);
    });

    it.each(TOOLS.map((op) => [op.name, op] as const))(
      "%s takes exactly the spec's fields, required-ness, enums and types",
      (_name, op) => {
        const spec = loadSpec("atomicwork");
        expect(requestMismatches(spec, op, ALLOWANCES[op.name], { deep: true })).toEqual([]);
        expect(refusedExamples(spec, op, {})).toEqual([]);
      },
    );

    it("writes a reason for every allowance it keeps, about a tool that exists", () => {
      for (const [name, allow] of Object.entries(ALLOWANCES)) {
        expect(TOOLS.map((op) => op.name)).toContain(name);
        const reasons = [
          ...Object.values(allow.renamed ?? {}).map((r) => r.why),
          ...["extra", "absent", "required", "narrower", "type"].flatMap((k) =>
            Object.values((allow as Record<string, Record<string, string> | undefined>)[k] ?? {}),
          ),
        ];
        for (const reason of reasons) expect(reason.length).toBeGreaterThan(30);
      }
    });

    it("accepts every example request of the spec", () => {
      const examples = [
        ...descriptionExamples(),
        { tool: "atomicwork_create_entitlement", input: SEED_000 as Record<string, unknown> },
      ];
      expect(examples.map((e) => e.tool)).toEqual([
        "atomicwork_search_grants",
        "atomicwork_create_entitlement",
      ]);
      for (const { tool: name, input } of examples) {
        const parsed = tool(name).input.safeParse(input);
        expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    });

    describe("against the sandbox", () => {
      let sandbox: Sandbox;
      beforeAll(async () => {
        sandbox = await startSandbox();
      });
      afterAll(async () => {
        await sandbox.close();
      });

      it.each(TOOLS.map((op) => [op.name, op] as const))(
        "%s: the spec's smallest requests are accepted by the tool and the sandbox",
        async (name, op) => {
          const spec = loadSpec("atomicwork");
          const base = BASE[name] ?? {};
          for (const keepTopLevel of [false, true]) {
            const fresh = await startSandbox();
            try {
              const input = minimalRequest(spec, op, base, ALLOWANCES[name] ?? {}, keepTopLevel);
              const parsed = op.input.safeParse(input);
              expect(
                parsed.success,
                `${JSON.stringify(input)}: ${JSON.stringify(parsed.error?.issues)}`,
              ).toBe(true);
              const answer = await send(fresh, op, input);
              expect(answer.status, `${JSON.stringify(input)} -> ${JSON.stringify(answer.body)}`).toBe(200);
            } finally {
              await fresh.close();
            }
          }
        },
      );

      it.each(TOOLS.map((op) => [op.name, op] as const))(
        "%s: every request the spec forbids is refused by the tool and the sandbox, naming the field",
        async (name, op) => {
          const spec = loadSpec("atomicwork");
          const base = BASE[name] ?? {};
          expect(op.input.safeParse(base).success, name).toBe(true);
          const forbidden = forbiddenRequests(spec, op, base, ALLOWANCES[name] ?? {});
          expect(forbidden.length).toBeGreaterThan(0);
          const accepted: string[] = [];
          for (const f of forbidden) {
            const label = `${f.field} (${f.rule})`;
            const parsed = op.input.safeParse(f.input);
            const named = parsed.error?.issues.some((i: { path: PropertyKey[] }) =>
              f.path.every((key, at) => String(i.path[at]) === String(key)),
            );
            if (!f.passedThrough && (parsed.success || !named)) accepted.push(`tool: ${label}`);
            // A request without its path id is another route: only the tool can refuse it by name.
            if (f.where === "path" && f.rule === "required") continue;
            const answer = await send(sandbox, op, f.input);
            const error = (answer.body as { error?: string } | undefined)?.error ?? "";
            if (answer.status !== 400 || !error.includes(f.field))
              accepted.push(`sandbox: ${label} -> ${answer.status} ${error}`);
          }
          expect(accepted).toEqual([]);
        },
      );
    });
  },
);
