/**
 * Okta's access certification campaigns (Governance API 3.2.0, Campaigns): the list with its filter and
 * orderBy, one campaign in full, launch (SCHEDULED -> ACTIVE: the reviews are made from the grants people
 * hold) and end (ACTIVE -> COMPLETED, remediation applied, `skipRemediation` optional). Launch and end answer
 * 202 without a body and the campaign's URL in `Location`, as the spec documents.
 */
import { evaluateFilter, type FilterSpec } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import { isObject, type Json } from "../../kit/json.js";
import { type CampaignRec, certificationsOf } from "../certifications.js";
import { type Cause, E, OktaError } from "../errors.js";
import { compile } from "../filters.js";
import { cached, enc, type ListOptions, listQuery, page } from "../lists.js";
import { GOV, href, selfLinkHeader } from "../render.js";
import type { OktaStore } from "../store.js";
import { json } from "../validation.js";

/** The properties the spec says campaigns filter by (and the dates its examples compare). */
const CAMPAIGN_FILTERS: FilterSpec = {
  name: { ops: ["eq", "sw", "co"] },
  status: { ops: ["eq"], kind: "enum" },
  scheduleType: { ops: ["eq"], kind: "enum" },
  reviewerType: { ops: ["eq"], kind: "enum" },
  recurringCampaignId: { ops: ["eq"] },
  startDate: { ops: ["eq", "gt", "ge", "lt", "le"], kind: "date" },
  endDate: { ops: ["eq", "gt", "ge", "lt", "le"], kind: "date" },
};

const CAMPAIGN_LIST: ListOptions = {
  defaultLimit: 20,
  orderFields: ["name", "created", "startDate", "endDate", "status"],
  defaultOrder: "created asc",
  linkDefaultOrder: false,
};

/** The campaign of the path, or Okta's 404. */
export function campaignOr404(store: OktaStore, id: string): CampaignRec {
  const c = certificationsOf(store).campaigns.get(id);
  if (!c) throw E.notFound(id, "Campaign");
  return c;
}

function campaignLinks(store: OktaStore, c: CampaignRec): Json {
  const self = `${GOV}/campaigns/${c.id}`;
  return {
    launchCampaign: href(store, `${self}/launch`),
    endCampaign: href(store, `${self}/end`),
    reviews: href(store, `${GOV}/reviews?filter=${enc(`campaignId eq "${c.id}"`)}`),
    self: href(store, self),
  };
}

function audit(c: CampaignRec): Json {
  return {
    created: c.created,
    createdBy: c.createdBy,
    lastUpdated: c.lastUpdated,
    lastUpdatedBy: c.lastUpdatedBy,
  };
}

/** campaign-sparse: what a list shows of a campaign. */
function renderSparse(store: OktaStore, c: CampaignRec): Json {
  return {
    id: c.id,
    ...audit(c),
    name: c.name,
    description: c.description,
    startDate: c.startDate,
    endDate: certificationsOf(store).endDate(c),
    scheduleType: "ONE_OFF",
    reviewerType: c.reviewerSettings.type,
    status: c.status,
    _links: campaignLinks(store, c),
  };
}

/** campaign-full: the whole definition, with its reviewer and remediation settings. */
export function renderCampaign(store: OktaStore, c: CampaignRec): Json {
  return {
    id: c.id,
    ...audit(c),
    name: c.name,
    description: c.description,
    campaignType: "RESOURCE",
    scheduleSettings: {
      type: "ONE_OFF",
      startDate: c.startDate,
      durationInDays: c.durationInDays,
      timeZone: c.timeZone,
      endDate: certificationsOf(store).endDate(c),
    },
    resourceSettings: {
      type: "APPLICATION",
      targetResources: c.appIds.map((resourceId) => ({
        resourceId,
        resourceType: "APPLICATION",
        includeAllEntitlementsAndBundles: true,
      })),
      includeEntitlements: true,
    },
    principalScopeSettings: { type: "USERS", includeOnlyActiveUsers: true },
    reviewerSettings: { ...c.reviewerSettings },
    notificationSettings: { notifyReviewerWhenReviewAssigned: true, notifyReviewerAtCampaignEnd: false },
    remediationSettings: { accessApproved: "NO_ACTION", ...c.remediation },
    status: c.status,
    _links: campaignLinks(store, c),
  };
}

/** What a filter sees of a campaign. */
function filterView(store: OktaStore, c: CampaignRec): Json {
  return {
    name: c.name,
    status: c.status,
    scheduleType: "ONE_OFF",
    reviewerType: c.reviewerSettings.type,
    startDate: c.startDate,
    endDate: certificationsOf(store).endDate(c),
  };
}

function sortKey(store: OktaStore, c: CampaignRec, field: string): string {
  if (field === "name") return c.name.toLowerCase();
  if (field === "startDate") return c.startDate;
  if (field === "endDate") return certificationsOf(store).endDate(c);
  if (field === "status") return c.status;
  return c.created;
}

function listCampaigns(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const lq = listQuery(req, CAMPAIGN_LIST);
  const node = lq.filter === undefined ? undefined : compile(lq.filter, CAMPAIGN_FILTERS);
  const list = cached(store, `ici|${lq.filter ?? ""}|${JSON.stringify(lq.order)}`, () => {
    const term = lq.order[0] ?? { field: "created", desc: false };
    return [...certificationsOf(store).campaigns.values()]
      .filter((c) => c.status !== "DELETED")
      .filter((c) => node === undefined || evaluateFilter(node, filterView(store, c), CAMPAIGN_FILTERS))
      .map((c) => ({ c, key: sortKey(store, c, term.field) }))
      .sort((a, b) =>
        a.key === b.key ? (a.c.id < b.c.id ? -1 : 1) : (a.key < b.key ? -1 : 1) * (term.desc ? -1 : 1),
      )
      .map(({ c }) => c);
  });
  return page(store, `${GOV}/campaigns`, lq, list, (c) => renderSparse(store, c), false);
}

function getCampaign(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const c = campaignOr404(store, req.params.campaignId as string);
  return {
    status: 200,
    body: renderCampaign(store, c),
    headers: selfLinkHeader(store, `${GOV}/campaigns/${c.id}`),
  };
}

/** 202, no body, the campaign's URL in Location (campaign-accepted-location, campaign-ended-location). */
function accepted(store: OktaStore, c: CampaignRec): SandboxResponse {
  return { status: 202, headers: { Location: `${store.cfg.baseUrl()}${GOV}/campaigns/${c.id}` } };
}

function launchCampaign(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const c = campaignOr404(store, req.params.campaignId as string);
  if (c.status !== "SCHEDULED") {
    throw new OktaError(409, "E0000195", "Api validation failed due to conflict: Campaign", [
      { errorSummary: "Campaign must be scheduled before it can be started" },
    ]);
  }
  certificationsOf(store).launch(c);
  return accepted(store, c);
}

/** The optional body of an end: `{skipRemediation?: boolean}`. */
function skipRemediation(req: SandboxRequest): boolean {
  if (req.body.trim() === "") return false;
  const body = json(req);
  const causes: Cause[] = [];
  if (!isObject(body)) {
    causes.push({
      errorSummary: "The request body must be a JSON object",
      location: "/",
      locationType: "body",
    });
  } else if (body.skipRemediation !== undefined && typeof body.skipRemediation !== "boolean") {
    causes.push({
      errorSummary: "skipRemediation must be true or false",
      reason: "INVALID_DATA_TYPE",
      location: "/skipRemediation",
      locationType: "body",
    });
  }
  if (causes.length > 0) throw E.validation("Campaign", causes);
  return isObject(body) && body.skipRemediation === true;
}

function endCampaign(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const c = campaignOr404(store, req.params.campaignId as string);
  const skip = skipRemediation(req);
  if (c.status !== "ACTIVE") {
    throw new OktaError(409, "E0000170", "An inactive campaign may not be ended.");
  }
  certificationsOf(store).end(c, skip);
  return accepted(store, c);
}

export const campaignRoutes: RouteTable<OktaStore> = {
  "GET /governance/api/v1/campaigns": listCampaigns,
  "GET /governance/api/v1/campaigns/{campaignId}": getCampaign,
  "POST /governance/api/v1/campaigns/{campaignId}/launch": launchCampaign,
  "POST /governance/api/v1/campaigns/{campaignId}/end": endCampaign,
};
