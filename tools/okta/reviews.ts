/**
 * Okta Access Certifications: reviews (Governance API 3.2.0, Reviews), the items of a campaign, each one
 * person's access to a value, a bundle or an app, with its reviewer and decision. Reassigning hands
 * undecided reviews to another reviewer: who decides changes, not who holds access.
 */
import { z } from "zod";
import { DESTRUCTIVE_IDEMPOTENT, defineOperation, READ } from "../../src/core/operation.js";
import { defineQuery, eq, listSummary } from "../lists.js";
import { after, listOutput, oktaId, optStr, orderBy, pageLimit, scimFilter } from "../params.js";
import {
  campaignRead,
  certificationVersion,
  reassignedIds,
  reassignPreview,
} from "./previews/certifications.js";
import { userRead } from "./previews/reads.js";

const DECISIONS = ["UNREVIEWED", "APPROVE", "REVOKE"] as const;

const reviewId = oktaId();

const profileOut = z
  .looseObject({
    id: optStr,
    firstName: optStr,
    lastName: optStr,
    email: optStr,
    login: optStr,
    status: optStr,
  })
  .nullish();
const ref = z.looseObject({ id: optStr, name: optStr }).nullish();

const reviewOut = z.looseObject({
  id: optStr,
  campaignId: optStr,
  resourceId: optStr,
  entitlementValue: ref,
  entitlementBundle: ref,
  decision: optStr,
  decided: optStr,
  remediationStatus: optStr,
  principalProfile: profileOut,
  reviewerProfile: profileOut,
  reviewerType: optStr,
  note: z.looseObject({ id: optStr, note: optStr }).nullish(),
  lastUpdated: optStr,
});
type ReviewOut = z.output<typeof reviewOut>;

const reassignInput = z.object({
  campaignId: oktaId("The campaign of the reviews (ici…)."),
  reviewerId: oktaId().describe("The new reviewer (a user)."),
  reviewIds: z.array(reviewId).min(1).max(50).describe("The reviews to reassign (UNREVIEWED ones), 1-50."),
  reviewerLevel: z
    .enum(["FIRST", "SECOND"])
    .optional()
    .describe("Multi-level campaigns only: the level whose reviewer changes."),
  note: z.string().min(1).max(300).describe("Why the reviews are reassigned, kept with them."),
});
export type ReassignReviewsInput = z.output<typeof reassignInput>;

function name(p: z.output<typeof profileOut>): string {
  if (!p) return "?";
  const full = [p.firstName, p.lastName].filter(Boolean).join(" ");
  return `${full || p.login || p.email || "?"} (${p.id ?? "?"})`;
}

function reviewLine(r: ReviewOut): string {
  const what = r.entitlementValue
    ? `value "${r.entitlementValue.name ?? "?"}" (${r.entitlementValue.id ?? "?"})`
    : r.entitlementBundle
      ? `bundle "${r.entitlementBundle.name ?? "?"}" (${r.entitlementBundle.id ?? "?"})`
      : "all access";
  const remediation =
    r.remediationStatus && r.remediationStatus !== "NONE" ? ` (remediation ${r.remediationStatus})` : "";
  return `- ${r.id ?? "?"} ${name(r.principalProfile)}: ${what} in app ${r.resourceId ?? "?"}: ${r.decision ?? "?"}${remediation}, reviewer ${name(r.reviewerProfile)}`;
}

export const oktaReviewOperations = [
  defineQuery({
    name: "okta_list_reviews",
    title: "List certification reviews",
    description:
      "Lists review items (one person's access, with decision and reviewer). Give campaignId: Okta advises listing per campaign.",
    provider: "okta",
    route: "GET /governance/api/v1/reviews",
    input: z.object({
      campaignId: oktaId("Only this campaign's reviews (ici…).").optional(),
      reviewerId: oktaId("Only reviews this user decides (00u…).").optional(),
      principalId: oktaId("Only reviews of this user's access (00u…).").optional(),
      decision: z.enum(DECISIONS).optional(),
      filter: scimFilter(
        "Attributes (eq): campaignId, principalId, reviewerId, decision, resourceId (an app), reviewerType, reviewerLevel, entitlementValueId, entitlementBundleId.",
      ).optional(),
      after,
      limit: pageLimit,
      orderBy: orderBy("decided, decision, remediationStatus or created, asc or desc."),
    }),
    output: listOutput(reviewOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: {
      campaignId: eq("campaignId"),
      reviewerId: eq("reviewerId"),
      principalId: eq("principalId"),
      decision: eq("decision"),
    },
    summarize: (out, input) =>
      listSummary(out, "reviews", reviewLine, {
        scope: input.campaignId ? `in campaign ${input.campaignId}` : undefined,
      }),
  }),

  defineQuery({
    name: "okta_get_review",
    title: "Get a certification review",
    description:
      "Gets one review item in full: whose access to what, the decision and when, the reviewer, the remediation status and the note.",
    provider: "okta",
    route: "GET /governance/api/v1/reviews/{reviewId}",
    input: z.object({ reviewId }),
    output: reviewOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => {
      const note = out.note?.note ? ` Note: "${out.note.note}".` : "";
      return `Review ${reviewLine(out).slice(2)}${out.decided ? `, decided ${out.decided}` : ""}.${note}`;
    },
  }),

  defineOperation({
    name: "okta_reassign_reviews",
    title: "Reassign certification reviews",
    description:
      "Hands undecided reviews of an ACTIVE campaign to another reviewer, with a note. Asks to confirm if the new reviewer would decide on their own access.",
    provider: "okta",
    route: "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign",
    input: reassignInput,
    output: z.looseObject({ data: z.array(reviewOut).nullish() }),
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: a person still decides each review in Okta, as before; only who changes, and nobody's access
    // changes now (request: the human gate is the reviewer). When the new reviewer is the person whose
    // access a review decides, or a review could not be read, nobody independent is known to decide: unknown.
    guard: {
      effects: ["request", "unknown"],
      reads: [
        campaignRead<ReassignReviewsInput>(),
        {
          key: "reviews",
          route: "GET /governance/api/v1/reviews/{reviewId}",
          optional: true,
          params: (input) => reassignedIds(input).map((id) => ({ path: { reviewId: id } })),
        },
        userRead((input: ReassignReviewsInput) => input.reviewerId, "reviewer"),
      ],
      preview: reassignPreview,
      version: certificationVersion,
    },
    summarize: (out, input) => {
      const moved = out.data ?? [];
      return [
        `Reassigned ${moved.length} review${moved.length === 1 ? "" : "s"} to user ${input.reviewerId ?? "?"}.`,
        ...moved.map(reviewLine),
      ].join("\n");
    },
  }),
];
