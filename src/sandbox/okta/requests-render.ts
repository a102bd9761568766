/**
 * What Okta's access-request objects look like on the wire, per the Governance API spec: catalog entries
 * (v2), request conditions (sparse in lists, full alone), approval sequences, requests (sparse in lists,
 * full alone), risk rules and the conflicts of a risk assessment. Every href is absolute.
 */
import type { Json } from "../kit/json.js";
import type { EntitlementRef } from "./data.js";
import { userOrn } from "./orn.js";
import {
  type ConditionRec,
  type EntryRec,
  type OktaRequests,
  type RequestRec,
  RISK_SUBMISSION,
  type RiskRuleRec,
  type SequenceRec,
} from "./requests-store.js";
import type { Conflict } from "./risk-engine.js";
import type { OktaStore } from "./store.js";

export const CATALOG = "/governance/api/v2/catalogs/default";
export const REQUESTS = "/governance/api/v2/requests";
export const RESOURCES = "/governance/api/v2/resources";
export const RISK_RULES = "/governance/api/v1/risk-rules";

const link = (store: OktaStore, path: string) => ({ href: `${store.cfg.baseUrl()}${path}` });

/** An entry as the catalog lists it; `requestable` as the list computes it (for the caller or anyone). */
export function renderEntry(requests: OktaRequests, e: EntryRec, requestable: boolean): Json {
  const { store } = requests;
  const related = e.bundle
    ? `/governance/api/v1/entitlement-bundles/${e.bundle.id}`
    : `/api/v1/apps/${e.app.id}`;
  return {
    id: e.id,
    name: e.name,
    ...(e.description ? { description: e.description } : {}),
    ...(e.bundle ? {} : { label: "Application" }),
    ...(e.parent ? { parent: e.parent } : {}),
    requestable,
    _links: {
      self: link(store, `${CATALOG}/entries/${e.id}`),
      ...(e.parent ? { parent: link(store, `${CATALOG}/entries/${e.parent}`) } : {}),
      ...(requestable && e.bundle ? { createRequest: link(store, REQUESTS) } : {}),
      relatedEntity: link(store, related),
    },
  };
}

function audit(rec: { created: string; createdBy: string; lastUpdated: string; lastUpdatedBy: string }) {
  return {
    created: rec.created,
    createdBy: rec.createdBy,
    lastUpdated: rec.lastUpdated,
    lastUpdatedBy: rec.lastUpdatedBy,
  };
}

/** A request condition: `full` names the bundles of its access scope (the sparse form only its type). */
export function renderCondition(store: OktaStore, c: ConditionRec, full: boolean): Json {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    ...audit(c),
    status: c.status,
    priority: c.priority,
    requesterSettings: { type: "EVERYONE" },
    accessScopeSettings: full
      ? { type: "ENTITLEMENT_BUNDLES", entitlementBundles: c.bundleIds.map((id) => ({ id })) }
      : { type: "ENTITLEMENT_BUNDLES" },
    ...(c.duration ? { accessDurationSettings: { type: "ADMIN_FIXED_DURATION", duration: c.duration } } : {}),
    approvalSequenceId: c.sequenceId,
    _links: { self: link(store, `${RESOURCES}/${c.appId}/request-conditions/${c.id}`) },
  };
}

export function renderSequence(store: OktaStore, s: SequenceRec): Json {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    compatibleResourceTypes: ["APP", "GROUP"],
    link: `${store.cfg.baseUrl()}/admin/access-requests/sequences/${s.id}`,
  };
}

const principal = (id: string) => ({ type: "OKTA_USER", externalId: id });

/** A request: the sparse form of a list, or the full one (fields, approval, risk). */
export function renderRequest(requests: OktaRequests, r: RequestRec, full: boolean): Json {
  const { store } = requests;
  const sparse: Json = {
    id: r.id,
    ...audit(r),
    status: r.status,
    ...(r.resolved ? { resolved: r.resolved } : {}),
    ...(r.grantStatus ? { grantStatus: r.grantStatus } : {}),
    ...(r.granted ? { granted: r.granted } : {}),
    requestedBy: principal(r.requestedBy),
    requestedFor: principal(r.requestedFor),
    requested: {
      entryId: r.entryId,
      resourceId: r.appId,
      resourceType: "APPLICATION",
      accessScopeId: r.bundleId,
      accessScopeType: "ENTITLEMENT_BUNDLE",
    },
    _links: {
      self: link(store, `${REQUESTS}/${r.id}`),
      catalogEntry: link(store, `${CATALOG}/entries/${r.entryId}`),
      ...(r.status === "SUBMITTED"
        ? {}
        : {
            approvalCondition: link(store, `${RESOURCES}/${r.appId}/request-conditions/${r.conditionId}`),
            approvalSequence: link(store, `${RESOURCES}/${r.appId}/request-sequences/${r.sequenceId}`),
          }),
    },
  };
  if (!full) return sparse;
  const decided = r.status === "APPROVED" || r.status === "DENIED";
  return {
    ...sparse,
    ...(r.accessDuration ? { accessDuration: r.accessDuration } : {}),
    requesterFieldValues: r.fieldValues.map((v) => ({ ...v })),
    ...(decided
      ? {
          requestApproval: {
            type: "OKTA",
            providerName: "Okta Access Requests",
            status: r.status,
            ...(r.resolved ? { decided: r.resolved } : {}),
            decisions: r.decisions.map((d) => ({
              deciderId: d.deciderId,
              ...deciderName(store, d.deciderId),
              decision: d.decision,
              decided: d.decided,
            })),
          },
        }
      : {}),
    ...(r.riskRules.length > 0
      ? { riskAssessment: { requestSubmissionType: RISK_SUBMISSION, riskRules: r.riskRules } }
      : {}),
  };
}

function deciderName(store: OktaStore, id: string): Json {
  const u = store.users.get(id);
  return u ? { deciderName: `${u.profile.firstName} ${u.profile.lastName}` } : {};
}

/** One criterion's entitlements, with names and values, as the spec's entitlement-full. */
function criterionEntitlements(store: OktaStore, refs: EntitlementRef[]): Json[] {
  return refs.flatMap((ref) => {
    const e = store.entitlements.get(ref.id);
    if (!e) return [];
    const ids = ref.values.length > 0 ? ref.values.map((v) => v.id) : e.valueIds;
    return [
      {
        id: e.id,
        name: e.name,
        externalValue: e.externalValue,
        multiValue: e.multiValue,
        dataType: e.dataType,
        values: ids.flatMap((id) => {
          const v = store.values.get(id);
          return v ? [{ id: v.id, name: v.name, externalValue: v.externalValue, orn: v.orn }] : [];
        }),
      },
    ];
  });
}

function conflictCriteria(store: OktaStore, rule: RiskRuleRec): Json {
  return {
    and: rule.criteria.map((c, i) => ({
      name: `list${i + 1}`,
      attribute: "principal.effective_grants",
      operation: c.operation,
      value: { type: "ENTITLEMENTS", value: criterionEntitlements(store, c.refs) },
    })),
  };
}

export function renderRiskRule(store: OktaStore, rule: RiskRuleRec): Json {
  const app = store.apps.get(rule.appId);
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    type: "SEPARATION_OF_DUTIES",
    status: "ACTIVE",
    resources: app ? [{ resourceOrn: app.orn }] : [],
    conflictCriteria: conflictCriteria(store, rule),
    ...audit(rule),
    _links: { self: link(store, `${RISK_RULES}/${rule.id}`) },
  };
}

/** One conflict of a risk assessment: the rule a user would break, and the app it guards. */
export function renderConflict(store: OktaStore, userId: string, c: Conflict): Json {
  const app = store.apps.get(c.rule.appId);
  return {
    id: `${userId}:${c.rule.id}`,
    principalOrn: userOrn(userId),
    ...(app ? { resourceOrn: app.orn } : {}),
    ruleId: c.rule.id,
    ruleName: c.rule.name,
    description: c.rule.description,
    type: "SEPARATION_OF_DUTIES",
    conflictCriteria: conflictCriteria(store, c.rule),
    _links: { self: link(store, `${RISK_RULES}/${c.rule.id}`) },
  };
}
