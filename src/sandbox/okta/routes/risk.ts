/**
 * Okta's separation-of-duties risk (v1): the risk rules (filter by resourceOrn or name, cursor paging with
 * `metadata.total`), and the risk assessment of giving a user some access (a bundle, an entitlement value or
 * an app), which lists the rules that access would break. Without a resource it assesses what the user
 * holds now.
 */
import { evaluateFilter } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import { E } from "../errors.js";
import { compile } from "../filters.js";
import { cached, listQuery, page, sortItems } from "../lists.js";
import { normalizeOrn, userIdFromOrn } from "../orn.js";
import { RISK_RULES, renderConflict, renderRiskRule } from "../requests-render.js";
import type { OktaRequests } from "../requests-store.js";
import { type Conflict, resourceOf } from "../risk-engine.js";
import { bodyObject, Causes } from "../validation.js";

/** The spec's x-scim-filter of the risk rules. */
const RULE_FILTERS = {
  resourceOrn: { ops: ["eq"], identity: normalizeOrn },
  name: { ops: ["sw", "co"] },
} as const;

const RULE_LIST = { defaultLimit: 20, orderFields: ["id"], defaultOrder: "id asc", linkDefaultOrder: false };

function listRules(requests: OktaRequests, req: SandboxRequest): SandboxResponse {
  const text = req.query.get("filter") ?? undefined;
  const node = text === undefined || text.trim() === "" ? undefined : compile(text, RULE_FILTERS);
  const lq = listQuery(req, RULE_LIST);
  const list = cached(requests.store, `rul|${text ?? ""}`, () => {
    const rules = [...requests.riskRules.values()].filter((rule) => {
      const app = requests.store.apps.get(rule.appId);
      return !node || evaluateFilter(node, { resourceOrn: app?.orn, name: rule.name }, RULE_FILTERS);
    });
    return sortItems(rules, lq.order);
  });
  return page(requests.store, RISK_RULES, lq, list, (rule) => renderRiskRule(requests.store, rule), true);
}

/** The rules a user breaks now, in every app that has rules. */
function standing(requests: OktaRequests, userId: string): Conflict[] {
  const apps = new Set([...requests.riskRules.values()].map((r) => r.appId));
  return [...apps].flatMap((appId) => requests.conflicts(userId, appId, undefined));
}

function assess(requests: OktaRequests, req: SandboxRequest): SandboxResponse {
  const body = bodyObject(req, "RiskAssessment");
  const c = new Causes("governance");
  const principalOrn = c.string(body, "principalOrn", "", { required: true, max: 512 });
  const resourceOrn = c.string(body, "resourceOrn", "", { max: 512 });
  const userId = principalOrn === undefined ? undefined : userIdFromOrn(principalOrn);
  if (principalOrn !== undefined && (!userId || !requests.store.users.has(userId))) {
    c.add("/principalOrn", `${principalOrn} is not a user of this org`, "IDENTIFIER_NOT_FOUND");
  }
  const resource = resourceOrn === undefined ? undefined : resourceOf(requests.store, resourceOrn);
  if (resourceOrn !== undefined && !resource) {
    c.add(
      "/resourceOrn",
      `${resourceOrn} is not an app, bundle or entitlement value of this org`,
      "IDENTIFIER_NOT_FOUND",
    );
  }
  if (!c.ok || !userId) throw E.validation("RiskAssessment", c.list);
  const conflicts = resource
    ? requests.conflicts(userId, resource.appId, resource.valueIds)
    : standing(requests, userId);
  const self = { href: `${requests.store.cfg.baseUrl()}/governance/api/v1/risk-rule-assessments` };
  return {
    status: 200,
    body: { data: conflicts.map((x) => renderConflict(requests.store, userId, x)), _links: { self } },
  };
}

export const riskRoutes: RouteTable<OktaRequests> = {
  "GET /governance/api/v1/risk-rules": listRules,
  "POST /governance/api/v1/risk-rule-assessments": assess,
};
