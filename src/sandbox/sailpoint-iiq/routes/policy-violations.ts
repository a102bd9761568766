/**
 * IdentityIQ's PolicyViolations and CheckedPolicyViolations (its 8.3 spec): the violations recorded (the
 * demo's and those provisioning creates), and the check that simulates a plan for an identity and answers
 * the violations it would create (see policies.ts), 201 as the spec says. The check changes nothing.
 */
import type { RouteTable } from "../../kit/http.js";
import { resolve } from "../access.js";
import { parsePlanJson } from "../plan.js";
import {
  checkedViolations,
  IIQ_SCHEMA_CHECKED,
  IIQ_SCHEMA_POLICY_VIOLATION,
  policyNames,
} from "../policies.js";
import { listResponse, oneResponse, project, ScimError, type ScimResource, TEXT_OPS } from "../scim.js";
import type { IiqStore } from "../store.js";
import { jsonBody } from "./launched-workflows.js";

const VIOLATIONS: ScimResource = {
  schema: IIQ_SCHEMA_POLICY_VIOLATION,
  filters: {
    policyName: { ops: TEXT_OPS },
    constraintName: { ops: TEXT_OPS },
    status: { ops: ["eq"], kind: "enum" },
    "identity.value": { ops: TEXT_OPS },
    "identity.displayName": { ops: TEXT_OPS },
    "owner.value": { ops: TEXT_OPS },
    "owner.displayName": { ops: TEXT_OPS },
  },
};

export const policyViolationRoutes: RouteTable<IiqStore> = {
  "GET /PolicyViolations": (store, req) => listResponse(req, [...store.violations.values()], VIOLATIONS),
  "GET /PolicyViolations/{id}": (store, req) =>
    oneResponse(req, store.violations.get(req.params.id ?? ""), IIQ_SCHEMA_POLICY_VIOLATION),
  "POST /CheckedPolicyViolations": (store, req) => {
    const body = jsonBody(req);
    if (typeof body.identity !== "string" || body.identity === "") {
      throw new ScimError(
        400,
        "identity is required: the name of the identity to simulate for",
        "invalidValue",
      );
    }
    const user = store.user(body.identity);
    if (!user) throw new ScimError(400, `No identity named "${body.identity}"`, "invalidValue");
    const policies = body.policies;
    if (
      policies !== undefined &&
      !(Array.isArray(policies) && policies.every((p) => typeof p === "string"))
    ) {
      throw new ScimError(400, "policies must be a list of policy names", "invalidValue");
    }
    const targets = parsePlanJson(body.plan).map((request) => resolve(store, request));
    const names = policies as string[] | undefined;
    const answer = {
      schemas: [IIQ_SCHEMA_CHECKED],
      identity: user.userName,
      policies: names?.length ? names : policyNames(),
      plan: body.plan,
      violations: checkedViolations(user, targets, names),
      meta: { resourceType: "CheckedPolicyViolation" },
    };
    return { status: 201, body: project(answer, IIQ_SCHEMA_CHECKED, req) };
  },
};
