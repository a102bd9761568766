/**
 * Okta Access Certifications: campaigns (Governance API 3.2.0, Campaigns). Listing and reading change
 * nothing; launching assigns reviews and changes nobody's access; ending applies remediation, which takes
 * away what reviewers revoked (and what nobody decided on, when the campaign says so): a person confirms.
 */
import { z } from "zod";
import { DESTRUCTIVE_IDEMPOTENT, defineOperation, READ, WRITE } from "../../src/core/operation.js";
import { defineQuery, eq, listSummary } from "../lists.js";
import { after, listOutput, oktaId, optNum, optStr, orderBy, pageLimit, scimFilter } from "../params.js";
import {
  appAccessFilters,
  appsOfValues,
  campaignRead,
  certificationVersion,
  endCampaignPreview,
  launchCampaignPreview,
  perAppList,
  remediatedApps,
  remediatedBundles,
  revokedReviewsRead,
  unreviewedReviewsRead,
} from "./previews/certifications.js";
import { appRead, bundleRead, principalEntitlementsRead } from "./previews/reads.js";

const CAMPAIGN_STATUSES = ["SCHEDULED", "LAUNCHING", "ACTIVE", "COMPLETED", "DELETED", "ERROR"] as const;

const campaignId = oktaId();

const campaignOut = z.looseObject({
  id: optStr,
  name: optStr,
  description: optStr,
  status: optStr,
  startDate: optStr,
  endDate: optStr,
  scheduleType: optStr,
  reviewerType: optStr,
  scheduleSettings: z
    .looseObject({
      type: optStr,
      startDate: optStr,
      endDate: optStr,
      durationInDays: optNum,
      timeZone: optStr,
    })
    .nullish(),
  reviewerSettings: z.looseObject({ type: optStr, reviewerId: optStr, fallBackReviewerId: optStr }).nullish(),
  remediationSettings: z
    .looseObject({ accessApproved: optStr, accessRevoked: optStr, noResponse: optStr })
    .nullish(),
  lastUpdated: optStr,
});
type CampaignOut = z.output<typeof campaignOut>;

const launchInput = z.object({ campaignId });
const endInput = z.object({
  campaignId,
  skipRemediation: z
    .boolean()
    .optional()
    .describe("true: leave undecided reviews unremediated (revoked ones still are)."),
});

export type LaunchCampaignInput = z.output<typeof launchInput>;
export type EndCampaignInput = z.output<typeof endInput>;

/** Okta answers launch and end with 202 and no body: the campaign is read back for the result. */
const readBack = {
  route: "GET /governance/api/v1/campaigns/{campaignId}" as const,
  params: (input: { campaignId: string }) => ({ path: { campaignId: input.campaignId } }),
  shape: (input: { campaignId: string }, _answer: unknown, found: unknown) =>
    found && typeof found === "object" ? found : { id: input.campaignId },
};

function campaignLine(c: CampaignOut): string {
  const start = c.startDate ?? c.scheduleSettings?.startDate;
  const end = c.endDate ?? c.scheduleSettings?.endDate;
  const reviewers = c.reviewerType ?? c.reviewerSettings?.type;
  const parts = [c.status ?? "?", `${start ?? "?"} to ${end ?? "?"}`];
  if (reviewers) parts.push(`reviewers ${reviewers}`);
  return `- ${c.id ?? "?"} "${c.name ?? "?"}": ${parts.join(", ")}`;
}

function campaignSummary(lead: string, c: CampaignOut, next: string): string {
  const r = c.remediationSettings;
  const remediation = r
    ? `; remediation: revoked ${r.accessRevoked ?? "?"}, no response ${r.noResponse ?? "?"}`
    : "";
  return `${lead} ${campaignLine(c).slice(2)}${remediation}. ${next}`;
}

export const oktaCampaignOperations = [
  defineQuery({
    name: "okta_list_campaigns",
    title: "List certification campaigns",
    description:
      "Lists access certification campaigns (name, status, dates), optionally by status or filter. Reviews: okta_list_reviews.",
    provider: "okta",
    route: "GET /governance/api/v1/campaigns",
    input: z.object({
      status: z
        .enum(CAMPAIGN_STATUSES)
        .optional()
        .describe("Only campaigns in this status (ACTIVE: under review)."),
      filter: scimFilter(
        "Attributes: name, status, scheduleType, reviewerType, recurringCampaignId (eq); startDate, endDate (gt, lt).",
      ).optional(),
      after,
      limit: pageLimit,
      orderBy: orderBy("name, created, startDate, endDate or status, asc or desc."),
    }),
    output: listOutput(campaignOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: { status: eq("status") },
    summarize: (out) => listSummary(out, "campaigns", campaignLine),
  }),

  defineQuery({
    name: "okta_get_campaign",
    title: "Get a certification campaign",
    description: "Gets one campaign in full: schedule, apps, reviewers, and remediation when it ends.",
    provider: "okta",
    route: "GET /governance/api/v1/campaigns/{campaignId}",
    input: z.object({ campaignId }),
    output: campaignOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => campaignSummary("Campaign", out, "Its items: okta_list_reviews with campaignId."),
  }),

  defineOperation({
    name: "okta_launch_campaign",
    title: "Launch a certification campaign",
    description:
      "Launches a SCHEDULED campaign now: Okta creates its reviews from current access. Changes nobody's access.",
    provider: "okta",
    route: "POST /governance/api/v1/campaigns/{campaignId}/launch",
    input: launchInput,
    output: campaignOut,
    annotations: WRITE,
    // The launch sends no body (the spec gives it none).
    request: () => ({ body: undefined }),
    // Effects: reviews are made and assigned; nobody gains or loses access by a launch (create). What
    // reviewers decide is remediated only by the campaign's end, which asks a person by itself.
    guard: {
      effects: ["create"],
      reads: [campaignRead<LaunchCampaignInput>()],
      preview: launchCampaignPreview,
    },
    followUp: readBack,
    summarize: (out) =>
      campaignSummary("Launched", out, "Reviewers decide in Okta; list the items with okta_list_reviews."),
  }),

  defineOperation({
    name: "okta_end_campaign",
    title: "End a certification campaign",
    description:
      "Ends an ACTIVE campaign: closes its reviews and remediates, taking away revoked access (and undecided access if noResponse is DENY). Asks a person to confirm when anyone loses access.",
    provider: "okta",
    route: "POST /governance/api/v1/campaigns/{campaignId}/end",
    input: endInput,
    output: campaignOut,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: each remediated item takes access from its person (revoke); remediation settings or reviews
    // that could not be read leave it unknown. With nothing to remediate, nobody's access changes.
    guard: {
      effects: ["revoke", "unknown"],
      reads: [
        campaignRead<EndCampaignInput>(),
        revokedReviewsRead,
        unreviewedReviewsRead,
        appRead(remediatedApps, "apps"),
        perAppList("entitlements", "GET /governance/api/v1/entitlements", appsOfValues),
        perAppList("values", "GET /governance/api/v1/entitlements/values", appsOfValues),
        bundleRead(remediatedBundles, { key: "bundles", optional: true }),
        principalEntitlementsRead("appAccess", appAccessFilters),
      ],
      preview: endCampaignPreview,
      version: certificationVersion,
    },
    followUp: readBack,
    summarize: (out) =>
      campaignSummary(
        "Ended",
        out,
        "Check each item's remediationStatus with okta_list_reviews, and what people hold with okta_list_grants.",
      ),
  }),
];
