/**
 * Okta's access certification reviews (Governance API 3.2.0, Reviews): the list with the spec's filter
 * (campaignId, principalId, reviewerId, decision, resourceId, reviewerType, reviewerLevel,
 * entitlementValueId, entitlementBundleId) and orderBy, one review in full, and reassignment to another
 * reviewer (UNREVIEWED reviews of an ACTIVE campaign; 409 when they already have that reviewer).
 */
import { evaluateFilter, type FilterSpec } from "../../kit/filter.js";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { certificationsOf, type ReviewRec } from "../certifications.js";
import { type Cause, E, OktaError } from "../errors.js";
import { compile } from "../filters.js";
import { cached, enc, type ListOptions, listQuery, page } from "../lists.js";
import { GOV, href, selfLinkHeader } from "../render.js";
import type { OktaStore, UserRec } from "../store.js";
import { bodyObject, Causes } from "../validation.js";

const EQ = ["eq"] as const;

/** The filter properties of listReviews, all `eq`, as its description lists them. */
const REVIEW_FILTERS: FilterSpec = {
  campaignId: { ops: EQ },
  principalId: { ops: EQ },
  reviewerId: { ops: EQ },
  decision: { ops: EQ, kind: "enum" },
  resourceId: { ops: EQ },
  reviewerType: { ops: EQ, kind: "enum" },
  reviewerLevel: { ops: EQ, kind: "enum" },
  entitlementValueId: { ops: EQ },
  entitlementBundleId: { ops: EQ },
  appServiceAccountId: { ops: EQ },
  oktaServiceAccountId: { ops: EQ },
};

const REVIEW_LIST: ListOptions = {
  defaultLimit: 20,
  orderFields: ["decided", "decision", "remediationStatus", "created"],
  defaultOrder: "created asc",
  linkDefaultOrder: false,
};

/** principal-profile-enriched: the few profile fields a review shows of a person. */
function profile(user: UserRec | undefined, id: string): Json {
  if (!user) return { id, status: "INACTIVE", type: "UNKNOWN" };
  return {
    id: user.id,
    email: user.profile.email,
    firstName: user.profile.firstName,
    lastName: user.profile.lastName,
    login: user.profile.login,
    status: user.status,
    type: "USER",
  };
}

/** review-sparse (list, reassign) or review-full (one review, with its note). */
export function renderReview(store: OktaStore, r: ReviewRec, full: boolean): Json {
  const item: Json = {};
  if (r.item.kind === "value") {
    const v = store.values.get(r.item.valueId);
    item.entitlementValue = { id: r.item.valueId, name: v?.name ?? r.item.valueId };
  } else if (r.item.kind === "bundle") {
    const b = store.bundles.get(r.item.bundleId);
    item.entitlementBundle = { id: r.item.bundleId, name: b?.name ?? r.item.bundleId };
  }
  return {
    id: r.id,
    created: r.created,
    createdBy: r.createdBy,
    lastUpdated: r.lastUpdated,
    lastUpdatedBy: r.lastUpdatedBy,
    campaignId: r.campaignId,
    resourceId: r.appId,
    ...item,
    decision: r.decision,
    ...(r.decided ? { decided: r.decided } : {}),
    remediationStatus: r.remediationStatus,
    principalProfile: profile(store.users.get(r.principalId), r.principalId),
    reviewerProfile: profile(store.users.get(r.reviewerId), r.reviewerId),
    reviewerType: "USER",
    ...(full && r.note && r.noteId ? { note: { id: r.noteId, note: r.note } } : {}),
    _links: {
      self: href(store, `${GOV}/reviews/${r.id}`),
      reassignReview: href(store, `${GOV}/campaigns/${r.campaignId}/reviews/reassign`),
    },
  };
}

/** What a filter sees of a review. */
function filterView(r: ReviewRec): Json {
  return {
    campaignId: r.campaignId,
    principalId: r.principalId,
    reviewerId: r.reviewerId,
    decision: r.decision,
    resourceId: r.appId,
    reviewerType: "USER",
    entitlementValueId: r.item.kind === "value" ? r.item.valueId : undefined,
    entitlementBundleId: r.item.kind === "bundle" ? r.item.bundleId : undefined,
  };
}

function sortKey(r: ReviewRec, field: string): string {
  if (field === "decided") return r.decided ?? "";
  if (field === "decision") return r.decision;
  if (field === "remediationStatus") return r.remediationStatus;
  return r.created;
}

function listReviews(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const lq = listQuery(req, REVIEW_LIST);
  const node = lq.filter === undefined ? undefined : compile(lq.filter, REVIEW_FILTERS);
  const list = cached(store, `icr|${lq.filter ?? ""}|${JSON.stringify(lq.order)}`, () => {
    const term = lq.order[0] ?? { field: "created", desc: false };
    return [...certificationsOf(store).reviews.values()]
      .filter((r) => node === undefined || evaluateFilter(node, filterView(r), REVIEW_FILTERS))
      .map((r) => ({ r, key: sortKey(r, term.field) }))
      .sort((a, b) =>
        a.key === b.key ? (a.r.id < b.r.id ? -1 : 1) : (a.key < b.key ? -1 : 1) * (term.desc ? -1 : 1),
      )
      .map(({ r }) => r);
  });
  return page(store, `${GOV}/reviews`, lq, list, (r) => renderReview(store, r, false), false);
}

/** The review of the path, or Okta's 404. */
export function reviewOr404(store: OktaStore, id: string): ReviewRec {
  const r = certificationsOf(store).reviews.get(id);
  if (!r) throw E.notFound(id, "Review");
  return r;
}

function getReview(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const r = reviewOr404(store, req.params.reviewId as string);
  return {
    status: 200,
    body: renderReview(store, r, true),
    headers: selfLinkHeader(store, `${GOV}/reviews/${r.id}`),
  };
}

/**
 * The spec documents no 404 here: an unknown campaign, reviewer or review is a 400 naming it, as are
 * reviews of a campaign that is not ACTIVE or that were decided already.
 */
function reassignReviews(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const certs = certificationsOf(store);
  const campaignId = req.params.campaignId as string;
  const campaign = certs.campaigns.get(campaignId);
  const body = bodyObject(req, "Review");
  const c = new Causes("governance");
  const reviewerId = c.string(body, "reviewerId", "", { required: true, max: 255 });
  const ids = c.array(body, "reviewIds", "", { required: true, max: 50 });
  c.string(body, "note", "", { required: true, max: 300 });
  c.oneOf(body, "reviewerLevel", "", ["FIRST", "SECOND"] as const, false);
  if (ids && ids.length === 0)
    c.add("/reviewIds", "reviewIds must hold 1 to 50 review ids", "ARRAY_SIZE_INVALID");
  const causes: Cause[] = [];
  if (!campaign) {
    causes.push({
      errorSummary: `Campaign ${campaignId} not found`,
      reason: "IDENTIFIER_NOT_FOUND",
      location: "campaignId",
      locationType: "path",
      domain: "governance",
    });
  } else if (campaign.status !== "ACTIVE") {
    c.add(
      "/reviewIds",
      `Campaign ${campaignId} is ${campaign.status}: only reviews of an ACTIVE campaign can be reassigned`,
      "INVALID_STATUS",
    );
  }
  if (reviewerId !== undefined && !store.users.has(reviewerId)) {
    c.add("/reviewerId", `User ${reviewerId} not found`, "IDENTIFIER_NOT_FOUND");
  }
  const reviews: ReviewRec[] = [];
  for (const [i, id] of (ids ?? []).entries()) {
    const loc = `/reviewIds/${i}`;
    const r = typeof id === "string" ? certs.reviews.get(id) : undefined;
    if (typeof id !== "string") c.add(loc, "review ids are strings", "INVALID_DATA_TYPE");
    else if (!r || r.campaignId !== campaignId)
      c.add(loc, `Review ${id} not found in campaign ${campaignId}`, "IDENTIFIER_NOT_FOUND");
    else if (r.decision !== "UNREVIEWED")
      c.add(
        loc,
        `Review ${id} is decided (${r.decision}): only UNREVIEWED reviews can be reassigned`,
        "INVALID_STATUS",
      );
    else if (!reviews.includes(r)) reviews.push(r);
  }
  if (causes.length > 0 || !c.ok) throw E.validation("Review", [...causes, ...c.list]);
  const moving = reviews.filter((r) => r.reviewerId !== reviewerId);
  if (moving.length === 0) {
    throw new OktaError(
      409,
      "E0000174",
      "When the review(s) is/are already reassigned to intended reviewer.",
    );
  }
  certs.reassign(moving, reviewerId as string, String(body.note));
  const self = `${GOV}/campaigns/${campaignId}/reviews/reassign`;
  return {
    status: 200,
    body: {
      data: moving.map((r) => renderReview(store, r, false)),
      _links: {
        self: href(store, self),
        reviews: href(store, `${GOV}/reviews?filter=${enc(`campaignId eq "${campaignId}"`)}`),
      },
    },
  };
}

export const reviewRoutes: RouteTable<OktaStore> = {
  "GET /governance/api/v1/reviews": listReviews,
  "GET /governance/api/v1/reviews/{reviewId}": getReview,
  "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign": reassignReviews,
};
