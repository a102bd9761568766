/**
 * IdentityIQ's tools against the vendor's SCIM specifications (issue 11), generated from the specs rather
 * than listed by hand: for every tool, against 8.3 and (where it has the operation) 9.0, the spec's fields
 * are the tool's fields with the same required-ness, enums and limits; every example the spec gives is
 * accepted; every value the spec accepts is accepted (no cap it does not have); and every request it
 * forbids, or a field it does not have, is refused naming the field, locally, through a real client,
 * before any request reaches the sandbox. Differences the tools keep are listed below with their reasons.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { AnyOperation } from "../../../src/core/operation.js";
import { iiqOperations } from "../../../tools/sailpoint-iiq/index.js";
import {
  asRequested,
  DANA,
  DIEGO,
  EXPENSE_APPROVER,
  IIQ_DEMO_LAUNCHES,
  SAP,
  SEED_ENTITLEMENT_ID,
} from "../../fixtures/sailpoint-iiq.js";
import { type Allowances, requestMismatches } from "../../helpers/contract.js";
import {
  acceptedRequests,
  forbiddenRequests,
  parameterExamples,
  refusedExamples,
  refusedParameterExamples,
} from "../../helpers/contract-cases.js";
import { call, expectRefusedLocally, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";
import { iiqSpecs, iiqSpecsMissing } from "./specs.js";

const missing = iiqSpecsMissing();

const FILTERED =
  "a convenience field: the tool turns it into a clause of the SCIM filter, ANDed with the raw filter";
const TYPED =
  "a typed field the server builds the LCM Provisioning workflow's inputs from (identityName, the plan, approvalScheme): the model never writes a workflow's name or a plan's XML";
const PLAN_PART =
  "part of what a check simulates (an application's account, an attribute and its value): without it there is nothing to simulate, so the tool asks for it";
const SERVER_SET =
  "set by the server: the LCM Provisioning workflow, and its inputs built from the typed fields (never a workflow or a plan the model writes)";

/** Every difference an IdentityIQ tool keeps from its operation, with the reason. */
const ALLOWANCES: Readonly<Record<string, Allowances>> = {
  iiq_get_entitlement: {},
  iiq_list_entitlements: { extra: { application: FILTERED, nameContains: FILTERED, type: FILTERED } },
  iiq_get_application: {},
  iiq_list_applications: {
    extra: { nameContains: FILTERED },
    absent: {
      lookupByName:
        "the spec gives the list no description of it; a lookup by name is GET /Applications/{id} with the name, iiq_get_application",
    },
  },
  iiq_get_user: {},
  iiq_search_users: { extra: { userNameStartsWith: FILTERED, nameContains: FILTERED } },
  iiq_list_accounts: { extra: { userId: FILTERED, userName: FILTERED, application: FILTERED } },
  iiq_request_access: {
    extra: {
      identityName: TYPED,
      operation: TYPED,
      entitlement: TYPED,
      role: TYPED,
      justification: "the person's reason, written into the plan as its comments: the approver reads it",
      policies:
        "the policies the guard's separation-of-duties check (POST /CheckedPolicyViolations) runs before the request is filed",
    },
    absent: { schemas: SERVER_SET, workflowName: SERVER_SET, input: SERVER_SET },
  },
  iiq_get_request_status: {},
  iiq_check_policy_violations: {
    absent: {
      authnUsername:
        "credentials never travel in a tool's input: the server signs in with its configured HTTP Basic or OAuth credentials",
      authnPassword:
        "credentials never travel in a tool's input: the server signs in with its configured HTTP Basic or OAuth credentials",
      lookupByName:
        "the spec says this endpoint does not use it (the answer is a new object, not one looked up)",
    },
    required: {
      identity:
        "a simulation needs someone to simulate for: IdentityIQ has nothing to check without an identity",
      plan: "a simulation needs the access to simulate: IdentityIQ has nothing to check without a plan",
      "plan.value": PLAN_PART,
      "plan.value.accounts": PLAN_PART,
      "plan.value.accounts[].application": PLAN_PART,
      "plan.value.accounts[].attributes": PLAN_PART,
      "plan.value.accounts[].attributes[].name": PLAN_PART,
      "plan.value.accounts[].attributes[].value": PLAN_PART,
    },
  },
  iiq_list_policy_violations: { extra: { userId: FILTERED, policyName: FILTERED, status: FILTERED } },
};

/** Diego Alvarez asks for Expense Approver: the demo's request (Aisha Khan approves; it conflicts). */
const EXPENSE_REQUEST = asRequested({ ...EXPENSE_APPROVER });

/** A request each tool accepts, naming demo data (path values included). */
const VALID: Readonly<Record<string, Record<string, unknown>>> = {
  iiq_get_entitlement: { id: SEED_ENTITLEMENT_ID },
  iiq_list_entitlements: {},
  iiq_get_application: { id: SAP.id },
  iiq_list_applications: {},
  iiq_get_user: { id: DANA.id },
  iiq_search_users: {},
  iiq_list_accounts: { userId: DANA.id },
  iiq_request_access: {
    identityName: DIEGO.userName,
    operation: "Add",
    entitlement: EXPENSE_REQUEST,
    justification: "Covers expense approvals while Hannah Schmidt is on leave",
  },
  iiq_get_request_status: { id: IIQ_DEMO_LAUNCHES.pending },
  iiq_check_policy_violations: {
    identity: DIEGO.userName,
    plan: {
      value: {
        accounts: [
          {
            application: EXPENSE_REQUEST.application,
            attributes: [{ op: "Add", name: EXPENSE_REQUEST.attribute, value: EXPENSE_REQUEST.value }],
          },
        ],
      },
    },
  },
  iiq_list_policy_violations: {},
};

/** A field no IdentityIQ operation has. */
const UNKNOWN_FIELD = "bogusOption";

const pathValues = (op: AnyOperation): Record<string, string> =>
  Object.fromEntries(
    Object.entries(VALID[op.name] ?? {})
      .filter(([k]) => op.route.includes(`{${k}}`))
      .map(([k, v]) => [k, String(v)]),
  );

/** True when a refusal of `input` names `field`. */
function namesField(op: AnyOperation, input: Record<string, unknown>, field: string): boolean {
  const parsed = op.input.safeParse(input);
  if (parsed.success) return false;
  return parsed.error.issues.some(
    (i: z.core.$ZodIssue) => i.path[0] === field || ("keys" in i && (i.keys as string[]).includes(field)),
  );
}

describe.skipIf(missing !== undefined)(
  `IdentityIQ's tools match the SCIM specifications${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    const session = testServer({ perFile: true });
    // Built while the suite is collected, which happens even when it is skipped: no specs, no cases.
    const cases = (missing ? [] : iiqSpecs()).flatMap(({ version, spec }) =>
      iiqOperations.filter((op) => spec.find(op.route)).map((op) => [op.name, version, op, spec] as const),
    );

    it("every IdentityIQ tool has its allowances and a valid request written down", () => {
      expect(iiqOperations.map((op) => op.name).sort()).toEqual(Object.keys(ALLOWANCES).sort());
      expect(Object.keys(VALID).sort()).toEqual(Object.keys(ALLOWANCES).sort());
      for (const op of iiqOperations) expect(op.input.safeParse(VALID[op.name]).success, op.name).toBe(true);
    });

    it("the 9.0 extract's operations are 8.3's, under /scim/v2", () => {
      const [v83, v90] = iiqSpecs();
      const ops90 = v90?.spec.operations() ?? [];
      expect(ops90.length).toBeGreaterThan(0);
      for (const op of ops90) {
        const same = v83?.spec.operations().find((o) => o.method === op.method && o.path === op.path);
        expect(same, `${op.method} ${op.path}`).toBeDefined();
        expect({ ...op, parameters: op.parameters.map(({ description: _, ...p }) => p) }).toEqual({
          ...same,
          parameters: same?.parameters.map(({ description: _, ...p }) => p),
        });
      }
    });

    it.each(cases)("%s (spec %s): the spec's fields, required-ness, enums and limits", (_n, _v, op, spec) => {
      expect(requestMismatches(spec, op, ALLOWANCES[op.name])).toEqual([]);
    });

    it.each(cases)("%s (spec %s): no allowance is stale", (_n, _v, op, spec) => {
      const allowed = ALLOWANCES[op.name] ?? {};
      const stale = (Object.keys(allowed) as (keyof Allowances)[]).flatMap((kind) =>
        Object.keys(allowed[kind] ?? {}).filter((field) => {
          const { [field]: _dropped, ...rest } = allowed[kind] ?? {};
          return requestMismatches(spec, op, { ...allowed, [kind]: rest }).length === 0;
        }),
      );
      expect(stale).toEqual([]);
    });

    it.each(cases)("%s (spec %s): every example and every value the spec accepts", (_n, _v, op, spec) => {
      expect(refusedExamples(spec, op, pathValues(op))).toEqual([]);
      // On a valid request: some tools have required fields besides their path's.
      expect(refusedParameterExamples(spec, op, VALID[op.name] ?? {})).toEqual([]);
      const refused = acceptedRequests(spec, op, VALID[op.name] ?? {})
        .filter((r) => !op.input.safeParse(r.input).success)
        .map((r) => `${r.field}: ${r.why}`);
      expect(refused).toEqual([]);
    });

    it.each(cases)("%s (spec %s): what the spec forbids is refused naming the field", (_n, _v, op, spec) => {
      const requests = forbiddenRequests(spec, op, VALID[op.name] ?? {}, { unknownField: UNKNOWN_FIELD });
      expect(requests.length).toBeGreaterThan(1);
      const accepted = requests
        .filter((r) => !namesField(op, r.input, r.field))
        .map((r) => `${r.field} (${r.why})`);
      expect(accepted).toEqual([]);
    });

    it.each(iiqOperations.map((op) => [op.name, op] as const))(
      "%s: through a real client, forbidden requests never reach IdentityIQ and the error names the field",
      async (_name, op) => {
        const [current] = iiqSpecs();
        if (!current) throw new Error("no spec");
        for (const request of forbiddenRequests(current.spec, op, VALID[op.name] ?? {}, {
          unknownField: UNKNOWN_FIELD,
        })) {
          await expectRefusedLocally(
            session.client,
            session.sandbox,
            op.name,
            request.input,
            new RegExp(request.field),
          );
        }
      },
    );

    it.each(iiqOperations.map((op) => [op.name, op] as const))(
      "%s: the spec's parameter examples, sent through a real client, get IdentityIQ's answer",
      async (_name, op) => {
        const [current] = iiqSpecs();
        if (!current) throw new Error("no spec");
        for (const { field, value } of parameterExamples(current.spec, op)) {
          if (op.route.includes(`{${field}}`)) continue;
          const before = session.sandbox.requests.length;
          const result = await call(session.client, op.name, { ...VALID[op.name], [field]: value });
          // The answer is IdentityIQ's (a filter on an attribute the demo data lacks is its 400), never a local refusal.
          expect(
            session.sandbox.requests.length,
            `${field}=${String(value)}: ${text(result)}`,
          ).toBeGreaterThan(before);
        }
      },
    );
  },
);
