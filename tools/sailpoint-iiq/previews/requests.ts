/**
 * The preview of an IdentityIQ access request, and its effect. The server decides from what IdentityIQ's
 * SCIM API lets it see:
 * - A removal is a `revoke`: someone loses access, a person confirms here.
 * - An addition is a `request` only when an approver is established: IdentityIQ lists the LCM Provisioning
 *   workflow (of that type), the launch names `approvalScheme` "owner", and the entitlement or role has an
 *   owner who is not the person receiving it. Otherwise (no such workflow, no owner: IdentityIQ's fallback
 *   approver is usually the account this server signs in with, which approves at once; the person would
 *   approve their own access; the catalog has no such entitlement) it is a `grant`, confirmed here.
 * The separation-of-duties check (a `check` read of POST /CheckedPolicyViolations) names each violation the
 * addition would create, or says why the check could not be made; it is never left out.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import {
  type Effect,
  type GuardRead,
  type GuardState,
  type Preview,
  unavailableCheck,
} from "../../../src/core/operation.js";
import { oneLine, quote } from "../../../src/core/sanitize.js";
import { eqClause, scimAnd } from "../../../src/core/scim-filter.js";
import { type AccessItem, APPROVAL_SCHEME, LCM_PROVISIONING, planJson } from "./plan.js";

/** What the preview needs of a request's input. */
export interface RequestInput extends AccessItem {
  identityName: string;
  operation: "Add" | "Remove";
  justification: string;
  policies?: string[] | undefined;
}

const USER_EXTENSION = "urn:ietf:params:scim:schemas:sailpoint:1.0:User";
const q = (value: unknown) => quote(typeof value === "string" && value !== "" ? value : "?", 80);
const objects = (value: unknown): JsonObject[] =>
  Array.isArray(value) ? value.map(asObject).filter((o): o is JsonObject => o !== undefined) : [];
const first = (value: unknown) => (Array.isArray(value) ? asObject(value[0]) : asObject(value));

/** The reads: the identity, the entitlement or role, the workflow, and (for an addition) the policy check. */
export function requestReads<I extends RequestInput>(): GuardRead<I>[] {
  return [
    {
      key: "identity",
      route: "GET /Users/{id}",
      params: (input) => ({
        path: { id: input.identityName },
        query: {
          lookupByName: true,
          attributes: `userName,displayName,${USER_EXTENSION}:entitlements,${USER_EXTENSION}:roles`,
        },
      }),
    },
    {
      key: "entitlements",
      route: "GET /Entitlements",
      params: ({ entitlement: e }) =>
        e
          ? {
              query: {
                filter: scimAnd([
                  eqClause("application.displayName", e.application),
                  eqClause("attribute", e.attribute),
                  eqClause("value", e.value),
                ]),
                count: 2,
              },
            }
          : null,
    },
    {
      key: "role",
      route: "GET /Roles/{id}",
      params: (input) =>
        input.role === undefined ? null : { path: { id: input.role }, query: { lookupByName: true } },
    },
    {
      key: "workflow",
      route: "GET /Workflows",
      params: (input) =>
        input.operation === "Add" ? { query: { filter: eqClause("name", LCM_PROVISIONING) } } : null,
    },
    {
      key: "violations",
      route: "POST /CheckedPolicyViolations",
      check: true,
      params: (input) =>
        input.operation === "Add"
          ? {
              body: {
                identity: input.identityName,
                plan: planJson(input, "Add"),
                ...(input.policies ? { policies: input.policies } : {}),
              },
            }
          : null,
    },
  ];
}

/** The entitlement or role the request names, as read (undefined when the catalog has none). */
function targetOf(input: RequestInput, state: GuardState): JsonObject | undefined {
  if (input.role !== undefined) return asObject(state.role);
  return objects(asObject(state.entitlements)?.Resources)[0];
}

/** `"Expense Approver" (Workday SecurityGroup)` or `role "Payroll Operator"`. */
function itemText(input: RequestInput, target: JsonObject | undefined): string {
  if (input.role !== undefined) return `role ${q(target?.name ?? input.role)}`;
  const e = input.entitlement;
  const name = target?.displayableName ?? target?.displayName ?? e?.value;
  return `${q(name)} (${q(e?.application)} ${oneLine(e?.attribute ?? "?", 80)})`;
}

function personText(identity: JsonObject | undefined, fallback: string): string {
  const name = identity?.displayName;
  return typeof name === "string" && name ? `${q(name)} (${oneLine(fallback, 80)})` : q(fallback);
}

/** Whether the identity holds the entitlement or role now. */
function holds(
  identity: JsonObject | undefined,
  input: RequestInput,
  target: JsonObject | undefined,
): boolean {
  const ext = asObject(identity?.[USER_EXTENSION]);
  const list = objects(input.role === undefined ? ext?.entitlements : ext?.roles);
  return target?.id !== undefined && list.some((held) => held.value === target.id);
}

/** Why no approver is established for an addition, or the owner who approves. */
function noApprover(
  state: GuardState,
  identity: JsonObject | undefined,
  target: JsonObject | undefined,
): { why?: string; owner?: JsonObject } {
  const workflows = objects(asObject(state.workflow)?.Resources);
  const workflow = workflows.find((w) => w.name === LCM_PROVISIONING);
  if (!workflow) return { why: `IdentityIQ lists no ${LCM_PROVISIONING} workflow` };
  if (workflow.type !== LCM_PROVISIONING)
    return {
      why: `the ${LCM_PROVISIONING} workflow is of type ${q(workflow.type)}, not ${LCM_PROVISIONING}`,
    };
  if (!target) return { why: "IdentityIQ's catalog has no such entitlement, so it names no owner" };
  const owner = first(target.owner);
  if (!owner?.value)
    return {
      why: "it has no owner, so IdentityIQ's owner approval falls to its fallback approver (usually the account this server signs in with, which approves at once)",
    };
  if (owner.value === identity?.id)
    return { why: `its owner, ${q(owner.displayName)}, is the person receiving it` };
  return { owner };
}

/** The policy check's lines: each violation named, none found (with the policies checked), or unavailable. */
export function policyLines(state: GuardState): string[] {
  const why = unavailableCheck(state.violations);
  if (why !== undefined)
    return [
      `Policy check unavailable (${oneLine(why, 200)}): IdentityIQ could not say whether this creates a policy violation.`,
    ];
  const answer = asObject(state.violations);
  const violations = objects(answer?.violations);
  if (violations.length === 0) {
    const checked = Array.isArray(answer?.policies) ? (answer.policies as unknown[]).map(q) : [];
    return [
      checked.length > 0
        ? `Policy check: no new violation (policies checked: ${checked.slice(0, 10).join(", ")}${checked.length > 10 ? ", …" : ""}).`
        : "Policy check: no violation reported, and IdentityIQ named no policy it checked.",
    ];
  }
  return violations.map((v) => {
    const sides = (key: string) => (Array.isArray(v[key]) ? (v[key] as unknown[]).map(q).join(", ") : "?");
    const type = typeof v.policyType === "string" ? ` (${oneLine(v.policyType, 40)})` : "";
    return `Conflicts with policy ${q(v.policyName)}, constraint ${q(v.constraintName)}${type}: ${q(v.description)} (left: ${sides("leftBundles")}; right: ${sides("rightBundles")}).`;
  });
}

export function requestPreview(input: RequestInput, state: GuardState): Preview {
  const identity = asObject(state.identity);
  const target = targetOf(input, state);
  const person = personText(identity, input.identityName);
  const item = itemText(input, target);
  const held = holds(identity, input, target);
  const targetIds = [identity?.id, target?.id].filter((id): id is string => typeof id === "string");
  const justification = `Justification: ${quote(input.justification, 300)}.`;
  if (input.operation === "Remove") {
    return {
      summary: `Remove ${item} from ${person} through IdentityIQ's ${LCM_PROVISIONING} workflow.`,
      details: [
        justification,
        held
          ? `${person} holds it now and loses it.`
          : `${person} does not hold it now: there may be nothing to remove.`,
        "A removal takes access away: a person confirms it here.",
      ],
      effects: [{ kind: "revoke", on: String(target?.id ?? input.identityName) }],
      targetIds,
    };
  }
  const { why, owner } = noApprover(state, identity, target);
  const approval = owner
    ? `Approval: the workflow asks the owner, ${personText(owner, String(owner.value))}, to approve (approvalScheme ${APPROVAL_SCHEME}); nothing is provisioned before they do.`
    : `No approver is established: ${why}. A person confirms here instead.`;
  const policy = policyLines(state);
  const conflicts = objects(asObject(state.violations)?.violations).length;
  const sod =
    unavailableCheck(state.violations) !== undefined
      ? "; the policy check was unavailable"
      : conflicts > 0
        ? `; it conflicts with ${conflicts} ${conflicts === 1 ? "policy constraint" : "policy constraints"}`
        : "";
  const effects: Effect[] = [
    { kind: owner ? "request" : "grant", on: String(target?.id ?? input.identityName) },
  ];
  return {
    summary: `${owner ? "Request" : "Grant"} ${item} for ${person} through IdentityIQ's ${LCM_PROVISIONING} workflow${sod}.`,
    details: [justification, approval, ...(held ? [`${person} already holds it.`] : []), ...policy],
    effects,
    targetIds,
  };
}

/** What a confirmation binds beyond the preview: the versions of the identity and the thing requested. */
export function requestVersion(state: GuardState): string {
  const version = (o: JsonObject | undefined) => String(asObject(o?.meta)?.version ?? "");
  const entitlement = objects(asObject(state.entitlements)?.Resources)[0];
  return [version(asObject(state.identity)), version(entitlement ?? asObject(state.role))].join("|");
}
